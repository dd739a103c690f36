// Measures the PocketSphinx consent path over synthesized answers × engines × voices × speeds, through the
// production path (synthesizer → 8 kHz WAV → PocketSphinxTranscriber → RuleConsentClassifier). Not a
// test file (it takes minutes); run: node --import tsx test/speech/pocketsphinx-consent-matrix.ts [wpm,...]
// Prints one JSON line per clip that was granted wrongly, one per condition, and a summary.
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RuleConsentClassifier } from '../../src/domain/consent/rule-consent-classifier.ts';
import { CachingSynthesizer } from '../../src/speech/caching-synthesizer.ts';
import { EspeakCliEngine } from '../../src/speech/espeak-cli-engine.ts';
import { EspeakWasmEngine } from '../../src/speech/espeak-wasm-engine.ts';
import { PocketSphinxTranscriber } from '../../src/speech/pocketsphinx-transcriber.ts';

export const AFFIRMATIVES = [
  'Yes.', 'Yes please.', 'Yes, please.', 'Yes, that is fine.', "Yes, that's fine.", 'Sure.', "Sure, that's fine.", 'Okay.',
  'Yeah, go ahead.', 'Yeah.', 'Yep.', 'Absolutely.', 'Of course.', 'Sounds good.', 'Yes, you can text me.', 'Go ahead.',
  'That is fine.', 'Yes, go ahead.', 'Sure thing.', 'Okay, sure.',
];
export const NOT_AFFIRMATIVES = [
  'No.', 'No thanks.', 'No thank you.', 'Nope.', "Don't text me.", "I'd rather not.", "No, please don't.", 'Please do not text me.',
  'Not really.', 'No, just call me.', 'Nah.', "No, I'm good.", "Don't.", 'Not okay.', 'No way.', 'Hell no.', 'Maybe.', "I don't know.",
  'Who is this?', 'Stop.', 'Never.', 'No, thanks.', 'Nope, no thanks.', "No, that's not fine.", 'Do not text me.', "I'm not sure.",
  'Not now.', 'No no no.', 'Nothing.', 'Know.',
];
/** The WebAssembly build knows no "en-gb" (it keeps the previous voice); its British voice is "en". */
export const VOICES = { 'espeak-ng-wasm': ['en-us', 'en-us+f3', 'en-us+m3', 'en'], 'espeak-ng': ['en-us', 'en-us+f3', 'en-us+m3', 'en-gb'] } as const;

async function main(): Promise<void> {
  const speeds = (process.argv[2] ?? '130,160,190').split(',').map(Number);
  const ps = new PocketSphinxTranscriber();
  const cls = new RuleConsentClassifier();
  const engines = { 'espeak-ng-wasm': new EspeakWasmEngine(), 'espeak-ng': new EspeakCliEngine() };
  const total = { yes: 0, granted: 0, no: 0, falseGrants: 0 };
  const byPhrase = new Map<string, number>();
  for (const engine of ['espeak-ng-wasm', 'espeak-ng'] as const) {
    for (const voice of VOICES[engine]) {
      for (const wpm of speeds) {
        const synth = new CachingSynthesizer(engines[engine], { dir: join(tmpdir(), 'callkeeper-ps-matrix'), voice, wordsPerMinute: wpm });
        const row = { engine, voice, wpm, granted: 0, yes: 0, falseGrants: 0, no: 0 };
        const clips = [...AFFIRMATIVES.map((t) => [t, true] as const), ...NOT_AFFIRMATIVES.map((t) => [t, false] as const)];
        await Promise.all(
          clips.map(async ([text, yes]) => {
            const f = await synth.synthesize(text, { sampleRate: 8000 });
            const t = await ps.transcribe(readFileSync(f.file), { purpose: 'consent-answer' });
            const d = cls.classify({ transcript: t.text, confidence: t.confidence.score }).decision;
            if (yes) {
              row.yes++;
              if (d === 'granted') {
                row.granted++;
                byPhrase.set(text, (byPhrase.get(text) ?? 0) + 1);
              }
            } else {
              row.no++;
              if (d === 'granted') {
                row.falseGrants++;
                console.log(JSON.stringify({ falseGrant: text, engine, voice, wpm, heard: t.text }));
              }
            }
          }),
        );
        total.yes += row.yes;
        total.granted += row.granted;
        total.no += row.no;
        total.falseGrants += row.falseGrants;
        console.log(JSON.stringify(row));
      }
    }
  }
  console.log(JSON.stringify({ metric: 'pocketsphinx_consent_matrix', ...total, trueGrantRate: Number((total.granted / total.yes).toFixed(3)), grantedByPhrase: Object.fromEntries(byPhrase) }));
  await ps.close();
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
