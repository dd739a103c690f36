/**
 * The CallEngine contract suite: one set of behaviours every engine adapter must show, run against
 * the adapter and a protocol peer on real sockets (the ARI simulator for Asterisk, the ESL simulator
 * for FreeSWITCH). Use:
 *
 *   runCallEngineContract('asterisk', async () => makeAriHarness());
 *
 * A harness owns one engine (not started) and its peer. The suite starts and stops the engine and
 * closes the harness in every test. The peer places calls from scripted callers (src/sim/caller-script.ts):
 * callers speak WAVs when recordings start, press DTMF and hang up at moments of the call.
 *
 * Guarantees checked here, beyond the port's types:
 * - a call is delivered with caller id and dialed number as the trunk sent them;
 * - the finish of a playback/recording is never delivered before play()/record() returned its id;
 * - every started playback and recording gets exactly one finished event, also when the call ends;
 * - a recording's end says why: silence, dtmf, max-duration, hangup, stopped;
 * - a recording survives the caller's hangup and can be fetched after the call ended; fetching it
 *   deletes the engine's copy;
 * - an engine that declares `waitsForSpeech` lets a caller pause before speaking: silence ends the
 *   recording only after the speech (or, when nobody speaks, after `speechStartTimeoutMs`);
 * - exactly one `hangup` per leg, and nothing after it; a listener added later still hears it;
 * - answer/play/record on an ended leg reject with TELEPHONY.CHANNEL_GONE; hangup/stop resolve;
 * - concurrent calls do not see each other's events;
 * - after the peer restarts, calls in progress end, status goes down then up, new calls work;
 * - release() hands an unanswered call back to the dialplan with CALLKEEPER_RESULT set, ends the leg
 *   without any event, and is refused (CHANNEL_GONE) once the caller hung up.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isAppError } from '../../src/domain/errors.ts';
import type { CallEngine, CallLeg, IncomingCall, LegEvent, PromptRef } from '../../src/domain/ports/call-engine.ts';
import type { ScriptedCall, ScriptedCallResult } from '../../src/sim/caller-script.ts';
import { toneWav, wavToCallPcm } from '../../src/sim/sim-wav.ts';
import { DEFAULT_WAIT_MS, waitFor, withTimeout } from '../support/wait-for.ts';

export interface PeerCall {
  /** Settles when the simulated caller's call is over. */
  readonly result: Promise<ScriptedCallResult>;
}

export interface CallEngineHarness {
  /** The adapter under test, not started yet. */
  readonly engine: CallEngine;
  /** Rings the engine from a scripted caller. */
  placeCall(call: ScriptedCall): PeerCall;
  /** A prompt of this length the engine can play (written where the engine reads prompts). */
  prompt(name: string, durationMs: number): Promise<PromptRef>;
  /** A prompt file that does not exist. */
  missingPrompt(): PromptRef;
  /** Names of the recordings the engine still holds (Asterisk's stored recordings, the files FreeSWITCH wrote). */
  engineRecordings(): string[];
  /** Restarts the peer (Asterisk `core stop now` and start, FreeSWITCH restart); resolves when it accepts connections again. */
  restartPeer(): Promise<void>;
  /** Closes the peer and removes temporary files. The suite stops the engine first. */
  close(): Promise<void>;
}

export type MakeHarness = () => Promise<CallEngineHarness>;

/** A leg's events as they arrive, with waits. */
export class LegWatch {
  readonly events: LegEvent[] = [];
  private waiters: { pred: (e: LegEvent) => boolean; resolve: (e: LegEvent) => void }[] = [];

  constructor(readonly leg: CallLeg) {
    leg.onEvent((e) => {
      this.events.push(e);
      this.waiters = this.waiters.filter((w) => (w.pred(e) ? (w.resolve(e), false) : true));
    });
  }

  waitFor<T extends LegEvent['type']>(type: T, pred: (e: Extract<LegEvent, { type: T }>) => boolean = () => true): Promise<Extract<LegEvent, { type: T }>> {
    const match = (e: LegEvent): boolean => e.type === type && pred(e as Extract<LegEvent, { type: T }>);
    const seen = this.events.find(match);
    if (seen) return Promise.resolve(seen as Extract<LegEvent, { type: T }>);
    const got = new Promise<Extract<LegEvent, { type: T }>>((resolve) => this.waiters.push({ pred: match, resolve: resolve as (e: LegEvent) => void }));
    return withTimeout(got, DEFAULT_WAIT_MS, `the leg event "${type}"`);
  }

  count(type: LegEvent['type']): number {
    return this.events.filter((e) => e.type === type).length;
  }
}

/** Calls as the engine delivers them, each watched from the first moment. */
class CallInbox {
  private readonly arrived: { call: IncomingCall; watch: LegWatch }[] = [];
  private waiters: ((c: { call: IncomingCall; watch: LegWatch }) => void)[] = [];

  readonly onCall = (call: IncomingCall): void => {
    const item = { call, watch: new LegWatch(call.leg) };
    const w = this.waiters.shift();
    if (w) w(item);
    else this.arrived.push(item);
  };

  next(): Promise<{ call: IncomingCall; watch: LegWatch }> {
    const item = this.arrived.shift();
    if (item) return Promise.resolve(item);
    return withTimeout(new Promise((resolve) => this.waiters.push(resolve)), DEFAULT_WAIT_MS, 'the next call to reach the engine');
  }
}

const DID = '15551234567';

function rms(wav: Buffer): { ms: number; rms: number } {
  const pcm = wavToCallPcm(wav);
  let sum = 0;
  for (const s of pcm) sum += s * s;
  return { ms: (pcm.length * 1000) / 8000, rms: pcm.length ? Math.sqrt(sum / pcm.length) : 0 };
}

const recordOpts = (name: string, o: Partial<{ maxDurationMs: number; maxSilenceMs: number; terminateOnHash: boolean }> = {}) => ({
  name,
  maxDurationMs: o.maxDurationMs ?? 10_000,
  maxSilenceMs: o.maxSilenceMs ?? 1_000,
  beep: true,
  terminateOnHash: o.terminateOnHash ?? true,
});

/** The consent answer as the flow records it: no beep, no `#`, up to `startMs` for the caller to start. */
const answerOpts = (name: string, startMs = 5_000) => ({
  name,
  maxDurationMs: 10_000,
  maxSilenceMs: 1_500,
  speechStartTimeoutMs: startMs,
  beep: false,
  terminateOnHash: false,
});

export function runCallEngineContract(name: string, makeHarness: MakeHarness): void {
  /** Each test gets a fresh harness and a started engine, torn down whatever happens. */
  function contractTest(title: string, body: (h: CallEngineHarness, inbox: CallInbox) => Promise<void>): void {
    test(title, async () => {
      const h = await makeHarness();
      const inbox = new CallInbox();
      try {
        await h.engine.start(inbox.onCall);
        assert.equal(h.engine.status(), 'up');
        await body(h, inbox);
      } finally {
        await h.engine.stop();
        await h.close();
      }
    });
  }

  describe(`CallEngine contract: ${name}`, () => {
    contractTest('delivers a call with caller id and dialed number, answers it and hangs up', async (h, inbox) => {
      const peer = h.placeCall({ caller: '+15550001', callerName: 'Caller 1', dialed: DID });
      const { call, watch } = await inbox.next();
      assert.equal(call.callerIdRaw, '+15550001');
      assert.equal(call.callerName, 'Caller 1');
      assert.equal(call.dialed, DID);
      await call.leg.answer();
      await call.leg.hangup();
      await watch.waitFor('hangup');
      const r = await peer.result;
      assert.equal(r.endedBy, 'app');
      assert.equal(r.answered, true);
      assert.equal(watch.count('hangup'), 1);
      assert.ok(h.engine.capabilities.fetchesRecordingsRemotely !== undefined);
    });

    contractTest('passes withheld caller ids through as delivered', async (h, inbox) => {
      h.placeCall({ caller: 'anonymous', callerName: 'Anonymous', dialed: DID });
      const { call } = await inbox.next();
      assert.equal(call.callerIdRaw, 'anonymous');
      await call.leg.hangup();
    });

    contractTest('plays a prompt to its end, finishing only after play() returned', async (h, inbox) => {
      h.placeCall({ caller: '+15550001', dialed: DID });
      const { call, watch } = await inbox.next();
      await call.leg.answer();
      const prompt = await h.prompt('short', 300);
      let returned = false;
      const finishedBeforeReturn: boolean[] = [];
      call.leg.onEvent((e) => e.type === 'playback-finished' && finishedBeforeReturn.push(!returned));
      const id = await call.leg.play(prompt);
      returned = true;
      const done = await watch.waitFor('playback-finished', (e) => e.playbackId === id);
      assert.equal(done.outcome, 'done');
      assert.deepEqual(finishedBeforeReturn, [false]);
      await call.leg.hangup();
    });

    contractTest('a missing prompt finishes as failed', async (h, inbox) => {
      h.placeCall({ caller: '+15550001', dialed: DID });
      const { call, watch } = await inbox.next();
      await call.leg.answer();
      const id = await call.leg.play(h.missingPrompt());
      assert.equal((await watch.waitFor('playback-finished', (e) => e.playbackId === id)).outcome, 'failed');
      await call.leg.hangup();
    });

    contractTest('stops a playback', async (h, inbox) => {
      h.placeCall({ caller: '+15550001', dialed: DID });
      const { call, watch } = await inbox.next();
      await call.leg.answer();
      const id = await call.leg.play(await h.prompt('long', 120_000));
      await call.leg.stopPlayback(id);
      assert.equal((await watch.waitFor('playback-finished', (e) => e.playbackId === id)).outcome, 'stopped');
      await call.leg.stopPlayback(id); // stopping a finished playback is harmless
      await call.leg.hangup();
    });

    contractTest('records until silence, and the recording holds the caller\'s voice', async (h, inbox) => {
      h.placeCall({ caller: '+15550001', dialed: DID, says: [toneWav(1000)] });
      const { call, watch } = await inbox.next();
      await call.leg.answer();
      const id = await call.leg.record(recordOpts('silence'));
      const fin = await watch.waitFor('recording-finished', (e) => e.recordingId === id);
      assert.equal(fin.end, 'silence');
      const audio = rms(await call.leg.fetchRecording(id));
      assert.ok(audio.ms >= 900 && audio.ms < 3000, `recording lasts ${audio.ms} ms`);
      assert.ok(audio.rms > 1000, 'the recording carries the caller\'s audio');
      await call.leg.hangup();
    });

    contractTest('# ends a recording, and the digit is reported', async (h, inbox) => {
      h.placeCall({
        caller: '+15550001',
        dialed: DID,
        script: [{ when: { on: 'recording-started', nth: 1 }, do: [{ act: 'speak', wav: toneWav(5000) }, { act: 'dtmf', digit: '#', afterMs: 1000 }] }],
      });
      const { call, watch } = await inbox.next();
      await call.leg.answer();
      const id = await call.leg.record(recordOpts('hash', { maxSilenceMs: 2000 }));
      assert.equal((await watch.waitFor('recording-finished', (e) => e.recordingId === id)).end, 'dtmf');
      assert.equal((await watch.waitFor('dtmf')).digit, '#');
      await call.leg.hangup();
    });

    contractTest('max duration ends a recording', async (h, inbox) => {
      h.placeCall({ caller: '+15550001', dialed: DID, says: [toneWav(10_000)] });
      const { call, watch } = await inbox.next();
      await call.leg.answer();
      const id = await call.leg.record(recordOpts('max', { maxDurationMs: 2000, maxSilenceMs: 1000 }));
      assert.equal((await watch.waitFor('recording-finished', (e) => e.recordingId === id)).end, 'max-duration');
      const audio = rms(await call.leg.fetchRecording(id));
      assert.ok(audio.ms >= 1900 && audio.ms < 3500, `recording lasts ${audio.ms} ms`);
      await call.leg.hangup();
    });

    contractTest('stops a recording', async (h, inbox) => {
      h.placeCall({ caller: '+15550001', dialed: DID, says: [toneWav(60_000)] });
      const { call, watch } = await inbox.next();
      await call.leg.answer();
      const id = await call.leg.record(recordOpts('stop', { maxDurationMs: 120_000, maxSilenceMs: 0, terminateOnHash: false }));
      await call.leg.stopRecording(id);
      assert.equal((await watch.waitFor('recording-finished', (e) => e.recordingId === id)).end, 'stopped');
      await call.leg.hangup();
    });

    contractTest('a caller hangup ends the recording with `hangup`, keeps the file, and comes before nothing else', async (h, inbox) => {
      const peer = h.placeCall({
        caller: '+15550001',
        dialed: DID,
        script: [{ when: { on: 'recording-started', nth: 1 }, do: [{ act: 'speak', wav: toneWav(3000) }, { act: 'hangup', afterMs: 1500 }] }],
      });
      const { call, watch } = await inbox.next();
      await call.leg.answer();
      const id = await call.leg.record(recordOpts('hangup', { maxSilenceMs: 5000 }));
      await watch.waitFor('hangup');
      assert.equal((await watch.waitFor('recording-finished', (e) => e.recordingId === id)).end, 'hangup');
      assert.equal((await peer.result).endedBy, 'caller');
      const audio = rms(await call.leg.fetchRecording(id));
      assert.ok(audio.ms >= 1000 && audio.rms > 1000, `kept recording lasts ${audio.ms} ms`);
      assert.equal(watch.count('hangup'), 1);
    });

    contractTest('a caller who pauses 3 s before answering is heard: the recording ends on silence only after the speech', async (h, inbox) => {
      assert.equal(h.engine.capabilities.waitsForSpeech, true);
      h.placeCall({
        caller: '+15550001',
        dialed: DID,
        script: [{ when: { on: 'recording-started', nth: 1 }, do: [{ act: 'speak', wav: toneWav(1000), afterMs: 3000 }] }],
      });
      const { call, watch } = await inbox.next();
      await call.leg.answer();
      const id = await call.leg.record(answerOpts('pause'));
      assert.equal((await watch.waitFor('recording-finished', (e) => e.recordingId === id)).end, 'silence');
      const audio = rms(await call.leg.fetchRecording(id));
      assert.ok(audio.ms >= 3900 && audio.ms < 9000, `the answer (3 s pause, 1 s of speech) lasts ${audio.ms} ms`);
      assert.ok(audio.rms > 500, 'the recording carries the caller\'s answer');
      await call.leg.hangup();
    });

    contractTest('a caller who says nothing: the recording ends on silence once the time to start has passed', async (h, inbox) => {
      h.placeCall({ caller: '+15550001', dialed: DID });
      const { call, watch } = await inbox.next();
      await call.leg.answer();
      const id = await call.leg.record(answerOpts('mute', 2000));
      assert.equal((await watch.waitFor('recording-finished', (e) => e.recordingId === id)).end, 'silence');
      assert.ok(rms(await call.leg.fetchRecording(id)).rms < 100, 'nothing but silence');
      await call.leg.hangup();
    });

    contractTest('a hangup 0.3 s after a short answer: the partial answer is kept, fetched, and the engine\'s copy deleted', async (h, inbox) => {
      const peer = h.placeCall({
        caller: '+15550001',
        dialed: DID,
        script: [{ when: { on: 'recording-started', nth: 1 }, do: [{ act: 'speak', wav: toneWav(600), afterMs: 500 }, { act: 'hangup', afterMs: 1400 }] }],
      });
      const { call, watch } = await inbox.next();
      await call.leg.answer();
      const id = await call.leg.record(answerOpts('cut'));
      await watch.waitFor('hangup');
      assert.equal((await watch.waitFor('recording-finished', (e) => e.recordingId === id)).end, 'hangup');
      assert.equal((await peer.result).endedBy, 'caller');
      assert.equal(h.engineRecordings().length, 1, 'the engine kept the partial recording');
      const audio = rms(await call.leg.fetchRecording(id));
      assert.ok(audio.ms >= 1000 && audio.rms > 500, `kept answer lasts ${audio.ms} ms`);
      assert.deepEqual(h.engineRecordings(), [], 'fetching deleted the engine\'s copy');
    });

    contractTest('reports DTMF digits', async (h, inbox) => {
      h.placeCall({ caller: '+15550001', dialed: DID, script: [{ when: { on: 'answered' }, do: [{ act: 'dtmf', digit: '1', afterMs: 100 }] }] });
      const { call, watch } = await inbox.next();
      await call.leg.answer();
      assert.equal((await watch.waitFor('dtmf')).digit, '1');
      await call.leg.hangup();
    });

    contractTest('a hangup before the answer ends the leg; later operations are refused or harmless', async (h, inbox) => {
      h.placeCall({ caller: '+15550001', dialed: DID, script: [{ when: { on: 'offered' }, do: [{ act: 'hangup', afterMs: 10 }] }] });
      const { call, watch } = await inbox.next();
      await watch.waitFor('hangup');
      await assert.rejects(call.leg.answer(), (e: unknown) => isAppError(e, 'TELEPHONY.CHANNEL_GONE'));
      await assert.rejects(call.leg.play(await h.prompt('p', 300)), (e: unknown) => isAppError(e, 'TELEPHONY.CHANNEL_GONE'));
      await call.leg.hangup();
      const late: LegEvent[] = [];
      call.leg.onEvent((e) => late.push(e));
      await new Promise((r) => setImmediate(r));
      assert.deepEqual(late.map((e) => e.type), ['hangup'], 'a late listener still hears the hangup');
    });

    contractTest('a hangup during a playback finishes the playback and the leg', async (h, inbox) => {
      const peer = h.placeCall({ caller: '+15550001', dialed: DID, script: [{ when: { on: 'playback-started', nth: 2 }, do: [{ act: 'hangup', afterMs: 100 }] }] });
      const { call, watch } = await inbox.next();
      await call.leg.answer();
      const first = await call.leg.play(await h.prompt('first', 200));
      await watch.waitFor('playback-finished', (e) => e.playbackId === first);
      const second = await call.leg.play(await h.prompt('second', 120_000));
      await watch.waitFor('hangup');
      const fin = await watch.waitFor('playback-finished', (e) => e.playbackId === second);
      assert.ok(fin.outcome === 'failed' || fin.outcome === 'stopped', fin.outcome);
      assert.equal((await peer.result).endedBy, 'caller');
      assert.equal(watch.events.at(-1)?.type, 'hangup', 'nothing comes after the hangup');
    });

    contractTest('two calls at once keep their events and audio apart', async (h, inbox) => {
      const p1 = h.placeCall({ caller: '+15550001', dialed: DID, says: [toneWav(1000, 300)] });
      const p2 = h.placeCall({ caller: '+15550002', dialed: DID, says: [toneWav(2500, 600)] });
      const a = await inbox.next();
      const b = await inbox.next();
      const byCaller = new Map([a, b].map((x) => [x.call.callerIdRaw, x]));
      const one = byCaller.get('+15550001')!;
      const two = byCaller.get('+15550002')!;
      assert.notEqual(one.call.leg.id, two.call.leg.id);
      await Promise.all([one.call.leg.answer(), two.call.leg.answer()]);
      const [r1, r2] = await Promise.all([one.call.leg.record(recordOpts('c1')), two.call.leg.record(recordOpts('c2'))]);
      const [f1, f2] = await Promise.all([
        one.watch.waitFor('recording-finished', (e) => e.recordingId === r1),
        two.watch.waitFor('recording-finished', (e) => e.recordingId === r2),
      ]);
      assert.equal(f1.end, 'silence');
      assert.equal(f2.end, 'silence');
      assert.ok(!one.watch.events.some((e) => e.type === 'recording-finished' && e.recordingId === r2));
      assert.ok(!two.watch.events.some((e) => e.type === 'recording-finished' && e.recordingId === r1));
      const [w1, w2] = await Promise.all([one.call.leg.fetchRecording(r1), two.call.leg.fetchRecording(r2)]);
      assert.ok(rms(w2).ms - rms(w1).ms > 1000, 'each recording holds its own caller');
      await Promise.all([one.call.leg.hangup(), two.call.leg.hangup()]);
      assert.equal((await p1.result).endedBy, 'app');
      assert.equal((await p2.result).endedBy, 'app');
    });

    contractTest('release() hands the call back to the dialplan with the reason; the leg ends without an event', async (h, inbox) => {
      const peer = h.placeCall({ caller: '+15550001', dialed: DID });
      const { call, watch } = await inbox.next();
      await call.leg.release('draining');
      const r = await withTimeout(peer.result, DEFAULT_WAIT_MS, 'the caller to leave the application');
      assert.equal(r.endedBy, 'continued', 'the dialplan goes on: neither declined nor hung up');
      assert.equal(r.answered, false);
      assert.equal(r.appVariables['CALLKEEPER_RESULT'], 'draining', 'the dialplan can tell why');
      await assert.rejects(call.leg.answer(), (e: unknown) => isAppError(e, 'TELEPHONY.CHANNEL_GONE'));
      await assert.rejects(call.leg.release('draining'), (e: unknown) => isAppError(e, 'TELEPHONY.CHANNEL_GONE'));
      await call.leg.hangup(); // harmless: the call is no longer ours
      const late: LegEvent[] = [];
      call.leg.onEvent((e) => late.push(e));
      for (let i = 0; i < 5; i++) await new Promise((r2) => setImmediate(r2));
      assert.deepEqual(watch.events, [], 'no hangup or any other event for a released call');
      assert.deepEqual(late, [], 'a late listener hears nothing either');
    });

    contractTest('release() after the caller hung up is refused with CHANNEL_GONE', async (h, inbox) => {
      const peer = h.placeCall({ caller: '+15550001', dialed: DID, script: [{ when: { on: 'offered' }, do: [{ act: 'hangup', afterMs: 10 }] }] });
      const { call, watch } = await inbox.next();
      await watch.waitFor('hangup');
      await assert.rejects(call.leg.release('draining'), (e: unknown) => isAppError(e, 'TELEPHONY.CHANNEL_GONE'));
      assert.equal((await peer.result).endedBy, 'caller');
    });

    contractTest('when the peer restarts, calls in progress end and the engine comes back', async (h, inbox) => {
      const statuses: string[] = [];
      h.engine.onStatus((s) => statuses.push(s));
      h.placeCall({ caller: '+15550001', dialed: DID });
      const { call, watch } = await inbox.next();
      await call.leg.answer();
      const id = await call.leg.play(await h.prompt('long', 120_000));
      await h.restartPeer();
      await watch.waitFor('hangup');
      const fin = await watch.waitFor('playback-finished', (e) => e.playbackId === id);
      assert.ok(fin.outcome === 'failed' || fin.outcome === 'stopped', fin.outcome);
      await waitFor(() => h.engine.status() === 'up', { what: 'the engine to be up again after the peer restart' });
      assert.ok(statuses.indexOf('down') >= 0 && statuses.lastIndexOf('up') > statuses.indexOf('down'), statuses.join(','));
      const again = h.placeCall({ caller: '+15550003', dialed: DID });
      const next = await inbox.next();
      assert.equal(next.call.callerIdRaw, '+15550003');
      await next.call.leg.answer();
      await next.call.leg.hangup();
      assert.equal((await again.result).endedBy, 'app');
    });
  });
}
