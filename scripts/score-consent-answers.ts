// Scores the rule consent classifier on the labelled answers (test/fixtures/consent-answers/README.md):
// one JSON line for the development set (tune against it: its misses are listed) and one for the fresh
// held-out set (counts only: reading its misses would turn it into a second development set). A false
// opt-in is listed on either set, since it breaks "nothing unclear counts as yes" and must be repaired.
// Run: npm run score:consent
import { RuleConsentClassifier } from '../src/domain/consent/rule-consent-classifier.ts';
import { readAnswerSet, scoreAnswers } from '../test/domain/consent-answer-set.ts';

for (const split of ['dev', 'heldout'] as const) {
  const set = readAnswerSet(split);
  const s = scoreAnswers(new RuleConsentClassifier(), set);
  console.log(
    JSON.stringify({
      split,
      lines: set.length,
      affirmatives: s.affirmatives,
      granted: s.granted,
      recall: Number((s.granted / s.affirmatives).toFixed(4)),
      falseOptIns: s.falseOptIns.map((a) => `${a.category}: ${a.text}`),
      refusalsDeclined: `${s.refusalsDeclined}/${s.refusals}`,
      ...(split === 'dev' ? { missed: s.missed.map((a) => `${a.category}: ${a.text}`) } : { missed: s.missed.length }),
    }),
  );
}
