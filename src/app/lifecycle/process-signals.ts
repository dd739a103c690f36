import type { Logger } from '../../domain/ports/logger.ts';
import type { ServiceLifecycle } from './service-lifecycle.ts';

export type ServiceSignal = 'SIGTERM' | 'SIGINT' | 'SIGHUP';

/**
 * Connects signals to the lifecycle; the composition root passes `process.on`/`process.off` and
 * `process.exit`, so this module touches no process globals. SIGTERM (systemd stop) and SIGINT (Ctrl-C)
 * drain and exit 0, or 1 when a component failed to stop; a second SIGTERM/SIGINT during the drain exits
 * at once with 1 (the operator insists). SIGHUP reloads businesses and templates.
 */
export function bindProcessSignals(
  lifecycle: ServiceLifecycle,
  io: {
    readonly on: (signal: ServiceSignal, handler: () => void) => void;
    readonly off: (signal: ServiceSignal, handler: () => void) => void;
    readonly exit: (code: number) => void;
    readonly logger: Logger;
  },
): () => void {
  let stopping = false;
  const onStop = (signal: ServiceSignal) => (): void => {
    if (stopping) {
      io.logger.warn({ signal }, 'second stop signal: exiting without waiting for the drain');
      io.exit(1);
      return;
    }
    stopping = true;
    lifecycle.shutdown(signal).then(
      (r) => io.exit(r.failures.length === 0 ? 0 : 1),
      (e: unknown) => {
        io.logger.error({ err: e }, 'shutdown failed');
        io.exit(1);
      },
    );
  };
  const handlers: [ServiceSignal, () => void][] = [
    ['SIGTERM', onStop('SIGTERM')],
    ['SIGINT', onStop('SIGINT')],
    ['SIGHUP', () => void lifecycle.reload()],
  ];
  for (const [s, h] of handlers) io.on(s, h);
  return () => {
    for (const [s, h] of handlers) io.off(s, h);
  };
}
