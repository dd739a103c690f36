import type { Socket } from 'node:net';
import { SimCommandReader } from './esl-sim-command-reader.ts';
import { apiResponse, authRequest, commandReply, disconnectNotice, shutdownNotice } from './esl-sim-frames.ts';

/**
 * One inbound (8021) connection as in trace 08: `auth/request` at once; a wrong password gets
 * `-ERR invalid`, a disconnect notice and FIN; commands before auth get `-ERR command not found` and
 * the connection stays; a connection that never authenticates is closed after ~24.2 s.
 */
export interface InboundHost {
  readonly password: string;
  api(command: string): string;
  /** FreeSWITCH's 25 s read timeout showed as 24.18–24.36 s (08 in1b). */
  readonly authTimeoutMs: number;
}

export class EslSimInbound {
  private authed = false;
  private closed = false;
  private readonly reader = new SimCommandReader();
  private authTimer: NodeJS.Timeout | null;

  constructor(
    private readonly socket: Socket,
    private readonly host: InboundHost,
  ) {
    socket.setNoDelay(true);
    socket.on('error', () => undefined);
    socket.on('close', () => this.onClosed());
    socket.on('data', (chunk: Buffer) => {
      for (const cmd of this.reader.push(chunk)) this.onCommand(cmd.line.trim());
    });
    this.authTimer = setTimeout(() => this.bye(), host.authTimeoutMs);
    this.write(authRequest());
  }

  /** FreeSWITCH is stopping: the shutdown notice, then FIN (08, ~0.65 s after `-stop`). */
  shutdown(): void {
    this.write(shutdownNotice());
    this.end();
  }

  private onCommand(line: string): void {
    const [verb = '', ...rest] = line.split(' ');
    const arg = rest.join(' ');
    if (verb === 'exit') {
      this.write(commandReply('+OK bye'));
      return this.bye();
    }
    if (!this.authed) {
      if (verb !== 'auth') return this.write(commandReply('-ERR command not found'));
      if (arg !== this.host.password) {
        this.write(commandReply('-ERR invalid'));
        return this.bye();
      }
      this.authed = true;
      if (this.authTimer) clearTimeout(this.authTimer);
      this.authTimer = null;
      return this.write(commandReply('+OK accepted'));
    }
    switch (verb) {
      case 'api':
        return this.write(apiResponse(this.host.api(arg)));
      case 'event':
        return this.write(commandReply(rest.length > 1 ? `+OK event listener enabled ${rest[0]}` : '-ERR no keywords supplied'));
      case 'noevents':
        return this.write(commandReply('+OK no longer listening for events'));
      default:
        return this.write(commandReply('-ERR command not found'));
    }
  }

  private bye(): void {
    this.write(disconnectNotice());
    this.end();
  }

  private write(b: Buffer): void {
    if (!this.closed && this.socket.writable) this.socket.write(b);
  }

  private end(): void {
    this.socket.end();
    this.onClosed();
  }

  private onClosed(): void {
    if (this.authTimer) clearTimeout(this.authTimer);
    this.authTimer = null;
    this.closed = true;
  }
}
