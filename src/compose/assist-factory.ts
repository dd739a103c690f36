import { readFileSync, statSync } from 'node:fs';
import { CallIntake } from '../app/assist/call-intake.ts';
import { CircuitBreaker } from '../app/assist/circuit-breaker.ts';
import { GuardedAssist, type AssistMetrics } from '../app/assist/guarded-assist.ts';
import type { Config } from '../config/config-schema.ts';
import { AppError } from '../domain/errors.ts';
import type { Assist } from '../domain/ports/assist.ts';
import type { AsyncAssistLog } from '../domain/ports/async-stores.ts';
import type { Clock } from '../domain/ports/clock.ts';
import type { Logger } from '../domain/ports/logger.ts';

/**
 * The assist as the service uses it: the guarded use cases and the per-call intake, recording to `log`
 * (serve's `stores.assistLog`: SQLite in turns, or PostgreSQL). Null when `assist.enabled` is false.
 */
export interface AssistWiring {
  readonly guarded: GuardedAssist;
  readonly intake: CallIntake;
}

/**
 * The Mistral SDK is imported only when the assist is on and no adapter is given: it costs about a second
 * of CPU at start-up on the 2-core box, which `serve` with the assist off must not pay
 * (bench/cli-startup.bench.ts measures serve's time to ready).
 */
export async function createAssistWiring(
  cfg: Config['assist'],
  deps: { log: AsyncAssistLog; clock: Clock; logger: Logger; metrics?: AssistMetrics; assist?: Assist },
): Promise<AssistWiring | null> {
  if (!cfg.enabled) return null;
  const assist = deps.assist ?? (await mistralAssist(cfg));
  const guarded = new GuardedAssist(
    {
      uses: { intake: cfg.uses.intake, reply: cfg.uses.replies, consent: cfg.uses.consent },
      deadlines: { intake: cfg.timeouts.intake, reply: cfg.timeouts.reply, consent: cfg.timeouts.consent },
    },
    {
      assist,
      breaker: new CircuitBreaker({ failureThreshold: cfg.breaker.failureThreshold, openMs: cfg.breaker.openInS * 1000 }, deps.clock),
      log: deps.log,
      clock: deps.clock,
      logger: deps.logger,
      ...(deps.metrics ? { metrics: deps.metrics } : {}),
    },
  );
  deps.logger.info({ model: cfg.model, serverURL: cfg.serverURL, uses: cfg.uses }, 'assist enabled');
  return { guarded, intake: new CallIntake(guarded, deps.logger) };
}

async function mistralAssist(cfg: Config['assist']): Promise<Assist> {
  const { MistralAssist } = await import('../llm/mistral-assist.ts');
  return new MistralAssist({
    serverURL: cfg.serverURL,
    model: cfg.model,
    apiKey: cfg.apiKeyFile === undefined ? '' : readApiKey(cfg.apiKeyFile),
    // One request may use the longest deadline; each use's own deadline bounds the whole call.
    requestTimeoutMs: Math.max(cfg.timeouts.intake, cfg.timeouts.reply, cfg.timeouts.consent),
    retry: { initialIntervalMs: cfg.retry.initialInterval, maxRetryIntervalMs: cfg.retry.maxInterval, maxElapsedMs: cfg.retry.maxElapsed },
  });
}

/** The key file must be readable by its owner only (0600): it is a credential. */
function readApiKey(file: string): string {
  let mode: number;
  let key: string;
  try {
    mode = statSync(file).mode & 0o777;
    key = readFileSync(file, 'utf8').trim();
  } catch (e) {
    throw new AppError('CONFIG.INVALID', `assist.apiKeyFile: cannot read ${file}: ${(e as Error).message}`, { cause: e });
  }
  if ((mode & 0o077) !== 0) {
    throw new AppError('CONFIG.INVALID', `assist.apiKeyFile: ${file} is readable by others (mode ${mode.toString(8)}); run chmod 600 ${file}`);
  }
  if (key === '') throw new AppError('CONFIG.INVALID', `assist.apiKeyFile: ${file} is empty`);
  return key;
}
