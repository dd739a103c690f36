/** The fields of ARI events (Asterisk 22, src/sim/ari/api-docs/api-docs/events.json) the adapter reads. */
export interface AriChannelJson {
  readonly id: string;
  readonly state?: string;
  readonly caller?: { readonly name?: string; readonly number?: string };
  readonly dialplan?: { readonly exten?: string };
}

export interface AriEvent {
  readonly type: string;
  readonly application?: string;
  readonly args?: readonly string[];
  readonly channel?: AriChannelJson;
  readonly playback?: { readonly id: string; readonly target_uri?: string; readonly state?: string };
  readonly recording?: { readonly name: string; readonly target_uri?: string; readonly state?: string; readonly duration?: number };
  readonly digit?: string;
  /** On ChannelTalkingFinished: how long the caller talked, in ms (api-docs events.json). */
  readonly duration?: number;
  /** On ChannelHangupRequest: the soft-hangup flag, not a Q.850 cause (test/fixtures/asterisk/traces/README.md, point 2). */
  readonly cause?: number;
  readonly soft?: boolean;
}

/** `channel:<id>` → `<id>`: playbacks and recordings name their channel only through target_uri. */
export function targetChannelId(targetUri: string | undefined): string | null {
  return targetUri?.startsWith('channel:') ? targetUri.slice('channel:'.length) : null;
}

/**
 * Why the channel hung up, from ChannelHangupRequest: no cause means the far end sent BYE; 32 is our
 * own DELETE; 4 is Asterisk shutting down (traces 02, 01, 08b).
 */
export function hangupCause(e: AriEvent | null): string {
  if (!e) return 'unknown';
  if (e.cause === undefined) return 'caller';
  if (e.cause === 32) return 'app';
  if (e.cause === 4) return 'engine-shutdown';
  return `soft-hangup-${e.cause}`;
}
