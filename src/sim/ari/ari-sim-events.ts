/**
 * ARI JSON as Asterisk 22 emits it (field names and key order from test/fixtures/asterisk/traces).
 * Builders only: the simulator decides when to send what.
 */

export type AriJson = Record<string, unknown>;

export interface SimChannelView {
  readonly id: string;
  readonly name: string;
  readonly state: 'Ring' | 'Up';
  readonly protocolId: string;
  readonly callerName: string;
  readonly callerNumber: string;
  readonly dialed: string;
  readonly creationtime: string;
  readonly app: string;
}

export function channelJson(ch: SimChannelView): AriJson {
  return {
    id: ch.id,
    name: ch.name,
    state: ch.state,
    protocol_id: ch.protocolId,
    caller: { name: ch.callerName, number: ch.callerNumber },
    connected: { name: '', number: '' },
    accountcode: '',
    dialplan: {
      context: 'from-trunk',
      exten: ch.dialed,
      priority: 2,
      app_name: 'Stasis',
      app_data: `${ch.app},${ch.dialed}`,
    },
    creationtime: ch.creationtime,
    language: 'en',
  };
}

export interface SimPlaybackView {
  readonly id: string;
  readonly mediaUri: string;
  readonly nextMediaUri?: string | undefined;
  readonly targetUri: string;
  readonly state: 'queued' | 'playing' | 'continuing' | 'done' | 'failed';
}

export function playbackJson(p: SimPlaybackView): AriJson {
  return {
    id: p.id,
    media_uri: p.mediaUri,
    ...(p.nextMediaUri ? { next_media_uri: p.nextMediaUri } : {}),
    target_uri: p.targetUri,
    language: 'en',
    state: p.state,
  };
}

export interface SimRecordingView {
  readonly name: string;
  readonly format: string;
  readonly state: 'queued' | 'recording' | 'done' | 'failed';
  readonly targetUri: string;
  /** Only RecordingFinished carries durations (test/fixtures/asterisk/traces/README.md, point 5). */
  readonly durationS?: number;
  /** Present only when silence detection was on (traces 01, 03 vs 04, 06). */
  readonly talkingS?: number;
  readonly silenceS?: number;
}

export function recordingJson(r: SimRecordingView): AriJson {
  return {
    name: r.name,
    format: r.format,
    state: r.state,
    target_uri: r.targetUri,
    ...(r.durationS !== undefined ? { duration: r.durationS } : {}),
    ...(r.talkingS !== undefined ? { talking_duration: r.talkingS, silence_duration: r.silenceS ?? 0 } : {}),
  };
}

/** Asterisk's timestamp format: `2026-11-22T13:34:54.400+0000`. */
export function ariTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/** Wraps event fields the way Asterisk orders them: leading fields, type, timestamp, body, then ids. */
export function envelope(
  type: string,
  timestamp: string,
  body: AriJson,
  ids: { asteriskId: string; app: string },
  leading: AriJson = {},
): AriJson {
  return { ...leading, type, timestamp, ...body, asterisk_id: ids.asteriskId, application: ids.app };
}

/** The five RTCP quality variables Asterisk sets on an answered channel as it ends (test/fixtures/asterisk/traces/README.md, point 14). */
export const RTP_QOS_VARIABLES = [
  ['RTPAUDIOQOS', 'ssrc=302353560;themssrc=305441741;lp=0;rxjitter=0.000000;rxcount=319;txjitter=0.000000;txcount=137;rlp=0;rtt=0.000000;rxmes=0.000000;txmes=88.087887'],
  ['RTPAUDIOQOSJITTER', 'minrxjitter=000.000000;maxrxjitter=000.000500;avgrxjitter=000.000032;stdevrxjitter=000.000091;mintxjitter=000.000000;maxtxjitter=000.000000;avgtxjitter=000.000000;stdevtxjitter=000.000000;'],
  ['RTPAUDIOQOSLOSS', '  minrxlost=000.000000;  maxrxlost=000.000000;  avgrxlost=000.000000;  stdevrxlost=000.000000;  mintxlost=000.000000;  maxtxlost=000.000000;  avgtxlost=000.000000;  stdevtxlost=000.000000;'],
  ['RTPAUDIOQOSRTT', '     minrtt=000.000000;     maxrtt=000.000000;     avgrtt=000.000000;     stdevrtt=000.000000;'],
  ['RTPAUDIOQOSMES', '   minrxmes=088.087887;   maxrxmes=088.087887;   avgrxmes=088.087887;   stdevrxmes=000.000000;   mintxmes=000.000000;   maxtxmes=000.000000;   avgtxmes=000.000000;   stdevtxmes=000.000000;'],
] as const;
