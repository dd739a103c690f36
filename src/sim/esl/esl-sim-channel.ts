import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type { CallMoment, CallerStep, ScriptedCallResult } from '../caller-script.ts';
import { momentMatches } from '../caller-script.ts';
import type { SimScheduler } from '../sim-scheduler.ts';
import { callPcmToWav, samplesForMs, wavToCallPcm, CALL_SAMPLE_RATE, type CallPcm } from '../sim-wav.ts';
import { SimCommandReader, type SimCommand } from './esl-sim-command-reader.ts';
import {
  commandReply,
  connectReply,
  disconnectNotice,
  jsonEvent,
  lingerNotice,
  plainEvent,
  type Header,
} from './esl-sim-frames.ts';
import {
  callerProfile,
  channelStateHeaders,
  eventHeader,
  initialVariables,
  variableHeaders,
  type SimChannelProfile,
  type SimChannelState,
} from './esl-sim-headers.ts';

/** What one simulated call needs from the simulated FreeSWITCH around it. */
export interface EslSimChannelHost {
  readonly scheduler: SimScheduler;
  /** Length in ms of what `playback` was given, or null when FreeSWITCH would say FILE NOT FOUND. */
  mediaLength(path: string): number | null;
  /** Writes a finished recording where FreeSWITCH would (the path as FreeSWITCH sees it). */
  storeRecording(enginePath: string, wav: Buffer): void;
  /** Answers `api` commands sent on this outbound socket. */
  api(command: string, from: EslSimChannel): string;
  nextSequence(): number;
  channelEnded(ch: EslSimChannel, result: ScriptedCallResult): void;
}

/** Where the first event lands after the `+OK` of a `sendmsg` (20–25 ms on loopback, traces README). */
const APP_START_MS = 20;
/** RFC 2833 digits in 04 lasted 160 ms (DTMF-Duration 1280 samples); the event comes when they end. */
const DTMF_MS = 160;
/** `record … N` lasted N + 0.64–0.92 s: the limit is checked on whole seconds (traces README). */
const RECORD_OVERRUN_MS = 640;
/** `linger 5` closed the socket 5.4–5.8 s after the notice (02). */
const LINGER_CLOSE_EXTRA_MS = 500;
const KNOWN_APPS = new Set(['answer', 'playback', 'record', 'set', 'hangup', 'sleep', 'pre_answer']);

interface RunningApp {
  readonly app: string;
  readonly arg: string;
  readonly eventUuid: string | undefined;
  readonly start: number;
  cancel: () => void;
  /** Ends it early (break, terminator, hangup). */
  interrupt?: (why: 'break' | 'dtmf' | 'hangup', digit?: string) => void;
}

interface QueuedApp {
  readonly app: string;
  readonly arg: string;
  readonly eventUuid: string | undefined;
}

export class EslSimChannel {
  readonly profile: SimChannelProfile;
  private readonly st: SimChannelState = { state: 'CS_EXECUTE', callState: 'RINGING', answerState: 'ringing', answeredUs: 0, hangupCause: null };
  private readonly vars: Map<string, string>;
  private readonly reader = new SimCommandReader();
  private readonly queue: QueuedApp[] = [];
  private running: RunningApp | null = null;
  private eventsOn = false;
  private parkSent = false;
  private format: 'plain' | 'json' = 'plain';
  private linger: number | null = null;
  private connected = false;
  private hungUp = false;
  private closed = false;
  private lastResponse = '_none_';
  private readonly speech: { start: number; pcm: CallPcm }[] = [];
  private readonly timers = new Set<() => void>();
  private readonly counts = { playbacks: 0, playbacksDone: 0, recordings: 0, recordingsDone: 0 };
  private endedBy: ScriptedCallResult['endedBy'] | null = null;
  /** Every command the application sent, exactly (for tests). */
  readonly commands: SimCommand[] = [];

  constructor(
    private readonly socket: Socket,
    profile: Omit<SimChannelProfile, 'createdUs'>,
    private readonly steps: readonly CallerStep[],
    private readonly host: EslSimChannelHost,
    socketData: string,
  ) {
    this.profile = { ...profile, createdUs: Date.now() * 1000 };
    this.vars = initialVariables(this.profile, socketData);
    socket.on('data', (chunk: Buffer) => {
      for (const cmd of this.reader.push(chunk)) this.onCommand(cmd);
    });
    socket.on('error', () => undefined);
    socket.on('close', () => this.onSocketClosed());
  }

  get uuid(): string {
    return this.profile.uuid;
  }

  get isHungUp(): boolean {
    return this.hungUp;
  }

  getVariable(name: string): string | undefined {
    return this.vars.get(name);
  }

  // ---- commands from the application ---------------------------------------------------------------

  private onCommand(cmd: SimCommand): void {
    this.commands.push(cmd);
    const [verb = '', ...rest] = cmd.line.trim().split(' ');
    const arg = rest.join(' ');
    switch (verb) {
      case 'connect':
        if (this.connected) return this.write(commandReply('-ERR command not found'));
        this.connected = true;
        this.write(connectReply(this.channelData()));
        this.moment({ on: 'offered' });
        return;
      case 'myevents':
        if (this.eventsOn) return this.write(commandReply('-ERR aready enabled.'));
        this.eventsOn = true;
        return this.write(commandReply('+OK Events Enabled'));
      case 'event': {
        const [fmt = '', ...names] = rest;
        if (fmt === 'json' || fmt === 'plain') this.format = fmt;
        if (names.length === 0) return this.write(commandReply('-ERR no keywords supplied'));
        return this.write(commandReply(`+OK event listener enabled ${this.format}`));
      }
      case 'linger': {
        const n = Number.parseInt(arg, 10);
        this.linger = Number.isFinite(n) && n > 0 ? n : -1;
        return this.write(commandReply(this.linger > 0 ? `+OK will linger ${this.linger} seconds` : '+OK will linger'));
      }
      case 'nolinger':
        this.linger = null;
        return this.write(commandReply('+OK will not linger'));
      case 'noevents':
        this.eventsOn = false;
        return this.write(commandReply('+OK no longer listening for events'));
      case 'getvar': {
        const v = this.vars.get(arg);
        // Raw, unescaped, a newline included (07); an unset variable is `-ERR command not found`.
        return this.write(v === undefined ? commandReply('-ERR command not found') : commandReply(v));
      }
      case 'api':
        return this.write(this.apiFrame(this.host.api(arg, this)));
      case 'sendmsg':
        return this.onSendmsg(arg, cmd);
      case 'exit':
        this.write(commandReply('+OK bye'));
        this.write(disconnectNotice(this.uuid));
        this.endSocket();
        return;
      default:
        return this.write(commandReply('-ERR command not found'));
    }
  }

  private apiFrame(body: string): Buffer {
    const b = Buffer.from(body, 'utf8');
    return Buffer.concat([Buffer.from(`Content-Type: api/response\nContent-Length: ${b.length}\n\n`, 'utf8'), b]);
  }

  private onSendmsg(target: string, cmd: SimCommand): void {
    if (target !== '' && target !== this.uuid) return this.write(commandReply(`-ERR invalid session id [${target}]`));
    // CHANNEL_PARK races `myevents`; when it wins it lands between a command and its reply (08 out1).
    if (this.eventsOn && !this.parkSent && !this.hungUp) {
      this.parkSent = true;
      this.emit('CHANNEL_PARK', ['switch_ivr.c', 'switch_ivr_park', 1002]);
    }
    this.write(commandReply('+OK'));
    // On a dead channel (lingering) sendmsg answers +OK and does nothing (02).
    if (this.hungUp) return;
    const what = cmd.headers.get('call-command') ?? '';
    if (what === 'hangup') {
      this.after(APP_START_MS, () => this.hangup(cmd.headers.get('hangup-cause') ?? 'NORMAL_CLEARING', 'app'));
      return;
    }
    if (what !== 'execute') return; // no validation: `call-command: bogus` is +OK too (05)
    const app = cmd.headers.get('execute-app-name') ?? '';
    const arg = cmd.body !== '' ? cmd.body : (cmd.headers.get('execute-app-arg') ?? '');
    this.queue.push({ app, arg, eventUuid: cmd.headers.get('event-uuid') });
    if (!this.running && this.queue.length === 1) this.after(APP_START_MS, () => this.runNext());
  }

  // ---- applications ----------------------------------------------------------------------------------

  private runNext(): void {
    if (this.running || this.hungUp) return;
    const next = this.queue.shift();
    if (!next) return;
    if (!KNOWN_APPS.has(next.app)) {
      // `+OK`, no CHANNEL_EXECUTE, then the call is hung up (05; switch_core_session.c "Invalid Application").
      this.queue.length = 0;
      this.hangup('DESTINATION_OUT_OF_ORDER', 'app');
      return;
    }
    const run: RunningApp = { ...next, start: this.host.scheduler.now(), cancel: () => {} };
    this.running = run;
    this.vars.set('current_application', next.app);
    this.vars.set('current_application_data', next.arg);
    this.emit('CHANNEL_EXECUTE', ['switch_core_session.c', 'switch_core_session_exec', 2929], this.executeHeaders(run));
    switch (next.app) {
      case 'answer':
      case 'pre_answer':
        this.doAnswer();
        return this.finishApp('_none_');
      case 'set': {
        const eq = next.arg.indexOf('=');
        if (eq > 0) this.vars.set(next.arg.slice(0, eq), next.arg.slice(eq + 1));
        return this.finishApp('_none_');
      }
      case 'sleep':
        run.cancel = this.after(Number.parseInt(next.arg, 10) || 0, () => this.finishApp('_none_'));
        return;
      case 'hangup':
        return this.hangup(next.arg || 'NORMAL_CLEARING', 'app');
      case 'playback':
        return this.doPlayback(run);
      case 'record':
        return this.doRecord(run);
    }
  }

  private doAnswer(): void {
    if (this.st.answerState === 'answered') return;
    this.st.answerState = 'answered';
    this.st.callState = 'ACTIVE';
    this.st.answeredUs = Date.now() * 1000;
    this.emit('CHANNEL_ANSWER', ['mod_sofia.c', 'sofia_answer_channel', 1176]);
    this.moment({ on: 'answered' });
  }

  private doPlayback(run: RunningApp): void {
    const length = this.host.mediaLength(run.arg);
    if (length === null) return this.finishApp('FILE NOT FOUND');
    const isPrompt = !run.arg.startsWith('tone_stream://');
    const nth = isPrompt ? ++this.counts.playbacks : 0;
    const end = (digit?: string): void => {
      const ms = Math.min(length, Math.round(this.host.scheduler.now() - run.start));
      const samples = samplesForMs(ms);
      this.vars.set('playback_last_offset_pos', String(samples));
      this.vars.set('playback_seconds', String(Math.floor(ms / 1000)));
      this.vars.set('playback_ms', String(ms));
      this.vars.set('playback_samples', String(samples));
      if (digit) this.vars.set('playback_terminator_used', digit);
      // Cut short by a break, a terminator or the caller's BYE: still FILE PLAYED (02).
      this.vars.set('current_application_response', 'FILE PLAYED');
      this.finishApp('FILE PLAYED');
      if (isPrompt) {
        this.counts.playbacksDone++;
        if (!this.hungUp) this.moment({ on: 'playback-finished', nth });
      }
    };
    run.cancel = this.after(length, () => end());
    run.interrupt = (_why, digit) => {
      run.cancel();
      end(digit);
    };
    if (isPrompt) this.moment({ on: 'playback-started', nth });
  }

  private doRecord(run: RunningApp): void {
    const [path = '', limitS = '0', thresh = '0', hits = '0'] = run.arg.split(' ');
    const limitMs = (Number.parseInt(limitS, 10) || 0) * 1000;
    const silenceMs = (Number.parseInt(thresh, 10) || 0) > 0 ? (Number.parseInt(hits, 10) || 3) * 1000 : 0;
    const nth = ++this.counts.recordings;
    let cancelMax = (): void => {};
    let cancelSilence = (): void => {};
    const end = (why: 'max' | 'silence' | 'dtmf' | 'break' | 'hangup', digit?: string): void => {
      cancelMax();
      cancelSilence();
      this.rearmSilence = null;
      const stop = this.host.scheduler.now();
      const ms = Math.max(0, Math.round(stop - run.start));
      const wav = callPcmToWav(this.audioBetween(run.start, stop));
      this.host.storeRecording(path, wav);
      this.vars.set('silence_hits_exhausted', String(why === 'silence'));
      if (digit) this.vars.set('playback_terminator_used', digit);
      this.vars.set('record_record_file_size', String(wav.length));
      this.vars.set('record_file_size', String(wav.length));
      this.vars.set('record_seconds', String(Math.floor(ms / 1000)));
      this.vars.set('record_ms', String(ms));
      this.vars.set('record_samples', String(samplesForMs(ms)));
      this.finishApp('_none_');
      this.counts.recordingsDone++;
      if (!this.hungUp) this.moment({ on: 'recording-finished', nth });
    };
    if (limitMs > 0) cancelMax = this.after(limitMs + RECORD_OVERRUN_MS, () => end('max'));
    const armSilence = (): void => {
      if (silenceMs <= 0) return;
      cancelSilence();
      const lastVoice = Math.max(run.start, this.speechEnd());
      cancelSilence = this.after(lastVoice + silenceMs - this.host.scheduler.now(), () => end('silence'));
    };
    this.rearmSilence = armSilence;
    armSilence();
    run.interrupt = (why, digit) => end(why === 'dtmf' ? 'dtmf' : why === 'break' ? 'break' : 'hangup', digit);
    this.moment({ on: 'recording-started', nth });
  }

  private rearmSilence: (() => void) | null = null;

  private finishApp(response: string): void {
    const run = this.running;
    if (!run) return;
    this.running = null;
    this.lastResponse = response;
    this.emit('CHANNEL_EXECUTE_COMPLETE', ['switch_core_session.c', 'switch_core_session_exec', 2967], [
      ...this.appHeaders(run),
      ['Application-Response', response],
      ...(run.eventUuid ? ([['Application-UUID', run.eventUuid]] as Header[]) : []),
    ]);
    if (!this.hungUp && this.queue.length > 0) this.after(0, () => this.runNext());
  }

  private appHeaders(run: { app: string; arg: string }): Header[] {
    return [
      ['Application', run.app],
      ['Application-Data', run.arg],
    ];
  }

  /** CHANNEL_EXECUTE carries the sendmsg's Event-UUID as `Application-UUID` too (04 n=14). */
  private executeHeaders(run: RunningApp): Header[] {
    return [...this.appHeaders(run), ...(run.eventUuid ? ([['Application-UUID', run.eventUuid]] as Header[]) : [])];
  }

  /** `uuid_break`: ends the running playback or record (it still reports FILE PLAYED). */
  breakApp(): boolean {
    if (!this.running?.interrupt) return false;
    this.running.interrupt('break');
    return true;
  }

  // ---- the caller ----------------------------------------------------------------------------------

  speak(pcm: CallPcm): void {
    this.speech.push({ start: this.host.scheduler.now(), pcm });
    this.rearmSilence?.();
  }

  dtmf(digit: string): void {
    if (this.hungUp) return;
    this.emit('DTMF', ['switch_channel.c', 'switch_channel_dequeue_dtmf', 677], [
      ['DTMF-Digit', digit],
      ['DTMF-Duration', String(DTMF_MS * 8)],
      ['DTMF-Source', 'RTP'],
    ], false);
    const terminators = this.vars.get('playback_terminators') ?? '*';
    if (this.running?.interrupt && terminators !== 'none' && terminators.includes(digit)) {
      this.running.interrupt('dtmf', digit);
    }
  }

  /**
   * The sequence after any hangup (traces README): CHANNEL_HANGUP, the running application's
   * COMPLETE, CHANNEL_UNPARK, COMPLETE of `socket`, CHANNEL_STATE ×2, CHANNEL_HANGUP_COMPLETE, then
   * the linger or disconnect notice. CHANNEL_DESTROY never reaches the outbound socket.
   */
  hangup(cause: string, by: 'app' | 'caller'): void {
    if (this.hungUp || this.closed) return;
    this.hungUp = true;
    this.endedBy = by;
    this.st.answerState = 'hangup';
    this.st.callState = 'HANGUP';
    this.st.hangupCause = cause;
    this.vars.set('sip_hangup_disposition', by === 'caller' ? 'recv_bye' : 'send_bye');
    this.queue.length = 0;
    this.emit('CHANNEL_HANGUP', ['switch_channel.c', 'switch_channel_perform_hangup', 5287]);
    const run = this.running;
    if (run?.interrupt) run.interrupt('hangup');
    else if (run) {
      run.cancel();
      this.finishApp('_none_');
    }
    this.emit('CHANNEL_UNPARK', ['switch_ivr.c', 'switch_ivr_park', 1190]);
    this.emit('CHANNEL_EXECUTE_COMPLETE', ['switch_core_session.c', 'switch_core_session_exec', 2967], [
      ['Application', 'socket'],
      ['Application-Data', this.vars.get('socket_host') ? '127.0.0.1:8084 async full' : ''],
      ['Application-Response', this.lastResponse],
      ['Application-UUID', randomUUID()],
    ]);
    this.st.state = 'CS_HANGUP';
    this.emit('CHANNEL_STATE', ['switch_channel.c', 'switch_channel_perform_set_running_state', 2408], [], false);
    this.st.state = 'CS_REPORTING';
    this.emit('CHANNEL_STATE', ['switch_channel.c', 'switch_channel_perform_set_running_state', 2408], [], false);
    this.emit('CHANNEL_HANGUP_COMPLETE', ['switch_core_state_machine.c', 'switch_core_session_reporting_state', 1095]);
    if (this.linger === null) {
      this.write(disconnectNotice(this.uuid));
      this.endSocket();
    } else {
      this.write(lingerNotice(this.uuid, this.profile.channelName, this.linger));
      if (this.linger > 0) {
        this.after(this.linger * 1000 + LINGER_CLOSE_EXTRA_MS, () => {
          this.write(disconnectNotice(this.uuid));
          this.endSocket();
        }, true);
      }
    }
  }

  /** FreeSWITCH stopped: the socket just goes away. */
  kill(): void {
    if (this.closed) return;
    this.endedBy = this.endedBy ?? 'engine';
    this.socket.destroy();
    this.onSocketClosed();
  }

  // ---- plumbing ------------------------------------------------------------------------------------

  private channelData(): Header[] {
    return [
      ...eventHeader('CHANNEL_DATA', this.profile.coreUuid, this.host.nextSequence(), ['mod_event_socket.c', 'parse_command', 2021], Date.now()),
      ...callerProfile('Channel', this.profile, this.st),
      ...channelStateHeaders(this.profile, this.st),
      ...callerProfile('Caller', this.profile, this.st),
      ...variableHeaders(this.vars),
    ];
  }

  private emit(name: string, calling: readonly [string, string, number], extra: readonly Header[] = [], withVars = true): void {
    if (!this.eventsOn || this.closed) return;
    const headers: Header[] = [
      ...eventHeader(name, this.profile.coreUuid, this.host.nextSequence(), calling, Date.now()),
      ...channelStateHeaders(this.profile, this.st),
      ...callerProfile('Caller', this.profile, this.st),
      ...(withVars ? variableHeaders(this.vars) : []),
      ...extra,
    ];
    this.write(this.format === 'json' ? jsonEvent(headers) : plainEvent(headers));
  }

  private write(b: Buffer): void {
    if (!this.closed && this.socket.writable) this.socket.write(b);
  }

  private endSocket(): void {
    if (this.closed) return;
    this.socket.end();
    this.onSocketClosed();
  }

  private onSocketClosed(): void {
    if (this.closed) return;
    // The application dropped the socket on a live call: `socket` returns and the dialplan ends the call.
    if (!this.hungUp && this.endedBy === null) this.endedBy = 'app';
    this.hungUp = true;
    this.closed = true;
    this.running?.cancel();
    this.running = null;
    for (const cancel of this.timers) cancel();
    this.timers.clear();
    this.host.channelEnded(this, {
      endedBy: this.endedBy ?? 'app',
      answered: this.st.answeredUs > 0,
      playbacks: this.counts.playbacks,
      recordings: this.counts.recordings,
    });
  }

  private moment(m: CallMoment): void {
    for (const step of this.steps) {
      if (!momentMatches(step.when, m)) continue;
      for (const action of step.do) {
        const delay = action.afterMs ?? 0;
        if (action.act === 'speak') this.after(delay, () => this.speak(wavToCallPcm(action.wav)));
        else if (action.act === 'dtmf') this.after(delay + DTMF_MS, () => this.dtmf(action.digit));
        else this.after(delay, () => this.hangup('NORMAL_CLEARING', 'caller'));
      }
    }
  }

  private speechEnd(): number {
    let end = -Infinity;
    for (const s of this.speech) end = Math.max(end, s.start + (s.pcm.length * 1000) / CALL_SAMPLE_RATE);
    return end;
  }

  private audioBetween(from: number, to: number): CallPcm {
    const out = new Int16Array(samplesForMs(to - from));
    for (const s of this.speech) {
      const offset = samplesForMs(s.start - from);
      for (let i = Math.max(0, -offset); i < s.pcm.length && offset + i < out.length; i++) out[offset + i] = s.pcm[i] ?? 0;
    }
    return out;
  }

  /** Timers die with the call, except the linger close which must outlive the hangup. */
  private after(ms: number, fn: () => void, evenAfterHangup = false): () => void {
    const cancel = this.host.scheduler.after(Math.max(0, ms), () => {
      this.timers.delete(cancel);
      if (this.closed || (this.hungUp && !evenAfterHangup)) return;
      fn();
    });
    this.timers.add(cancel);
    return () => {
      cancel();
      this.timers.delete(cancel);
    };
  }
}
