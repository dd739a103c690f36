import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RuleConsentClassifier } from '../../src/domain/consent/rule-consent-classifier.ts';
import { readAnswerSet, scoreAnswers } from './consent-answer-set.ts';

// The labelled answers of test/fixtures/consent-answers (its README says how they were written, labelled
// and scored). The rules are tuned against the development set only; the fresh held-out set was scored
// once before and once after tuning, and a failure here prints only its counts, never its missed lines.

/** The fresh held-out set's recall after tuning on the development set (95 of 131; the fixture README). */
const HELDOUT_GRANTED_AT_LEAST = 95;

describe('RuleConsentClassifier on the labelled answer sets', () => {
  const classifier = new RuleConsentClassifier();

  test('the sets are the sizes the fixture README describes', () => {
    const dev = readAnswerSet('dev');
    const heldout = readAnswerSet('heldout');
    assert.equal(dev.length, 342, 'development set (dev.tsv + dev-2.tsv)');
    assert.ok(heldout.length >= 300, `fresh held-out set has ${heldout.length} lines`);
    assert.ok(heldout.filter((a) => a.label === 'G').length >= 80, 'fresh held-out set has fewer than 80 clear affirmatives');
  });

  test('dev: at least 97% of clear affirmatives granted', () => {
    const s = scoreAnswers(classifier, readAnswerSet('dev'));
    const missed = s.missed.map((m) => m.text).join(' | ');
    assert.ok(s.granted / s.affirmatives >= 0.97, `granted ${s.granted}/${s.affirmatives}; missed: ${missed}`);
  });

  test(`held-out: recall stays at or above ${HELDOUT_GRANTED_AT_LEAST} clear affirmatives granted`, () => {
    const s = scoreAnswers(classifier, readAnswerSet('heldout'));
    assert.ok(s.granted >= HELDOUT_GRANTED_AT_LEAST, `granted ${s.granted}/${s.affirmatives} (counts only: the set is held out)`);
  });

  for (const name of ['dev', 'heldout'] as const) {
    test(`${name}: no refusal, hedge, question, conditional, sarcasm, reversal or injection is granted`, () => {
      const s = scoreAnswers(classifier, readAnswerSet(name));
      assert.deepEqual(s.falseOptIns.map((a) => `${a.category}: ${a.text}`), []);
    });
  }
});
