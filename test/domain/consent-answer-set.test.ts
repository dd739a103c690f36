import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RuleConsentClassifier } from '../../src/domain/consent/rule-consent-classifier.ts';
import { readAnswerSet, scoreAnswers } from './consent-answer-set.ts';

// The labelled answers of test/fixtures/consent-answers (its README says how they were labelled and split).
// The rules were tuned against dev.tsv only; heldout.tsv was scored once, at the end (src/llm/README.md).
describe('RuleConsentClassifier on the labelled answer set', () => {
  const classifier = new RuleConsentClassifier();

  test('dev: at least 97% of clear affirmatives granted', () => {
    const s = scoreAnswers(classifier, readAnswerSet('dev'));
    assert.ok(s.affirmatives >= 70, `only ${s.affirmatives} affirmatives in dev.tsv`);
    const missed = s.missed.map((m) => m.text).join(' | ');
    assert.ok(s.granted / s.affirmatives >= 0.97, `granted ${s.granted}/${s.affirmatives}; missed: ${missed}`);
  });

  for (const name of ['dev', 'heldout'] as const) {
    test(`${name}: no refusal, hedge, question, conditional, sarcasm or injection is granted`, () => {
      const s = scoreAnswers(classifier, readAnswerSet(name));
      assert.deepEqual(s.falseOptIns.map((a) => `${a.category}: ${a.text}`), []);
    });
  }
});
