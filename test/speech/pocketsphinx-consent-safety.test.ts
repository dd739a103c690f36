import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { RuleConsentClassifier } from '../../src/domain/consent/rule-consent-classifier.ts';
import { answerTranscript, confirmedRefusal, judgeAnswer } from '../../src/speech/pocketsphinx-answer-check.ts';
import { CachingSynthesizer } from '../../src/speech/caching-synthesizer.ts';
import { EspeakCliEngine } from '../../src/speech/espeak-cli-engine.ts';
import { EspeakWasmEngine } from '../../src/speech/espeak-wasm-engine.ts';
import { parseCtm, parseNbest, PocketSphinxTranscriber } from '../../src/speech/pocketsphinx-transcriber.ts';
import { CACHE_DIR } from './fixtures/speech-fixtures.ts';

// The full measurement (1,200 clips: 2 engines × 4 voices × 3 speeds × 50 answers) is
// test/speech/pocketsphinx-consent-matrix.ts; this file keeps a fast sample of the hardest cases.

const wasm = new CachingSynthesizer(new EspeakWasmEngine(), { dir: CACHE_DIR, voice: 'en-us' });
const cliF3 = new CachingSynthesizer(new EspeakCliEngine(), { dir: CACHE_DIR, voice: 'en-us+f3' });
// The system binary renders each clip in a fresh process, so its audio is the same on every run; the
// WebAssembly engine's output depends on what the same process rendered before (measured).
const cliUs = new CachingSynthesizer(new EspeakCliEngine(), { dir: CACHE_DIR, voice: 'en-us' });
const cliGbFast = new CachingSynthesizer(new EspeakCliEngine(), { dir: CACHE_DIR, voice: 'en-gb', wordsPerMinute: 190 });

async function decide(ps: PocketSphinxTranscriber, synth: CachingSynthesizer, text: string): Promise<{ decision: string; heard: string }> {
  const f = await synth.synthesize(text, { sampleRate: 8000 });
  const t = await ps.transcribe(readFileSync(f.file), { purpose: 'consent-answer' });
  return { decision: new RuleConsentClassifier().classify({ transcript: t.text, confidence: t.confidence.score }).decision, heard: t.text };
}

describe('PocketSphinx consent answers, synthesized at 8 kHz', () => {
  test('refusals and hedges are never granted (default WebAssembly voice and system espeak-ng)', async () => {
    const ps = new PocketSphinxTranscriber();
    const cases: Array<[CachingSynthesizer, string]> = [
      // The default demo voice: "No thanks." was heard as "uh okay uh" and granted before the fix.
      ...['No thanks.', 'No.', 'No thank you.', 'Nope.', "Don't text me.", "I'd rather not.", "I'm not sure.", 'Nah.', 'No way.'].map(
        (t) => [wasm, t] as [CachingSynthesizer, string],
      ),
      [cliF3, 'No thanks.'], [cliF3, 'Nah.'], [cliGbFast, "I'm not sure."], [cliGbFast, 'Please do not text me.'],
    ];
    const results = await Promise.all(cases.map(async ([s, text]) => ({ text, ...(await decide(ps, s, text)) })));
    for (const r of results) assert.notEqual(r.decision, 'granted', `${JSON.stringify(r.text)} heard as ${JSON.stringify(r.heard)} was granted`);
    await ps.close();
  });

  test('the demo voice saying "Yes." or "Yep." is granted; "Okay." stays unclear by design', async () => {
    const ps = new PocketSphinxTranscriber();
    const [yes, yep, okay] = await Promise.all(['Yes.', 'Yep.', 'Okay.'].map((t) => decide(ps, wasm, t)));
    assert.equal(yes!.decision, 'granted', `heard ${JSON.stringify(yes!.heard)}`);
    assert.equal(yep!.decision, 'granted', `heard ${JSON.stringify(yep!.heard)}`);
    assert.equal(okay!.decision, 'unclear', 'PocketSphinx hears "no thanks" as "okay", so okay never grants from it');
    await ps.close();
  });
});

describe('PocketSphinx clear refusals, synthesized at 8 kHz (a plain "no" used to be recorded unclear)', () => {
  test('refusals the free decode confirms are declined; "Yes." still granted, "Okay." and hedges still unclear', async () => {
    const ps = new PocketSphinxTranscriber();
    const cases: Array<[CachingSynthesizer, string, string]> = [
      // Before: each refusal here was unclear (the free decode hears "no" as "oh", so the decodes disagreed).
      [cliUs, 'No.', 'declined'], [cliUs, 'Nope.', 'declined'], [cliUs, 'No, thank you.', 'declined'], [cliUs, "Please don't.", 'declined'],
      [cliUs, "Don't.", 'declined'], [cliF3, 'No thanks.', 'declined'],
      [cliUs, 'Yes.', 'granted'], [cliUs, 'Okay.', 'unclear'], [cliUs, 'Maybe.', 'unclear'], [cliUs, "I'm not sure.", 'unclear'],
    ];
    const results = await Promise.all(cases.map(async ([s, text, want]) => ({ text, want, ...(await decide(ps, s, text)) })));
    for (const r of results) assert.equal(r.decision, r.want, `${JSON.stringify(r.text)} heard as ${JSON.stringify(r.heard)}`);
    await ps.close();
  });
});

describe('judgeAnswer', () => {
  const lm = (...pairs: Array<[string, number]>) => pairs.map(([word, posterior]) => ({ word, posterior }));

  test('the decodes of the original bug ("no thanks" heard as okay by both) score 0', () => {
    assert.equal(judgeAnswer({ grammar: 'uh okay uh', lm: lm(['okay', 0.692]), nbest: ['ok', 'oka', 'okay a'] }).score, 0);
  });

  test('a confirmed yes scores 1; each missing confirmation drops it to 0', () => {
    const good = { grammar: 'yep', lm: lm(['yeah', 0.94]), nbest: ['yeah', 'yes i', 'yeah a'] };
    assert.deepEqual(judgeAnswer(good), { kind: 'trusted-affirmative', score: 1 });
    assert.equal(judgeAnswer({ ...good, lm: lm(['yeah', 0.3]) }).score, 0, 'low posterior');
    assert.equal(judgeAnswer({ ...good, lm: lm(['the', 0.9]) }).score, 0, 'free decode lacks the head word');
    assert.equal(judgeAnswer({ ...good, nbest: ['yeah', 'no'] }).score, 0, 'a refusal among the alternatives');
    assert.equal(judgeAnswer({ ...good, lm: lm(['yeah', 0.9], ['no', 0.2]) }).score, 0, 'a refusal in the free decode');
    assert.equal(judgeAnswer({ ...good, grammar: 'yeah uh why' }).score, 0, 'a non-assent word in the grammar decode');
  });

  test('sure, fine and okay alone are not trusted heads ("not sure" is heard as "sure")', () => {
    for (const g of ['sure', 'uh sure', 'fine', 'okay', 'sure fine']) {
      assert.equal(judgeAnswer({ grammar: g, lm: lm(['sure', 0.99]), nbest: [] }).score, 0, g);
    }
  });

  test('a refusal the free decode backs is confirmed, with the words a decode heard', () => {
    // Rule 1: grammar "no", "no" among the free decode's alternatives (measured: "No." → "oh" + N-best "no").
    assert.deepEqual(answerTranscript({ grammar: 'no uh', lm: lm(['oh', 0.3], ['and', 0.4]), nbest: ['go', 'no'] }), { text: 'no', score: 1 });
    // Rule 2: grammar refusal, the free decode a lone "no" without its /n/.
    assert.deepEqual(answerTranscript({ grammar: "don't", lm: lm(['oh', 0.82]), nbest: ['o', 'ow'] }), { text: "don't", score: 1 });
    assert.equal(judgeAnswer({ grammar: "don't", lm: lm(['oh', 0.4]), nbest: ['o', 'ow'] }).kind, 'other', 'lone "oh" under the posterior bound');
    // Rule 3: grammar heard only "okay" ("please don't"), the free decode a refusal word.
    assert.deepEqual(answerTranscript({ grammar: 'okay', lm: lm(['you', 0.46], ["don't", 0.37]), nbest: [] }), { text: "you don't", score: 1 });
    assert.equal(judgeAnswer({ grammar: 'okay', lm: lm(['you', 0.46], ["don't", 0.2]), nbest: [] }).score, 0, 'weak refusal word');
  });

  test('what stays unclear: "okay" alone (it is also "no thanks"), mixed decodes, "don\'t" only among alternatives', () => {
    assert.equal(judgeAnswer({ grammar: 'uh okay uh', lm: lm(['oh', 0.81], ['really', 0.1]), nbest: ['okay and', 'oh and'] }).score, 0);
    assert.equal(judgeAnswer({ grammar: 'no okay uh', lm: lm(['oh', 0.88], ['okay', 0.8]), nbest: ['no okay'] }).kind, 'unverified-affirmative');
    // "Sounds good." heard as "don't don't" with "don't look" among the alternatives (measured).
    assert.equal(judgeAnswer({ grammar: "uh don't don't", lm: lm(['oh', 0.07], ['we', 0.75]), nbest: ['oh', "don't look"] }).kind, 'other');
    // "I don't know" / "Know." in the grammar: "i" and "know" are not refusal words.
    assert.equal(judgeAnswer({ grammar: "i don't know", lm: lm(['oh', 0.9]), nbest: ['no'] }).kind, 'other');
  });

  test('a trusted affirmative is never turned into a refusal', () => {
    assert.deepEqual(judgeAnswer({ grammar: 'yep', lm: lm(['yeah', 0.94]), nbest: ['yeah'] }), { kind: 'trusted-affirmative', score: 1 });
    assert.equal(confirmedRefusal({ grammar: 'yeah no', lm: lm(['yeah', 0.98]), nbest: ['no'] }), null);
  });

  test('refusals without confirmation keep the two decodes agreement', () => {
    assert.equal(judgeAnswer({ grammar: 'no', lm: lm(['no', 0.9]), nbest: [] }).score, 1);
    assert.equal(judgeAnswer({ grammar: 'no', lm: lm(['oh', 0.4]), nbest: ['go'] }).score, 0);
  });

  test('CTM and N-best output parse into words and texts', () => {
    assert.deepEqual(parseCtm('utt 1 0.06 0.38 okay 0.692\nutt 1 0.4 0.1 <sil> 1.000\nutt 1 0.5 0.2 that(2) 0.5\n'), lm(['okay', 0.692], ['that', 0.5]));
    assert.deepEqual(parseNbest('yeah i -472088\n<s> yes [NOISE] </s> -472100\n\n'), ['yeah i', 'yes']);
  });
});
