/**
 * A TCP proxy between SMPP clients and an SMSC that can hold back the SMSC's `submit_sm_resp` PDUs
 * (SMPP 3.4: command_id 0x80000004). While held, a client's submits still reach the SMSC, which records and
 * accepts them, but the client never hears back: its window stays full and what it has claimed stays
 * claimed, neither sent nor settled. Everything else (binds, enquire_link, deliver_sm) passes at once, so a
 * held client still receives inbound texts. `release()` forwards what was held, in order.
 *
 * Frames are cut by the PDU header's command_length (SMPP 3.4 §3.2: 4 octets, big-endian, the whole PDU);
 * a length outside 16 B..1 MiB is not SMPP, and the connection then passes bytes through unparsed.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

const SUBMIT_SM_RESP = 0x80000004;
const HEADER = 16;
const MAX_PDU = 1 << 20;

interface Link {
  readonly client: Socket;
  readonly upstream: Socket;
  buffer: Buffer;
  raw: boolean;
  readonly held: Buffer[];
}

export class SmppHoldProxy {
  private holding = false;
  private readonly links = new Set<Link>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  /** Listens on 127.0.0.1 port 0 and forwards each connection to `target`. */
  static async start(target: { host: string; port: number }): Promise<SmppHoldProxy> {
    let proxy!: SmppHoldProxy;
    const server = createServer((client) => proxy.accept(client, target));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const a = server.address();
    if (!a || typeof a !== 'object') throw new Error('the proxy has no port');
    proxy = new SmppHoldProxy(server, a.port);
    return proxy;
  }

  /** From now on, submit_sm_resp PDUs are kept instead of forwarded. */
  hold(): void {
    this.holding = true;
  }

  /** Forwards every held response, in order, and stops holding. */
  release(): void {
    this.holding = false;
    for (const l of this.links) for (const pdu of l.held.splice(0)) l.client.write(pdu);
  }

  /** Responses held right now, over every connection. */
  held(): number {
    let n = 0;
    for (const l of this.links) n += l.held.length;
    return n;
  }

  async close(): Promise<void> {
    for (const l of this.links) {
      l.client.destroy();
      l.upstream.destroy();
    }
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket, target: { host: string; port: number }): void {
    const upstream = connect(target.port, target.host);
    client.setNoDelay(true);
    upstream.setNoDelay(true);
    const link: Link = { client, upstream, buffer: Buffer.alloc(0), raw: false, held: [] };
    this.links.add(link);
    const end = (): void => {
      this.links.delete(link);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    client.pipe(upstream);
    upstream.on('data', (d: Buffer) => this.fromSmsc(link, d));
  }

  private fromSmsc(l: Link, d: Buffer): void {
    if (l.raw) return void l.client.write(d);
    l.buffer = l.buffer.length === 0 ? d : Buffer.concat([l.buffer, d]);
    while (l.buffer.length >= 4) {
      const len = l.buffer.readUInt32BE(0);
      if (len < HEADER || len > MAX_PDU) {
        l.raw = true;
        l.client.write(l.buffer);
        l.buffer = Buffer.alloc(0);
        return;
      }
      if (l.buffer.length < len) return;
      const pdu = l.buffer.subarray(0, len);
      l.buffer = l.buffer.subarray(len);
      if (this.holding && pdu.readUInt32BE(4) === SUBMIT_SM_RESP) l.held.push(pdu);
      else l.client.write(pdu);
    }
  }
}
