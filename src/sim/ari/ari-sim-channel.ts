import type { CallMoment, CallerStep, ScriptedCallResult } from '../caller-script.ts';
import { momentMatches } from '../caller-script.ts';
import type { SimScheduler } from '../sim-scheduler.ts';
import { SimCallerAudio } from '../sim-caller-audio.ts';
import { callPcmToWav, wavToCallPcm, type CallPcm } from '../sim-wav.ts';
import type { AriJson, SimChannelView } from './ari-sim-events.ts';
import { channelJson, playbackJson, recordingJson, RTP_QOS_VARIABLES } from './ari-sim-events.ts';
import type { MediaLength } from './ari-sim-sounds.ts';

/** What a channel needs from the simulated Asterisk around it. */
export interface SimChannelHost {
  readonly scheduler: SimScheduler;
  /** Sends an event to the app; lost when no app websocket is connected (traces 08a). */
  send(type: string, body: AriJson, leading?: AriJson): void;
  mediaLength(uri: string): MediaLength;
  storeRecording(name: string, wav: Buffer): void;
  trackPlayback(id: string, ch: SimChannel | null): void;
  trackRecording(name: string, ch: SimChannel | null): void;
  channelEnded(ch: SimChannel, result: ScriptedCallResult): void;
}

interface SimPlayback {
  readonly id: string;
  readonly media: readonly string[];
  index: number;
  nth: number;
  cancel: () => void;
}

export interface SimRecordOptions {
  readonly name: string;
  readonly format: string;
  readonly maxDurationS: number;
  readonly maxSilenceS: number;
  readonly terminateOn: string;
}

interface SimRecording extends SimRecordOptions {
  readonly start: number;
  readonly nth: number;
  cancelMax: () => void;
  cancelSilence: () => void;
}

type RecordingEndReason = 'silence' | 'max' | 'dtmf' | 'stop' | 'hangup' | 'cancel';

/**
 * TALK_DETECT on the channel: an audiohook on the caller's audio (src/sim/README.md, "Waiting for
 * speech"). It counts as talking every frame while fewer than `silenceMs` of silence have passed, so
 * it reports talking at once when set, even on a silent line: ChannelTalkingStarted, then
 * ChannelTalkingFinished `silenceMs` later minus the first frame, with a `duration` of -20 ms (the
 * negative durations of asterisk/asterisk issue 80). After that, ChannelTalkingStarted comes when the
 * caller starts speaking and ChannelTalkingFinished `silenceMs` after the speech ends, `duration` =
 * the talking time. The simulator's caller audio is voiced for the whole of each utterance.
 */
interface TalkDetect {
  silenceMs: number;
  talking: boolean;
  start: number;
  cancelFinish: () => void;
}

/** `TALK_DETECT(set)` without a value: func_talkdetect's default silence threshold. */
const TALK_DETECT_DEFAULT_SILENCE_MS = 2500;
/** One 20 ms frame: the first frame after TALK_DETECT is set already counts as that much silence. */
const FRAME_MS = 20;

/** Real digits last about this long on the wire; Asterisk reports a digit when it ends (traces 04). */
const DTMF_MS = 200;
/** `maxDurationSeconds=N` is checked on whole seconds with `>`: recordings last N to N+1 s (test/fixtures/asterisk/traces/README.md, point 8). */
const MAX_DURATION_OVERRUN_MS = 500;

/** One call inside the simulated Asterisk: its media state and its scripted caller. */
export class SimChannel {
  state: 'Ring' | 'Up' = 'Ring';
  ended = false;
  private current: SimPlayback | null = null;
  private readonly queue: SimPlayback[] = [];
  private recording: SimRecording | null = null;
  private talk: TalkDetect | null = null;
  private readonly audio = new SimCallerAudio();
  private readonly timers = new Set<() => void>();
  private readonly counts = { playbacks: 0, playbacksDone: 0, recordings: 0, recordingsDone: 0 };
  private readonly appVariables = new Map<string, string>();

  constructor(
    readonly view: Omit<SimChannelView, 'state'>,
    private readonly steps: readonly CallerStep[],
    private readonly host: SimChannelHost,
  ) {}

  get id(): string {
    return this.view.id;
  }

  json(): AriJson {
    return channelJson({ ...this.view, state: this.state });
  }

  offer(): void {
    this.host.send('StasisStart', { args: [this.view.dialed], channel: this.json() });
    this.moment({ on: 'offered' });
  }

  answer(): void {
    if (this.state === 'Up') return;
    this.state = 'Up';
    this.host.send('ChannelStateChange', { channel: this.json() });
    this.moment({ on: 'answered' });
  }

  // ---- playbacks -------------------------------------------------------------------------------

  /** Queues a playback (a channel plays one at a time) and returns its 201 body. */
  play(id: string, media: readonly string[]): AriJson {
    const p: SimPlayback = { id, media, index: 0, nth: 0, cancel: () => {} };
    this.host.trackPlayback(id, this);
    if (this.current) this.queue.push(p);
    else this.startPlayback(p);
    return playbackJson({ id, mediaUri: media[0] ?? '', nextMediaUri: media[1], targetUri: this.target(), state: 'queued' });
  }

  playbackJson(id: string): AriJson | null {
    const p = this.current?.id === id ? this.current : this.queue.find((q) => q.id === id);
    if (!p) return null;
    const state = p === this.current ? 'playing' : 'queued';
    return playbackJson({ id, mediaUri: p.media[p.index] ?? '', nextMediaUri: p.media[p.index + 1], targetUri: this.target(), state });
  }

  /** DELETE /playbacks/{id}: a stopped playback reports `done` (test/fixtures/asterisk/traces/README.md, point 3). */
  stopPlayback(id: string): boolean {
    if (this.current?.id === id) {
      this.current.cancel();
      this.finishPlayback(this.current, 'done');
      return true;
    }
    const at = this.queue.findIndex((q) => q.id === id);
    if (at < 0) return false;
    this.queue.splice(at, 1);
    this.host.trackPlayback(id, null);
    return true;
  }

  private startPlayback(p: SimPlayback): void {
    this.current = p;
    p.nth = ++this.counts.playbacks;
    this.sendPlayback('PlaybackStarted', p, 'playing');
    this.moment({ on: 'playback-started', nth: p.nth });
    this.playItem(p);
  }

  private playItem(p: SimPlayback): void {
    const length = this.host.mediaLength(p.media[p.index] ?? '');
    if (length === 'never') return;
    p.cancel = this.after(length ?? 0, () => {
      if (length === null) return this.finishPlayback(p, 'failed');
      if (p.index + 1 < p.media.length) {
        // A media list: PlaybackContinuing for the item that ended, then PlaybackStarted again (traces 02).
        this.sendPlayback('PlaybackContinuing', p, 'continuing');
        p.index++;
        this.sendPlayback('PlaybackStarted', p, 'playing');
        this.playItem(p);
        return;
      }
      this.finishPlayback(p, 'done');
    });
  }

  private finishPlayback(p: SimPlayback, state: 'done' | 'failed'): void {
    this.current = null;
    this.host.trackPlayback(p.id, null);
    this.sendPlayback('PlaybackFinished', p, state);
    this.counts.playbacksDone++;
    if (this.ended) return;
    this.moment({ on: 'playback-finished', nth: p.nth });
    const next = this.queue.shift();
    if (next && !this.ended) this.startPlayback(next);
  }

  private sendPlayback(type: string, p: SimPlayback, state: 'playing' | 'continuing' | 'done' | 'failed'): void {
    const next = state === 'done' || state === 'failed' ? undefined : p.media[p.index + 1];
    this.host.send(type, {
      playback: playbackJson({ id: p.id, mediaUri: p.media[p.index] ?? '', nextMediaUri: next, targetUri: this.target(), state }),
    });
  }

  // ---- recordings ------------------------------------------------------------------------------

  isRecording(): boolean {
    return this.recording !== null;
  }

  record(opts: SimRecordOptions): AriJson {
    const rec: SimRecording = { ...opts, start: this.host.scheduler.now(), nth: ++this.counts.recordings, cancelMax: () => {}, cancelSilence: () => {} };
    this.recording = rec;
    this.host.trackRecording(rec.name, this);
    // RecordingStarted goes out at once, before the beep ends (test/fixtures/asterisk/traces/README.md, point 5).
    this.host.send('RecordingStarted', { recording: this.recordingBody(rec, 'recording') });
    if (rec.maxDurationS > 0) {
      rec.cancelMax = this.after(rec.maxDurationS * 1000 + MAX_DURATION_OVERRUN_MS, () => this.endRecording('max'));
    }
    this.armSilence();
    this.moment({ on: 'recording-started', nth: rec.nth });
    return this.recordingBody(rec, 'queued');
  }

  liveRecordingJson(name: string): AriJson | null {
    return this.recording?.name === name ? this.recordingBody(this.recording, 'recording') : null;
  }

  stopRecording(name: string, discard: boolean): boolean {
    if (this.recording?.name !== name) return false;
    this.endRecording(discard ? 'cancel' : 'stop');
    return true;
  }

  private armSilence(): void {
    const rec = this.recording;
    if (!rec || rec.maxSilenceS <= 0) return;
    rec.cancelSilence();
    const lastVoice = Math.max(rec.start, this.audio.speechEnd());
    const due = lastVoice + rec.maxSilenceS * 1000;
    rec.cancelSilence = this.after(due - this.host.scheduler.now(), () => this.endRecording('silence'));
  }

  private endRecording(reason: RecordingEndReason): void {
    const rec = this.recording;
    if (!rec) return;
    rec.cancelMax();
    rec.cancelSilence();
    this.recording = null;
    this.host.trackRecording(rec.name, null);
    const now = this.host.scheduler.now();
    // Ending on silence trims the trailing silence from the file and from `duration` (test/fixtures/asterisk/traces/README.md, point 5).
    const end = reason === 'silence' ? Math.min(now, Math.max(rec.start, this.audio.speechEnd())) : now;
    if (reason !== 'cancel') this.host.storeRecording(rec.name, callPcmToWav(this.audio.between(rec.start, end)));
    const durationS = Math.floor((end - rec.start) / 1000);
    this.host.send('RecordingFinished', {
      recording: recordingJson({
        name: rec.name,
        format: rec.format,
        state: 'done',
        targetUri: this.target(),
        durationS,
        ...(rec.maxSilenceS > 0 ? { talkingS: durationS, silenceS: 0 } : {}),
      }),
    });
    this.counts.recordingsDone++;
    if (!this.ended) this.moment({ on: 'recording-finished', nth: rec.nth });
  }

  private recordingBody(rec: SimRecording, state: 'queued' | 'recording'): AriJson {
    return recordingJson({ name: rec.name, format: rec.format, state, targetUri: this.target() });
  }

  // ---- talk detection (POST /channels/{id}/variable TALK_DETECT(set|remove)) ---------------------------

  /**
   * `TALK_DETECT(set)=<silence ms>[,<talking threshold>]`. Setting it again only changes the threshold
   * (func_talkdetect.c `set_talk_detect`); a caller already speaking is heard at once.
   */
  setTalkDetect(value: string): boolean {
    const first = value.split(',')[0]?.trim() ?? '';
    const silenceMs = first === '' ? TALK_DETECT_DEFAULT_SILENCE_MS : Number.parseInt(first, 10);
    if (!Number.isFinite(silenceMs) || silenceMs < 1) return false;
    if (this.talk) {
      this.talk.silenceMs = silenceMs;
      return true;
    }
    const t: TalkDetect = { silenceMs, talking: false, start: 0, cancelFinish: () => {} };
    this.talk = t;
    if (this.audio.speechEnd() > this.host.scheduler.now()) {
      this.voice();
    } else {
      // A silent line still starts "talking" at its first frame: fewer than silenceMs of silence have
      // been counted yet. The burst ends once silenceMs of frames are counted (the first one included).
      this.after(FRAME_MS, () => {
        if (this.talk !== t || t.talking) return;
        this.startTalking(t);
        this.finishTalking(t, silenceMs - FRAME_MS);
      });
    }
    return true;
  }

  /** `TALK_DETECT(remove)`: false when it was not set (Asterisk warns and the write fails). */
  removeTalkDetect(): boolean {
    if (!this.talk) return false;
    this.talk.cancelFinish();
    this.talk = null;
    return true;
  }

  /** The caller's audio is voiced now: talking starts (once) and its end moves to the speech's end plus the silence. */
  private voice(): void {
    const t = this.talk;
    if (!t) return;
    if (!t.talking) this.startTalking(t);
    this.finishTalking(t, this.audio.speechEnd() + t.silenceMs - this.host.scheduler.now());
  }

  private startTalking(t: TalkDetect): void {
    t.talking = true;
    t.start = this.host.scheduler.now();
    this.host.send('ChannelTalkingStarted', { channel: this.json() });
  }

  private finishTalking(t: TalkDetect, inMs: number): void {
    t.cancelFinish();
    t.cancelFinish = this.after(inMs, () => {
      t.talking = false;
      const duration = Math.round(this.host.scheduler.now() - t.start - t.silenceMs);
      // The blob's fields lead, as in ChannelVarset (the channel blob is copied first).
      this.host.send('ChannelTalkingFinished', { channel: this.json() }, { duration });
    });
  }

  // ---- the caller --------------------------------------------------------------------------------

  speak(pcm: CallPcm): void {
    this.audio.push(this.host.scheduler.now(), pcm);
    this.armSilence();
    this.voice();
  }

  dtmf(digit: string): void {
    if (this.ended) return;
    this.host.send('ChannelDtmfReceived', { digit, duration_ms: DTMF_MS, channel: this.json() });
    const rec = this.recording;
    if (rec && (rec.terminateOn === 'any' || rec.terminateOn.includes(digit)) && rec.terminateOn !== 'none') {
      this.endRecording('dtmf');
    }
  }

  /** Ends the call the way its author would: app DELETE, caller BYE, or Asterisk shutting down (test/fixtures/asterisk/traces/README.md, point 2). */
  hangup(by: 'app' | 'caller' | 'engine'): void {
    if (this.ended) return;
    this.ended = true;
    if (by !== 'engine' && this.state === 'Up') {
      for (const [variable, value] of RTP_QOS_VARIABLES) this.host.send('ChannelVarset', { channel: this.json() }, { variable, value });
    }
    const leading = by === 'app' ? { cause: 32, soft: true } : by === 'engine' ? { cause: 4, soft: true } : {};
    this.host.send('ChannelHangupRequest', { channel: this.json() }, leading);
    if (this.current) {
      this.current.cancel();
      this.finishPlayback(this.current, 'failed');
    }
    for (const q of this.queue.splice(0)) this.host.trackPlayback(q.id, null);
    // A hangup ends a recording with RecordingFinished `done` and keeps the file (test/fixtures/asterisk/traces/README.md, point 4).
    this.endRecording('hangup');
    this.host.send('StasisEnd', { channel: this.json() });
    this.close(by);
  }

  // ---- leaving the app for the dialplan ----------------------------------------------------------------

  /** `POST …/variable`: set for the dialplan to read; Asterisk reports it as ChannelVarset, fields first as in point 14. */
  setVariable(variable: string, value: string): void {
    if (this.ended) return;
    this.appVariables.set(variable, value);
    this.host.send('ChannelVarset', { channel: this.json() }, { variable, value });
  }

  variable(name: string): string | undefined {
    return this.appVariables.get(name);
  }

  /**
   * `POST …/continue` with no target: the channel leaves Stasis (StasisEnd, the last event an app gets
   * for it, point 1) and the dialplan goes on after `Stasis()`; the caller is neither answered nor hung
   * up by the app. No trace covers it: callkeeper only continues calls it never played to, so media is
   * simply dropped here.
   */
  continueInDialplan(): void {
    if (this.ended) return;
    this.ended = true;
    this.current?.cancel();
    if (this.current) this.host.trackPlayback(this.current.id, null);
    for (const q of this.queue.splice(0)) this.host.trackPlayback(q.id, null);
    if (this.recording) this.host.trackRecording(this.recording.name, null);
    this.host.send('StasisEnd', { channel: this.json() });
    this.close('continued');
  }

  private close(endedBy: ScriptedCallResult['endedBy']): void {
    for (const cancel of this.timers) cancel();
    this.timers.clear();
    this.host.channelEnded(this, {
      endedBy,
      answered: this.state === 'Up',
      playbacks: this.counts.playbacks,
      recordings: this.counts.recordings,
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
        else this.after(delay, () => this.hangup('caller'));
      }
    }
  }

  private target(): string {
    return `channel:${this.view.id}`;
  }

  private after(ms: number, fn: () => void): () => void {
    const cancel = this.host.scheduler.after(ms, () => {
      this.timers.delete(cancel);
      if (!this.ended) fn();
    });
    this.timers.add(cancel);
    return () => {
      cancel();
      this.timers.delete(cancel);
    };
  }
}
