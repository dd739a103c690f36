import type { Business } from '../../src/domain/business.ts';
import type { CallFlowSettings } from '../../src/domain/call-flow/call-state.ts';
import type { CallRunnerDeps, CallResult } from '../../src/app/call/call-types.ts';
import { createCallRunner, type CallRunner } from '../../src/app/call/call-runner.ts';
import { MessageBacklog, type MessageBacklogOptions } from '../../src/app/call/message-backlog.ts';
import { createPromptSource, type PromptOverride } from '../../src/app/prompts/prompt-source.ts';
import { CapturingLogger } from './capturing-logger.ts';
import { FakeCallEngine } from './fake-call-engine.ts';
import { FakeCallLeg, type CallerScript } from './fake-call-leg.ts';
import { FakeMetrics } from './fake-metrics.ts';
import { FakeSynthesizer, FakeTranscriber, type FakeTranscriberOptions } from './fake-speech.ts';
import { InMemoryBusinessDirectory, makeBusiness } from './in-memory-business-directory.ts';
import { InMemoryCallLog } from './in-memory-call-log.ts';
import { InMemoryConsentStore } from './in-memory-consent-store.ts';
import { InMemoryOutbox } from './in-memory-outbox.ts';
import { InMemoryRecordingStore } from './in-memory-recording-store.ts';
import { Journal } from './journal.ts';
import { KeywordConsentClassifier } from './keyword-consent-classifier.ts';
import { ManualClock } from './manual-clock.ts';
import { promised, StoreGate } from './promised.ts';

export interface CallHarnessOptions {
  /** Default: one verbal business, "Acme Plumbing", id 1, DID +15125550100. */
  readonly businesses?: readonly Business[];
  readonly transcriber?: FakeTranscriberOptions | ((clock: ManualClock) => FakeTranscriberOptions);
  readonly synthesizerFailOn?: (text: string) => boolean;
  readonly recordingFailOn?: (name: string) => boolean;
  readonly settings?: Partial<CallFlowSettings>;
  readonly renderFirstText?: CallRunnerDeps['renderFirstText'];
  readonly promptOverride?: PromptOverride;
  readonly assessUrgency?: CallRunnerDeps['assessUrgency'];
  readonly onCallEnded?: CallRunnerDeps['onCallEnded'];
  readonly onLateTranscript?: CallRunnerDeps['onLateTranscript'];
  readonly engineCapabilities?: CallRunnerDeps['engineCapabilities'];
  /**
   * A message backlog over the harness's stores, recordings and recognizer (`backlog`, not started:
   * the test starts it); the runner hands it the messages it could not transcribe.
   */
  readonly messageBacklog?: MessageBacklogOptions;
}

export const ACME = makeBusiness({ id: 1, name: 'Acme Plumbing', dids: ['+15125550100'] });

/**
 * Every port of a call as an in-memory fake, wired into `createCallRunner`, sharing one `Journal` and one
 * `ManualClock`. The stores reach the runner behind their async ports (`promised`); `stores.hold(...)`
 * holds one store call to open a gap where a database would. For use-case tests of the call flow, and for other adapters' tests that need the
 * orchestrator with everything but the engine faked (pass `deps` on to `createCallRunner`).
 */
export function createCallHarness(opts: CallHarnessOptions = {}) {
  const journal = new Journal();
  const clock = new ManualClock();
  const logger = new CapturingLogger();
  const metrics = new FakeMetrics();
  const callLog = new InMemoryCallLog({ journal });
  const consentStore = new InMemoryConsentStore({ journal, now: () => clock.now() });
  const outbox = new InMemoryOutbox({ journal });
  const recordings = new InMemoryRecordingStore({ journal, ...(opts.recordingFailOn ? { failOn: opts.recordingFailOn } : {}) });
  const transcriber = new FakeTranscriber(typeof opts.transcriber === 'function' ? opts.transcriber(clock) : opts.transcriber);
  const synthesizer = new FakeSynthesizer(opts.synthesizerFailOn ? { failOn: opts.synthesizerFailOn } : {});
  const classifier = new KeywordConsentClassifier();
  const directory = new InMemoryBusinessDirectory(opts.businesses ?? [ACME]);
  // The runner sees the stores behind their async ports; the test reads the fakes directly.
  const stores = new StoreGate();
  const backlog =
    opts.messageBacklog === undefined
      ? null
      : new MessageBacklog(
          {
            callLog: promised(callLog, 'callLog', stores),
            directory: promised(directory, 'directory', stores),
            transcriber,
            recognizerHasRoom: () => transcriber.queue?.hasIdleSlot() ?? true,
            readRecording: async (path) => recordings.files.get(path) ?? 'missing',
            ...(opts.assessUrgency ? { assessUrgency: opts.assessUrgency } : {}),
            ...(opts.onLateTranscript ? { onLateTranscript: opts.onLateTranscript } : {}),
            clock,
            logger,
          },
          opts.messageBacklog,
        );
  const deps: CallRunnerDeps = {
    engineName: 'fake',
    directory: promised(directory, 'directory', stores),
    callLog: promised(callLog, 'callLog', stores),
    consentStore: promised(consentStore, 'consentStore', stores),
    outbox: promised(outbox, 'outbox', stores),
    recordings,
    transcriber,
    classifier,
    prompts: createPromptSource({ synthesizer, ...(opts.promptOverride ? { override: opts.promptOverride } : {}) }),
    clock,
    logger,
    metrics,
    ...(opts.settings ? { settings: opts.settings } : {}),
    ...(opts.renderFirstText ? { renderFirstText: opts.renderFirstText } : {}),
    ...(opts.assessUrgency ? { assessUrgency: opts.assessUrgency } : {}),
    ...(opts.onCallEnded ? { onCallEnded: opts.onCallEnded } : {}),
    ...(opts.onLateTranscript ? { onLateTranscript: opts.onLateTranscript } : {}),
    ...(opts.engineCapabilities ? { engineCapabilities: opts.engineCapabilities } : {}),
    ...(backlog ? { messageBacklog: backlog } : {}),
  };
  const runner: CallRunner = createCallRunner(deps);
  let legs = 0;

  /** The texts a leg played, in order (operator-recorded prompts show as their file). */
  function playedTexts(leg: FakeCallLeg): string[] {
    return leg.played.map((p) => synthesizer.textOf(p.file) ?? p.file);
  }

  /** Starts one scripted call; `done` resolves when the call row is closed. */
  function start(script: CallerScript = {}): { leg: FakeCallLeg; done: Promise<CallResult> } {
    const leg = FakeCallEngine.leg(`leg-${++legs}`, script);
    return { leg, done: runner.run(FakeCallEngine.incoming(leg)) };
  }

  /** Runs one scripted call to its end (no timers need to fire). */
  async function call(script: CallerScript = {}): Promise<{ leg: FakeCallLeg; result: CallResult; played: string[] }> {
    const { leg, done } = start(script);
    const result = await done;
    return { leg, result, played: playedTexts(leg) };
  }

  return { backlog, journal, clock, logger, metrics, stores, callLog, consentStore, outbox, recordings, transcriber, synthesizer, classifier, directory, deps, runner, start, call, playedTexts };
}

export type CallHarness = ReturnType<typeof createCallHarness>;

/** Lets pending callbacks (fake engine events, background jobs) run; no wall-clock waiting. */
export async function flush(rounds = 20): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * Waits for `done`, letting fake time pass in `stepMs` steps whenever everything else is idle, so
 * timeouts and clock-delayed fakes fire without any real waiting.
 */
export async function runToEnd<T>(clock: ManualClock, done: Promise<T>, stepMs = 1_000, maxSteps = 5_000): Promise<T> {
  let finished = false;
  done.then(
    () => (finished = true),
    () => (finished = true),
  );
  for (let i = 0; i < maxSteps && !finished; i++) {
    await flush();
    if (!finished) clock.advance(stepMs);
  }
  if (!finished) throw new Error(`not finished after ${maxSteps} steps of ${stepMs} ms`);
  return done;
}
