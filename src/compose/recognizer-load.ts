import type { ReadinessBoard } from '../app/lifecycle/readiness-board.ts';
import type { Clock } from '../domain/ports/clock.ts';
import type { Logger } from '../domain/ports/logger.ts';
import type { Metrics } from '../domain/ports/metrics.ts';
import type { Transcriber } from '../domain/ports/transcriber.ts';
import { BoundedJobQueue } from '../speech/bounded-job-queue.ts';
import { RecognizerLoadWatch, type RecognizerLoadOptions } from '../speech/recognizer-load-watch.ts';

/**
 * Watches the recognizer's queue (when it has one: both adapters do) and reports it: a warning while
 * saturated, the per-kind depth and saturation metrics, and `/readyz`'s `speech` check (`true`, or
 * `degraded` while saturated; src/speech/README.md "When the recognizer is saturated"). Returns null for a
 * recognizer without a queue; then `speech` is simply up.
 */
export function watchRecognizerLoad(
  recognizer: Transcriber,
  deps: { readonly clock: Clock; readonly logger: Logger; readonly metrics: Metrics; readonly readiness: ReadinessBoard },
  opts: RecognizerLoadOptions = {},
): RecognizerLoadWatch | null {
  deps.readiness.set('speech', true);
  const queue = (recognizer as { readonly queue?: unknown }).queue;
  if (!(queue instanceof BoundedJobQueue)) return null;
  return new RecognizerLoadWatch(
    queue,
    {
      clock: deps.clock,
      logger: deps.logger,
      metrics: deps.metrics,
      engine: recognizer.engine,
      onStatus: (s) => deps.readiness.set('speech', s === 'ok' ? true : 'degraded'),
    },
    opts,
  );
}
