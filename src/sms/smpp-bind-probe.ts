import { AppError } from '../domain/errors.ts';
import type { Logger } from '../domain/ports/logger.ts';
import { SmppGateway, type SmppGatewayConfig } from './smpp-gateway.ts';

/**
 * `callkeeper doctor`'s SMPP check: one bind_transceiver exactly as `serve` sends it (the same
 * SmppGateway, so the same interface version, system_type and credentials), then unbind and close.
 * The gateway retries a lost link forever; a probe must not, so the first link loss or refusal ends it.
 */
export interface SmppBindResult {
  readonly host: string;
  readonly port: number;
  readonly systemId: string;
}

export function probeSmppBind(cfg: SmppGatewayConfig, opts: { signal?: AbortSignal } = {}): Promise<SmppBindResult> {
  // The gateway logs why a link dropped (ECONNREFUSED, a reset) and keeps no error for it: the probe
  // listens to its log to say why, instead of only "down".
  let linkError: string | null = null;
  const listening: Logger = {
    debug() {},
    info() {},
    warn(fields) {
      const err = (fields as { err?: unknown } | undefined)?.err;
      if (typeof err === 'string' && linkError === null) linkError = err;
    },
    error() {},
    child: () => listening,
  };
  const gateway = new SmppGateway(cfg, { logger: listening });
  const where = `${cfg.host}:${cfg.port}`;

  return new Promise<SmppBindResult>((resolve, reject) => {
    let done = false;
    const finish = (err: unknown): void => {
      if (done) return;
      done = true;
      offStatus();
      opts.signal?.removeEventListener('abort', onAbort);
      // After the current status callback has returned: the gateway schedules its reconnect right after
      // announcing `down`, and stop() must come after that to cancel it.
      queueMicrotask(() => {
        gateway.stop().then(
          () => (err ? reject(err) : resolve({ host: cfg.host, port: cfg.port, systemId: cfg.systemId })),
          () => (err ? reject(err) : resolve({ host: cfg.host, port: cfg.port, systemId: cfg.systemId })),
        );
      });
    };
    const onAbort = (): void => finish(new AppError('SMS.NOT_CONNECTED', `SMPP bind to ${where}: gave up`, { retryable: true }));
    const offStatus = gateway.onStatus((s) => {
      if (s !== 'down') return;
      finish(
        gateway.lastError ??
          new AppError('SMS.NOT_CONNECTED', `cannot reach the SMSC at ${where}${linkError ? ` (${linkError})` : ''}`, { retryable: true }),
      );
    });
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    gateway.start().then(
      () => finish(null),
      (e: unknown) => finish(e),
    );
  });
}
