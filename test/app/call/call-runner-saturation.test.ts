import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CallResult } from '../../../src/app/call/call-types.ts';
import { ReadinessBoard, type Readiness } from '../../../src/app/lifecycle/readiness-board.ts';
import { watchRecognizerLoad } from '../../../src/compose/recognizer-load.ts';
import { renderPrompt, repromptText } from '../../../src/domain/call-flow/prompts.ts';
import { ACME, createCallHarness, flush } from '../../fakes/call-harness.ts';
import { FakeCallEngine } from '../../fakes/fake-call-engine.ts';

const caller = (i: number) => `+1512555${String(2000 + i).padStart(4, '0')}`;

/**
 * 25 calls at once on FreeSWITCH against one recognizer; every answer ran past its 30 s
 * bound, every caller was asked again, every decision was `unclear`, nothing was logged above debug.
 * Here the recognizer takes 3 s of fake time per job, one at a time, for 25 messages and 25 answers.
 */
test('25 calls at once on a saturated recognizer: loud (warning, metrics, /readyz degraded), answers first, outcomes that say why', async () => {
  const h = createCallHarness({ transcriber: (clock) => ({ queue: { clock, concurrency: 1, jobMs: 3_000 } }) });
  const board = new ReadinessBoard();
  board.set('store', true);
  const watch = watchRecognizerLoad(h.transcriber, { clock: h.clock, logger: h.logger, metrics: h.metrics, readiness: board });
  assert.ok(watch !== null, 'the fake recognizer has a queue to watch');

  const engine = new FakeCallEngine();
  const runs: Array<Promise<CallResult>> = [];
  await engine.start((call) => void runs.push(h.runner.run(call)));
  for (let i = 0; i < 25; i++) engine.placeCall({ callerId: caller(i), says: ['the sink leaks', 'yes'] });

  // Fake time moves a second at a time while nothing else can run; readiness is sampled at each step.
  const seen = new Set<Readiness | undefined>();
  let finished = false;
  const all = Promise.all(runs).then((r) => {
    finished = true;
    return r;
  });
  for (let step = 0; step < 2_000 && !finished; step++) {
    await flush();
    seen.add(board.snapshot()['speech']);
    if (!finished) h.clock.advance(1_000);
  }
  assert.ok(finished, 'every call ended within 2,000 s of fake time');
  const results = await all;
  // Messages the calls stopped waiting for are transcribed after them (src/app/call/caller-message.ts).
  const queue = h.transcriber.queue!;
  for (let step = 0; step < 2_000 && queue.depth + queue.inFlight > 0; step++) {
    await flush();
    h.clock.advance(1_000);
  }
  assert.equal(queue.depth + queue.inFlight, 0, 'the messages left after the calls were all transcribed within 2,000 s of fake time');
  for (const r of results) assert.equal(h.callLog.get(r.callId!).transcript, 'the sink leaks', `call ${r.callId} kept its message transcript`);
  // Let the watch see the line empty for its quiet period.
  for (let i = 0; i < 15; i++) {
    await flush();
    h.clock.advance(1_000);
  }

  // Loud: one warning per 10 s at most, with the depth and the oldest answer's wait; then an info.
  const warnings = h.logger.entries.filter((e) => e.level === 'warn' && e.msg.startsWith('speech recognizer saturated'));
  assert.ok(warnings.length >= 1, 'the saturation is warned about');
  assert.ok(warnings.length <= 25, 'not once per call');
  const first = warnings[0]!.fields;
  assert.equal(first['kind'], 'answer');
  assert.ok((first['answersWaiting'] as number) > 0 && (first['oldestAnswerWaitMs'] as number) >= 10_000, JSON.stringify(first));
  assert.equal(h.logger.entries.filter((e) => e.msg === 'speech recognizer recovered').length, 1);
  assert.ok(seen.has('degraded'), '/readyz speech was degraded while saturated');
  assert.equal(board.snapshot()['speech'], true, 'and up again once recovered');
  assert.equal(board.ready(), true, 'degraded never made the service unready');
  assert.ok(h.metrics.recognizerLoads.some((l) => l.saturated && l.answersWaiting > 0));
  assert.deepEqual(h.metrics.recognizerLoads.at(-1), { answersWaiting: 0, messagesWaiting: 0, saturated: false });

  // Outcomes that say why: heard answers are decided; the others are unheard (never unclear as if mumbled).
  const outcomes = results.map((r) => r.outcome);
  const granted = outcomes.filter((o) => o === 'consent-granted').length;
  const unheard = outcomes.filter((o) => o === 'consent-unheard').length;
  assert.equal(granted + unheard, 25, JSON.stringify(outcomes));
  assert.ok(granted > 0, 'the recognizer kept serving answers first');
  assert.ok(unheard > 0, 'the saturated case was exercised');
  const timedOut = h.metrics.transcriptionFailures.filter((f) => f.purpose === 'consent-answer' && f.reason === 'timeout').length;
  assert.equal(timedOut, unheard, 'each unheard answer is counted');
  for (const r of results) {
    const events = h.consentStore.forCall(r.callId!);
    assert.equal(events.length, 1);
    const texts = h.outbox.forCall(r.callId!);
    if (r.outcome === 'consent-unheard') {
      assert.equal(events[0]?.event, 'unclear');
      assert.equal(events[0]?.source, 'call: answer not transcribed (recognizer-timeout)');
      assert.equal(texts.length, 0, 'nothing unclear counts as yes');
    } else {
      assert.equal(events[0]?.event, 'granted');
      assert.equal(texts.length, 1);
    }
  }
  // Nobody was asked twice (the reprompt would have queued behind the same load), and each was told why.
  for (const leg of engine.legs) {
    const played = h.playedTexts(leg);
    assert.ok(!played.includes(repromptText(ACME.name)), `${leg.id} was asked again`);
  }
  const toldUnheard = engine.legs.filter((leg) => h.playedTexts(leg).includes(renderPrompt('goodbye-unheard', ACME))).length;
  assert.equal(toldUnheard, unheard);

  // Answers first under saturation: no message was transcribed before the last answer that was.
  const order = h.transcriber.requests.map((r) => r.purpose);
  const lastAnswer = order.lastIndexOf('consent-answer');
  assert.ok(order.slice(1, lastAnswer).every((p) => p === 'consent-answer'), order.join(','));
  // The answers given up left the line: besides the answers that counted, the recognizer decoded at most
  // the one already running when its bound passed (concurrency 1), not the 16 still waiting.
  const decoded = order.filter((p) => p === 'consent-answer').length;
  assert.ok(decoded >= granted && decoded <= granted + 1, `${decoded} answers decoded, ${granted} granted`);

  watch?.close();
  assert.equal(h.clock.pending(), 0, 'no timers left');
  await engine.stop();
});
