import type { Clock } from '../domain/ports/clock.ts';
import type { Logger } from '../domain/ports/logger.ts';
import type { Metrics } from '../domain/ports/metrics.ts';
import type { BoundedJobQueue, QueueSnapshot } from './bounded-job-queue.ts';

export type RecognizerLoad = 'ok' | 'saturated';

export interface RecognizerLoadOptions {
  /**
   * An answer waiting this long for the recognizer means saturation: it decodes in about a second
   * (src/speech/README.md), the caller hears silence meanwhile, and the call gives up at 30 s
   * (`transcribeAnswerTimeoutMs`), so at 10 s a third of that bound is gone before decoding starts.
   */
  readonly answerWaitMs?: number;
  /** At most one saturation warning per this interval while it lasts (25 calls must not log 25 warnings). */
  readonly warnEveryMs?: number;
  /** How often the line is looked at while jobs wait or the recognizer is saturated. */
  readonly checkEveryMs?: number;
}

export interface RecognizerLoadDeps {
  readonly clock: Clock;
  readonly logger: Logger;
  readonly metrics: Pick<Metrics, 'recognizerLoad'>;
  /** The recognizer's name for the log (`whisper`, `pocketsphinx`). */
  readonly engine: string;
  /** Told on every change of status (the composition root sets `/readyz`'s `speech` from it). */
  readonly onStatus?: (status: RecognizerLoad) => void;
}

const DEFAULTS = { answerWaitMs: 10_000, warnEveryMs: 10_000, checkEveryMs: 1_000 } as const;

/**
 * Makes a saturated recognizer loud (25 calls at once on one recognizer, every answer past its bound, nothing
 * logged above debug: test/engines/README.md). It watches the transcription queue and calls the recognizer saturated when an
 * answer has waited `answerWaitMs`, when the waiting line is full, or when a job was refused or given up;
 * then it warns (with the depth, the oldest wait and which kind of job suffers) at most every
 * `warnEveryMs`, and says when it has recovered: no answer waiting past half of `answerWaitMs`, the
 * line not full, and no job refused or given up for `warnEveryMs`. The queue depth per kind and the
 * saturation go to the metrics on every change.
 */
export class RecognizerLoadWatch {
  private state: RecognizerLoad = 'ok';
  private since = 0;
  private lastWarnAt = -Infinity;
  private lastTroubleAt = -Infinity;
  private seen = { refused: 0, abandoned: 0 };
  private sinceWarn = { answersRefused: 0, answersAbandoned: 0, messagesRefused: 0, messagesAbandoned: 0 };
  private cancelCheck: (() => void) | null = null;
  private readonly unsubscribe: () => void;
  private readonly opts: Required<RecognizerLoadOptions>;

  constructor(
    private readonly queue: Pick<BoundedJobQueue, 'snapshot' | 'onChange'>,
    private readonly deps: RecognizerLoadDeps,
    opts: RecognizerLoadOptions = {},
  ) {
    this.opts = { ...DEFAULTS, ...opts };
    this.unsubscribe = queue.onChange(() => this.check());
    this.check();
  }

  get status(): RecognizerLoad {
    return this.state;
  }

  /** Stops watching (the service is stopping). */
  close(): void {
    this.unsubscribe();
    this.cancelCheck?.();
    this.cancelCheck = null;
  }

  private check(): void {
    const now = this.deps.clock.now();
    const q = this.queue.snapshot();
    const trouble = this.countTrouble(q, now);
    const full = q.urgent.depth + q.normal.depth >= q.maxQueued;
    const late = q.urgent.oldestWaitMs >= this.opts.answerWaitMs;
    if (this.state === 'ok' && (late || full || trouble)) {
      this.state = 'saturated';
      this.since = now;
      this.deps.onStatus?.('saturated');
    } else if (
      this.state === 'saturated' &&
      !full &&
      q.urgent.oldestWaitMs < this.opts.answerWaitMs / 2 &&
      now - this.lastTroubleAt >= this.opts.warnEveryMs
    ) {
      this.state = 'ok';
      this.deps.logger.info({ engine: this.deps.engine, saturatedForMs: now - this.since, ...fields(q) }, 'speech recognizer recovered');
      this.deps.onStatus?.('ok');
    }
    if (this.state === 'saturated' && now - this.lastWarnAt >= this.opts.warnEveryMs) this.warn(q, now);
    this.deps.metrics.recognizerLoad({ answersWaiting: q.urgent.depth, messagesWaiting: q.normal.depth, saturated: this.state === 'saturated' });
    this.schedule(q);
  }

  /** Whether a job was refused or given up since the last look. */
  private countTrouble(q: QueueSnapshot, now: number): boolean {
    const refused = q.urgent.refused + q.normal.refused;
    const abandoned = q.urgent.abandoned + q.normal.abandoned;
    const trouble = refused > this.seen.refused || abandoned > this.seen.abandoned;
    if (trouble) this.lastTroubleAt = now;
    this.seen = { refused, abandoned };
    return trouble;
  }

  private warn(q: QueueSnapshot, now: number): void {
    const w = this.sinceWarn;
    const delta = {
      answersRefused: q.urgent.refused - w.answersRefused,
      answersAbandoned: q.urgent.abandoned - w.answersAbandoned,
      messagesRefused: q.normal.refused - w.messagesRefused,
      messagesAbandoned: q.normal.abandoned - w.messagesAbandoned,
    };
    this.sinceWarn = { answersRefused: q.urgent.refused, answersAbandoned: q.urgent.abandoned, messagesRefused: q.normal.refused, messagesAbandoned: q.normal.abandoned };
    this.lastWarnAt = now;
    // Which callers suffer: answers (a caller on the line) unless only messages are held up.
    const answersHurt = q.urgent.depth > 0 || delta.answersRefused + delta.answersAbandoned > 0;
    this.deps.logger.warn(
      { engine: this.deps.engine, kind: answersHurt ? 'answer' : 'message', saturatedForMs: now - this.since, ...fields(q), ...delta },
      'speech recognizer saturated: transcriptions wait too long or are turned away',
    );
  }

  /** Looks again while anything waits (an answer's wait grows without any event) or until recovered. */
  private schedule(q: QueueSnapshot): void {
    const needed = this.state === 'saturated' || q.urgent.depth + q.normal.depth > 0;
    if (!needed) {
      this.cancelCheck?.();
      this.cancelCheck = null;
    } else if (this.cancelCheck === null) {
      this.cancelCheck = this.deps.clock.setTimer(this.opts.checkEveryMs, () => {
        this.cancelCheck = null;
        this.check();
      });
    }
  }
}

function fields(q: QueueSnapshot): Record<string, number> {
  return {
    queueDepth: q.urgent.depth + q.normal.depth,
    answersWaiting: q.urgent.depth,
    messagesWaiting: q.normal.depth,
    oldestAnswerWaitMs: q.urgent.oldestWaitMs,
    oldestMessageWaitMs: q.normal.oldestWaitMs,
    inFlight: q.inFlight,
    concurrency: q.concurrency,
    maxQueued: q.maxQueued,
  };
}
