import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type { CallMoment, CallerStep, ScriptedCallResult } from '../caller-script.ts';
import { momentMatches } from '../caller-script.ts';
import type { SimScheduler } from '../sim-scheduler.ts';
import { wavToCallPcm, type CallPcm } from '../sim-wav.ts';
import type { EslSimAppContext } from './esl-sim-app-context.ts';
import { APP_START_MS, EslSimAppRunner } from './esl-sim-app-runner.ts';
import { SimCallerAudio } from '../sim-caller-audio.ts';
import { EslSimCommandHandler, type EslSimCommandPeer } from './esl-sim-command-handler.ts';
import { SimCommandReader, type SimCommand } from './esl-sim-command-reader.ts';
import { disconnectNotice, jsonEvent, lingerNotice, plainEvent, type Header } from './esl-sim-frames.ts';
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

/**
 * What `myevents` subscribes an outbound socket to (mod_event_socket in 1.10: the CHANNEL_* events,
 * DTMF, TALK/NOTALK, DETECTED_SPEECH); anything else needs `event plain <NAME>` (05: BACKGROUND_JOB).
 */
const MYEVENTS = new Set([
  'CHANNEL_CREATE', 'CHANNEL_DESTROY', 'CHANNEL_STATE', 'CHANNEL_ANSWER', 'CHANNEL_HANGUP', 'CHANNEL_HANGUP_COMPLETE',
  'CHANNEL_EXECUTE', 'CHANNEL_EXECUTE_COMPLETE', 'CHANNEL_BRIDGE', 'CHANNEL_UNBRIDGE', 'CHANNEL_PROGRESS',
  'CHANNEL_PROGRESS_MEDIA', 'CHANNEL_OUTGOING', 'CHANNEL_PARK', 'CHANNEL_UNPARK', 'CHANNEL_APPLICATION', 'CHANNEL_ORIGINATE',
  'CHANNEL_UUID', 'CHANNEL_DATA', 'CHANNEL_CALLSTATE', 'TALK', 'NOTALK', 'DTMF', 'DETECTED_SPEECH',
]);

/** RFC 2833 digits in 04 lasted 160 ms (DTMF-Duration 1280 samples); the event comes when they end. */
const DTMF_MS = 160;
/** `linger 5` closed the socket 5.4–5.8 s after the notice (02). */
const LINGER_CLOSE_EXTRA_MS = 500;

/**
 * One simulated call on its outbound socket (`socket … async full`): the channel's state, variables
 * and events, and the hangup sequence. Commands, applications and caller audio have their own files.
 */
export class EslSimChannel {
  readonly profile: SimChannelProfile;
  private readonly st: SimChannelState = { state: 'CS_EXECUTE', callState: 'RINGING', answerState: 'ringing', answeredUs: 0, hangupCause: null };
  private readonly vars: Map<string, string>;
  private readonly reader = new SimCommandReader();
  private readonly audio = new SimCallerAudio();
  private readonly apps: EslSimAppRunner;
  private readonly socketCommands: EslSimCommandHandler;
  private hungUp = false;
  private closed = false;
  private readonly timers = new Set<() => void>();
  private endedBy: ScriptedCallResult['endedBy'] | null = null;
  /** Set through `uuid_setvar`: what the dialplan reads once the call continues. */
  private readonly appVariables = new Map<string, string>();
  /** Every command the application sent, exactly (for tests). */
  readonly commands: SimCommand[] = [];
  /** Commands a test asked the peer to swallow: no reply, no action (a stuck FreeSWITCH). */
  private readonly swallowed: { match: (cmd: SimCommand) => boolean; left: number }[] = [];

  constructor(
    private readonly socket: Socket,
    profile: Omit<SimChannelProfile, 'createdUs'>,
    private readonly steps: readonly CallerStep[],
    private readonly host: EslSimChannelHost,
    socketData: string,
  ) {
    this.profile = { ...profile, createdUs: Date.now() * 1000 };
    this.vars = initialVariables(this.profile, socketData);
    this.apps = new EslSimAppRunner(this.appContext());
    this.socketCommands = new EslSimCommandHandler(this.commandPeer());
    socket.on('data', (chunk: Buffer) => {
      for (const cmd of this.reader.push(chunk)) {
        this.commands.push(cmd);
        const fault = this.swallowed.find((f) => f.left > 0 && f.match(cmd));
        if (fault) {
          fault.left--;
          continue;
        }
        this.socketCommands.handle(cmd);
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => this.onSocketClosed());
  }

  get uuid(): string {
    return this.profile.uuid;
  }

  /**
   * Fault knob for tests: the next `times` commands on this socket that `match` get no reply and do
   * nothing, as from a FreeSWITCH whose event socket thread is stuck. Later commands are served (the
   * application sees their replies out of order, which is why it drops the socket on a timeout).
   */
  swallowCommands(match: (cmd: SimCommand) => boolean, times = 1): void {
    this.swallowed.push({ match, left: times });
  }

  get isHungUp(): boolean {
    return this.hungUp;
  }

  getVariable(name: string): string | undefined {
    return this.vars.get(name);
  }

  /** `api uuid_setvar <uuid> <name> <value>`. */
  setVariable(name: string, value: string): void {
    this.vars.set(name, value);
    this.appVariables.set(name, value);
  }

  // ---- commands from the application ---------------------------------------------------------------

  private commandPeer(): EslSimCommandPeer {
    return {
      uuid: this.uuid,
      getVariable: (name) => this.vars.get(name),
      setVariable: (name, value) => this.vars.set(name, value),
      isHungUp: () => this.hungUp,
      write: (b) => this.write(b),
      channelData: () => this.channelData(),
      offered: () => this.moment({ on: 'offered' }),
      api: (command) => this.host.api(command, this),
      park: () => this.emit('CHANNEL_PARK', ['switch_ivr.c', 'switch_ivr_park', 1002]),
      hangupByApp: (cause) => this.after(APP_START_MS, () => this.hangup(cause, 'app')),
      enqueue: (app) => this.apps.enqueue(app),
      endSocket: () => this.endSocket(),
    };
  }

  // ---- applications ----------------------------------------------------------------------------------

  private appContext(): EslSimAppContext {
    return {
      vars: this.vars,
      audio: this.audio,
      now: () => this.host.scheduler.now(),
      isHungUp: () => this.hungUp,
      after: (ms, fn) => this.after(ms, fn),
      emit: (name, calling, extra, withVars) => this.emit(name, calling, extra, withVars),
      moment: (m) => this.moment(m),
      answer: () => this.doAnswer(),
      hangup: (cause, by) => this.hangup(cause, by),
      mediaLength: (path) => this.host.mediaLength(path),
      storeRecording: (path, wav) => this.host.storeRecording(path, wav),
    };
  }

  private doAnswer(): void {
    if (this.st.answerState === 'answered') return;
    this.st.answerState = 'answered';
    this.st.callState = 'ACTIVE';
    this.st.answeredUs = Date.now() * 1000;
    this.emit('CHANNEL_ANSWER', ['mod_sofia.c', 'sofia_answer_channel', 1176]);
    this.moment({ on: 'answered' });
  }

  /** `uuid_break`: ends the running playback or record (it still reports FILE PLAYED). */
  breakApp(): boolean {
    return this.apps.breakApp();
  }

  /** `uuid_record <uuid> stop <path>`. */
  stopSessionRecord(path: string): boolean {
    return this.apps.stopSessionRecord(path);
  }

  // ---- the caller ----------------------------------------------------------------------------------

  speak(pcm: CallPcm): void {
    this.audio.push(this.host.scheduler.now(), pcm);
    this.apps.speech();
  }

  dtmf(digit: string): void {
    if (this.hungUp) return;
    this.emit('DTMF', ['switch_channel.c', 'switch_channel_dequeue_dtmf', 677], [
      ['DTMF-Digit', digit],
      ['DTMF-Duration', String(DTMF_MS * 8)],
      ['DTMF-Source', 'RTP'],
    ], false);
    this.apps.digit(digit);
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
    this.apps.clearQueue();
    this.emit('CHANNEL_HANGUP', ['switch_channel.c', 'switch_channel_perform_hangup', 5287]);
    this.apps.hangup();
    this.emit('CHANNEL_UNPARK', ['switch_ivr.c', 'switch_ivr_park', 1190]);
    this.emit('CHANNEL_EXECUTE_COMPLETE', ['switch_core_session.c', 'switch_core_session_exec', 2967], [
      ['Application', 'socket'],
      ['Application-Data', this.vars.get('socket_host') ? '127.0.0.1:8084 async full' : ''],
      ['Application-Response', this.apps.lastResponse],
      ['Application-UUID', randomUUID()],
    ]);
    this.st.state = 'CS_HANGUP';
    this.emit('CHANNEL_STATE', ['switch_channel.c', 'switch_channel_perform_set_running_state', 2408], [], false);
    // The hangup state removes the media bugs (record_session): their RECORD_STOP comes here (no trace shows it).
    this.apps.closeSessionRecords();
    this.st.state = 'CS_REPORTING';
    this.emit('CHANNEL_STATE', ['switch_channel.c', 'switch_channel_perform_set_running_state', 2408], [], false);
    this.emit('CHANNEL_HANGUP_COMPLETE', ['switch_core_state_machine.c', 'switch_core_session_reporting_state', 1095]);
    const linger = this.socketCommands.linger;
    if (linger === null) {
      this.write(disconnectNotice(this.uuid));
      this.endSocket();
    } else {
      this.write(lingerNotice(this.uuid, this.profile.channelName, linger));
      if (linger > 0) {
        this.after(linger * 1000 + LINGER_CLOSE_EXTRA_MS, () => {
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
    if (!this.socketCommands.eventsOn || this.closed) return;
    // `myevents` covers the channel events only; RECORD_STOP needs its own `event plain RECORD_STOP`.
    if (!MYEVENTS.has(name) && !this.socketCommands.subscribed(name)) return;
    const headers: Header[] = [
      ...eventHeader(name, this.profile.coreUuid, this.host.nextSequence(), calling, Date.now()),
      ...channelStateHeaders(this.profile, this.st),
      ...callerProfile('Caller', this.profile, this.st),
      ...(withVars ? variableHeaders(this.vars) : []),
      ...extra,
    ];
    this.write(this.socketCommands.format === 'json' ? jsonEvent(headers) : plainEvent(headers));
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
    // The socket ended on a live call: `socket` returns and the dialplan goes on with its next action,
    // with or without `resume` (src/telephony/freeswitch/README.md "Handing a call back").
    if (!this.hungUp && this.endedBy === null) this.endedBy = 'continued';
    this.hungUp = true;
    this.closed = true;
    this.apps.abandon();
    for (const cancel of this.timers) cancel();
    this.timers.clear();
    this.host.channelEnded(this, {
      endedBy: this.endedBy ?? 'app',
      answered: this.st.answeredUs > 0,
      playbacks: this.apps.counts.playbacks,
      recordings: this.apps.counts.recordings,
      appVariables: Object.fromEntries(this.appVariables),
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
