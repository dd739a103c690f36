import { randomUUID } from 'node:crypto';
import { AppError, isAppError } from '../../domain/errors.ts';
import type { CallLeg, LegEvent, PromptRef, RecordOptions, ReleaseReason } from '../../domain/ports/call-engine.ts';
import type { Clock } from '../../domain/ports/clock.ts';
import type { Logger } from '../../domain/ports/logger.ts';
import { backoffDelay } from '../../domain/retry/backoff.ts';
import { isNotFound } from './ari-error-translator.ts';
import { hangupCause, type AriEvent } from './ari-event.ts';
import { promptMediaUri, type PromptMapping } from './ari-prompt-mapper.ts';
import { recordingEnd } from './ari-recording-end.ts';
import type { AriRest } from './ari-rest.ts';

/** The channel variable the dialplan samples read after `Stasis()` (dialplan/asterisk/extensions.conf). */
const RELEASE_VARIABLE = 'CALLKEEPER_RESULT';

interface PlaybackState {
  stopRequested: boolean;
}

interface RecordingState {
  readonly startedAt: number;
  readonly maxDurationSeconds: number;
  maxSilenceSeconds: number;
  readonly terminateOnHash: boolean;
  stopRequested: boolean;
  hashSeen: boolean;
  /**
   * The recording waits for speech (`speechStartTimeoutMs`) through TALK_DETECT: `talked` once
   * ChannelTalkingStarted came, `endedAfterSpeech` once ChannelTalkingFinished made us stop it.
   */
  readonly speech: { talkDetect: boolean; talked: boolean; endedAfterSpeech: boolean } | null;
}

/**
 * How hard `hangup()` tries (src/telephony/asterisk/README.md, "Hanging up for sure"): after a failed
 * request, waits of `initialMs`, doubling, `retries` times. The default 500 ms × 5 tries again after
 * 0.5, 1, 2, 4 and 8 s: a stuck Asterisk taskprocessor (the bench saw 5 s without an answer) gets
 * about 15 s plus the request deadlines to recover before the channel goes to the engine's list.
 */
export interface HangupRetry {
  readonly initialMs: number;
  readonly retries: number;
}

export const DEFAULT_HANGUP_RETRY: HangupRetry = { initialMs: 500, retries: 5 };

/** What the leg tells its engine about its own end. */
export interface AriLegHost {
  /** The leg ended (StasisEnd, or found gone): the engine forgets it. */
  ended(leg: AriCallLeg): void;
  /** Every hangup request failed and the channel is still up: the engine keeps it to hang up later. */
  hangupGivenUp(leg: AriCallLeg, err: unknown): void;
}

/**
 * One ARI channel in our Stasis app, as the flow's CallLeg.
 *
 * Guarantees on top of ARI (the contract suite checks them for every engine):
 * - the finish of a playback or recording is never delivered before the `play()`/`record()` that
 *   started it has returned its id, although ARI often sends it before the REST response (test/fixtures/asterisk/traces/README.md, point 7);
 * - every started playback and recording gets exactly one finished event, even when Asterisk never
 *   sends one (unknown media scheme, events lost while the websocket was down);
 * - `hangup` is the last event of a leg; after it the listeners are released.
 */
export class AriCallLeg implements CallLeg {
  private readonly listeners = new Set<(e: LegEvent) => void>();
  private readonly playbacks = new Map<string, PlaybackState>();
  private readonly recordings = new Map<string, RecordingState>();
  private readonly queue: LegEvent[] = [];
  private pendingOps = 0;
  private flushScheduled = false;
  private hangupRequest: AriEvent | null = null;
  private endedCause: string | null = null;
  private ended = false;
  /** release() sent `continue`: the channel is leaving Stasis for the dialplan, not hanging up. */
  private releasing = false;
  /** The hangup under way (one at a time: the flow and the engine may both ask). */
  private hangingUp: Promise<void> | null = null;
  /** Cuts a wait between hangup tries short once the channel is gone. */
  private wakeHangup: (() => void) | null = null;

  constructor(
    readonly id: string,
    private readonly rest: AriRest,
    private readonly prompts: PromptMapping,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly host: AriLegHost,
    private readonly hangupRetry: HangupRetry = DEFAULT_HANGUP_RETRY,
  ) {}

  get isEnded(): boolean {
    return this.ended;
  }

  async answer(): Promise<void> {
    this.assertAlive();
    await this.rest.answer(this.id);
  }

  async play(prompt: PromptRef): Promise<string> {
    this.assertAlive();
    // Our own playback id, so an early PlaybackFinished can be matched before the 201 arrives.
    const id = `ck-${randomUUID()}`;
    this.playbacks.set(id, { stopRequested: false });
    await this.op(() => this.rest.play(this.id, promptMediaUri(prompt, this.prompts), id), () => this.playbacks.delete(id));
    return id;
  }

  async stopPlayback(playbackId: string): Promise<void> {
    const p = this.playbacks.get(playbackId);
    if (!p || this.ended) return;
    p.stopRequested = true;
    try {
      await this.rest.stopPlayback(playbackId);
    } catch (err) {
      // Already finished, or the channel went: there is nothing left to stop.
      if (!isNotFound(err) && !isAppError(err, 'TELEPHONY.CHANNEL_GONE')) throw err;
    }
  }

  async record(opts: RecordOptions): Promise<string> {
    this.assertAlive();
    const name = `callkeeper-${opts.name.replace(/[^A-Za-z0-9_-]/g, '_')}`;
    const waitForSpeech = (opts.speechStartTimeoutMs ?? 0) > 0 && opts.maxSilenceMs > 0;
    const maxDurationSeconds = Math.max(1, Math.ceil(opts.maxDurationMs / 1000));
    const state: RecordingState = {
      startedAt: this.clock.now(),
      maxDurationSeconds,
      maxSilenceSeconds: wholeSeconds(opts.maxSilenceMs),
      terminateOnHash: opts.terminateOnHash,
      stopRequested: false,
      hashSeen: false,
      speech: waitForSpeech ? { talkDetect: false, talked: false, endedAfterSpeech: false } : null,
    };
    // Known before any REST call, so talk events that beat the responses find it.
    this.recordings.set(name, state);
    const ownBeep = opts.beep ? this.prompts.beepPrompt : undefined;
    await this.op(
      async () => {
        // Asterisk runs a channel's playbacks and recordings one after the other, so the recording starts
        // when the beep has been heard. Its PlaybackFinished carries an id we do not track and is dropped.
        if (ownBeep) await this.rest.play(this.id, promptMediaUri(ownBeep, this.prompts), `ck-beep-${randomUUID()}`);
        if (state.speech) await this.startTalkDetect(state, opts);
        await this.rest.record(this.id, {
          name,
          maxDurationSeconds,
          maxSilenceSeconds: state.maxSilenceSeconds,
          beep: opts.beep && !ownBeep,
          terminateOn: opts.terminateOnHash ? '#' : 'none',
        });
      },
      () => this.recordings.delete(name),
    );
    return name;
  }

  /**
   * Waiting for speech on Asterisk: Record's own silence limit counts from the start, so it is set to
   * the time the caller has to start speaking (no voice by then ends the recording on silence), and
   * TALK_DETECT reports when the caller stops: ChannelTalkingFinished comes `maxSilenceMs` after the
   * last word, and the leg stops the recording then (dialplan/asterisk/README.md, "Waiting for the
   * answer"). If TALK_DETECT cannot be set (func_talkdetect not loaded), silence counts from the
   * start for the longer of the two, so a pause before the answer still does not end it.
   */
  private async startTalkDetect(state: RecordingState, opts: RecordOptions): Promise<void> {
    const speech = state.speech!;
    const startMs = opts.speechStartTimeoutMs ?? 0;
    // On before the request: its first events can beat the response (test/fixtures/asterisk/traces/README.md, point 7).
    speech.talkDetect = true;
    try {
      await this.rest.setChannelVar(this.id, 'TALK_DETECT(set)', String(opts.maxSilenceMs));
      state.maxSilenceSeconds = wholeSeconds(startMs);
    } catch (err) {
      speech.talkDetect = false;
      if (isAppError(err, 'TELEPHONY.CHANNEL_GONE')) throw err;
      this.logger.warn({ err: String(err), channel: this.id }, 'TALK_DETECT could not be set; the answer ends on silence counted from its start');
      state.maxSilenceSeconds = wholeSeconds(Math.max(startMs, opts.maxSilenceMs));
    }
  }

  async stopRecording(recordingId: string): Promise<void> {
    const r = this.recordings.get(recordingId);
    if (!r || this.ended) return;
    r.stopRequested = true;
    try {
      await this.rest.stopRecording(recordingId);
    } catch (err) {
      if (!isNotFound(err) && !isAppError(err, 'TELEPHONY.CHANNEL_GONE')) throw err;
    }
  }

  /** Works after the call ended too: a hangup keeps the file (test/fixtures/asterisk/traces/README.md, point 4). Then deletes Asterisk's copy. */
  async fetchRecording(recordingId: string): Promise<Buffer> {
    const wav = await this.rest.getStoredFile(recordingId);
    await this.rest.deleteStored(recordingId).catch((err: unknown) =>
      this.logger.warn({ err: String(err), recording: recordingId }, 'could not delete the Asterisk copy of a recording'),
    );
    return wav;
  }

  /**
   * A hangup lost to a timeout, a 5xx or a dropped connection would leave the caller on a silent line
   * that holds a trunk channel, so failed requests are retried with backoff until the channel is gone
   * (a 2xx, `Channel not found`, or its StasisEnd). After the last try the engine keeps the channel and
   * hangs it up when ARI is back (src/telephony/asterisk/README.md, "Hanging up for sure"); the error
   * is thrown so the flow ends the call now.
   */
  hangup(): Promise<void> {
    if (this.ended) return Promise.resolve();
    this.hangingUp ??= this.hangupWithRetries().finally(() => (this.hangingUp = null));
    return this.hangingUp;
  }

  private async hangupWithRetries(): Promise<void> {
    const { initialMs, retries } = this.hangupRetry;
    const backoff = { initialMs, maxMs: initialMs * 2 ** Math.max(0, retries - 1) };
    for (let failures = 0; ; ) {
      try {
        await this.rest.hangup(this.id);
        return;
      } catch (err) {
        if (isAppError(err, 'TELEPHONY.CHANNEL_GONE') || this.ended) return;
        failures++;
        if (failures > retries) {
          this.host.hangupGivenUp(this, err);
          throw err;
        }
        this.logger.warn({ err: String(err), channel: this.id, attempt: failures }, 'ARI hangup failed; trying again');
        await this.waitUnlessEnded(backoffDelay(backoff, failures));
        if (this.ended) return;
      }
    }
  }

  private waitUnlessEnded(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const cancel = this.clock.setTimer(ms, () => {
        this.wakeHangup = null;
        resolve();
      });
      this.wakeHangup = () => {
        cancel();
        this.wakeHangup = null;
        resolve();
      };
    });
  }

  /**
   * Hands the call back to the dialplan: the reason goes in CALLKEEPER_RESULT first, then `continue`
   * with no target (the priority after `Stasis()`). Its StasisEnd may come before the 204
   * (test/fixtures/asterisk/traces/README.md, point 7), so the leg ends quietly on whichever is first.
   */
  async release(reason: ReleaseReason): Promise<void> {
    this.assertAlive();
    await this.rest.setVariable(this.id, RELEASE_VARIABLE, reason);
    this.releasing = true;
    try {
      await this.rest.continueInDialplan(this.id);
    } catch (err) {
      if (!this.ended) this.releasing = false;
      throw err;
    }
    this.endReleased();
  }

  /** A listener added after the call ended still hears the hangup (it can end during set-up). */
  onEvent(listener: (e: LegEvent) => void): () => void {
    if (this.ended && this.releasing) return () => {};
    if (this.ended) {
      const cause = this.endedCause;
      setImmediate(() => this.safeCall(listener, { type: 'hangup', cause }));
      return () => {};
    }
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- ARI events, routed here by the engine -------------------------------------------------------

  handle(e: AriEvent): void {
    if (this.ended) return;
    switch (e.type) {
      case 'ChannelDtmfReceived':
        if (!e.digit) return;
        if (e.digit === '#') for (const r of this.recordings.values()) if (r.terminateOnHash) r.hashSeen = true;
        return this.deliver({ type: 'dtmf', digit: e.digit });
      case 'PlaybackFinished':
        return this.finishPlayback(e.playback?.id ?? '', e.playback?.state === 'failed' ? 'failed' : 'done');
      case 'RecordingFinished':
      case 'RecordingFailed':
        return this.finishRecording(e.recording?.name ?? '', e.type === 'RecordingFailed', e.recording?.duration ?? null);
      case 'ChannelTalkingStarted':
        return this.onTalking(null);
      case 'ChannelTalkingFinished':
        // `duration` is required (api-docs events.json); without it the burst counts as speech.
        return this.onTalking(e.duration ?? Number.POSITIVE_INFINITY);
      case 'ChannelHangupRequest':
        this.hangupRequest = e;
        return;
      case 'StasisEnd':
        return this.releasing ? this.endReleased() : this.end(hangupCause(this.hangupRequest));
      default:
        // StasisStart, ChannelStateChange, ChannelVarset, Playback/RecordingStarted, PlaybackContinuing: nothing for the flow.
        return;
    }
  }

  /**
   * After the websocket came back: finish what ended while events were lost (traces 08a: the
   * PlaybackFinished in the gap is never replayed, and the playback answers 404).
   */
  async reconcile(): Promise<void> {
    try {
      await this.rest.getChannel(this.id);
    } catch (err) {
      if (isAppError(err, 'TELEPHONY.CHANNEL_GONE')) this.end('lost');
      return;
    }
    for (const id of [...this.playbacks.keys()]) {
      await this.rest.getPlayback(id).then(
        () => undefined,
        (err: unknown) => isNotFound(err) && this.finishPlayback(id, 'done'),
      );
    }
    for (const name of [...this.recordings.keys()]) {
      await this.rest.getLiveRecording(name).then(
        () => undefined,
        (err: unknown) => isNotFound(err) && this.finishRecording(name, false, null),
      );
    }
  }

  /** The channel is gone without a StasisEnd we could see (engine restart while disconnected). */
  end(cause: string): void {
    if (this.ended) return;
    for (const id of [...this.playbacks.keys()]) this.finishPlayback(id, 'failed');
    for (const name of [...this.recordings.keys()]) this.finishRecording(name, false, null, true);
    this.ended = true;
    this.endedCause = cause;
    this.wakeHangup?.();
    this.deliver({ type: 'hangup', cause });
    this.host.ended(this);
  }

  /** The call went back to the dialplan: nothing more to report, the engine forgets the leg. */
  private endReleased(): void {
    if (this.ended) return;
    this.ended = true;
    this.wakeHangup?.();
    this.queue.length = 0;
    this.listeners.clear();
    this.host.ended(this);
  }

  // ---- internals ------------------------------------------------------------------------------------

  /**
   * TALK_DETECT is only ever on while a recording that waits for speech runs (one at a time).
   * `finished` is null for ChannelTalkingStarted, else ChannelTalkingFinished's `duration`. Asterisk
   * reports "talking" as soon as TALK_DETECT is set, even on a silent line, and ends that burst
   * `maxSilenceMs` later with a duration of about -20 ms (src/sim/README.md, "Waiting for speech"):
   * a burst shorter than a word is not an answer, and the recording goes on.
   */
  private onTalking(finished: number | null): void {
    for (const [name, r] of this.recordings) {
      if (!r.speech?.talkDetect) continue;
      if (finished === null) {
        r.speech.talked = true;
        continue;
      }
      const spoke = r.speech.talked && finished >= MIN_WORD_MS;
      r.speech.talked = false;
      if (!spoke || r.stopRequested || r.speech.endedAfterSpeech) continue;
      // The caller spoke and has been silent for maxSilenceMs: the answer is over.
      r.speech.endedAfterSpeech = true;
      this.rest.stopRecording(name).catch((err: unknown) => {
        if (!isNotFound(err) && !isAppError(err, 'TELEPHONY.CHANNEL_GONE')) {
          this.logger.warn({ err: String(err), recording: name }, 'could not stop a recording after the caller stopped speaking');
        }
      });
    }
  }

  private finishPlayback(id: string, state: 'done' | 'failed'): void {
    const p = this.playbacks.get(id);
    if (!p) return;
    this.playbacks.delete(id);
    // A playback we stopped ends `done` (test/fixtures/asterisk/traces/README.md, point 3): report it as stopped.
    const outcome = state === 'failed' ? 'failed' : p.stopRequested ? 'stopped' : 'done';
    this.deliver({ type: 'playback-finished', playbackId: id, outcome });
  }

  private finishRecording(name: string, failed: boolean, durationSeconds: number | null, forceHangup = false): void {
    const r = this.recordings.get(name);
    if (!r) return;
    this.recordings.delete(name);
    if (r.speech?.talkDetect && !this.ended && this.hangupRequest === null) {
      // Off again, so the next answer's TALK_DETECT(set) starts from silence (set on a channel that has it only changes the threshold).
      this.rest.setChannelVar(this.id, 'TALK_DETECT(remove)', '').catch(() => undefined);
    }
    const end = recordingEnd({
      failed,
      endedAfterSpeech: r.speech?.endedAfterSpeech === true,
      stopRequested: r.stopRequested,
      hangupSeen: forceHangup || this.hangupRequest !== null,
      hashSeen: r.hashSeen,
      maxSilenceSeconds: r.maxSilenceSeconds,
      maxDurationSeconds: r.maxDurationSeconds,
      durationSeconds,
      elapsedMs: this.clock.now() - r.startedAt,
    });
    this.deliver({ type: 'recording-finished', recordingId: name, end, durationMs: durationSeconds === null ? null : durationSeconds * 1000 });
  }

  /** Runs a REST call that starts something; events wait until it has returned (see class comment). */
  private async op(fn: () => Promise<unknown>, onFail: () => void): Promise<void> {
    this.pendingOps++;
    try {
      await fn();
    } catch (err) {
      onFail();
      throw err;
    } finally {
      this.pendingOps--;
      if (this.pendingOps === 0) this.scheduleFlush();
    }
  }

  private deliver(e: LegEvent): void {
    this.queue.push(e);
    if (this.pendingOps === 0 && !this.flushScheduled) this.flush();
  }

  /** After the awaiting caller has run: setImmediate comes after the promise continuations. */
  private scheduleFlush(): void {
    if (this.flushScheduled || this.queue.length === 0) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      if (this.pendingOps === 0) this.flush();
    });
  }

  private flush(): void {
    while (this.queue.length > 0 && this.pendingOps === 0) {
      const e = this.queue.shift()!;
      for (const l of [...this.listeners]) this.safeCall(l, e);
      if (e.type === 'hangup') this.listeners.clear();
    }
  }

  private safeCall(l: (e: LegEvent) => void, e: LegEvent): void {
    try {
      l(e);
    } catch (err) {
      this.logger.error({ err: String(err), channel: this.id, event: e.type }, 'call leg listener failed');
    }
  }

  private assertAlive(): void {
    if (this.ended) throw new AppError('TELEPHONY.CHANNEL_GONE', 'the call has ended', { details: { channel: this.id } });
  }
}

/** Talking shorter than this is a click or TALK_DETECT's start-up burst, not a word ("no" takes ~250 ms). */
const MIN_WORD_MS = 100;

/** ARI takes whole seconds; round up so "about 1.5 s" never cuts a caller off early (0 stays off). */
function wholeSeconds(ms: number): number {
  return ms > 0 ? Math.max(1, Math.ceil(ms / 1000)) : 0;
}
