import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { extractIssue, MAX_WORDS } from '../../src/domain/messaging/issue-extractor.ts';
import { renderFirstText } from '../../src/domain/messaging/message-templates.ts';

/**
 * Transcripts as Whisper writes them (capitals, punctuation, the occasional noise marker) → the phrase for
 * the first text, or null when the rules must not guess (a wrong guess is worse than none).
 */
const FOUND: ReadonlyArray<readonly [string, string]> = [
  // Plumbing.
  ['Hi, this is Dave. My kitchen faucet is leaking, can you call me back?', 'a leaking kitchen faucet'],
  ['My faucet is leaking.', 'a leaking faucet'],
  ["Yeah hi, the faucet's been dripping all night. Call me at 512-555-0199.", 'a dripping faucet'],
  ['I have a leaky faucet in the bathroom.', 'a leaking faucet'],
  ['We have a burst pipe in the basement, please call back as soon as you can.', 'a burst pipe'],
  ['My pipe burst.', 'a burst pipe'],
  ['Hi, our pipes burst last night and there is water everywhere.', 'burst pipes'],
  ['The pipes under the house are frozen.', 'frozen pipes'],
  ['The pipe under the sink is leaking pretty bad.', 'a leaking pipe'],
  ['Hi, my kitchen sink is clogged. My name is Maria.', 'a clogged kitchen sink'],
  ['The shower drain is backed up again, call me please.', 'a clogged shower drain'],
  ['Hello, I have a clogged drain in my bathroom.', 'a clogged drain'],
  ["The toilet is overflowing, I don't know what to do.", 'an overflowing toilet'],
  ["Our upstairs toilet won't flush.", "an upstairs toilet that won't flush"],
  ['The toilet keeps running all the time.', 'a running toilet'],
  ['Yeah my water heater is broken, no hot water since this morning.', 'a broken water heater'],
  ['Hi, we have no hot water.', 'no hot water'],
  ["We don't have any hot water, my name is Tom, 512 555 0100.", 'no hot water'],
  ['The hot water heater is leaking all over the garage floor.', 'a leaking water heater'],
  ['There is water coming out from under the toilet.', 'a leaking toilet'],
  ['I have a leak under the kitchen sink.', 'a leaking kitchen sink'],
  ['Our basement is flooded.', 'a flooded basement'],
  ['The pipe burst and the basement is flooding.', 'a burst pipe'],
  ['The sewer is backing up into the tub.', 'a sewer backup'],
  ['My garbage disposal stopped working.', 'a broken garbage disposal'],
  ['Our sump pump died.', 'a broken sump pump'],
  ['We have really low water pressure in the whole house.', 'low water pressure'],
  // HVAC.
  ['Hi, we have no heat and it is freezing in here.', 'no heat'],
  ["Our heat isn't working, can somebody come out today?", 'no heat'],
  ['The furnace is blowing cold air.', 'no heat'],
  ["My furnace won't turn on, and there's no heat in the house.", 'a broken furnace'],
  ['Yeah the AC is not cooling, it is ninety degrees in here.', 'the AC not cooling'],
  ["My A/C isn't working.", 'the AC not working'],
  ['The air conditioner is blowing warm air.', 'the AC not cooling'],
  ['Our boiler is leaking.', 'a leaking boiler'],
  ['The thermostat is broken, I think.', 'a broken thermostat'],
  // Electrical.
  ['There is a sparking outlet in my kitchen.', 'a sparking outlet'],
  ['The outlet in the living room is sparking.', 'a sparking outlet'],
  ['The breaker keeps tripping every time I run the microwave.', 'a tripping breaker'],
  ['Hi, we lost power in half the house.', 'a power outage'],
  ['Our light switch is sparking when I flip it.', 'a sparking light switch'],
  ['My electrical panel is sparking, please call.', 'a sparking electrical panel'],
  // Locksmith.
  ["I'm locked out of my house.", 'a lockout'],
  ['Hi, I locked myself out of the car at the grocery store.', 'a lockout'],
  ['I locked my keys in the car.', 'a lockout'],
  ['The front door lock is jammed.', 'a jammed front door lock'],
  ['The key broke off in the lock.', 'a key broken off in the lock'],
  ['I lost my house keys, I need the locks changed.', 'lost keys'],
  // Gas.
  ['I smell gas in the kitchen.', 'a gas smell'],
  ['We think we have a gas leak.', 'a gas leak'],
  // Noise markers around a real message; "don't know why" does not negate.
  ['[BLANK_AUDIO] My toilet is clogged. [BLANK_AUDIO]', 'a clogged toilet'],
  ["I don't know why but the toilet keeps running.", 'a running toilet'],
  ['No rush, but the bathroom sink is clogged.', 'a clogged bathroom sink'],
  ['If you could call me back that would be great, my faucet is leaking.', 'a leaking faucet'],
];

const UNSURE: ReadonlyArray<readonly [string, string | null]> = [
  ['nothing', null],
  ['empty', ''],
  ['blank audio', '[BLANK_AUDIO]'],
  ['Whisper thank-you hallucination', 'Thank you.'],
  ['Whisper outro hallucination', 'Thanks for watching! Please subscribe.'],
  ['music marker', '(upbeat music) ♪♪'],
  ['low information', 'I need help.'],
  ['just a callback request', 'Hi, this is John, please call me back at 512-555-0100.'],
  ['a name and a number only', 'Yeah, hi, it is Sarah, my number is 512 555 0123, thanks.'],
  ['negated and over', "It's not leaking anymore, but can someone come take a look?"],
  ['negated noun', 'There is no leak, I just want the faucet replaced.'],
  ['resolved', 'The faucet was leaking but my husband fixed it.'],
  ['the leak stopped', 'My pipe was leaking, but it stopped this morning.'],
  ["don't think it burst", "I don't think the pipe burst, but it's making a noise."],
  ['not sure', "I'm not sure if the drain is clogged or what."],
  ['maybe', 'Maybe the water heater is broken? It makes a weird sound.'],
  ['hypothetical', 'What do I do if my pipes are frozen?'],
  ['preventive', 'I want to prevent frozen pipes this winter.'],
  ['a quote', 'I need a quote for a broken water heater replacement.'],
  ['a service question', 'Do you guys fix leaky faucets?'],
  ['question mark', 'Is the toilet clogged?'],
  ['the past', 'We had a burst pipe last year and want an inspection.'],
  ['two problems', 'The kitchen sink is clogged and also the furnace is broken.'],
  ['two plumbing problems', 'My faucet is leaking and my toilet is clogged.'],
  ['plumbing and lock', "I'm locked out and my pipe burst."],
  ['non-trade: car', 'My car is broken down on the highway.'],
  ['non-trade: heart', 'My heart is broken, honestly.'],
  ['non-trade: phone', "My phone isn't working so call my wife."],
  ['non-trade: insurance', 'I am calling about my insurance policy renewal.'],
  ['new install, no problem', 'I would like to install a new ceiling fan in the bedroom.'],
  ['vague leak without a fixture', 'There is some kind of water problem, not sure.'],
  ['not locked out', "I'm not locked out, I just need a spare key made."],
  ['isn\'t sparking', "The outlet isn't sparking but it's warm."],
  ['double negative is unsure', "The AC isn't not working, it's just loud."],
  [
    'long rambling',
    'So um yeah hi this is Bob and I was calling because you know we have had some things going on at the house for a while and my wife thinks we should call somebody and I am not really sure what it is exactly but the faucet is leaking and there is something with the lights and the garage door too and anyway call me back when you can thanks a lot bye now okay.',
  ],
];

describe('extractIssue: a phrase when the message names one problem', () => {
  for (const [transcript, phrase] of FOUND) {
    test(`${JSON.stringify(transcript)} → ${phrase}`, () => {
      assert.equal(extractIssue(transcript), phrase);
    });
  }
});

describe('extractIssue: null whenever unsure', () => {
  for (const [name, transcript] of UNSURE) {
    test(name, () => {
      assert.equal(extractIssue(transcript), null, JSON.stringify(transcript));
    });
  }

  test('the long-message bound is what refuses the rambling case', () => {
    const core = 'My faucet is leaking.';
    assert.equal(extractIssue(core), 'a leaking faucet');
    const padded = `${'and then '.repeat(Math.ceil((MAX_WORDS - 3) / 2))}${core}`;
    assert.ok(padded.split(' ').length > MAX_WORDS);
    assert.equal(extractIssue(padded), null);
  });
});

describe('the first text with the phrase', () => {
  test('reads as a sentence', () => {
    const biz = { name: 'Acme Plumbing', templates: {}, consentMode: 'verbal' as const };
    assert.equal(
      renderFirstText(biz, extractIssue('Hi, my faucet is leaking, please call me back.')).text,
      'Hi, this is Acme Plumbing. We received your call about a leaking faucet. Msg & data rates may apply. Reply HELP for help, STOP to opt out.',
    );
    assert.equal(
      renderFirstText(biz, extractIssue('The AC is not cooling.')).text.split('. ')[1],
      'We received your call about the AC not cooling',
    );
    assert.equal(renderFirstText(biz, extractIssue('Thank you.')).text.split('. ')[1], 'We received your call');
  });
});
