import { randomUUID } from 'node:crypto';
import { AppError, isAppError } from '../../domain/errors.ts';
import type { CallLeg, LegEvent, PromptRef, RecordOptions, RecordingEnd, ReleaseReason } from '../../domain/ports/call-engine.ts';
import type { Logger } from '../../domain/ports/logger.ts';
import { executeCommand, hangupCommand } from './esl-command.ts';
import type { EslConnection } from './esl-connection.ts';
import type { EslEvent } from './esl-event.ts';
import type { EslFrame } from './esl-frame.ts';
import { EslLegEventGate } from './esl-leg-event-gate.ts';
import { recordingEnd, sessionRecordingEnd, type EslLegOperation, type EslRecordOperation } from './esl-leg-operation.ts';
import { buildRecordArgs, buildSessionRecordArgs, type RecordingPaths } from './esl-record-args.ts';
import { takeEngineRecording } from './esl-recording-file.ts';

/**
 * One call on its own outbound socket (`socket … async full`, `myevents`, `linger` already sent).
 *
 * Every application runs through `sendmsg` with a fresh `Event-UUID`; FreeSWITCH answers `+OK` at once
 * and reports the end as CHANNEL_EXECUTE_COMPLETE with that id in `Application-UUID`. What the events
 * do NOT say, the leg tracks itself (test/fixtures/freeswitch/traces/README.md "Behaviour notes"):
 * - a playback cut by the caller's BYE still reports `FILE PLAYED`: a hangup seen first means `stopped`;
 * - `uuid_break` also leaves `FILE PLAYED`: a stop we asked for means `stopped`;
 * - an unknown application gets `+OK`, never completes, and the call is hung up: the leg closes any
 *   operation still open when the channel is gone (linger notice or socket close);
 * - CHANNEL_DESTROY never reaches the outbound socket: CHANNEL_HANGUP, then the disconnect notice.
 */
export interface EslCallLegOptions {
  readonly logger: Logger;
  readonly paths: RecordingPaths;
  /** Maps a prompt file on this host to the path FreeSWITCH opens (prompts.engineDir). */
  readonly mapPromptPath: (file: string) => string;
  /** Short tone before a recording; the traces use this one (300 ms at 800 Hz). */
  readonly beep: string;
  /**
   * Ends the channel some other way when the hangup command got no reply (the inbound connection's
   * `uuid_kill`); resolves false when it could not. Unset: no other way.
   */
  readonly killChannel?: (uuid: string) => Promise<boolean>;
  /** The channel could not be hung up (counted in `/metrics`). */
  readonly hangupFailed?: (uuid: string, err: unknown) => void;
}

/** The channel variable the dialplan sample reads after `socket` (dialplan/freeswitch/callkeeper-public.xml). */
const RELEASE_VARIABLE = 'CALLKEEPER_RESULT';

export class EslCallLeg implements CallLeg {
  private readonly ops = new Map<string, EslLegOperation>();
  private readonly events: EslLegEventGate;
  private hungUp = false;
  private hangupCause: string | null = null;
  private hangupEmitted = false;
  /** FreeSWITCH said the channel hung up (CHANNEL_HANGUP, or the linger notice that follows it). */
  private channelHungUp = false;
  private finalized = false;
  /** release() handed the channel back to the dialplan: its socket ends without a hangup. */
  private released = false;
  /** `event plain RECORD_STOP` was sent on this socket (the end of a `record_session`). */
  private recordStopEvents = false;
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    readonly id: string,
    private readonly conn: EslConnection,
    private readonly opts: EslCallLegOptions,
  ) {
    this.events = new EslLegEventGate(opts.logger);
    this.unsubscribe.push(
      conn.onEvent((e) => this.onEslEvent(e)),
      conn.onNotice((f) => this.onNotice(f)),
      conn.onClose(() => this.finalize('socket-closed')),
    );
  }

  get isHungUp(): boolean {
    return this.hungUp;
  }

  async answer(): Promise<void> {
    this.assertAlive();
    const id = randomUUID();
    const done = new Promise<void>((resolve, reject) => {
      this.ops.set(id, {
        kind: 'answer',
        done: false,
        started: false,
        stopRequested: false,
        finish: (err) => (err ? reject(err) : resolve()),
      });
    });
    await this.exec('answer', undefined, id);
    await done;
  }

  async play(prompt: PromptRef): Promise<string> {
    this.assertAlive();
    const id = randomUUID();
    this.ops.set(id, { kind: 'play', done: false, started: false, stopRequested: false });
    await this.events.gated(this.exec('playback', this.opts.mapPromptPath(prompt.file), id));
    return id;
  }

  async stopPlayback(playbackId: string): Promise<void> {
    await this.stop(playbackId, 'play');
  }

  async record(opts: RecordOptions): Promise<string> {
    this.assertAlive();
    if ((opts.speechStartTimeoutMs ?? 0) > 0 && opts.maxSilenceMs > 0) return this.recordSession(opts);
    const id = randomUUID();
    const args = buildRecordArgs(opts, this.opts.paths);
    // Only `#` may end the recording, or nothing (the default terminator is `*`): 04 shows `set
    // playback_terminators=#` before `record`, then `#` ending it within 20 ms.
    await this.exec('set', `playback_terminators=${opts.terminateOnHash ? '#' : 'none'}`, this.internalOp());
    if (opts.beep) await this.exec('playback', this.opts.beep, this.internalOp());
    this.ops.set(id, {
      kind: 'record',
      done: false,
      started: false,
      stopRequested: false,
      terminateOnHash: opts.terminateOnHash,
      sawHash: false,
      localPath: args.localPath,
      waiters: [],
    });
    await this.events.gated(this.exec('record', args.appArg, id));
    return id;
  }

  /**
   * A recording that waits for the caller to start speaking: `record_session` with its initial and final
   * silence timeouts (esl-record-args.ts `buildSessionRecordArgs`). Its end is the RECORD_STOP event,
   * which `myevents` does not deliver, so the socket subscribes to it first (05: `event plain
   * BACKGROUND_JOB` is needed the same way).
   */
  private async recordSession(opts: RecordOptions): Promise<string> {
    const id = randomUUID();
    const args = buildSessionRecordArgs(opts, this.opts.paths);
    if (!this.recordStopEvents) {
      await this.conn.command({ line: 'event plain RECORD_STOP' });
      this.recordStopEvents = true;
    }
    for (const v of args.variables) await this.exec('set', v, this.internalOp());
    if (opts.beep) await this.exec('playback', this.opts.beep, this.internalOp());
    const op: EslRecordOperation = {
      kind: 'record',
      done: false,
      started: false,
      stopRequested: false,
      terminateOnHash: false,
      sawHash: false,
      localPath: args.localPath,
      waiters: [],
      session: { enginePath: args.enginePath, limitMs: Math.ceil(opts.maxDurationMs / 1000) * 1000 },
    };
    this.ops.set(id, op);
    // `record_session` returns as soon as the bug is attached; a stop asked for before that is sent then.
    const attached = this.internalOp(() => {
      op.started = true;
      if (op.stopRequested && !op.done) void this.stopSession(id, op);
    });
    await this.events.gated(
      this.exec('record_session', args.appArg, attached).catch((err: unknown) => {
        this.ops.delete(id);
        throw err;
      }),
    );
    return id;
  }

  async stopRecording(recordingId: string): Promise<void> {
    await this.stop(recordingId, 'record');
  }

  async fetchRecording(recordingId: string): Promise<Buffer> {
    const op = this.ops.get(recordingId);
    if (!op || op.kind !== 'record') {
      throw new AppError('INPUT.NOT_FOUND', 'no such recording on this call', { details: { recordingId } });
    }
    // FreeSWITCH closes the file before the record application returns, so wait for its end.
    if (!op.done) await new Promise<void>((resolve) => op.waiters.push(resolve));
    return takeEngineRecording(op.localPath, this.opts.logger);
  }

  async hangup(): Promise<void> {
    if (this.hungUp || this.conn.closed) return;
    try {
      await this.conn.command(hangupCommand());
    } catch (err) {
      if (isAppError(err, 'TELEPHONY.CHANNEL_GONE') || this.channelHungUp) return;
      await this.hangupUnanswered(err);
    }
  }

  /**
   * The hangup got no reply in time (or an error): the socket is closed (EslConnection already drops
   * it on a timeout), which ends `socket` on FreeSWITCH: a hangup it had queued runs then, otherwise
   * the dialplan goes on after `socket` (src/telephony/freeswitch/README.md, "When a hangup gets no
   * reply"). To end the channel whatever the dialplan does, `uuid_kill` goes through the inbound
   * connection when there is one; without it the failure is reported and thrown.
   */
  private async hangupUnanswered(err: unknown): Promise<void> {
    this.conn.destroy();
    const killed = this.opts.killChannel ? await this.opts.killChannel(this.id).catch(() => false) : false;
    if (killed) {
      this.opts.logger.warn({ channel: this.id, err: String(err) }, 'hangup unanswered on the call socket; socket closed, channel killed through the inbound connection');
      return;
    }
    this.opts.hangupFailed?.(this.id, err);
    throw err;
  }

  /**
   * Hands the channel back to the dialplan, which goes on with the action after `socket`
   * (src/telephony/freeswitch/README.md "Handing a call back"): `uuid_setvar` answers only once the
   * variable is set; `resume` makes mod_event_socket continue the dialplan when the socket ends; `exit`
   * ends it (`+OK bye`, the disconnect notice, FIN). The channel is alive, so `linger` plays no part.
   */
  async release(reason: ReleaseReason): Promise<void> {
    this.assertAlive();
    await this.conn.api(`uuid_setvar ${this.id} ${RELEASE_VARIABLE} ${reason}`);
    await this.conn.command({ line: 'resume' });
    this.released = true;
    try {
      await this.conn.command({ line: 'exit' });
    } catch (err) {
      // FreeSWITCH may close the socket before our read of `+OK bye`: the hand-over happened.
      if (!isAppError(err, 'TELEPHONY.CHANNEL_GONE')) throw err;
    }
    this.finalize('released');
    this.conn.end();
  }

  /** A listener added after the call ended still hears the hangup (a caller can hang up during set-up). */
  onEvent(listener: (e: LegEvent) => void): () => void {
    return this.events.onEvent(listener);
  }

  // ---- internals ----------------------------------------------------------------------------------

  private assertAlive(): void {
    // While lingering, FreeSWITCH still answers `+OK` to sendmsg on the dead channel and does nothing
    // (02), so the leg must refuse itself or the operation would never end.
    if (this.hungUp || this.conn.closed) {
      throw new AppError('TELEPHONY.CHANNEL_GONE', 'the call has ended', { details: { channel: this.id } });
    }
  }

  private internalOp(onComplete?: () => void): string {
    const id = randomUUID();
    this.ops.set(id, { kind: 'internal', done: false, started: false, stopRequested: false, ...(onComplete ? { onComplete } : {}) });
    return id;
  }

  private async exec(app: string, arg: string | undefined, eventUuid: string): Promise<void> {
    try {
      await this.conn.command(executeCommand(app, arg, eventUuid));
    } catch (err) {
      this.ops.delete(eventUuid);
      throw err;
    }
  }

  private async stop(id: string, kind: 'play' | 'record'): Promise<void> {
    const op = this.ops.get(id);
    if (!op || op.kind !== kind || op.done || op.stopRequested) return;
    op.stopRequested = true;
    if (op.kind === 'record' && op.session) {
      if (op.started) await this.stopSession(id, op);
      return;
    }
    // Not yet running (queued behind a beep): it is broken as soon as CHANNEL_EXECUTE shows it started.
    if (op.started) await this.breakCurrent();
  }

  /**
   * `uuid_record <uuid> stop <path>` ends a `record_session`; its RECORD_STOP follows. Refused (the bug
   * is already gone and its RECORD_STOP lost, or it never started), the recording is over for us.
   */
  private async stopSession(id: string, op: EslRecordOperation): Promise<void> {
    try {
      await this.conn.api(`uuid_record ${this.id} stop ${op.session!.enginePath}`);
    } catch (err) {
      if (!isAppError(err) || op.done) return;
      this.opts.logger.debug({ code: err.code }, 'uuid_record stop refused; the recording is closed without its RECORD_STOP');
      this.finishRecord(id, op, 'stopped', null);
    }
  }

  /** `uuid_break` ends the running playback or record; without `all` queued applications survive. */
  private async breakCurrent(): Promise<void> {
    try {
      await this.conn.api(`uuid_break ${this.id}`);
    } catch (err) {
      if (!isAppError(err)) throw err;
      this.opts.logger.debug({ code: err.code }, 'uuid_break refused (the application had already ended)');
    }
  }

  private onEslEvent(e: EslEvent): void {
    if (this.released) return;
    const uuid = e.get('Unique-ID');
    if (uuid !== undefined && uuid !== this.id) return;
    switch (e.name) {
      case 'CHANNEL_EXECUTE': {
        const op = this.ops.get(e.get('Application-UUID') ?? '');
        if (op) {
          op.started = true;
          if (op.stopRequested && !op.done) void this.breakCurrent().catch(() => undefined);
        }
        return;
      }
      case 'CHANNEL_EXECUTE_COMPLETE':
        this.onExecuteComplete(e);
        return;
      case 'RECORD_STOP':
        this.onRecordStop(e);
        return;
      case 'DTMF': {
        const digit = e.get('DTMF-Digit') ?? '';
        if (digit === '') return;
        if (digit === '#') for (const op of this.ops.values()) if (op.kind === 'record' && op.started && !op.done) op.sawHash = true;
        this.emit({ type: 'dtmf', digit });
        return;
      }
      case 'CHANNEL_HANGUP':
      case 'CHANNEL_HANGUP_COMPLETE':
        this.markHungUp(e.get('Hangup-Cause') ?? null);
        return;
      default:
        return;
    }
  }

  private onExecuteComplete(e: EslEvent): void {
    const id = e.get('Application-UUID') ?? '';
    const op = this.ops.get(id);
    if (!op || op.done) return; // the `socket` application's own COMPLETE at hangup, or one of ours twice
    op.done = true;
    const response = e.get('Application-Response') ?? '';
    switch (op.kind) {
      case 'internal':
        this.ops.delete(id);
        op.onComplete?.();
        return;
      case 'answer':
        this.ops.delete(id);
        op.finish(this.hungUp ? new AppError('TELEPHONY.CHANNEL_GONE', 'the caller hung up before the answer') : undefined);
        return;
      case 'play': {
        this.ops.delete(id);
        const outcome = op.stopRequested || this.hungUp ? 'stopped' : response === 'FILE PLAYED' ? 'done' : 'failed';
        if (outcome === 'failed') this.opts.logger.warn({ response }, 'FreeSWITCH could not play a prompt');
        this.emit({ type: 'playback-finished', playbackId: id, outcome });
        this.maybeEmitHangup();
        return;
      }
      case 'record': {
        const ms = Number.parseInt(e.variable('record_ms') ?? '', 10);
        this.finishRecord(id, op, recordingEnd(op, e, response, this.hungUp), Number.isFinite(ms) ? ms : null);
        return;
      }
    }
  }

  /** The end of a `record_session` media bug; after a hangup it comes after CHANNEL_HANGUP, like a record's COMPLETE (03). */
  private onRecordStop(e: EslEvent): void {
    const path = e.get('Record-File-Path');
    for (const [id, op] of this.ops) {
      if (op.kind !== 'record' || op.done || op.session?.enginePath !== path) continue;
      const ms = Number.parseInt(e.variable('record_ms') ?? '', 10);
      this.finishRecord(id, op, sessionRecordingEnd(op, e, this.hungUp), Number.isFinite(ms) ? ms : null);
      return;
    }
  }

  private finishRecord(id: string, op: EslRecordOperation, end: RecordingEnd, durationMs: number | null): void {
    op.done = true;
    this.emit({ type: 'recording-finished', recordingId: id, end, durationMs });
    for (const w of op.waiters.splice(0)) w();
    this.maybeEmitHangup();
  }

  /**
   * FreeSWITCH reports CHANNEL_HANGUP first and the cut playback/record's COMPLETE after it (02, 03).
   * The port promises nothing after `hangup`, so the leg holds the hangup until every open operation
   * has finished (or is closed by `finalize`), then emits it last.
   */
  private markHungUp(cause: string | null): void {
    this.channelHungUp = true;
    if (!this.hungUp) {
      this.hungUp = true;
      this.hangupCause = cause;
    }
    this.maybeEmitHangup();
  }

  private maybeEmitHangup(): void {
    if (!this.hungUp || this.hangupEmitted) return;
    for (const op of this.ops.values()) if (!op.done && (op.kind === 'play' || op.kind === 'record')) return;
    this.hangupEmitted = true;
    this.emit({ type: 'hangup', cause: this.hangupCause });
  }

  private onNotice(f: EslFrame): void {
    // With `linger`, the notice comes after CHANNEL_HANGUP_COMPLETE: every event of the call is in.
    // Without it (or after `linger N`) FreeSWITCH closes the socket itself.
    const disposition = f.header('Content-Disposition');
    if (this.released) return this.finalize('released');
    if (disposition === 'linger') this.channelHungUp = true;
    this.finalize(disposition === 'linger' ? 'linger' : 'disconnect');
    if (disposition === 'linger') {
      this.conn
        .command({ line: 'exit' })
        .catch(() => undefined)
        .finally(() => this.conn.destroy());
    }
  }

  /** The channel is gone: report it once, and end every operation FreeSWITCH will never complete. */
  private finalize(reason: string): void {
    if (this.finalized) return;
    this.finalized = true;
    if (this.released) {
      // Back in the dialplan: nothing was running (see release()) and nobody hung up, so no event.
      this.hungUp = true;
      for (const u of this.unsubscribe.splice(0)) u();
      this.opts.logger.debug({ channel: this.id }, 'call handed back to the dialplan');
      return;
    }
    if (!this.hungUp) {
      this.hungUp = true;
      this.hangupCause = null;
    }
    for (const [id, op] of this.ops) {
      if (op.done) continue;
      op.done = true;
      if (op.kind === 'answer') op.finish(new AppError('TELEPHONY.CHANNEL_GONE', 'the call ended before the answer'));
      else if (op.kind === 'play') this.emit({ type: 'playback-finished', playbackId: id, outcome: 'stopped' });
      else if (op.kind === 'record') {
        this.emit({ type: 'recording-finished', recordingId: id, end: 'hangup', durationMs: null });
        for (const w of op.waiters.splice(0)) w();
      }
      if (op.kind !== 'record') this.ops.delete(id);
    }
    this.maybeEmitHangup();
    this.opts.logger.debug({ channel: this.id, reason }, 'call leg finished');
    if (reason === 'socket-closed') for (const u of this.unsubscribe.splice(0)) u();
  }

  /** Ordered, gated delivery: see `EslLegEventGate`. */
  private emit(e: LegEvent): void {
    this.events.emit(e);
  }
}
