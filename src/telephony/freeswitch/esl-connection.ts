import type { Socket } from 'node:net';
import { AppError } from '../../domain/errors.ts';
import type { Logger } from '../../domain/ports/logger.ts';
import { serializeCommand, type EslCommand } from './esl-command.ts';
import { eslReplyError, isErrReply } from './esl-errors.ts';
import { isEventFrame, parseEvent, type EslEvent } from './esl-event.ts';
import type { EslFrame } from './esl-frame.ts';
import { EslParser } from './esl-parser.ts';

/**
 * One Event Socket connection (inbound or outbound) over a plain `net.Socket`: parser in, one write per
 * command out, replies matched to commands in order (FreeSWITCH answers each command in turn; events
 * may come between a command and its reply, 08 `out1` CHANNEL_PARK), events and notices to listeners.
 *
 * Nothing here may throw into the socket's `data` handler: a frame that fails to parse or a listener
 * that throws is logged and skipped, so no call is lost to a parser exception.
 */
export interface EslConnectionOptions {
  readonly logger: Logger;
  /** Replies take 0.3–2 ms on loopback (traces); 10 s means FreeSWITCH or the link is stuck. */
  readonly commandTimeoutMs?: number;
  /** The error pending commands fail with when the socket closes. */
  readonly closedError?: () => AppError;
}

interface Pending {
  readonly command: string;
  readonly resolve: (f: EslFrame) => void;
  readonly reject: (e: AppError) => void;
  readonly timer: NodeJS.Timeout;
}

const DEFAULT_COMMAND_TIMEOUT_MS = 10_000;

export class EslConnection {
  private readonly parser = new EslParser();
  private readonly pending: Pending[] = [];
  private readonly eventListeners = new Set<(e: EslEvent) => void>();
  private readonly noticeListeners = new Set<(f: EslFrame) => void>();
  private readonly frameListeners = new Set<(f: EslFrame) => void>();
  private readonly closeListeners = new Set<() => void>();
  private isClosed = false;
  private readonly timeoutMs: number;
  private readonly closedError: () => AppError;

  constructor(
    private readonly socket: Socket,
    private readonly opts: EslConnectionOptions,
  ) {
    this.timeoutMs = opts.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    this.closedError =
      opts.closedError ?? (() => new AppError('TELEPHONY.CHANNEL_GONE', 'FreeSWITCH closed the event socket'));
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => opts.logger.debug({ err: err.message }, 'event socket error'));
    socket.on('close', () => this.handleClose());
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Sends a command and resolves with its reply frame (`command/reply` or `api/response`). */
  send(cmd: EslCommand): Promise<EslFrame> {
    if (this.isClosed) return Promise.reject(this.closedError());
    let bytes: Buffer;
    try {
      bytes = serializeCommand(cmd);
    } catch (e) {
      return Promise.reject(e);
    }
    return new Promise<EslFrame>((resolve, reject) => {
      const timer = setTimeout(() => {
        // Replies are matched by order; a lost one would shift every later reply, so the link is dead.
        this.opts.logger.warn({ command: cmd.line.split(' ', 1)[0] }, 'event socket command timed out');
        reject(new AppError('TELEPHONY.REQUEST_FAILED', 'FreeSWITCH did not answer a command', { retryable: true }));
        this.socket.destroy();
      }, this.timeoutMs);
      this.pending.push({ command: cmd.line, resolve, reject, timer });
      this.socket.write(bytes);
    });
  }

  /** A command whose `Reply-Text` is `+OK ...` on success; `-ERR` becomes an AppError. */
  async command(cmd: EslCommand): Promise<string> {
    const reply = await this.send(cmd);
    const text = reply.header('Reply-Text') ?? '';
    if (isErrReply(text)) throw eslReplyError(cmd.line, text);
    return text;
  }

  /** `api <cmd>`: resolves with the body; a body starting with `-ERR` becomes an AppError. */
  async api(command: string): Promise<string> {
    const reply = await this.send({ line: `api ${command}` });
    const body = reply.contentType === 'api/response' ? reply.bodyText() : (reply.header('Reply-Text') ?? '');
    if (isErrReply(body)) throw eslReplyError(`api ${command}`, body);
    return body;
  }

  onEvent(fn: (e: EslEvent) => void): () => void {
    this.eventListeners.add(fn);
    return () => this.eventListeners.delete(fn);
  }

  /** `text/disconnect-notice` frames (linger, disconnect, shutdown). */
  onNotice(fn: (f: EslFrame) => void): () => void {
    this.noticeListeners.add(fn);
    return () => this.noticeListeners.delete(fn);
  }

  /** Every other unsolicited frame (`auth/request`, `log/data`). */
  onFrame(fn: (f: EslFrame) => void): () => void {
    this.frameListeners.add(fn);
    return () => this.frameListeners.delete(fn);
  }

  onClose(fn: () => void): () => void {
    if (this.isClosed) {
      queueMicrotask(fn);
      return () => undefined;
    }
    this.closeListeners.add(fn);
    return () => this.closeListeners.delete(fn);
  }

  /** Half-closes politely; `destroy` is what `close` falls back to if the peer keeps it open. */
  end(): void {
    if (!this.isClosed) this.socket.end();
  }

  destroy(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    let frames: EslFrame[];
    try {
      frames = this.parser.push(chunk);
    } catch (err) {
      // The parser is written not to throw; this is the last guard so a call survives a bug in it.
      this.opts.logger.error({ err: String(err) }, 'event socket parser failed; dropping the buffered bytes');
      return;
    }
    for (const frame of frames) {
      try {
        this.dispatch(frame);
      } catch (err) {
        this.opts.logger.error({ err: String(err) }, 'event socket frame handler failed');
      }
    }
  }

  private dispatch(frame: EslFrame): void {
    const type = frame.contentType;
    if (type === 'command/reply' || type === 'api/response') {
      const p = this.pending.shift();
      if (!p) {
        this.opts.logger.debug({ type }, 'event socket reply without a command');
        return;
      }
      clearTimeout(p.timer);
      p.resolve(frame);
      return;
    }
    if (isEventFrame(frame)) {
      const event = parseEvent(frame);
      if (!event) {
        this.opts.logger.warn({ type }, 'unparseable event skipped');
        return;
      }
      for (const fn of [...this.eventListeners]) this.safely(() => fn(event));
      return;
    }
    if (type === 'text/disconnect-notice') {
      for (const fn of [...this.noticeListeners]) this.safely(() => fn(frame));
      return;
    }
    if (type === undefined) {
      // The tail of a raw value that held a blank line (`getvar` is not escaped, 07): not a frame.
      this.opts.logger.debug({ headers: frame.headers.length }, 'event socket fragment without Content-Type skipped');
      return;
    }
    for (const fn of [...this.frameListeners]) this.safely(() => fn(frame));
  }

  private safely(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.opts.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'event socket listener threw');
    }
  }

  private handleClose(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    for (const p of this.pending.splice(0)) {
      clearTimeout(p.timer);
      p.reject(this.closedError());
    }
    for (const fn of [...this.closeListeners]) this.safely(fn);
    this.closeListeners.clear();
    this.eventListeners.clear();
    this.noticeListeners.clear();
    this.frameListeners.clear();
  }
}
