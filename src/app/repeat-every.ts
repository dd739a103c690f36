import type { Clock } from '../domain/ports/clock.ts';

/**
 * Runs `work` every `everyMs` on the Clock port, the next run timed from the end of the previous one so
 * that two runs never overlap however long one takes. `stop()` cancels the next run; a run in progress
 * finishes and schedules nothing more.
 */
export function repeatEvery(clock: Clock, everyMs: number, work: () => Promise<unknown>): { stop(): void } {
  let stopped = false;
  let cancel = (): void => undefined;
  const arm = (): void => {
    cancel = clock.setTimer(everyMs, () => {
      void work().finally(() => {
        if (!stopped) arm();
      });
    });
  };
  arm();
  return {
    stop() {
      stopped = true;
      cancel();
    },
  };
}
