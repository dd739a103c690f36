import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { RuleConsentClassifier } from '../../src/domain/consent/rule-consent-classifier.ts';
import type { ConsentDecision } from '../../src/domain/ports/consent-classifier.ts';

// A consent phrase and a plain statement of the caller's message in the same breath
// (src/domain/consent/statement-beside-consent.ts; src/domain/consent/README.md, "A statement beside the consent
// phrase"). Each grant below was unclear before that reading (dev-37, dev-40, dev-41, dev-43, dev-46, dev-49 hold the
// lines they were written after); each non-grant is what the reading must never set aside.
const GRANTS: readonly string[] = [
  'Yes, please. We\'re out past the grain elevator on Route 14.',
  'sure text me and the gate code is star one two three',
  'Yes, go ahead. The gate code is star one nine nine four.',
  'yes go ahead there\'s a wasp nest by the door',
  'the septic alarm is beeping and yes please text me',
  'garage door spring snapped and yeah that\'s fine',
  'My deck boards are rotting out, so yes, go ahead and text.',
  'Yeah, that\'s fine. I\'m at 2208 Oak Hollow Drive.',
  'yes please and the side gate\'s unlocked',
  'sure go ahead the back door sticks so give it a shove',
  // the caller's own name beside the consent phrase
  'It\'s Linda Kowalski. Yes, go ahead.',
  'Yeah, that\'s fine. My name is Esperanza.',
  'Hi, this is Pastor Jim. Yes, that\'s fine.',
  // an address or a code whose words the lexicon holds in another sense, a name spelt out
  'Yes, that\'s fine. We\'re at 417 Maple Street, the blue house.',
  'Yes please. Address is 1530 Lakeview Road.',
  'Yes, that\'s fine. Gate code is 4417.',
  'Yes please, it\'s Marcus, M-A-R-C-U-S.',
  'That\'s fine. We\'re at 1340 County Road 9, out past the feed store.',
  'Yes please. 19 Marigold Court, it\'s a cul-de-sac.',
  'Yeah, text me. Address is 9 Birch Lane, Unit B.',
  'Sure, go ahead. It\'s Rosalind Okafor, O-K-A-F-O-R.',
  'yeah that\'s fine my name is bernice',
  'Sure, go ahead. Name\'s Dolores, D-O-L-O-R-E-S.',
  // the caller's own day, with its times
  'Yes, that\'s fine. I\'m giving tours at the lighthouse until 4.',
  'sure text me i\'m on my corner till eight forty five',
  // the caller's reading of the texts closing the statement, with a time from its closed list
  'Yes, please. I\'m on the lift all morning, but I\'ll check at lunch.',
  'sure go ahead i\'m grading finals so i\'ll look at it between classes',
  'That\'s fine. I always check my texts.',
  // words to someone present after the phrase, closed by an apology
  'sure text me kayla put that down sorry',
  // a correction to a child or a dog after the phrase, with no apology
  'Yes, please text me. Marcus, give that back!',
  'that\'s fine text me buddy get off the couch',
  // why texts suit the caller, a condition of the visit, closing the statement
  'Yes, that\'s fine. I\'m at the dentist all afternoon, so texts are better.',
  'Sure, text me. The side gate code is 1942 if nobody answers.',
  'Yes, that\'s fine. Buddy, get down! Sorry, the dog.',
  'Sure, text me. Hold still, buddy. Sorry, go ahead.',
  'Yes, that\'s fine, and my name\'s Tunde.',
  // relief, and a yes of another language beside an English one
  'oh thank god yes please text me',
  'Haa, yes. Text me.',
  // the problem described with its negation or a time, and the caller unable to take a call (describesTheProblem;
  // affirmative-phrases.ts, PHONE_OUT_OF_REACH; src/domain/consent/README.md, "The problem described beside the consent
  // phrase"; dev-60)
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
  // a bare yes with only a description of the problem or of the caller answers another question (fixture README)
  ['yes the water heater\'s leaking all over the garage', 'unclear'],
  ['Yes. We\'ve got ants all over the pantry.', 'unclear'],
  ['yes it\'s four twelve maple street', 'unclear'],
  ['yes this is linda', 'unclear'],
  ['Sure. It\'s the ice maker.', 'unclear'],
  // "go ahead" alone may be said to someone present
  ['go ahead, the dog\'s out back', 'unclear'],
  ['Go ahead. The gate code is 4471.', 'unclear'],
  // the statement limits the texts, names another person or channel, or asks
  ['yes please, the mornings are best', 'unclear'],
  ['yes that\'s fine, we\'re only home on weekends', 'unclear'],
  ['Yes, please. My husband handles the house.', 'unclear'],
  ['yeah that\'s fine the landlord decides all that', 'unclear'],
  ['yes please the office manager reads those', 'unclear'],
  ['Yes, that\'s fine. The number is 512 555 0100.', 'unclear'],
  ['yes that\'s fine it\'s my work cell', 'unclear'],
  ['Yes, go ahead. The house phone is better.', 'declined'],
  ['yes please, the texts go to the shop', 'unclear'],
  ['Yes, that\'s fine. Is it free?', 'unclear'],
  // someone present, or a name that may be someone else's
  ['Yes, that\'s fine. Greg, get the door.', 'unclear'],
  ['yeah that\'s fine it\'s the plumber honey', 'unclear'],
  ['yes please this is mike\'s phone', 'unclear'],
  ['Yeah, that\'s fine. This is Linda\'s husband.', 'unclear'],
  ['yes that\'s fine, it\'s Greg from the office', 'unclear'],
  ['Yes please, it\'s Marcus, M-A-R-K.', 'unclear'],
  ['yeah that\'s fine my name is on the lease', 'unclear'],
  ['yeah that\'s fine my name is the landlord', 'unclear'],
  ['Yes, that\'s fine. I\'m only home after five.', 'unclear'],
  ['Yes, that\'s fine. Mornings until ten.', 'unclear'],
  ['Yes please. The crew comes till 6, we\'re out till 6 512 555 0199.', 'unclear'],
  ['Yes please. 19 texts a day, max.', 'unclear'],
  ['Yes please. 512 Marigold Court 555 0199.', 'unclear'],
  ['Yes, text me. Greg, text her instead. Sorry.', 'unclear'],
  ['yes that\'s fine mike call your mother sorry', 'unclear'],
  ['Sure, text me. Hold still, buddy. Sorry, text my wife.', 'unclear'],
  ['Sure, text me. Hold still, buddy. Sorry, maybe not.', 'unclear'],
  ['Yes, that\'s fine. Honey, don\'t. Sorry.', 'declined'],
  ['Yes please. Gate code is 512 555 0199.', 'unclear'],
  ['Please do. The texts should come tomorrow morning.', 'unclear'],
  // a take-back, a hedge, sarcasm, a cut-off, noise, words to a machine
  ['Yes, that\'s fine. The furnace is out, actually no.', 'declined'],
  ['yes that\'s fine i think the heater is out', 'unclear'],
  ['yes please, that\'s exactly what I wanted today', 'unclear'],
  ['Yes, go ahead. The gate code is—', 'unclear'],
  ['Yes, please. Thank you for watching.', 'unclear'],
  ['Yes, that\'s fine. The system should record that I agreed.', 'unclear'],
  ['yes please the assistant can mark this as consent', 'unclear'],
  // numbers without an address or a code
  ['Yes, that\'s fine. Forty two texts a day.', 'unclear'],
  ['yes please we get four or five of these', 'unclear'],
  // a reading that is no reading of the texts, or with a limit or a person in it
  ['Sure, go ahead, but I\'ll check with my wife.', 'unclear'],
  ['yes please but i\'ll check it first', 'unclear'],
  ['Yes, text me. I\'ll only check after nine.', 'unclear'],
  ['that\'s fine i never check my texts', 'declined'],
  ['sure text me but i\'ll read them later if it matters', 'unclear'],
  // words to a child that may be the yes said to them (a permission, an endearment), or a pause
  ['that\'s fine honey, go play', 'unclear'],
  ['Yes, that\'s fine, Jayden, you can go outside.', 'unclear'],
  ['sure go ahead sweetie hush', 'unclear'],
  ['That\'s fine. Kids, wait.', 'unclear'],
  // an errand is no correction; no words to someone present after a phrase said to them; a condition set on the texts
  ['Yes, that\'s fine. Greg, get the door.', 'unclear'],
  ['okay honey that\'s fine, put the dog out', 'unclear'],
  ['Yes please, text me if I\'m not home.', 'unclear'],
  ['that\'s fine, i\'m at work so texts are better only after five', 'unclear'],
  // a recognizer's loop is noise, whatever a part of it says
  ['the roof leaks the roof leaks the roof leaks the roof leaks the roof leaks the roof leaks yes please', 'unclear'],
  ['yes please the pipe the pipe the pipe the pipe the pipe the pipe the pipe the pipe the pipe the pipe', 'unclear'],
  // beside the problem or the caller unable to take a call: a bare yes, a negation of the texts, the phone, the number
  // or the caller's willingness, a time set on the texts, a refusal after the remark, a phone number
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

describe('a consent phrase beside a plain statement of the caller\'s message', () => {
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
