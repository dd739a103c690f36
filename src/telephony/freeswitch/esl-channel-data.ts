import { decodeHeaders } from './esl-event.ts';
import type { EslFrame } from './esl-frame.ts';

/**
 * What we need from the outbound `connect` reply. That reply is a `command/reply` without
 * Content-Length whose headers ARE the channel (`Event-Name: CHANNEL_DATA`, all `Channel-*`,
 * `Caller-*`, `variable_*`), URL-encoded, unlike every other reply (mod_event_socket.c:2021,
 * test/fixtures/freeswitch/traces/README.md "The outbound connect reply is special"). It is decoded here, once.
 */
export interface ChannelData {
  readonly uuid: string;
  /** Caller ID number as delivered; `anonymous` when the caller asked for privacy (see below). */
  readonly callerIdRaw: string;
  readonly callerName: string | null;
  readonly dialed: string;
  readonly channelName: string;
  readonly headers: ReadonlyMap<string, string>;
}

/** FreeSWITCH serializes an empty value as `_undef_` (switch_event.c). */
function present(v: string | undefined): string | undefined {
  return v === undefined || v === '' || v === '_undef_' ? undefined : v;
}

export function parseChannelData(reply: EslFrame): ChannelData | null {
  const h = decodeHeaders(reply.headers);
  const uuid = present(h.get('Unique-ID')) ?? present(h.get('Channel-Unique-ID')) ?? present(h.get('Caller-Unique-ID'));
  if (!uuid) return null;
  const number = present(h.get('Caller-Caller-ID-Number')) ?? present(h.get('Channel-Caller-ID-Number')) ?? '';
  const name = present(h.get('Caller-Caller-ID-Name')) ?? present(h.get('Channel-Caller-ID-Name'));
  // With `Privacy: id` FreeSWITCH still fills Caller-Caller-ID-Number from P-Asserted-Identity and only
  // flags it (07: `Caller-Privacy-Hide-Number: true`, `variable_sip_cid_type: pid`). The caller chose to
  // withhold the number, so it is reported as withheld, as the Asterisk adapter sees such a call.
  const hidden = h.get('Caller-Privacy-Hide-Number') === 'true';
  const hideName = h.get('Caller-Privacy-Hide-Name') === 'true';
  return {
    uuid,
    callerIdRaw: hidden ? 'anonymous' : number,
    callerName: hideName ? null : (name ?? null),
    dialed:
      present(h.get('Caller-Destination-Number')) ??
      present(h.get('Channel-Destination-Number')) ??
      present(h.get('variable_sip_req_user')) ??
      '',
    channelName: present(h.get('Channel-Name')) ?? '',
    headers: h,
  };
}
