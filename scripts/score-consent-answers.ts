// Scores the rule consent classifier on the labelled answer set (test/fixtures/consent-answers/README.md):
// one JSON line per split with clear affirmatives granted, false opt-ins and refusals declined.
// Run: npm run score:consent
import { RuleConsentClassifier } from '../src/domain/consent/rule-consent-classifier.ts';
import { readAnswerSet, scoreAnswers } from '../test/domain/consent-answer-set.ts';

for (const split of ['dev', 'heldout'] as const) {
  const s = scoreAnswers(new RuleConsentClassifier(), readAnswerSet(split));
  console.log(
    JSON.stringify({
      split,
      affirmatives: s.affirmatives,
      granted: s.granted,
      recall: Number((s.granted / s.affirmatives).toFixed(4)),
      falseOptIns: s.falseOptIns.map((a) => `${a.category}: ${a.text}`),
      refusalsDeclined: `${s.refusalsDeclined}/${s.refusals}`,
      missed: s.missed.map((a) => `${a.category}: ${a.text}`),
    }),
  );
}
