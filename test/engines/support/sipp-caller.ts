import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { callerRtp, partsDurationMs, rtpPcap, TELEPHONE_EVENT_PT, type CallerPart } from './caller-pcap.ts';
import { freeUdpPorts } from './free-ports.ts';

/**
 * One caller = one SIPp process (Debian's `sip-tester`), so each call has its own ports, trace and
 * result. The scenario sends the INVITE with a PCMU + telephone-event offer, plays the caller's pcap
 * (caller-pcap.ts) once answered, and then either waits for the engine's BYE or hangs up itself.
 */
export interface SippCall {
  /** The caller's number as the From user part (`+1512…`), or 'anonymous' for a withheld caller. */
  readonly from: string;
  /** The DID in the Request-URI. */
  readonly to: string;
  readonly parts: readonly CallerPart[];
  /** Hang up this many ms after the answer unless the engine hung up first; default: wait for the engine. */
  readonly hangupAfterMs?: number;
  /** Give up (send BYE) when the engine has not hung up this long after the answer; default 120 s. */
  readonly maxCallMs?: number;
}

export interface SippResult {
  /** The final response to the INVITE (200 when answered), null when none came. */
  readonly inviteStatus: number | null;
  readonly endedBy: 'engine' | 'caller' | 'none';
  readonly exitCode: number | null;
  /** The tail of SIPp's own error log, for failure messages. */
  readonly errors: string;
}

export interface SippTarget {
  readonly bin: string;
  readonly host: string;
  readonly port: number;
  readonly workDir: string;
}

let seq = 0;

export async function runSippCall(target: SippTarget, call: SippCall): Promise<SippResult> {
  const n = ++seq;
  const base = join(target.workDir, `caller-${n}`);
  writeFileSync(`${base}.pcap`, rtpPcap(callerRtp(call.parts)));
  const maxCallMs = call.maxCallMs ?? 120_000;
  writeFileSync(`${base}.xml`, scenarioXml(call, `${base}.pcap`, maxCallMs));
  const [sipPort, mediaPort] = await freeUdpPorts(2, { mediaPairs: true });
  const args = [
    `${target.host}:${target.port}`,
    '-sf', `${base}.xml`,
    '-s', call.to,
    '-i', '127.0.0.1',
    '-p', String(sipPort),
    '-mi', '127.0.0.1',
    '-mp', String(mediaPort),
    '-m', '1',
    '-l', '1',
    '-nostdin',
    '-trace_msg', '-message_file', `${base}.msg`,
    '-trace_err', '-error_file', `${base}.err`,
    // SIPp's own guard: no caller outlives the scenario's waits by more than a minute.
    '-timeout', `${Math.ceil((maxCallMs + partsDurationMs(call.parts)) / 1000) + 60}s`,
  ];
  const child = spawn(target.bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exitCode = await new Promise<number | null>((resolve) => {
    child.on('exit', (code) => resolve(code));
    child.on('error', () => resolve(null));
  });
  const trace = readIfThere(`${base}.msg`);
  const errors = `${stderr}${readIfThere(`${base}.err`)}`.trim().split('\n').slice(-5).join('\n');
  return { inviteStatus: inviteStatus(trace), endedBy: endedBy(trace), exitCode, errors };
}

function readIfThere(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** SIPp's message trace: blocks "UDP message sent|received ..." followed by the SIP message. */
function messages(trace: string): Array<{ dir: 'sent' | 'received'; firstLine: string; cseq: string }> {
  const out: Array<{ dir: 'sent' | 'received'; firstLine: string; cseq: string }> = [];
  const re = /UDP message (sent|received)[^\n]*\n\s*\n([^\n]*)\n([\s\S]*?)(?=\n-{10,}|$)/g;
  for (const m of trace.matchAll(re)) {
    const cseq = /^CSeq:\s*(.*)$/im.exec(m[3] ?? '')?.[1]?.trim() ?? '';
    out.push({ dir: m[1] as 'sent' | 'received', firstLine: (m[2] ?? '').trim(), cseq });
  }
  return out;
}

function inviteStatus(trace: string): number | null {
  for (const m of messages(trace)) {
    const s = /^SIP\/2\.0 (\d{3})/.exec(m.firstLine);
    if (m.dir === 'received' && s && /INVITE$/.test(m.cseq) && Number(s[1]) >= 200) return Number(s[1]);
  }
  return null;
}

function endedBy(trace: string): SippResult['endedBy'] {
  for (const m of messages(trace)) {
    if (!m.firstLine.startsWith('BYE ')) continue;
    return m.dir === 'received' ? 'engine' : 'caller';
  }
  return 'none';
}

function scenarioXml(call: SippCall, pcap: string, maxCallMs: number): string {
  const anonymous = call.from === 'anonymous';
  const fromUri = anonymous ? 'sip:anonymous@anonymous.invalid' : `sip:${call.from}@[local_ip]:[local_port]`;
  const display = anonymous ? '"Anonymous" ' : '';
  const waitMs = Math.round(call.hangupAfterMs ?? maxCallMs);
  // After the answer: play the caller's audio, then wait for the engine's BYE; on timeout hang up.
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="callkeeper engine-tier caller">
  <send retrans="500">
    <![CDATA[
      INVITE sip:[service]@[remote_ip]:[remote_port] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      From: ${display}<${fromUri}>;tag=[pid]ck[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>
      Call-ID: [call_id]
      CSeq: 1 INVITE
      Contact: <sip:caller@[local_ip]:[local_port]>
      Max-Forwards: 70
      Content-Type: application/sdp
      Content-Length: [len]

      v=0
      o=caller 1 1 IN IP[local_ip_type] [local_ip]
      s=-
      c=IN IP[media_ip_type] [media_ip]
      t=0 0
      m=audio [media_port] RTP/AVP 0 ${TELEPHONE_EVENT_PT}
      a=rtpmap:0 PCMU/8000
      a=rtpmap:${TELEPHONE_EVENT_PT} telephone-event/8000
      a=fmtp:${TELEPHONE_EVENT_PT} 0-15
      a=ptime:20
      a=sendrecv
    ]]>
  </send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="183" optional="true"/>
  <recv response="200" rrs="true" timeout="60000"/>
  <send>
    <![CDATA[
      ACK [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [routes]
      CSeq: 1 ACK
      Contact: <sip:caller@[local_ip]:[local_port]>
      Max-Forwards: 70
      Content-Length: 0
    ]]>
  </send>
  <nop>
    <action>
      <exec play_pcap_audio="${pcap}"/>
    </action>
  </nop>
  <recv request="BYE" timeout="${waitMs}" ontimeout="hangup"/>
  <send next="done">
    <![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Contact: <sip:caller@[local_ip]:[local_port]>
      Content-Length: 0
    ]]>
  </send>
  <label id="hangup"/>
  <send retrans="500">
    <![CDATA[
      BYE [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [routes]
      CSeq: 2 BYE
      Contact: <sip:caller@[local_ip]:[local_port]>
      Max-Forwards: 70
      Content-Length: 0
    ]]>
  </send>
  <recv response="200" crlf="true"/>
  <label id="done"/>
</scenario>
`;
}
