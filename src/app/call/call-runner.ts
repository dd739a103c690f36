import { initialCallState, DEFAULT_CALL_FLOW_SETTINGS, type CallFlowSettings } from '../../domain/call-flow/call-state.ts';
import { routeCall } from '../../domain/call-flow/call-route.ts';
import { currentConsent } from '../../domain/consent.ts';
import { parseCallerId, toE164 } from '../../domain/phone-number.ts';
import { emergencyInstructionFor } from '../../domain/urgency/urgency-messages.ts';
import type { IncomingCall } from '../../domain/ports/call-engine.ts';
import { errorFields } from '../../domain/errors.ts';
import { CallSession } from './call-session.ts';
import type { CallResult, CallRunnerDeps } from './call-types.ts';

export interface CallRunner {
  /**
   * Runs one call to its end: opens the call row, routes the call, runs the flow, closes the row.
   * Never rejects: every failure ends in a closed call row and a result. `signal` aborts the call
   * (the caller is hung up and the call recorded as `interrupted` unless a decision was stored).
   */
  run(call: IncomingCall, opts?: { readonly signal?: AbortSignal }): Promise<CallResult>;
  /** Calls in progress. */
  active(): number;
  /** Aborts every call in progress (service shutdown); resolves when they have all ended. */
  abortAll(): Promise<void>;
  /**
   * Resolves once every call has ended and the work that outlives a call is done: a message transcribed
   * after its call ended, stored, judged and handed to the staff (`CallerMessage`). For shutdown: after
   * the recognizer has closed, before the stores do.
   */
  settled(): Promise<void>;
}

/**
 * The "run a call" use case. Wire it to an engine with `engine.start((call) => void runner.run(call))`.
 */
export function createCallRunner(deps: CallRunnerDeps): CallRunner {
  const settings: CallFlowSettings = { ...DEFAULT_CALL_FLOW_SETTINGS, ...deps.settings };
  // Every call from the moment it arrives, also while its row is being opened (the stores answer
  // later): a shutdown counts it and waits for it, and an abort reaches it once its session exists.
  const calls = new Map<InProgress, Promise<CallResult>>();
  const lingering = new Set<Promise<void>>();

  async function run(call: IncomingCall, opts: { readonly signal?: AbortSignal } = {}): Promise<CallResult> {
    const entry: InProgress = { aborted: false, session: null };
    const done = runCall(call, entry, opts.signal);
    calls.set(entry, done);
    try {
      return await done;
    } finally {
      calls.delete(entry);
    }
  }

  async function runCall(call: IncomingCall, entry: InProgress, signal: AbortSignal | undefined): Promise<CallResult> {
    const startedAt = deps.clock.now();
    deps.metrics.callStarted();
    const did = toE164(call.dialed, deps.defaultCountry) ?? call.dialed;
    const callerId = parseCallerId(call.callerIdRaw, deps.defaultCountry);
    const callerE164 = callerId.kind === 'number' ? callerId.e164 : null;
    let callId: number;
    let route;
    let business;
    let ledgerIdAtStart = 0;
    try {
      // The leg is subscribed to only once the row is open; a caller who hangs up meanwhile is still
      // heard (CallLeg.onEvent replays a hangup to a late listener).
      business = await deps.directory.byDid(did);
      const prior = business !== undefined && callerE164 !== null ? await deps.consentStore.latest(business.id, callerE164) : undefined;
      ledgerIdAtStart = prior?.id ?? 0;
      const priorConsent = business !== undefined && callerE164 !== null ? currentConsent(prior) : null;
      route = routeCall({ business, callerId, priorConsent });
      callId = await deps.callLog.open({
        engine: deps.engineName,
        channelId: call.leg.id,
        businessId: business?.id ?? null,
        did,
        callerRaw: call.callerIdRaw,
        callerE164,
        startedAt,
      });
    } catch (err) {
      // Without a call row nothing of this call could be kept: do not take a message we would lose.
      deps.logger.error({ channelId: call.leg.id, err: errorFields(err) }, 'call could not be opened');
      await call.leg.hangup().catch(() => undefined);
      deps.metrics.callEnded('failed');
      return {
        callId: null,
        route: route ?? 'unknown-did',
        outcome: 'failed',
        decision: null,
        consentEventId: null,
        outboundMessageId: null,
        decisionLatencyMs: null,
        message: null,
        messageTranscript: null,
        ignoredEvents: 0,
      };
    }
    const log = deps.logger.child({ callId, channelId: call.leg.id });
    log.info({ route, businessId: business?.id ?? null, caller: callerE164 ?? call.callerIdRaw }, 'call started');
    // The goodbye only ever waits for the urgency judgement when there is an instruction to play.
    const emergencyInstruction =
      deps.assessUrgency !== undefined && business !== undefined && emergencyInstructionFor(business, { urgent: true }) !== null;
    const session = new CallSession(
      deps,
      call.leg,
      { callId, business: business ?? null, did, callerE164, ledgerIdAtStart },
      initialCallState(route, settings, { emergencyInstruction, waitsForSpeech: deps.engineCapabilities?.waitsForSpeech === true }),
      log,
    );
    const onAbort = () => session.dispatch({ type: 'abort' });
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = session.run();
    entry.session = session;
    // Aborted while the row was being opened: the call ends as soon as it starts.
    if (signal?.aborted === true || entry.aborted) onAbort();
    try {
      return await done;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      const work = session.lingering().catch((err: unknown) => log.error({ err: errorFields(err) }, 'message work after the call failed'));
      lingering.add(work);
      void work.then(() => lingering.delete(work));
    }
  }

  return {
    run,
    active: () => calls.size,
    async abortAll() {
      const pending = [...calls.entries()];
      for (const [entry] of pending) {
        entry.aborted = true;
        entry.session?.dispatch({ type: 'abort' });
      }
      await Promise.all(pending.map(([, done]) => done));
    },
    async settled() {
      // Again until nothing is left: a call that ends meanwhile adds its own message work.
      while (calls.size > 0 || lingering.size > 0) {
        await Promise.all([...[...calls.values()].map((p) => p.then(() => undefined, () => undefined)), ...lingering]);
      }
    },
  };
}

/** A call in progress: its session once the row is open, and whether `abortAll` reached it before that. */
interface InProgress {
  aborted: boolean;
  session: CallSession | null;
}
