import { callPcmToWav, samplesForMs } from '../sim-wav.ts';
import type { AppCounts, EslSimAppContext, RunningApp } from './esl-sim-app-context.ts';

/** `record … N` lasted N + 0.64–0.92 s: the limit is checked on whole seconds (traces README). */
const RECORD_OVERRUN_MS = 640;

/** What `playback` and `record` need from the application runner that started them. */
export interface MediaAppDeps {
  readonly ctx: EslSimAppContext;
  readonly counts: AppCounts;
  /** Reports the application's CHANNEL_EXECUTE_COMPLETE with this `Application-Response`. */
  finish(response: string): void;
  /** The caller spoke: a running record restarts its silence timer through this. */
  setSilenceRearm(fn: (() => void) | null): void;
}

/** `playback`: runs for the media's length; a break, terminator or BYE cuts it short. */
export function runPlayback(run: RunningApp, d: MediaAppDeps): void {
  const { ctx } = d;
  const length = ctx.mediaLength(run.arg);
  if (length === null) return d.finish('FILE NOT FOUND');
  const isPrompt = !run.arg.startsWith('tone_stream://');
  const nth = isPrompt ? ++d.counts.playbacks : 0;
  const end = (digit?: string): void => {
    const ms = Math.min(length, Math.round(ctx.now() - run.start));
    const samples = samplesForMs(ms);
    ctx.vars.set('playback_last_offset_pos', String(samples));
    ctx.vars.set('playback_seconds', String(Math.floor(ms / 1000)));
    ctx.vars.set('playback_ms', String(ms));
    ctx.vars.set('playback_samples', String(samples));
    if (digit) ctx.vars.set('playback_terminator_used', digit);
    // Cut short by a break, a terminator or the caller's BYE: still FILE PLAYED (02).
    ctx.vars.set('current_application_response', 'FILE PLAYED');
    d.finish('FILE PLAYED');
    if (isPrompt) {
      d.counts.playbacksDone++;
      if (!ctx.isHungUp()) ctx.moment({ on: 'playback-finished', nth });
    }
  };
  run.cancel = ctx.after(length, () => end());
  run.interrupt = (_why, digit) => {
    run.cancel();
    end(digit);
  };
  if (isPrompt) ctx.moment({ on: 'playback-started', nth });
}

/** `record <path> <limit s> <silence threshold> <silence hits>`: writes the caller's audio when it ends. */
export function runRecord(run: RunningApp, d: MediaAppDeps): void {
  const { ctx } = d;
  const [path = '', limitS = '0', thresh = '0', hits = '0'] = run.arg.split(' ');
  const limitMs = (Number.parseInt(limitS, 10) || 0) * 1000;
  const silenceMs = (Number.parseInt(thresh, 10) || 0) > 0 ? (Number.parseInt(hits, 10) || 3) * 1000 : 0;
  const nth = ++d.counts.recordings;
  let cancelMax = (): void => {};
  let cancelSilence = (): void => {};
  const end = (why: 'max' | 'silence' | 'dtmf' | 'break' | 'hangup', digit?: string): void => {
    cancelMax();
    cancelSilence();
    d.setSilenceRearm(null);
    const stop = ctx.now();
    const ms = Math.max(0, Math.round(stop - run.start));
    const wav = callPcmToWav(ctx.audio.between(run.start, stop));
    ctx.storeRecording(path, wav);
    ctx.vars.set('silence_hits_exhausted', String(why === 'silence'));
    if (digit) ctx.vars.set('playback_terminator_used', digit);
    ctx.vars.set('record_record_file_size', String(wav.length));
    ctx.vars.set('record_file_size', String(wav.length));
    ctx.vars.set('record_seconds', String(Math.floor(ms / 1000)));
    ctx.vars.set('record_ms', String(ms));
    ctx.vars.set('record_samples', String(samplesForMs(ms)));
    d.finish('_none_');
    d.counts.recordingsDone++;
    if (!ctx.isHungUp()) ctx.moment({ on: 'recording-finished', nth });
  };
  if (limitMs > 0) cancelMax = ctx.after(limitMs + RECORD_OVERRUN_MS, () => end('max'));
  const armSilence = (): void => {
    if (silenceMs <= 0) return;
    cancelSilence();
    const lastVoice = Math.max(run.start, ctx.audio.speechEnd());
    cancelSilence = ctx.after(lastVoice + silenceMs - ctx.now(), () => end('silence'));
  };
  d.setSilenceRearm(armSilence);
  armSilence();
  run.interrupt = (why, digit) => end(why === 'dtmf' ? 'dtmf' : why === 'break' ? 'break' : 'hangup', digit);
  ctx.moment({ on: 'recording-started', nth });
}
