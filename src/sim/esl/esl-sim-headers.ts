import { eventDates, type Header } from './esl-sim-frames.ts';

/**
 * The header blocks FreeSWITCH puts in every channel event, in the order the traces show them
 * (01 n=0 for CHANNEL_DATA, n=15 for CHANNEL_EXECUTE_COMPLETE, 04 n=27 for CHANNEL_STATE): event
 * header, channel state, caller profile, then (for most events) every channel variable.
 */
export interface SimChannelProfile {
  readonly coreUuid: string;
  readonly uuid: string;
  readonly callerNumber: string;
  readonly callerName: string;
  readonly dialed: string;
  /** Raw; Sofia un-escapes the SIP user (07: `sofia/esl/+1-555 123@127.0.0.1`). */
  readonly channelName: string;
  readonly privacy: boolean;
  readonly createdUs: number;
}

export interface SimChannelState {
  state: 'CS_EXECUTE' | 'CS_HANGUP' | 'CS_REPORTING';
  callState: 'RINGING' | 'ACTIVE' | 'HANGUP';
  answerState: 'ringing' | 'answered' | 'hangup';
  answeredUs: number;
  hangupCause: string | null;
}

const STATE_NUMBER = { CS_EXECUTE: 4, CS_HANGUP: 10, CS_REPORTING: 11 } as const;

export function eventHeader(
  name: string,
  coreUuid: string,
  seq: number,
  calling: readonly [string, string, number],
  nowMs: number,
): Header[] {
  return [
    ['Event-Name', name],
    ['Core-UUID', coreUuid],
    ['FreeSWITCH-Hostname', 'vm'],
    ['FreeSWITCH-Switchname', 'vm'],
    // Auto-detected host addresses, reported even though the profile binds 127.0.0.1 (traces README).
    ['FreeSWITCH-IPv4', '192.0.2.2'],
    ['FreeSWITCH-IPv6', 'fd00::2'],
    ...eventDates(nowMs),
    ['Event-Calling-File', calling[0]],
    ['Event-Calling-Function', calling[1]],
    ['Event-Calling-Line-Number', String(calling[2])],
    ['Event-Sequence', String(seq)],
  ];
}

export function channelStateHeaders(p: SimChannelProfile, s: SimChannelState): Header[] {
  const out: Header[] = [
    ['Channel-State', s.state],
    ['Channel-Call-State', s.callState],
    ['Channel-State-Number', String(STATE_NUMBER[s.state])],
    ['Channel-Name', p.channelName],
    ['Unique-ID', p.uuid],
    ['Call-Direction', 'inbound'],
    ['Presence-Call-Direction', 'inbound'],
    ['Channel-HIT-Dialplan', 'true'],
    ['Channel-Call-UUID', p.uuid],
    ['Answer-State', s.answerState],
  ];
  if (s.hangupCause) out.push(['Hangup-Cause', s.hangupCause]);
  out.push(
    ['Channel-Read-Codec-Name', 'PCMU'],
    ['Channel-Read-Codec-Rate', '8000'],
    ['Channel-Read-Codec-Bit-Rate', '64000'],
    ['Channel-Write-Codec-Name', 'PCMU'],
    ['Channel-Write-Codec-Rate', '8000'],
    ['Channel-Write-Codec-Bit-Rate', '64000'],
  );
  return out;
}

/** The caller profile, as `Caller-*` in events and `Channel-*` at the top of CHANNEL_DATA. */
export function callerProfile(prefix: 'Caller' | 'Channel', p: SimChannelProfile, s: SimChannelState): Header[] {
  const h = (n: string, v: string): Header => [`${prefix}-${n}`, v];
  return [
    h('Direction', 'inbound'),
    h('Logical-Direction', 'inbound'),
    h('Username', p.callerNumber),
    h('Dialplan', 'XML'),
    h('Caller-ID-Name', p.callerName),
    h('Caller-ID-Number', p.callerNumber),
    h('Orig-Caller-ID-Name', p.callerName),
    h('Orig-Caller-ID-Number', p.callerNumber),
    h('Network-Addr', '127.0.0.1'),
    h('ANI', p.callerNumber),
    h('Destination-Number', p.dialed),
    h('Unique-ID', p.uuid),
    h('Source', 'mod_sofia'),
    h('Context', 'public'),
    h('Channel-Name', p.channelName),
    h('Profile-Index', '1'),
    h('Profile-Created-Time', String(p.createdUs)),
    h('Channel-Created-Time', String(p.createdUs)),
    h('Channel-Answered-Time', String(s.answeredUs)),
    h('Channel-Progress-Time', '0'),
    h('Channel-Progress-Media-Time', '0'),
    h('Channel-Hangup-Time', '0'),
    h('Channel-Transfer-Time', '0'),
    h('Channel-Resurrect-Time', '0'),
    h('Channel-Bridged-Time', '0'),
    h('Channel-Last-Hold', '0'),
    h('Channel-Hold-Accum', '0'),
    h('Screen-Bit', 'true'),
    h('Privacy-Hide-Name', String(p.privacy)),
    h('Privacy-Hide-Number', String(p.privacy)),
  ];
}

export function variableHeaders(vars: ReadonlyMap<string, string>): Header[] {
  return [...vars].map(([k, v]) => [`variable_${k}`, v] as const);
}

/** The variables a fresh inbound SIP call has when the `socket` application runs (01 n=0, abridged). */
export function initialVariables(p: SimChannelProfile, socketData: string): Map<string, string> {
  const host = '127.0.0.1';
  return new Map<string, string>([
    ['direction', 'inbound'],
    ['uuid', p.uuid],
    ['session_id', '1'],
    ['sip_from_user', p.callerNumber],
    ['sip_from_port', '5170'],
    ['sip_from_uri', `${p.callerNumber}@${host}:5170`],
    ['sip_from_host', host],
    ['channel_name', p.channelName],
    ['sip_call_id', `${p.uuid.slice(0, 8)}@${host}`],
    ['sip_network_ip', host],
    ['sip_acl_authed_by', 'sipp_loopback'],
    ['sip_from_display', p.callerName],
    ['sip_full_from', `"${p.callerName}" <sip:${p.callerNumber}@${host}:5170>;tag=sim`],
    ['sip_req_user', p.dialed],
    ['sip_req_uri', `${p.dialed}@${host}:5080`],
    ['sip_to_user', p.dialed],
    ['sip_user_agent', 'callkeeper-esl-sim'],
    ['read_codec', 'PCMU'],
    ['read_rate', '8000'],
    ['write_codec', 'PCMU'],
    ['write_rate', '8000'],
    ['dtmf_type', 'rfc2833'],
    ['DP_MATCH', `ARRAY::${p.dialed}|:${p.dialed}`],
    ['call_uuid', p.uuid],
    ['current_application_data', socketData],
    ['current_application', 'socket'],
    ['socket_host', host],
  ]);
}
