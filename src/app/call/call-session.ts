import type { CallEvent } from '../../domain/call-flow/call-events.ts';
import type { CallFlowState } from '../../domain/call-flow/call-state.ts';
import { transition } from '../../domain/call-flow/call-transition.ts';
import type { PromptKey } from '../../domain/call-flow/prompts.ts';
import type { CallLeg, LegEvent, PromptRef } from '../../domain/ports/call-engine.ts';
import type { Logger } from '../../domain/ports/logger.ts';
import { callResultOf, notifyCallEnded } from './call-closing.ts';
import type { CallDeps, CallResult } from './call-deps.ts';
import { CallEvidence } from './call-evidence.ts';
import type { CallFacts } from './call-records.ts';
import type { CallSessionContext } from './call-session-context.ts';
import { CallTimers } from './call-timers.ts';
import { executeCommand } from './command-executor.ts';
import { LegEventRouter } from './leg-event-router.ts';
import { prefetchPrompts } from './prompt-player.ts';

interface Queued {
  readonly event: CallEvent;
  /** For timeouts: false when the timer was restarted after this one fired. */
  readonly stillValid?: () => boolean;
}

/**
 * Runs one call: feeds events into the pure `transition` one at a time and carries out the commands it
 * returns through the ports (`executeCommand`). Engine operations are awaited in order (they are quick
 * REST/ESL requests); slow work (fetching and storing audio, transcription) runs in the background and
 * reports back as an event, so a hangup is never stuck behind a transcription. The session owns the
 * call's evidence (audio, transcripts, the consent texts played: `CallEvidence`).
 */
export class CallSession {
  readonly #ctx: CallSessionContext;
  readonly #leg: CallLeg;
  readonly #timers: CallTimers;
  readonly #router: LegEventRouter;
  readonly #evidence = new CallEvidence();
  readonly #log: Logger;
  #state: CallFlowState;
  readonly #queue: Queued[] = [];
  #draining = false;
  #finished = false;
  #ignored = 0;
  #unsubscribe: (() => void) | null = null;
  readonly #done: Promise<CallResult>;
  #resolve!: (r: CallResult) => void;

  constructor(deps: CallDeps, leg: CallLeg, facts: CallFacts, initial: CallFlowState, log: Logger) {
    this.#leg = leg;
    this.#state = initial;
    this.#log = log;
    this.#timers = new CallTimers(deps.clock, (timer, generation) =>
      this.#enqueue({ event: { type: 'timeout', timer }, stillValid: () => this.#timers.isCurrent(timer, generation) }),
    );
    this.#router = new LegEventRouter((event, source) => this.#onLegEvent(event, source), log);
    this.#ctx = {
      deps,
      leg,
      facts,
      log,
      timers: this.#timers,
      router: this.#router,
      evidence: this.#evidence,
      prompts: new Map<PromptKey, Promise<PromptRef>>(),
      dispatch: (event) => this.dispatch(event),
      state: () => this.#state,
      finished: () => this.#finished,
      ignoredEvents: () => this.#ignored,
    };
    this.#done = new Promise((resolve) => (this.#resolve = resolve));
  }

  /** Subscribes to the leg, starts the flow, and resolves when the call row is closed. */
  run(): Promise<CallResult> {
    this.#unsubscribe = this.#leg.onEvent((e) => this.#router.handle(e));
    prefetchPrompts(this.#ctx);
    this.dispatch({ type: 'start' });
    return this.#done;
  }

  /** Feeds an event into the flow (the runner uses it for `abort`). */
  dispatch(event: CallEvent): void {
    this.#enqueue({ event });
  }

  get phase(): CallFlowState['phase'] {
    return this.#state.phase;
  }

  #enqueue(q: Queued): void {
    if (this.#finished) return;
    this.#queue.push(q);
    if (!this.#draining) void this.#drain();
  }

  async #drain(): Promise<void> {
    this.#draining = true;
    try {
      for (let q = this.#queue.shift(); q !== undefined && !this.#finished; q = this.#queue.shift()) {
        if (q.stillValid !== undefined && !q.stillValid()) continue;
        const from = this.#state.phase;
        const r = transition(this.#state, q.event);
        if (r.ignored !== undefined) {
          this.#ignored++;
          this.#log.debug({ event: q.event.type, phase: from, reason: r.ignored }, 'call event ignored');
          continue;
        }
        this.#state = r.next;
        if (from !== r.next.phase) this.#log.debug({ event: q.event.type, from, to: r.next.phase }, 'call phase');
        for (const c of r.commands) await executeCommand(this.#ctx, c);
        if (this.#state.phase === 'ended') this.#finish();
      }
    } finally {
      this.#draining = false;
    }
  }

  #onLegEvent(event: CallEvent, source: LegEvent): void {
    if (source.type === 'recording-finished' && event.type === 'recording-finished') {
      if (event.purpose === 'message') this.#evidence.messageDurationMs = source.durationMs;
      const answer = this.#evidence.answers.find((a) => a.recordingId === source.recordingId);
      if (answer !== undefined) answer.endedAt = this.#ctx.deps.clock.now();
    }
    this.dispatch(event);
  }

  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#queue.length = 0;
    this.#timers.cancelAll();
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#resolve(callResultOf(this.#ctx, this.#state));
    notifyCallEnded(this.#ctx, this.#state);
  }
}
