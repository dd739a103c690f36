import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A fault between FreeSWITCH and callkeeper's outbound-socket listener: every frame callkeeper sends is
 * passed on except a `sendmsg` whose `call-command` is `hangup`, which FreeSWITCH then never sees (and so
 * never answers). This is "a hangup that gets no reply" of src/telephony/freeswitch/README.md on the real
 * engine: callkeeper must close the socket and end the channel through the inbound connection
 * (`uuid_kill`). FreeSWITCH's frames to callkeeper pass untouched.
 */
export class EslHangupSwallower {
  /** Hangup commands held back so far (0 means the fault never happened and a test proves nothing). */
  swallowed = 0;
  private readonly sockets = new Set<Socket>();

  private constructor(private readonly server: Server) {}

  /** Listens on `port` (127.0.0.1) and relays each connection to callkeeper on `targetPort`. */
  static async listen(port: number, targetPort: number): Promise<EslHangupSwallower> {
    let self: EslHangupSwallower | undefined;
    const server = createServer((engine) => self!.relay(engine, targetPort));
    self = new EslHangupSwallower(server);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    return self;
  }

  private relay(engine: Socket, targetPort: number): void {
    const app = createConnection({ host: '127.0.0.1', port: targetPort });
    for (const s of [engine, app]) {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
      s.on('error', () => undefined);
    }
    engine.pipe(app);
    engine.on('end', () => app.end());
    let pending = Buffer.alloc(0);
    app.on('data', (chunk: Buffer) => {
      pending = Buffer.concat([pending, chunk]);
      for (;;) {
        const frame = nextCommand(pending);
        if (!frame) break;
        pending = pending.subarray(frame.length);
        const head = frame.subarray(0, frame.indexOf('\n\n')).toString('utf8');
        if (/^sendmsg\b/.test(head) && /^call-command: hangup$/im.test(head)) this.swallowed++;
        else engine.write(frame);
      }
    });
    // callkeeper closing its socket ends FreeSWITCH's `socket` application, as it would without us.
    app.on('end', () => engine.end());
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** One whole command (headers to the blank line, then a `content-length` body), or null when incomplete. */
function nextCommand(buf: Buffer): Buffer | null {
  const end = buf.indexOf('\n\n');
  if (end < 0) return null;
  const length = /^content-length:\s*(\d+)$/im.exec(buf.subarray(0, end).toString('utf8'));
  const total = end + 2 + (length ? Number(length[1]) : 0);
  return buf.length >= total ? buf.subarray(0, total) : null;
}
