import type { Clock } from '../../domain/ports/clock.ts';
import type { Logger } from '../../domain/ports/logger.ts';

export type LifecycleState = 'running' | 'draining' | 'stopped';

/** A part of the running service that must be stopped on shutdown (engine, outbox worker, SMPP, HTTP, DB). */
export interface StoppableComponent {
  readonly name: string;
  stop(): Promise<void> | void;
}

export interface ServiceLifecycleDeps {
  readonly clock: Clock;
  readonly logger: Logger;
  /** Stop taking new calls: new ones go back to the engine's dialplan (`CallLeg.release`); readiness goes false via `accepting()`. */
  readonly stopAccepting: () => Promise<void> | void;
  /** Calls in progress right now. */
  readonly activeCalls: () => number;
  /** Resolves when no call is in progress (called only when `activeCalls()` > 0). */
  readonly whenIdle: () => Promise<void>;
  /** The drain timed out with calls still up: hang them up and record them as `interrupted`. */
  readonly onDrainTimeout?: (remaining: number) => Promise<void> | void;
  /** Stopped one after the other in this order once the calls are done (e.g. engine, transcription, outbox, SMPP, HTTP, DB). */
  readonly components: readonly StoppableComponent[];
  /** SIGHUP: reload businesses and templates. */
  readonly reload: () => Promise<void> | void;
  /** `call.drainTimeoutMs`. */
  readonly drainTimeoutMs: number;
  /**
   * Bound on each component's stop, so that one stuck adapter (an SMSC that never answers unbind) cannot
   * hold the exit until systemd's SIGKILL. 10 s: SMPP's default response timeout.
   */
  readonly componentStopTimeoutMs?: number;
  /**
   * Bound on `onDrainTimeout`: interrupted calls still finish their bookkeeping (an answer already
   * recorded is transcribed, classified and stored, the call row closed) before the database stops.
   * Give it more than the answer-transcription bound; default: the component stop timeout.
   */
  readonly interruptTimeoutMs?: number;
}

export interface ShutdownReport {
  readonly reason: string;
  /** Every call finished on its own within the drain timeout. */
  readonly drained: boolean;
  /** Calls still up when the drain timed out. */
  readonly interruptedCalls: number;
  readonly failures: readonly { readonly name: string; readonly error: string }[];
  readonly elapsedMs: number;
}

const DEFAULT_COMPONENT_STOP_TIMEOUT_MS = 10_000;

/**
 * The service's shutdown and reload sequence, with no process globals: the composition root
 * attaches signals (see `bindProcessSignals`). Shutdown: stop taking calls → wait for calls in progress up
 * to the drain timeout → interrupt what is left → stop components in order. It runs once; later calls get
 * the same promise. Reloads never overlap and are skipped once shutdown has begun.
 */
export class ServiceLifecycle {
  private stateNow: LifecycleState = 'running';
  private shutdownPromise: Promise<ShutdownReport> | null = null;
  private reloading: Promise<'reloaded' | 'failed'> | null = null;

  constructor(private readonly deps: ServiceLifecycleDeps) {}

  get state(): LifecycleState {
    return this.stateNow;
  }

  /** For readiness: false as soon as shutdown begins. */
  accepting(): boolean {
    return this.stateNow === 'running';
  }

  shutdown(reason: string): Promise<ShutdownReport> {
    this.shutdownPromise ??= this.runShutdown(reason);
    return this.shutdownPromise;
  }

  async reload(): Promise<'reloaded' | 'failed' | 'skipped'> {
    if (this.stateNow !== 'running') return 'skipped';
    if (this.reloading) return this.reloading;
    this.reloading = (async () => {
      try {
        await this.deps.reload();
        this.deps.logger.info({}, 'configuration reloaded');
        return 'reloaded' as const;
      } catch (e) {
        // A bad edit must not take the service down: keep running with what was loaded before.
        this.deps.logger.error({ err: e }, 'reload failed; keeping the previous businesses and templates');
        return 'failed' as const;
      } finally {
        this.reloading = null;
      }
    })();
    return this.reloading;
  }

  private async runShutdown(reason: string): Promise<ShutdownReport> {
    const { clock, logger } = this.deps;
    const started = clock.now();
    this.stateNow = 'draining';
    const failures: { name: string; error: string }[] = [];
    const active = this.deps.activeCalls();
    logger.info({ reason, activeCalls: active, drainTimeoutMs: this.deps.drainTimeoutMs }, 'shutting down: no new calls');
    await this.step('stop-accepting', () => this.deps.stopAccepting(), failures);
    let drained = true;
    let interruptedCalls = 0;
    if (active > 0 || this.deps.activeCalls() > 0) {
      drained = await this.within(this.deps.drainTimeoutMs, this.deps.whenIdle());
      if (!drained) {
        interruptedCalls = this.deps.activeCalls();
        logger.warn({ remaining: interruptedCalls }, 'drain timeout: interrupting the calls still in progress');
        const onTimeout = this.deps.onDrainTimeout;
        if (onTimeout) await this.step('interrupt-calls', () => onTimeout(interruptedCalls), failures, this.deps.interruptTimeoutMs);
      }
    }
    for (const c of this.deps.components) await this.step(c.name, () => c.stop(), failures);
    this.stateNow = 'stopped';
    const report: ShutdownReport = { reason, drained, interruptedCalls, failures, elapsedMs: clock.now() - started };
    logger.info({ ...report }, 'shutdown complete');
    return report;
  }

  /** Runs one step bounded by the component stop timeout; a failure is logged and shutdown goes on. */
  private async step(
    name: string,
    fn: () => Promise<void> | void,
    failures: { name: string; error: string }[],
    limitMs?: number,
  ): Promise<void> {
    const limit = limitMs ?? this.deps.componentStopTimeoutMs ?? DEFAULT_COMPONENT_STOP_TIMEOUT_MS;
    try {
      const done = await this.within(limit, Promise.resolve().then(fn));
      if (!done) {
        failures.push({ name, error: `did not stop within ${limit} ms` });
        this.deps.logger.error({ component: name, timeoutMs: limit }, 'component did not stop in time');
      }
    } catch (e) {
      failures.push({ name, error: (e as Error)?.message ?? String(e) });
      this.deps.logger.error({ component: name, err: e }, 'component failed to stop');
    }
  }

  /** True when `p` settles within `ms` (rethrowing its error), false on timeout. */
  private within(ms: number, p: Promise<unknown>): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      const cancel = this.deps.clock.setTimer(ms, () => resolve(false));
      p.then(
        () => {
          cancel();
          resolve(true);
        },
        (e: unknown) => {
          cancel();
          reject(e);
        },
      );
    });
  }
}
