import type { Clock } from '../../domain/ports/clock.ts';
import type { Logger } from '../../domain/ports/logger.ts';

/** Once a day is enough for a rule counted in days, and cheap: a purge is a few indexed queries. */
export const PURGE_INTERVAL_MS = 86_400_000;
/** The first run waits until start-up (engine, SMSC, readiness) is done rather than competing with it. */
export const FIRST_PURGE_DELAY_MS = 60_000;

/**
 * Runs the retention purge inside `serve`: once shortly after start, then daily. Runs never
 * overlap; a failed run is logged and the next one is still scheduled. Timers come from the `Clock` port.
 */
export function scheduleDailyPurge(deps: {
  readonly clock: Clock;
  readonly run: () => Promise<unknown>;
  readonly logger: Logger;
  readonly intervalMs?: number;
  readonly firstDelayMs?: number;
}): { stop(): void; readonly running: () => boolean } {
  let cancel: (() => void) | null = null;
  let stopped = false;
  let running = false;
  const schedule = (ms: number): void => {
    if (stopped) return;
    cancel = deps.clock.setTimer(ms, () => void tick());
  };
  const tick = async (): Promise<void> => {
    running = true;
    try {
      await deps.run();
    } catch (e) {
      deps.logger.error({ err: e }, 'scheduled recording purge failed');
    } finally {
      running = false;
      schedule(deps.intervalMs ?? PURGE_INTERVAL_MS);
    }
  };
  schedule(deps.firstDelayMs ?? FIRST_PURGE_DELAY_MS);
  return {
    stop() {
      stopped = true;
      cancel?.();
      cancel = null;
    },
    running: () => running,
  };
}
