import type { Header } from './esl-sim-frames.ts';
import type { AppCounts, EslSimAppContext, QueuedApp, RunningApp } from './esl-sim-app-context.ts';
import { runPlayback, runRecord, type MediaAppDeps } from './esl-sim-media-apps.ts';
import { EslSimSessionRecord } from './esl-sim-session-record.ts';

/** Where the first event lands after the `+OK` of a `sendmsg` (20–25 ms on loopback, traces README). */
export const APP_START_MS = 20;
const KNOWN_APPS = new Set(['answer', 'playback', 'record', 'record_session', 'set', 'hangup', 'sleep', 'pre_answer']);

/**
 * The applications `sendmsg execute` queued on one simulated channel, run one at a time as
 * FreeSWITCH does: CHANNEL_EXECUTE when one starts, CHANNEL_EXECUTE_COMPLETE when it ends.
 */
export class EslSimAppRunner {
  private readonly queue: QueuedApp[] = [];
  private running: RunningApp | null = null;
  /** `record_session` media bugs recording in the background, by path. */
  private readonly sessionRecords = new Map<string, EslSimSessionRecord>();
  private rearmSilence: (() => void) | null = null;
  private lastResponseValue = '_none_';
  readonly counts: AppCounts = { playbacks: 0, playbacksDone: 0, recordings: 0, recordingsDone: 0 };
  private readonly media: MediaAppDeps;

  constructor(private readonly ctx: EslSimAppContext) {
    this.media = {
      ctx,
      counts: this.counts,
      finish: (response) => this.finishApp(response),
      setSilenceRearm: (fn) => {
        this.rearmSilence = fn;
      },
    };
  }

  /** The `Application-Response` of the last application to finish (the `socket` COMPLETE repeats it). */
  get lastResponse(): string {
    return this.lastResponseValue;
  }

  enqueue(app: QueuedApp): void {
    this.queue.push(app);
    if (!this.running && this.queue.length === 1) this.ctx.after(APP_START_MS, () => this.runNext());
  }

  /** `uuid_break`: ends the running playback or record (it still reports FILE PLAYED). */
  breakApp(): boolean {
    if (!this.running?.interrupt) return false;
    this.running.interrupt('break');
    return true;
  }

  /** A DTMF digit ends a running playback or record when it is one of `playback_terminators` (default `*`). */
  digit(digit: string): void {
    const terminators = this.ctx.vars.get('playback_terminators') ?? '*';
    if (this.running?.interrupt && terminators !== 'none' && terminators.includes(digit)) {
      this.running.interrupt('dtmf', digit);
    }
  }

  /** The caller spoke: a running record's silence timer starts over, and so do the media bugs'. */
  speech(): void {
    this.rearmSilence?.();
    for (const rec of [...this.sessionRecords.values()]) rec.speech();
  }

  /** `uuid_record <uuid> stop <path>`: false when no such recording runs. */
  stopSessionRecord(path: string): boolean {
    const rec = this.sessionRecords.get(path);
    if (!rec) return false;
    rec.stop();
    return true;
  }

  /** The hangup state removes the media bugs: each reports its RECORD_STOP. */
  closeSessionRecords(): void {
    for (const rec of [...this.sessionRecords.values()]) rec.close();
  }

  /** The call is hanging up: nothing queued will run. */
  clearQueue(): void {
    this.queue.length = 0;
  }

  /** The call hung up: the running application ends now and reports its COMPLETE. */
  hangup(): void {
    const run = this.running;
    if (run?.interrupt) run.interrupt('hangup');
    else if (run) {
      run.cancel();
      this.finishApp('_none_');
    }
  }

  /** The socket is gone: nothing more is reported. */
  abandon(): void {
    this.running?.cancel();
    this.running = null;
    this.sessionRecords.clear();
  }

  private runNext(): void {
    if (this.running || this.ctx.isHungUp()) return;
    const next = this.queue.shift();
    if (!next) return;
    if (!KNOWN_APPS.has(next.app)) {
      // `+OK`, no CHANNEL_EXECUTE, then the call is hung up (05; switch_core_session.c "Invalid Application").
      this.queue.length = 0;
      this.ctx.hangup('DESTINATION_OUT_OF_ORDER', 'app');
      return;
    }
    const run: RunningApp = { ...next, start: this.ctx.now(), cancel: () => {} };
    this.running = run;
    this.ctx.vars.set('current_application', next.app);
    this.ctx.vars.set('current_application_data', next.arg);
    this.ctx.emit('CHANNEL_EXECUTE', ['switch_core_session.c', 'switch_core_session_exec', 2929], executeHeaders(run));
    switch (next.app) {
      case 'answer':
      case 'pre_answer':
        this.ctx.answer();
        return this.finishApp('_none_');
      case 'set': {
        const eq = next.arg.indexOf('=');
        if (eq > 0) this.ctx.vars.set(next.arg.slice(0, eq), next.arg.slice(eq + 1));
        return this.finishApp('_none_');
      }
      case 'sleep':
        run.cancel = this.ctx.after(Number.parseInt(next.arg, 10) || 0, () => this.finishApp('_none_'));
        return;
      case 'hangup':
        return this.ctx.hangup(next.arg || 'NORMAL_CLEARING', 'app');
      case 'playback':
        return runPlayback(run, this.media);
      case 'record':
        return runRecord(run, this.media);
      case 'record_session': {
        // `<path> +<limit s>`: the bug is attached and the application returns at once.
        const m = /^(.*?)(?:\s+\+(\d+))?$/.exec(next.arg.trim());
        const path = m?.[1] ?? next.arg;
        this.sessionRecords.get(path)?.stop();
        const rec = new EslSimSessionRecord(path, Number.parseInt(m?.[2] ?? '0', 10), this.ctx, this.counts, (r) => {
          if (this.sessionRecords.get(r.path) === r) this.sessionRecords.delete(r.path);
        });
        this.sessionRecords.set(path, rec);
        return this.finishApp('_none_');
      }
    }
  }

  private finishApp(response: string): void {
    const run = this.running;
    if (!run) return;
    this.running = null;
    this.lastResponseValue = response;
    this.ctx.emit('CHANNEL_EXECUTE_COMPLETE', ['switch_core_session.c', 'switch_core_session_exec', 2967], [
      ...appHeaders(run),
      ['Application-Response', response],
      ...(run.eventUuid ? ([['Application-UUID', run.eventUuid]] as Header[]) : []),
    ]);
    if (!this.ctx.isHungUp() && this.queue.length > 0) this.ctx.after(0, () => this.runNext());
  }
}

function appHeaders(run: { app: string; arg: string }): Header[] {
  return [
    ['Application', run.app],
    ['Application-Data', run.arg],
  ];
}

/** CHANNEL_EXECUTE carries the sendmsg's Event-UUID as `Application-UUID` too (04 n=14). */
function executeHeaders(run: RunningApp): Header[] {
  return [...appHeaders(run), ...(run.eventUuid ? ([['Application-UUID', run.eventUuid]] as Header[]) : [])];
}
