// Measures the PocketSphinx consent path over synthesized answers × engines × voices × speeds, through the
// production path (synthesizer → 8 kHz WAV → PocketSphinx's two decodes → answerTranscript →
// RuleConsentClassifier). Not a test file (it takes minutes); run:
//   node --import tsx test/speech/pocketsphinx-consent-matrix.ts [wpm,...]
// Each clip's decodes are cached by the SHA-256 of its WAV (the decoder is deterministic), so a rule
// change in pocketsphinx-answer-check.ts is re-measured in seconds; --fresh decodes everything again,
// --cached-only measures only the clips already decoded, --dump prints every clip with its decodes,
// --voice=NAME keeps one voice (both engines).
// Prints one JSON line per clip granted wrongly and per refusal not declined, one per condition, and a
// summary by kind: refusals → declined, affirmatives → declined/granted, hedges → declined/granted.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RuleConsentClassifier } from '../../src/domain/consent/rule-consent-classifier.ts';
import { CachingSynthesizer } from '../../src/speech/caching-synthesizer.ts';
import { EspeakCliEngine } from '../../src/speech/espeak-cli-engine.ts';
import { EspeakWasmEngine } from '../../src/speech/espeak-wasm-engine.ts';
import { answerTranscript, type AnswerDecodes } from '../../src/speech/pocketsphinx-answer-check.ts';
import { PocketSphinxTranscriber } from '../../src/speech/pocketsphinx-transcriber.ts';

export const AFFIRMATIVES = [
  'Yes.', 'Yes please.', 'Yes, please.', 'Yes, that is fine.', "Yes, that's fine.", 'Sure.', "Sure, that's fine.", 'Okay.',
  'Yeah, go ahead.', 'Yeah.', 'Yep.', 'Absolutely.', 'Of course.', 'Sounds good.', 'Yes, you can text me.', 'Go ahead.',
  'That is fine.', 'Yes, go ahead.', 'Sure thing.', 'Okay, sure.',
];
/** What the classifier declines when it reads the words as written. */
export const REFUSALS = [
  'No.', 'No thanks.', 'No thank you.', 'No, thank you.', 'Nope.', "Please don't.", "Don't text me.", "I'd rather not.",
  "No, please don't.", 'Please do not text me.', 'Not really.', 'No, just call me.', 'Nah.', "No, I'm good.", "Don't.", 'Not okay.',
  'No way.', 'Hell no.', 'Stop.', 'Never.', 'No, thanks.', 'Nope, no thanks.', "No, that's not fine.", 'Do not text me.', 'Not now.',
  'No no no.',
];
/** Neither yes nor no: the classifier says unclear when it reads the words as written. */
export const HEDGES = [
  'Maybe.', "I don't know.", 'Who is this?', "I'm not sure.", 'Nothing.', 'Know.', 'I guess.', 'Whatever.', "I'm good.", 'What?',
  'Hold on.', 'Can you repeat that?', 'Not sure.', 'Let me think.', 'Why?', 'Who cares.',
];
/** Six plain refusals (src/speech/README.md, "Refusals"): each must come out declined. */
export const CLEAR_REFUSALS = ['No.', 'No thanks.', 'No, thank you.', 'Nope.', "Please don't.", "I'd rather not."];
export const NOT_AFFIRMATIVES = [...REFUSALS, ...HEDGES];
/** The WebAssembly build knows no "en-gb" (it keeps the previous voice); its British voice is "en". */
export const VOICES = { 'espeak-ng-wasm': ['en-us', 'en-us+f3', 'en-us+m3', 'en'], 'espeak-ng': ['en-us', 'en-us+f3', 'en-us+m3', 'en-gb'] } as const;

type Kind = 'affirmative' | 'refusal' | 'hedge';
type Tally = Record<'granted' | 'declined' | 'unclear', number>;

const DIR = join(tmpdir(), 'callkeeper-ps-matrix');
const DECODES = join(DIR, 'decodes.jsonl');

function loadDecodes(): Map<string, AnswerDecodes> {
  const m = new Map<string, AnswerDecodes>();
  if (!existsSync(DECODES)) return m;
  for (const line of readFileSync(DECODES, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const r = JSON.parse(line) as { key: string; d: AnswerDecodes };
    m.set(r.key, r.d);
  }
  return m;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const fresh = args.includes('--fresh');
  const cachedOnly = args.includes('--cached-only');
  const dump = args.includes('--dump');
  const onlyVoice = args.find((a) => a.startsWith('--voice='))?.slice('--voice='.length);
  const speeds = (args.find((a) => /^\d/.test(a)) ?? '130,160,190').split(',').map(Number);
  mkdirSync(DIR, { recursive: true });
  const cache = fresh ? new Map<string, AnswerDecodes>() : loadDecodes();
  const ps = new PocketSphinxTranscriber();
  const cls = new RuleConsentClassifier();
  const engines = { 'espeak-ng-wasm': new EspeakWasmEngine(), 'espeak-ng': new EspeakCliEngine() };
  const total: Record<Kind, Tally> = { affirmative: zero(), refusal: zero(), hedge: zero() };
  const clear = zero();
  const byPhrase = new Map<string, Tally>();
  for (const engine of ['espeak-ng-wasm', 'espeak-ng'] as const) {
    for (const voice of VOICES[engine]) {
      if (onlyVoice !== undefined && voice !== onlyVoice) continue;
      for (const wpm of speeds) {
        const synth = new CachingSynthesizer(engines[engine], { dir: DIR, voice, wordsPerMinute: wpm });
        const row: Record<Kind, Tally> = { affirmative: zero(), refusal: zero(), hedge: zero() };
        const clips = [
          ...AFFIRMATIVES.map((t) => [t, 'affirmative'] as const),
          ...REFUSALS.map((t) => [t, 'refusal'] as const),
          ...HEDGES.map((t) => [t, 'hedge'] as const),
        ];
        await Promise.all(
          clips.map(async ([text, kind]) => {
            const f = await synth.synthesize(text, { sampleRate: 8000 });
            const wav = readFileSync(f.file);
            const key = createHash('sha256').update(wav).digest('hex');
            let d = cache.get(key);
            if (d === undefined && cachedOnly) return;
            if (d === undefined) {
              d = await ps.decodeAnswer(wav);
              cache.set(key, d);
              appendFileSync(DECODES, `${JSON.stringify({ key, d })}\n`);
            }
            const t = answerTranscript(d);
            const decision = cls.classify({ transcript: t.text, confidence: t.score }).decision;
            row[kind][decision]++;
            total[kind][decision]++;
            const p = byPhrase.get(text) ?? zero();
            p[decision]++;
            byPhrase.set(text, p);
            if (CLEAR_REFUSALS.includes(text)) clear[decision]++;
            if (dump) console.log(JSON.stringify({ clip: text, kind, engine, voice, wpm, decision, d }));
            if (decision === 'granted' && kind !== 'affirmative') console.log(JSON.stringify({ falseGrant: text, engine, voice, wpm, d }));
            if (decision === 'declined' && kind !== 'refusal') console.log(JSON.stringify({ falseDecline: text, kind, engine, voice, wpm, d }));
          }),
        );
        console.log(JSON.stringify({ engine, voice, wpm, ...row }));
      }
    }
  }
  const rate = (t: Tally, k: keyof Tally) => Number((t[k] / (t.granted + t.declined + t.unclear)).toFixed(3));
  console.log(JSON.stringify({ byPhrase: Object.fromEntries(byPhrase) }));
  console.log(
    JSON.stringify({
      metric: 'pocketsphinx_consent_matrix',
      ...total,
      clearRefusals: clear,
      refusalDeclinedRate: rate(total.refusal, 'declined'),
      clearRefusalDeclinedRate: rate(clear, 'declined'),
      affirmativeDeclinedRate: rate(total.affirmative, 'declined'),
      affirmativeGrantedRate: rate(total.affirmative, 'granted'),
      hedgeDeclinedRate: rate(total.hedge, 'declined'),
      nonAffirmativeGranted: total.refusal.granted + total.hedge.granted,
    }),
  );
  await ps.close();
}

function zero(): Tally {
  return { granted: 0, declined: 0, unclear: 0 };
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
