import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { CallResult } from '../../../src/app/call/call-types.ts';
import { createCallRunner } from '../../../src/app/call/call-runner.ts';
import { createSystemClock } from '../../../src/app/system-clock.ts';
import type { CallOutcome } from '../../../src/domain/ports/call-log.ts';
import type { IncomingCall } from '../../../src/domain/ports/call-engine.ts';
import type { Transcriber, Transcript } from '../../../src/domain/ports/transcriber.ts';
import type { ScriptedCall } from '../../../src/sim/caller-script.ts';
import { EslSim } from '../../../src/sim/esl/esl-sim.ts';
import { toneWav, wavToCallPcm } from '../../../src/sim/sim-wav.ts';
import { EslCallEngine } from '../../../src/telephony/freeswitch/esl-call-engine.ts';
import { createCallHarness } from '../../fakes/call-harness.ts';
import { memoryLogger } from './esl-test-harness.ts';
import { waitFor, withTimeout } from '../../support/wait-for.ts';

/**
 * Words as tones: the ESL peer records real PCM (no side channel survives), so the caller "says" a
 * tone and this transcriber hears its pitch. Zero crossings over the voiced samples give the pitch.
 */
const WORDS = { message: 300, yes: 500, no: 700 } as const;
const say = (w: keyof typeof WORDS): Buffer => toneWav(600, WORDS[w], 9000);

class ToneTranscriber implements Transcriber {
  readonly engine = 'tone';
  async transcribe(wav: Buffer): Promise<Transcript> {
    const pcm = wavToCallPcm(wav);
    let voiced = 0;
    let crossings = 0;
    for (let i = 1; i < pcm.length; i++) {
      const a = pcm[i - 1] ?? 0;
      const b = pcm[i] ?? 0;
      if (Math.abs(b) > 500 || Math.abs(a) > 500) {
        voiced++;
        if ((a < 0 && b >= 0) || (a >= 0 && b < 0)) crossings++;
      }
    }
    const hz = voiced > 0 ? (crossings / 2) * (8000 / voiced) : 0;
    const word = (Object.entries(WORDS).find(([, f]) => Math.abs(f - hz) < 60)?.[0] ?? '') as string;
    const text = word === 'message' ? 'my kitchen sink is leaking' : word;
    return {
      text,
      segments: text === '' ? [] : [{ startMs: 0, endMs: 600, text }],
      engine: 'tone',
      model: 'tone',
      audioMs: (pcm.length * 1000) / 8000,
      elapsedMs: 0,
      confidence: { score: 0.95, avgLogProb: null, noSpeechProb: null },
    };
  }
  async close(): Promise<void> {}
}

interface Kind {
  readonly name: string;
  readonly script: (caller: string) => ScriptedCall;
  readonly outcome: CallOutcome;
  readonly ledger: readonly string[];
}

const DID = '+15125550100';
const KINDS: readonly Kind[] = [
  { name: 'yes', script: (c) => ({ caller: c, dialed: DID, says: [say('message'), say('yes')] }), outcome: 'consent-granted', ledger: ['granted'] },
  { name: 'no', script: (c) => ({ caller: c, dialed: DID, says: [say('message'), say('no')] }), outcome: 'consent-declined', ledger: ['declined'] },
  {
    name: 'hangup during message',
    script: (c) => ({ caller: c, dialed: DID, script: [{ when: { on: 'recording-started', nth: 1 }, do: [{ act: 'speak', wav: say('message') }, { act: 'hangup', afterMs: 400 }] }] }),
    outcome: 'caller-hung-up',
    ledger: [],
  },
  { name: 'anonymous', script: () => ({ caller: 'anonymous', dialed: DID, says: [say('message')] }), outcome: 'withheld-caller', ledger: [] },
];

test('100 calls through the orchestrator over ESL: every call row and ledger event right', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ck-esl-flow-'));
  const prompt = join(dir, 'prompt.wav');
  writeFileSync(prompt, toneWav(200, 440, 3000));
  const h = createCallHarness();
  const runner = createCallRunner({ ...h.deps, engineName: 'freeswitch', transcriber: new ToneTranscriber() });
  // The synthesizer fake names files under /fake/prompts; FreeSWITCH "plays" a real short WAV for each.
  const sim = new EslSim({ timeScale: 0, mediaPath: () => prompt, recordingPath: (p) => join(dir, 'rec', p) });
  await sim.start();
  const logger = memoryLogger();
  const engine = new EslCallEngine({ listenHost: '127.0.0.1', listenPort: 0, recordingsDir: '/fs', localRecordingsDir: join(dir, 'rec', 'fs'), logger, clock: createSystemClock() });
  const runs = new Map<string, Promise<CallResult>>();
  try {
    await engine.start((call: IncomingCall) => {
      runs.set(call.leg.id, runner.run(call));
    });
    sim.setOutbound(() => engine.listeningAddress());
    const placed = Array.from({ length: 100 }, (_, i) => {
      const kind = KINDS[i % KINDS.length] as Kind;
      const handle = sim.placeCall(kind.script(`+1512555${String(1000 + i).padStart(4, '0')}`));
      return { kind, handle };
    });
    await withTimeout(Promise.all(placed.map((p) => p.handle.result)), 60_000, 'all 100 simulated callers to finish');
    await waitFor(() => runs.size === 100, { what: 'every call to reach the orchestrator' });
    assert.equal(runs.size, 100, 'every call reached the orchestrator');
    for (const [i, p] of placed.entries()) {
      const result = await runs.get(p.handle.channelId);
      assert.ok(result && result.callId !== null, `call ${i}`);
      const row = h.callLog.get(result.callId);
      const at = `call ${i} (${p.kind.name})`;
      assert.equal(row.outcome, p.kind.outcome, at);
      assert.equal(row.closes, 1, at);
      assert.deepEqual(h.consentStore.forCall(result.callId).map((e) => e.event), p.kind.ledger, at);
    }
    assert.equal(runner.active(), 0);
    await waitFor(() => engine.openSockets() === 0, { what: 'every call socket to close' });
    assert.equal(engine.openSockets(), 0, 'every call socket closed');
    assert.equal(logger.records.filter((r) => r.level === 'error').length, 0);
  } finally {
    await engine.stop();
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
