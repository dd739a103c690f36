// Scores the rule consent classifier on the labelled answers (test/fixtures/consent-answers/README.md):
// one JSON line per development file, with its missed affirmatives and any false opt-in listed (a false
// opt-in breaks "nothing unclear counts as yes" and must be repaired). Held-out files print counts only:
// their missed lines are not shown, so scoring them does not turn them into development data.
// Run: npm run score:consent
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { RuleConsentClassifier } from '../src/domain/consent/rule-consent-classifier.ts';
import { ANSWER_FILES, HELD_OUT_FILES, readAnswerFile, scoreAnswers } from '../test/domain/consent-answer-set.ts';

const classifier = new RuleConsentClassifier();
for (const file of [...ANSWER_FILES, ...HELD_OUT_FILES]) {
  const heldOut = (HELD_OUT_FILES as readonly string[]).includes(file);
  if (!existsSync(fileURLToPath(new URL(`../test/fixtures/consent-answers/${file}`, import.meta.url)))) continue;
  const set = readAnswerFile(file);
  const s = scoreAnswers(classifier, set);
  console.log(
    JSON.stringify({
      file,
      set: heldOut ? 'held-out' : 'development',
      lines: set.length,
      affirmatives: s.affirmatives,
      granted: s.granted,
      recall: Number((s.granted / s.affirmatives).toFixed(4)),
      falseOptIns: s.falseOptIns.map((a) => `${a.category}: ${a.text}`),
      refusalsDeclined: `${s.refusalsDeclined}/${s.refusals}`,
      missed: heldOut ? `${s.missed.length} (not listed: held out)` : s.missed.map((a) => `${a.category}: ${a.text}`),
    }),
  );
}
