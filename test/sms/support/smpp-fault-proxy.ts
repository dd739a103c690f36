import net, { type AddressInfo, type Socket } from 'node:net';
import smpp, { type PDU } from 'smpp';

/**
 * A TCP proxy between the gateway (the real `smpp` client in SmppGateway) and an SMSC, for the SMSC
 * fault matrix and the STOP race. It cuts both byte streams into PDUs (4-byte command_length, SMPP 3.4
 * §3.2), logs every PDU in the order it arrived, and can answer, swallow or delay the client's
 * requests, refuse binds and drop connections, so faults happen on the wire, not in the client.
 *
 * The log's order is the client's write order: a client→SMSC PDU logged after another was written
 * after it. The STOP race test relies on that (a submit_sm logged after the deliver_sm_resp of a STOP
 * was written after the STOP's commit, since the gateway answers a deliver_sm only after its handler
 * committed: src/sms/README.md).
 */
export interface LoggedPdu {
  /** Connection number, from 1. */
  readonly conn: number;
  /** `up`: client → SMSC; `down`: SMSC (or the proxy) → client. */
  readonly dir: 'up' | 'down';
  readonly command: string;
  readonly seq: number;
  readonly status: number;
  /** `performance.now()` when the proxy had the whole PDU. */
  readonly at: number;
  /** submit_sm / deliver_sm: the destination and source address, digits as on the wire. */
  readonly to: string;
  readonly from: string;
  /** submit_sm / deliver_sm: the text of this PDU (one part of a long text). */
  readonly text: string;
  /** submit_sm: the concatenation header, when the PDU is one part of a long text. */
  readonly concat: { readonly ref: number; readonly total: number; readonly seq: number } | null;
  /** Set when the proxy answered or swallowed the request itself instead of forwarding it. */
  readonly fault: string | null;
}

/** What to do with one submit_sm from the client. */
export type SubmitFault = { readonly kind: 'forward' } | { readonly kind: 'answer'; readonly status: number } | { readonly kind: 'swallow' };

export interface ProxyFaults {
  /** Decides each submit_sm; `index` counts the submits seen on all connections, from 0. */
  submit: (pdu: LoggedPdu, index: number) => SubmitFault;
  /** Answer bind requests with this command_status instead of forwarding them, this many more times. */
  refuseBinds: { status: number; count: number } | null;
  /** Hold every client → SMSC chunk this long before forwarding (a slow SMSC or link). */
  upstreamDelayMs: number;
}

const FORWARD: SubmitFault = { kind: 'forward' };

function textOf(v: unknown): { text: string; udh: Buffer[] | null } {
  if (!v) return { text: '', udh: null };
  if (typeof v === 'string') return { text: v, udh: null };
  if (Buffer.isBuffer(v)) return { text: v.toString('latin1'), udh: null };
  const o = v as { message?: unknown; udh?: Buffer[] };
  return { text: typeof o.message === 'string' ? o.message : '', udh: o.udh ?? null };
}

/** Splits a byte stream into whole PDUs. */
class PduCutter {
  private buf: Buffer = Buffer.alloc(0);
  push(chunk: Buffer): Buffer[] {
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, chunk]);
    const out: Buffer[] = [];
    while (this.buf.length >= 4) {
      const len = this.buf.readUInt32BE(0);
      if (len < 16 || this.buf.length < len) break;
      out.push(this.buf.subarray(0, len));
      this.buf = this.buf.subarray(len);
    }
    return out;
  }
}

export class SmppFaultProxy {
  readonly log: LoggedPdu[] = [];
  readonly faults: ProxyFaults = { submit: () => FORWARD, refuseBinds: null, upstreamDelayMs: 0 };
  private readonly server = net.createServer((c) => this.onClient(c));
  private readonly pairs = new Set<{ client: Socket; upstream: Socket }>();
  private conns = 0;
  private submitsSeen = 0;

  constructor(private readonly upstreamPort: number) {}

  listen(): Promise<number> {
    return new Promise((resolve) => this.server.listen(0, '127.0.0.1', () => resolve((this.server.address() as AddressInfo).port)));
  }

  /** Drops every connection at once (both sides), as a broken link would. */
  dropAll(): void {
    for (const p of this.pairs) {
      p.client.destroy();
      p.upstream.destroy();
    }
  }

  async close(): Promise<void> {
    this.dropAll();
    await new Promise<void>((r) => this.server.close(() => r()));
  }

  /** Client → SMSC submit_sm entries. */
  submits(): LoggedPdu[] {
    return this.log.filter((p) => p.dir === 'up' && p.command === 'submit_sm');
  }

  private onClient(client: Socket): void {
    const conn = ++this.conns;
    client.setNoDelay(true);
    const upstream = net.connect(this.upstreamPort, '127.0.0.1');
    upstream.setNoDelay(true);
    const pair = { client, upstream };
    this.pairs.add(pair);
    const end = (): void => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    const up = new PduCutter();
    const down = new PduCutter();
    client.on('data', (chunk: Buffer) => {
      for (const raw of up.push(chunk)) this.fromClient(conn, raw, client, upstream);
    });
    upstream.on('data', (chunk: Buffer) => {
      for (const raw of down.push(chunk)) {
        this.record(conn, 'down', raw, null);
        if (!client.destroyed) client.write(raw);
      }
    });
  }

  private fromClient(conn: number, raw: Buffer, client: Socket, upstream: Socket): void {
    const pdu = new smpp.PDU(raw);
    if (pdu.command.startsWith('bind_') && this.faults.refuseBinds && this.faults.refuseBinds.count > 0) {
      this.faults.refuseBinds.count--;
      this.record(conn, 'up', raw, `bind refused 0x${this.faults.refuseBinds.status.toString(16)}`, pdu);
      this.answer(conn, client, pdu.response({ command_status: this.faults.refuseBinds.status }));
      return;
    }
    if (pdu.command === 'submit_sm') {
      const entry = this.describe(conn, 'up', pdu, null);
      const f = this.faults.submit(entry, this.submitsSeen++);
      if (f.kind === 'answer') {
        this.log.push({ ...entry, fault: `answered 0x${f.status.toString(16)}` });
        this.answer(conn, client, pdu.response({ command_status: f.status }));
        return;
      }
      if (f.kind === 'swallow') {
        this.log.push({ ...entry, fault: 'swallowed' });
        return;
      }
      this.log.push(entry);
    } else {
      this.record(conn, 'up', raw, null, pdu);
    }
    const forward = (): void => {
      if (!upstream.destroyed) upstream.write(raw);
    };
    if (this.faults.upstreamDelayMs > 0) setTimeout(forward, this.faults.upstreamDelayMs);
    else forward();
  }

  private answer(conn: number, client: Socket, resp: PDU): void {
    const raw = resp.toBuffer();
    this.record(conn, 'down', raw, 'from proxy', resp);
    if (!client.destroyed) client.write(raw);
  }

  private record(conn: number, dir: 'up' | 'down', raw: Buffer, fault: string | null, parsed?: PDU): void {
    this.log.push(this.describe(conn, dir, parsed ?? new smpp.PDU(raw), fault));
  }

  private describe(conn: number, dir: 'up' | 'down', pdu: PDU, fault: string | null): LoggedPdu {
    const body = textOf(pdu.short_message);
    const ie = body.udh?.find((u) => u[0] === 0x00);
    return {
      conn,
      dir,
      command: pdu.command,
      seq: pdu.sequence_number,
      status: pdu.command_status,
      at: performance.now(),
      to: typeof pdu.destination_addr === 'string' ? pdu.destination_addr : '',
      from: typeof pdu.source_addr === 'string' ? pdu.source_addr : '',
      text: body.text,
      concat: ie ? { ref: ie[2]!, total: ie[3]!, seq: ie[4]! } : null,
      fault,
    };
  }
}

