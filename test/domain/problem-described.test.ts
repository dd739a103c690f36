import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RuleConsentClassifier } from '../../src/domain/consent/rule-consent-classifier.ts';
import type { ConsentDecision } from '../../src/domain/ports/consent-classifier.ts';

// A consent phrase beside the problem described with a negation or a time in it, and beside the caller unable to take
// a call (src/domain/consent/statement-beside-consent.ts, `describesTheProblem`; affirmative-phrases.ts,
// `negatedCallRemarks`; src/domain/consent/README.md, "The problem described beside the consent phrase"). Each grant
// was declined or unclear before (dev-37 to dev-59 hold the lines these were written after, in other words); each
// non-grant is what the reading must never set aside.
const GRANTS: readonly string[] = [
  'yes please the kitchen faucet won\'t shut off',
  'Sure, go ahead. The pilot light won\'t stay lit.',
  'That\'s fine. The water heater quit last night and there\'s no hot water.',
  'sounds good the sump pump isn\'t kicking on',
  'the dishwasher won\'t drain so yes please text me',
  'Yes, text me. The breaker trips every time the dryer runs.',
  'go ahead and text me the back door lock won\'t turn',
  'Please do. It\'s the basement, the drain backed up this morning.',
  // the caller unable to take a call
  'yes please text i\'ve got paint on my hands can\'t hold the phone',
  'Sure, text me. I can\'t have my phone ringing during the funeral.',
  'that\'s fine i don\'t hear so good on the phone',
  'Yes, go ahead. I work nights, texts won\'t wake me.',
];

const NOT_GRANTS: ReadonlyArray<[string, ConsentDecision]> = [
  // a bare yes with only the problem answers another question (the fixture README's labelling rule)
  ['yes the kitchen faucet won\'t shut off', 'unclear'],
  ['Sure. The pilot light won\'t stay lit.', 'declined'],
  // the negation is of the texts, the phone, the number or the caller's willingness
  ['Yes please. It won\'t be necessary though.', 'declined'],
  ['sure go ahead it\'s not my phone', 'declined'],
  ['That\'s fine, the texts won\'t go through out here.', 'declined'],
  ['yes please the landline can\'t take texts', 'declined'],
  ['Sure, go ahead. It doesn\'t matter to me.', 'unclear'],
  ['okay text me it\'s not a good time', 'declined'],
  ['Yes please, the number isn\'t mine.', 'declined'],
  ['sure the owner won\'t be home text him', 'declined'],
  // a time set on the texts
  ['Yes, please. The texts not before nine.', 'declined'],
  // the caller unable to read texts, or a refusal after the remark
  ['sure text me i can\'t read texts', 'declined'],
  ['I can\'t hold the phone so no, don\'t text.', 'declined'],
  ['yeah i can\'t hold the phone', 'unclear'],
  // a phone number is no part of the problem
  ['Yes please. The furnace won\'t light, call 512 555 0199.', 'unclear'],
];

describe('a consent phrase beside the problem described, or the caller unable to take a call', () => {
  const classifier = new RuleConsentClassifier();
  for (const text of GRANTS) {
    test(`grants: ${text}`, () => {
      assert.equal(classifier.classify({ transcript: text, confidence: null }).decision, 'granted');
    });
  }
  for (const [text, decision] of NOT_GRANTS) {
    test(`${decision}: ${text}`, () => {
      assert.equal(classifier.classify({ transcript: text, confidence: null }).decision, decision);
    });
  }
});
