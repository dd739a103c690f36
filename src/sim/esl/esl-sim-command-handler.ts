import type { QueuedApp } from './esl-sim-app-context.ts';
import type { SimCommand } from './esl-sim-command-reader.ts';
import { commandReply, connectReply, disconnectNotice, type Header } from './esl-sim-frames.ts';

/** What the outbound-socket commands act on: the simulated channel behind the socket. */
export interface EslSimCommandPeer {
  readonly uuid: string;
  getVariable(name: string): string | undefined;
  setVariable(name: string, value: string): void;
  isHungUp(): boolean;
  write(b: Buffer): void;
  /** The headers of the `connect` reply (the whole channel). */
  channelData(): Header[];
  /** `connect` was answered: the call is offered to the application. */
  offered(): void;
  /** Answers an `api` command sent on this socket. */
  api(command: string): string;
  /** Emits CHANNEL_PARK (the event checks `eventsOn` itself). */
  park(): void;
  /** `sendmsg call-command: hangup`: the channel hangs up once the command has been taken. */
  hangupByApp(cause: string): void;
  enqueue(app: QueuedApp): void;
  endSocket(): void;
}

/**
 * The command dialogue on one outbound socket as FreeSWITCH answers it (`mod_event_socket.c`,
 * traces README), and the per-socket settings those commands change: events on, format, linger.
 */
export class EslSimCommandHandler {
  private connected = false;
  private parkSent = false;
  eventsOn = false;
  format: 'plain' | 'json' = 'plain';
  /** null: no linger; -1: linger until the application exits; N: linger N seconds. */
  linger: number | null = null;
  /** Event names added with `event <format> <NAME…>` (ALL: every event). */
  private readonly eventNames = new Set<string>();

  subscribed(name: string): boolean {
    return this.eventNames.has(name) || this.eventNames.has('ALL');
  }

  constructor(private readonly peer: EslSimCommandPeer) {}

  handle(cmd: SimCommand): void {
    const p = this.peer;
    const [verb = '', ...rest] = cmd.line.trim().split(' ');
    const arg = rest.join(' ');
    switch (verb) {
      case 'connect':
        if (this.connected) return p.write(commandReply('-ERR command not found'));
        this.connected = true;
        p.write(connectReply(p.channelData()));
        p.offered();
        return;
      case 'myevents':
        if (this.eventsOn) return p.write(commandReply('-ERR aready enabled.'));
        this.eventsOn = true;
        return p.write(commandReply('+OK Events Enabled'));
      case 'event': {
        const [fmt = '', ...names] = rest;
        if (fmt === 'json' || fmt === 'plain') this.format = fmt;
        if (names.length === 0) return p.write(commandReply('-ERR no keywords supplied'));
        for (const n of names) this.eventNames.add(n);
        return p.write(commandReply(`+OK event listener enabled ${this.format}`));
      }
      case 'linger': {
        const n = Number.parseInt(arg, 10);
        this.linger = Number.isFinite(n) && n > 0 ? n : -1;
        return p.write(commandReply(this.linger > 0 ? `+OK will linger ${this.linger} seconds` : '+OK will linger'));
      }
      case 'nolinger':
        this.linger = null;
        return p.write(commandReply('+OK will not linger'));
      case 'noevents':
        this.eventsOn = false;
        return p.write(commandReply('+OK no longer listening for events'));
      case 'getvar': {
        const v = p.getVariable(arg);
        // Raw, unescaped, a newline included (07); an unset variable is `-ERR command not found`.
        return p.write(v === undefined ? commandReply('-ERR command not found') : commandReply(v));
      }
      case 'api':
        return p.write(apiFrame(p.api(arg)));
      case 'sendmsg':
        return this.onSendmsg(arg, cmd);
      case 'resume':
        // mod_event_socket.c parse_command: sets `socket_resume=true` and answers a bare `+OK`.
        p.setVariable('socket_resume', 'true');
        return p.write(commandReply('+OK'));
      case 'exit':
        p.write(commandReply('+OK bye'));
        p.write(disconnectNotice(p.uuid));
        p.endSocket();
        return;
      default:
        return p.write(commandReply('-ERR command not found'));
    }
  }

  private onSendmsg(target: string, cmd: SimCommand): void {
    const p = this.peer;
    if (target !== '' && target !== p.uuid) return p.write(commandReply(`-ERR invalid session id [${target}]`));
    // CHANNEL_PARK races `myevents`; when it wins it lands between a command and its reply (08 out1).
    if (this.eventsOn && !this.parkSent && !p.isHungUp()) {
      this.parkSent = true;
      p.park();
    }
    p.write(commandReply('+OK'));
    // On a dead channel (lingering) sendmsg answers +OK and does nothing (02).
    if (p.isHungUp()) return;
    const what = cmd.headers.get('call-command') ?? '';
    if (what === 'hangup') {
      p.hangupByApp(cmd.headers.get('hangup-cause') ?? 'NORMAL_CLEARING');
      return;
    }
    if (what !== 'execute') return; // no validation: `call-command: bogus` is +OK too (05)
    const app = cmd.headers.get('execute-app-name') ?? '';
    const appArg = cmd.body !== '' ? cmd.body : (cmd.headers.get('execute-app-arg') ?? '');
    p.enqueue({ app, arg: appArg, eventUuid: cmd.headers.get('event-uuid') });
  }
}

function apiFrame(body: string): Buffer {
  const b = Buffer.from(body, 'utf8');
  return Buffer.concat([Buffer.from(`Content-Type: api/response\nContent-Length: ${b.length}\n\n`, 'utf8'), b]);
}
