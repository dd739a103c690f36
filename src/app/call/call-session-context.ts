import type { CallEvent } from '../../domain/call-flow/call-events.ts';
import type { CallFlowState } from '../../domain/call-flow/call-state.ts';
import type { PromptKey } from '../../domain/call-flow/prompts.ts';
import type { CallLeg, PromptRef } from '../../domain/ports/call-engine.ts';
import type { Logger } from '../../domain/ports/logger.ts';
import type { CallDeps } from './call-deps.ts';
import type { CallEvidence } from './call-evidence.ts';
import type { CallFacts } from './call-records.ts';
import type { CallTimers } from './call-timers.ts';
import type { LegEventRouter } from './leg-event-router.ts';

/**
 * What the steps carrying out a call's commands share with its `CallSession`. Results go back into the
 * flow only as events through `dispatch`, never by changing the flow state directly.
 */
export interface CallSessionContext {
  readonly deps: CallDeps;
  readonly leg: CallLeg;
  readonly facts: CallFacts;
  readonly log: Logger;
  readonly timers: CallTimers;
  readonly router: LegEventRouter;
  readonly evidence: CallEvidence;
  /** Prompts prepared for this call, by key (prefetched at the start so there is no dead air). */
  readonly prompts: Map<PromptKey, Promise<PromptRef>>;
  dispatch(event: CallEvent): void;
  /** The flow state as of now. */
  state(): CallFlowState;
  /** True once the call's result has been handed back: late background work writes nothing more. */
  finished(): boolean;
  /** Events that were not valid in the state they arrived in. */
  ignoredEvents(): number;
}
