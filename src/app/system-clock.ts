import type { Clock } from '../domain/ports/clock.ts';

/** The real `Clock`: wall time and `setTimeout`. Tests use a manual clock instead. */
export function createSystemClock(): Clock {
  return {
    now: () => Date.now(),
    setTimer(ms, fn) {
      const t = setTimeout(fn, ms);
      return () => clearTimeout(t);
    },
  };
}
