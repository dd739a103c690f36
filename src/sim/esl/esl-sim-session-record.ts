import { callPcmToWav, samplesForMs } from '../sim-wav.ts';
import type { AppCounts, EslSimAppContext } from './esl-sim-app-context.ts';

/**
 * `record_session <path> [+<limit s>]`: a media bug that records the caller in the background while the
 * channel is parked, as FreeSWITCH 1.10's switch_ivr_record_session does (the traces hold no
 * record_session). The channel variables it reads, how it ends and what it reports:
 * src/sim/README.md, "Waiting for speech".
 */
export class EslSimSessionRecord {
  private readonly start: number;
  private readonly nth: number;
  private readonly initialMs: number;
  private readonly finalMs: number;
  private readonly detects: boolean;
  private speechDetected = false;
  private cancelSilence = (): void => {};
  private cancelLimit = (): void => {};
  private ended = false;

  constructor(
    readonly path: string,
    limitS: number,
    private readonly ctx: EslSimAppContext,
    private readonly counts: AppCounts,
    private readonly onEnd: (rec: EslSimSessionRecord) => void,
  ) {
    this.start = ctx.now();
    this.nth = ++counts.recordings;
    const ms = (name: string): number => Math.max(0, Number.parseInt(ctx.vars.get(name) ?? '', 10) || 0);
    this.initialMs = ms('RECORD_INITIAL_TIMEOUT_MS');
    this.finalMs = ms('RECORD_FINAL_TIMEOUT_MS');
    const threshold = ctx.vars.get('RECORD_SILENCE_THRESHOLD');
    this.detects = (this.initialMs > 0 || this.finalMs > 0 || threshold !== undefined) && threshold !== '0';
    if (limitS > 0) this.cancelLimit = ctx.after(limitS * 1000, () => this.end('success-maxtime'));
    if (this.detects && this.initialMs > 0) this.cancelSilence = ctx.after(this.initialMs, () => this.end('no-input-timeout'));
    ctx.moment({ on: 'recording-started', nth: this.nth });
  }

  /** The caller spoke: from now on only the silence after the speech counts. */
  speech(): void {
    if (this.ended || !this.detects) return;
    this.speechDetected = true;
    this.cancelSilence();
    this.cancelSilence = () => {};
    if (this.finalMs > 0) {
      const due = this.ctx.audio.speechEnd() + this.finalMs;
      this.cancelSilence = this.ctx.after(due - this.ctx.now(), () => this.end('success-silence'));
    }
  }

  /** `uuid_record <uuid> stop <path>`. */
  stop(): void {
    this.end('success-maxtime');
  }

  /** The channel hung up: the bug is closed with the hangup state. */
  close(): void {
    this.end(this.speechDetected ? 'success-silence' : 'no-input-timeout');
  }

  private end(cause: string): void {
    if (this.ended) return;
    this.ended = true;
    this.cancelSilence();
    this.cancelLimit();
    const { ctx } = this;
    const now = ctx.now();
    const ms = Math.max(0, Math.round(now - this.start));
    const wav = callPcmToWav(ctx.audio.between(this.start, now));
    ctx.storeRecording(this.path, wav);
    ctx.vars.set('record_samples', String(samplesForMs(ms)));
    ctx.vars.set('record_seconds', String(Math.floor(ms / 1000)));
    ctx.vars.set('record_ms', String(ms));
    ctx.vars.set('record_completion_cause', cause);
    // The Event-Calling-* values are not from a capture (no trace holds a RECORD_STOP).
    ctx.emit('RECORD_STOP', ['switch_ivr_async.c', 'send_record_stop_event', 1165], [
      ['Record-File-Path', this.path],
      ['Record-Completion-Cause', cause],
    ]);
    this.counts.recordingsDone++;
    this.onEnd(this);
    if (!ctx.isHungUp()) ctx.moment({ on: 'recording-finished', nth: this.nth });
  }
}
