import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { StaffCallSummary } from '../../../src/app/call/call-types.ts';
import { MessageBacklog, type MessageBacklogDeps, type MessageBacklogOptions } from '../../../src/app/call/message-backlog.ts';
import type { Transcriber, TranscribePurpose, Transcript } from '../../../src/domain/ports/transcriber.ts';
import { buildUrgencyRules, DEFAULT_URGENCY_SETTINGS, judgeUrgency } from '../../../src/domain/urgency/urgency-judge.ts';
import { BoundedJobQueue } from '../../../src/speech/bounded-job-queue.ts';
import { ACME, createCallHarness, flush, runToEnd } from '../../fakes/call-harness.ts';
import { CapturingLogger } from '../../fakes/capturing-logger.ts';
import { fakeSpeechWav, FakeTranscriber, readFakeSpeech } from '../../fakes/fake-speech.ts';
import { InMemoryBusinessDirectory } from '../../fakes/in-memory-business-directory.ts';
import { InMemoryCallLog } from '../../fakes/in-memory-call-log.ts';
import { ManualClock } from '../../fakes/manual-clock.ts';
import { promised } from '../../fakes/promised.ts';

const MESSAGE = 'I smell gas in the kitchen, please hurry';
const CALLER = '+15125550123';
const rules = buildUrgencyRules(DEFAULT_URGENCY_SETTINGS);
const assessUrgency: NonNullable<MessageBacklogDeps['assessUrgency']> = async (i) => judgeUrgency(i.transcript, rules);

/** Lets fake time pass in 1 s steps until `cond` holds, at most `maxMs`; fails saying what did not happen. */
async function advanceUntil(clock: ManualClock, cond: () => boolean, maxMs: number, what: string): Promise<void> {
  for (let waited = 0; !cond(); waited += 1_000) {
    if (waited > maxMs) assert.fail(`${what}: not within ${maxMs} ms of fake time`);
    await flush();
    if (!cond()) clock.advance(1_000);
  }
}

/** Call rows and audio as a previous run left them, and a backlog over them (not started). */
function store(clock = new ManualClock()) {
  const callLog = new InMemoryCallLog();
  const files = new Map<string, Buffer>();
  const late: StaffCallSummary[] = [];
  const logger = new CapturingLogger();
  const gauges: Array<{ pending: number; oldestPendingMs: number }> = [];
  /** A call with a stored message, as `CallerMessage.recorded` leaves it; closed unless `open`. */
  const message = (said: string, o: { startedAt?: number; open?: boolean; outcome?: 'consent-granted' | 'message-only' } = {}): number => {
    const startedAt = o.startedAt ?? clock.now() - 120_000;
    const id = callLog.open({ engine: 'fake', channelId: `c-${callLog.rows.size}`, businessId: ACME.id, did: ACME.dids[0]!, callerRaw: CALLER, callerE164: CALLER, startedAt });
    const wav = fakeSpeechWav(said);
    const path = `mem://recordings/${id}.wav`;
    files.set(path, wav);
    callLog.saveMessage(id, { recordingPath: path, sha256: createHash('sha256').update(wav).digest('hex'), durationMs: 4_000 });
    if (o.open !== true) callLog.close(id, { outcome: o.outcome ?? 'consent-granted', endedAt: startedAt + 60_000 });
    return id;
  };
  const backlog = (transcriber: Transcriber & { readonly queue?: BoundedJobQueue | undefined }, opts: MessageBacklogOptions = {}) =>
    new MessageBacklog(
      {
        callLog: promised(callLog, 'callLog'),
        directory: promised(new InMemoryBusinessDirectory([ACME]), 'directory'),
        transcriber,
        recognizerHasRoom: () => transcriber.queue?.hasIdleSlot() ?? true,
        readRecording: async (path) => files.get(path) ?? 'missing',
        assessUrgency,
        onLateTranscript: (s) => void late.push(s),
        clock,
        logger,
        metrics: { messageBacklog: (b) => void gauges.push({ ...b }) },
      },
      opts,
    );
  return { clock, callLog, files, late, logger, gauges, message, backlog };
}

describe('the message backlog', () => {
  test('a message the saturated recognizer refused during the call: staff hear "pending", then the backlog transcribes it and they get it', async () => {
    const late: StaffCallSummary[] = [];
    const ended: StaffCallSummary[] = [];
    const h = createCallHarness({
      // The call's own try is refused at once (the waiting line was full); the backlog's later try succeeds.
      transcriber: { failOn: (p, nth) => p === 'message' && nth === 0, failWith: 'SPEECH.SATURATED' },
      assessUrgency,
      onCallEnded: (s) => void ended.push(s),
      onLateTranscript: (s) => void late.push(s),
      messageBacklog: {},
    });
    const { done } = h.start({ says: [MESSAGE, 'yes'] });
    const result = await runToEnd(h.clock, done, 1_000);
    await flush();
    const id = result.callId!;
    assert.equal(result.outcome, 'consent-granted', 'the call goes on as before');
    assert.equal(ended.length, 1);
    assert.equal(ended[0]!.transcriptStatus, 'pending', 'the staff are told the transcript is pending, not failed');
    assert.equal(h.callLog.get(id).transcriptStatus, 'pending', 'the message is left pending on its row');
    assert.equal(late.length, 0);

    h.backlog!.start();
    await advanceUntil(h.clock, () => late.length > 0, 60_000, 'the backlog handing the late transcript to the staff');
    assert.equal(late.length, 1);
    assert.equal(late[0]!.callId, id);
    assert.equal(late[0]!.transcript, MESSAGE);
    assert.equal(late[0]!.transcriptStatus, undefined);
    assert.equal(late[0]!.urgency?.urgent, true, 'judged for urgency with the same assessor');
    assert.equal(late[0]!.consent, 'granted');
    assert.equal(late[0]!.business?.name, ACME.name);
    const row = h.callLog.get(id);
    assert.equal(row.transcript, MESSAGE);
    assert.equal(row.transcriptStatus, 'done');
    assert.equal(row.transcriptAttempts, 1);
    assert.deepEqual(
      h.transcriber.requests.filter((r) => r.purpose === 'message').map((r) => r.said),
      [MESSAGE, MESSAGE],
      'the call tried once, the backlog once, both as a message',
    );
    assert.deepEqual(h.logger.messagesContaining([MESSAGE, CALLER]), [], 'no transcript or number in a log message');
    await h.backlog!.stop();
  });

  test('without a backlog a failed message is still reported failed (unchanged)', async () => {
    const ended: StaffCallSummary[] = [];
    const h = createCallHarness({ transcriber: { failOn: (p) => p === 'message', failWith: 'SPEECH.SATURATED' }, onCallEnded: (s) => void ended.push(s) });
    const { done } = h.start({ says: [MESSAGE, 'yes'] });
    await runToEnd(h.clock, done, 1_000);
    await flush();
    assert.equal(ended[0]!.transcriptStatus, undefined);
    assert.equal(ended[0]!.transcript, null);
  });

  test('a restart: a new backlog over the same rows takes what the previous run left, oldest first, even a call that never closed', async () => {
    const s = store();
    const newer = s.message('the newer message', { startedAt: s.clock.now() - 60_000 });
    const older = s.message('the boiler is leaking', { startedAt: s.clock.now() - 600_000 });
    const neverClosed = s.message('the call was cut off', { startedAt: s.clock.now() - 300_000, open: true });
    // The previous run's backlog was stopped before it got to them.
    const first = s.backlog(new FakeTranscriber());
    await first.stop();
    const transcriber = new FakeTranscriber();
    const b = s.backlog(transcriber);
    b.start();
    await advanceUntil(s.clock, () => s.late.length === 3, 60_000, 'all three messages transcribed after the restart');
    assert.deepEqual(s.late.map((l) => l.callId), [older, neverClosed, newer], 'oldest call first');
    assert.deepEqual(transcriber.requests, [
      { purpose: 'message', said: 'the boiler is leaking' },
      { purpose: 'message', said: 'the call was cut off' },
      { purpose: 'message', said: 'the newer message' },
    ]);
    const cut = s.late[1]!;
    assert.equal(cut.outcome, 'interrupted', 'a call the stopped process never closed');
    assert.equal(cut.consent, 'not-asked');
    for (const id of [older, newer, neverClosed]) assert.equal(s.callLog.get(id).transcriptStatus, 'done');
    await b.stop();
  });

  test('a call of this run is left alone while it transcribes its own message (even past staleness), and taken once left and closed', async () => {
    const s = store();
    const transcriber = new FakeTranscriber();
    const b = s.backlog(transcriber, { staleAfterMs: 60_000 });
    b.start();
    await flush();
    s.clock.advance(1_000);
    const id = s.message(MESSAGE, { startedAt: s.clock.now(), open: true });
    b.hold(id);
    s.clock.advance(30_000);
    s.callLog.close(id, { outcome: 'message-only', endedAt: s.clock.now() });
    // Its call's transcription is still in the recognizer's line, long past the staleness bound.
    for (let i = 0; i < 5; i++) {
      s.clock.advance(60_000);
      await flush();
    }
    assert.equal(transcriber.requests.length, 0, 'a message its call is transcribing is not taken');
    b.release(id, 'pending');
    await advanceUntil(s.clock, () => s.late.length === 1, 10_000, 'the left message transcribed');
    assert.equal(s.late[0]!.transcript, MESSAGE);
    assert.equal(s.late[0]!.consent, 'not-asked');
    await b.stop();
  });

  test('a message left while its call is still on waits for the call row to close', async () => {
    const s = store();
    const transcriber = new FakeTranscriber();
    const b = s.backlog(transcriber);
    b.start();
    await flush();
    s.clock.advance(1_000);
    const id = s.message(MESSAGE, { startedAt: s.clock.now(), open: true });
    b.hold(id);
    b.release(id, 'pending');
    for (let i = 0; i < 5; i++) {
      s.clock.advance(10_000);
      await flush();
    }
    assert.equal(transcriber.requests.length, 0, 'not while the call is on: the staff hear of the call before its transcript');
    s.callLog.close(id, { outcome: 'consent-granted', endedAt: s.clock.now() });
    b.release(id, 'pending');
    await advanceUntil(s.clock, () => s.late.length === 1, 10_000, 'the message transcribed once its call closed');
    assert.equal(s.late[0]!.consent, 'granted');
    await b.stop();
  });

  test('a pending row another node left (not this run, not held) is taken only once stale', async () => {
    const s = store();
    const transcriber = new FakeTranscriber();
    const b = s.backlog(transcriber, { staleAfterMs: 120_000 });
    b.start();
    await flush();
    s.clock.advance(1_000);
    const id = s.message(MESSAGE, { startedAt: s.clock.now(), open: true });
    s.callLog.close(id, { outcome: 'message-only', endedAt: s.clock.now() });
    s.clock.advance(60_000);
    await flush();
    assert.equal(transcriber.requests.length, 0, 'maybe still in its own node\'s line');
    await advanceUntil(s.clock, () => s.late.length === 1, 180_000, 'the stale row transcribed');
    assert.equal(s.callLog.get(id).transcriptStatus, 'done');
    await b.stop();
  });

  test('on a database shared with other nodes, rows from before this start are taken only once stale (another live node may be transcribing them)', async () => {
    const s = store();
    const closedRecently = s.message('a message another node holds', { startedAt: s.clock.now() - 60_000 });
    const openCall = s.message('another node\'s call still on', { startedAt: s.clock.now() - 30_000, open: true });
    const transcriber = new FakeTranscriber();
    const b = s.backlog(transcriber, { staleAfterMs: 120_000, sharedDatabase: true });
    b.start();
    s.clock.advance(60_000);
    await flush();
    assert.equal(transcriber.requests.length, 0, 'a restart on a shared database does not take other nodes\' fresh rows');
    await advanceUntil(s.clock, () => s.late.length === 1, 240_000, 'the closed row transcribed once stale');
    assert.equal(s.late[0]!.callId, closedRecently);
    assert.equal(s.callLog.get(openCall).transcriptStatus, 'pending', 'the unclosed one waits twice as long');
    await advanceUntil(s.clock, () => s.late.length === 2, 600_000, 'the never-closed row transcribed once its node is surely gone');
    await b.stop();
  });

  test('attempts are bounded: after 3 failed tries the message is failed and the staff are told', async () => {
    const s = store();
    const id = s.message(MESSAGE);
    const transcriber = new FakeTranscriber({ failOn: (p) => p === 'message' });
    const b = s.backlog(transcriber, { maxAttempts: 3, retryMs: 10_000 });
    b.start();
    await advanceUntil(s.clock, () => s.late.length > 0, 10 * 60_000, 'word of the failed transcription');
    assert.equal(transcriber.requests.length, 3, 'three tries, no more');
    const row = s.callLog.get(id);
    assert.equal(row.transcriptStatus, 'failed');
    assert.equal(row.transcriptAttempts, 3);
    assert.equal(row.transcriptError, 'transcription failed 3 times');
    assert.equal(s.late[0]!.transcriptStatus, 'failed');
    assert.equal(s.late[0]!.transcript, null);
    s.clock.advance(10 * 60_000);
    await flush();
    assert.equal(transcriber.requests.length, 3, 'a failed message is not tried again');
    assert.equal(s.late.length, 1);
    const gaveUp = s.logger.entries.filter((e) => e.msg === 'message not transcribed: gave up');
    assert.equal(gaveUp.length, 1);
    assert.equal(gaveUp[0]!.fields.reason, 'transcription failed 3 times');
    await b.stop();
  });

  test('tries a previous run counted but never finished (the process went down mid-transcription) count too', async () => {
    const s = store();
    const id = s.message(MESSAGE);
    for (let i = 0; i < 3; i++) s.callLog.countTranscriptAttempt(id);
    const transcriber = new FakeTranscriber();
    const b = s.backlog(transcriber, { maxAttempts: 3 });
    b.start();
    await advanceUntil(s.clock, () => s.late.length > 0, 60_000, 'word of the given-up message');
    assert.equal(transcriber.requests.length, 0, 'not tried a fourth time');
    assert.equal(s.callLog.get(id).transcriptStatus, 'failed');
    assert.equal(s.late[0]!.transcriptStatus, 'failed');
    await b.stop();
  });

  test('purged, missing or changed audio: failed at once, one line each, the staff told, nothing transcribed', async () => {
    const s = store();
    const purged = s.message('purged one', { startedAt: s.clock.now() - 900_000 });
    s.callLog.get(purged).recordingDeletedAt = s.clock.now() - 1_000;
    const missing = s.message('missing one', { startedAt: s.clock.now() - 800_000 });
    s.files.delete(s.callLog.get(missing).recordingPath!);
    const changed = s.message('changed one', { startedAt: s.clock.now() - 700_000 });
    s.files.set(s.callLog.get(changed).recordingPath!, fakeSpeechWav('something else'));
    const transcriber = new FakeTranscriber();
    const b = s.backlog(transcriber);
    b.start();
    await advanceUntil(s.clock, () => s.late.length === 3, 60_000, 'word of the three unusable recordings');
    assert.equal(transcriber.requests.length, 0);
    assert.deepEqual(
      [purged, missing, changed].map((id) => [s.callLog.get(id).transcriptStatus, s.callLog.get(id).transcriptError]),
      [['failed', 'recording purged'], ['failed', 'recording missing'], ['failed', 'recording changed since the call']],
    );
    assert.ok(s.late.every((l) => l.transcriptStatus === 'failed'));
    assert.equal(s.logger.entries.filter((e) => e.msg === 'message not transcribed: gave up').length, 3);
    await b.stop();
  });

  test('answers go first: the backlog submits only with nobody waiting and a slot free beside the answer lane, as a message', async () => {
    const s = store();
    s.message(MESSAGE);
    // One message slot plus an answer lane, as speechSchedule lays out on 2 cores; each job 5 s of fake time.
    const lane = new LaneTranscriber(s.clock, 5_000);
    const b = s.backlog(lane);
    // Two answers running and one waiting: callers are on the line.
    const answers = [lane.transcribe(fakeSpeechWav('yes'), { purpose: 'consent-answer' }), lane.transcribe(fakeSpeechWav('sure'), { purpose: 'consent-answer' }), lane.transcribe(fakeSpeechWav('no'), { purpose: 'consent-answer' })];
    assert.equal(lane.queue.snapshot().urgent.depth, 1);
    b.start();
    await advanceUntil(s.clock, () => s.late.length === 1, 120_000, 'the message transcribed once the answers were done');
    await Promise.all(answers);
    const message = lane.submitted.filter((x) => x.purpose === 'message');
    assert.equal(message.length, 1);
    assert.equal(message[0]!.answersWaiting, 0, 'no answer waited when the backlog submitted');
    assert.equal(message[0]!.waiting, 0);
    assert.equal(message[0]!.inFlight, 0, 'nothing ran: the answer lane stays free beside the message');
    const lastAnswer = Math.max(...lane.submitted.filter((x) => x.purpose === 'consent-answer').map((x) => x.endedAt ?? Infinity));
    assert.ok(message[0]!.startedAt >= lastAnswer, 'the message started only after every answer was decoded');

    // While a backlog message runs, an answer arriving starts at once on the lane.
    s.message('a second message');
    await advanceUntil(s.clock, () => lane.queue.inFlight === 1 && lane.submitted.filter((x) => x.purpose === 'message').length === 2, 30_000, 'the backlog starting its second message');
    const answer = lane.transcribe(fakeSpeechWav('yes please'), { purpose: 'consent-answer' });
    assert.equal(lane.queue.inFlight, 2, 'the answer took the lane the backlog left free');
    assert.equal(lane.queue.snapshot().urgent.depth, 0, 'the answer did not wait');
    await advanceUntil(s.clock, () => s.late.length === 2, 60_000, 'the second message transcribed');
    await answer;
    await b.stop();
  });

  test('/metrics figures and a warning while the oldest pending message is over 5 minutes old (no number or transcript in it)', async () => {
    const s = store();
    // The recognizer never has room: the message stays pending.
    const b = new MessageBacklog(
      {
        callLog: promised(s.callLog, 'callLog'),
        directory: promised(new InMemoryBusinessDirectory([ACME]), 'directory'),
        transcriber: new FakeTranscriber(),
        recognizerHasRoom: () => false,
        readRecording: async () => 'missing',
        clock: s.clock,
        logger: s.logger,
        metrics: { messageBacklog: (g) => void s.gauges.push({ ...g }) },
      },
      { pollMs: 5_000 },
    );
    s.message(MESSAGE, { startedAt: s.clock.now() - 60_000 });
    b.start();
    await flush();
    assert.deepEqual(s.gauges.at(-1), { pending: 1, oldestPendingMs: 60_000 });
    assert.equal(s.logger.entries.filter((e) => e.level === 'warn').length, 0, 'a minute behind is no warning');
    await advanceUntil(s.clock, () => s.logger.entries.some((e) => e.level === 'warn'), 10 * 60_000, 'the falling-behind warning');
    const warn = s.logger.entries.find((e) => e.level === 'warn')!;
    assert.equal(warn.msg, 'message transcripts are falling behind');
    assert.equal(warn.fields.pending, 1);
    assert.ok((warn.fields.oldestPendingMs as number) > 5 * 60_000);
    assert.deepEqual(s.logger.messagesContaining([MESSAGE, CALLER]), []);
    s.clock.advance(30_000);
    await flush();
    assert.equal(s.logger.entries.filter((e) => e.level === 'warn').length, 1, 'at most one warning a minute');
    await b.stop();
  });
});

/** A recognizer on the real `BoundedJobQueue` with one message slot and one answer lane; records what was submitted and the line then. */
class LaneTranscriber implements Transcriber {
  readonly engine = 'lane';
  readonly queue: BoundedJobQueue;
  readonly submitted: Array<{ purpose: TranscribePurpose; answersWaiting: number; waiting: number; inFlight: number; startedAt: number; endedAt?: number }> = [];
  readonly #clock: ManualClock;
  readonly #jobMs: number;

  constructor(clock: ManualClock, jobMs: number) {
    this.#clock = clock;
    this.#jobMs = jobMs;
    this.queue = new BoundedJobQueue(1, 64, () => clock.now(), 1);
  }

  async transcribe(wav: Buffer, opts: { purpose: TranscribePurpose }): Promise<Transcript> {
    const snap = this.queue.snapshot();
    const entry: (typeof this.submitted)[number] = { purpose: opts.purpose, answersWaiting: snap.urgent.depth, waiting: snap.urgent.depth + snap.normal.depth, inFlight: snap.inFlight, startedAt: -1 };
    this.submitted.push(entry);
    return this.queue.run(
      async () => {
        entry.startedAt = this.#clock.now();
        await new Promise<void>((resolve) => this.#clock.setTimer(this.#jobMs, resolve));
        entry.endedAt = this.#clock.now();
        const text = readFakeSpeech(wav) ?? '';
        return { text, segments: [], engine: 'lane', model: 'lane', audioMs: 100, elapsedMs: this.#jobMs, confidence: { score: 0.9, avgLogProb: null, noSpeechProb: null } };
      },
      { urgent: opts.purpose === 'consent-answer' },
    );
  }

  async close(): Promise<void> {}
}
