import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildUrgencyRules, judgeUrgency, type SuppressReason } from '../../src/domain/urgency/urgency-judge.ts';
import type { Trade } from '../../src/domain/urgency/urgency-rules.ts';
import { isAppError } from '../../src/domain/errors.ts';

/**
 * Table of transcripts as Whisper writes them (punctuated, sometimes not): [transcript, expected rule id
 * or null for "not urgent", trade (default general), expected suppression reason for a near miss].
 */
type Row = readonly [string, string | null, Trade?, SuppressReason?];

const URGENT: Row[] = [
  // plumbing
  ['Hi, the pipe burst in the basement and there is water everywhere.', 'plumbing.burst-pipe', 'plumbing'],
  ['We have a burst pipe under the kitchen sink, please call back.', 'plumbing.burst-pipe', 'plumbing'],
  ['My pipes froze last night and one of them just burst', 'plumbing.burst-pipe', 'plumbing'],
  ['Um, the pipe has busted in the garage.', 'plumbing.burst-pipe', 'plumbing'],
  ['The basement is flooding, please hurry.', 'plumbing.flooding', 'plumbing'],
  ['Our laundry room flooded about an hour ago.', 'plumbing.flooding', 'plumbing'],
  ['Water is pouring out of the ceiling in the hallway.', 'plumbing.flooding', 'plumbing'],
  ["There's water coming through the ceiling from upstairs.", 'plumbing.flooding', 'plumbing'],
  ['The sewer is backing up into the shower.', 'plumbing.sewage', 'plumbing'],
  ['Toilet is overflowing and it will not stop.', 'plumbing.sewage', 'plumbing'],
  ["I can't shut the water off, the valve is stuck.", 'plumbing.cannot-shut-off', 'plumbing'],
  ["We have no water in the whole house.", 'plumbing.cannot-shut-off', 'plumbing'],
  ['The water main broke in the front yard.', 'plumbing.burst-pipe', 'plumbing'],
  ['the water heater burst and its flooding the garage', 'plumbing.flooding', 'plumbing'],
  // hvac
  ['We have no heat and it is 10 degrees outside.', 'hvac.no-heat', 'hvac'],
  ["The furnace isn't working and I have a newborn.", 'hvac.no-heat', 'hvac'],
  ['Our heat went out last night.', 'hvac.no-heat', 'hvac'],
  ["The heat's out in the whole building.", 'hvac.no-heat', 'hvac'],
  ['My furnace stopped working this morning.', 'hvac.no-heat', 'hvac'],
  ["The boiler won't turn on.", 'hvac.no-heat', 'hvac'],
  ["We ain't got no heat.", 'hvac.no-heat', 'hvac'],
  ['We have been without heat for two days.', 'hvac.no-heat', 'hvac'],
  ['The tech said the heat exchanger is cracked.', 'hvac.no-heat', 'hvac'],
  ["The AC isn't working and my mother is 90.", 'hvac.no-cooling', 'hvac'],
  ['I smell gas near the furnace.', 'common.gas', 'hvac'],
  ['The carbon monoxide detector is going off.', 'common.carbon-monoxide', 'hvac'],
  ['Our CO alarm keeps beeping, what should we do?', 'common.carbon-monoxide', 'hvac'],
  ['I think there is carbon monoxide in the house.', 'common.carbon-monoxide', 'hvac'],
  // electrical
  ['The outlet in the kitchen is sparking.', 'electrical.sparks', 'electrical'],
  ['Sparks came out of the panel when I flipped the breaker.', 'electrical.sparks', 'electrical'],
  ['There is a burning smell coming from the panel.', 'common.fire-smoke', 'electrical'],
  ['It smells like something is burning in the wall.', 'common.fire-smoke', 'electrical'],
  ['Smoke is coming out of the outlet!', 'common.fire-smoke', 'electrical'],
  ['The light switch is melting.', 'electrical.overheating', 'electrical'],
  ['I got shocked touching the dishwasher.', 'electrical.shock', 'electrical'],
  ['A power line is down in our backyard.', 'electrical.downed-line', 'electrical'],
  ['We have no power in the house since the storm.', 'electrical.no-power', 'electrical'],
  ['The breaker box caught fire.', 'common.fire-smoke', 'electrical'],
  ['The outlet is still sparking, it hasn’t stopped.', 'electrical.sparks', 'electrical'],
  ['It won’t stop sparking.', 'electrical.sparks', 'electrical'],
  // locksmith
  ["I'm locked out of my house.", 'locksmith.lockout', 'locksmith'],
  ['I locked myself out of the car at the grocery store.', 'locksmith.lockout', 'locksmith'],
  ['I locked my keys inside the car.', 'locksmith.lockout', 'locksmith'],
  ["I can't get into my apartment.", 'locksmith.lockout', 'locksmith'],
  ['My baby is locked in the car, please hurry.', 'locksmith.trapped', 'locksmith'],
  ['Someone broke into our store last night.', 'locksmith.break-in', 'locksmith'],
  ["The back door won't lock after the break in.", 'locksmith.break-in', 'locksmith'],
  // common, any trade
  ['This is an emergency, please call me back.', 'common.emergency', 'locksmith'],
  ["It's urgent.", 'common.emergency', 'plumbing'],
  ["I'm not sure, but I think I smell gas.", 'common.gas', 'plumbing'],
  ["I don't know if it's a gas leak.", 'common.gas', 'plumbing'],
  ['There was a gas smell earlier but it went away.', 'common.gas', 'plumbing'],
  ['Smells like rotten eggs in the kitchen.', 'common.gas', 'general'],
  ['The smoke alarm went off and there is smoke in the attic.', 'common.fire-smoke', 'general'],
  ['Kitchen fire, we put it out but the wall is black.', 'common.fire-smoke', 'general'],
  ['No, the basement is flooding.', 'plumbing.flooding', 'general'],
  ["There's no leak under the sink but the basement is flooding.", 'plumbing.flooding', 'general'],
  ['THE PIPE BURST', 'plumbing.burst-pipe', 'general'],
];

const NOT_URGENT: Row[] = [
  // negations
  ['There is no leak, just a slow drip.', null, 'plumbing'],
  ["It's not flooding, it's just a little damp.", null, 'plumbing', 'negated'],
  ["The outlet isn't sparking anymore.", null, 'electrical', 'negated'],
  ['It was sparking yesterday but it stopped.', null, 'electrical', 'resolved'],
  ['It was sparking, but not anymore.', null, 'electrical', 'resolved'],
  ["I don't smell gas, I just want the furnace checked.", null, 'hvac', 'negated'],
  ['There is no gas smell.', null, 'hvac', 'negated'],
  ["It's not an emergency, call me whenever.", null, 'plumbing', 'negated'],
  ['Not urgent at all.', null, 'plumbing', 'negated'],
  ["We're not locked out, we just need a spare key.", null, 'locksmith', 'negated'],
  ['Never had the basement flooded before, just want a sump pump.', null, 'plumbing', 'negated'],
  ['The flooding stopped, we need someone to look at the drain.', null, 'plumbing', 'resolved'],
  ["The pipe burst yesterday, it's under control now.", null, 'plumbing', 'resolved'],
  ['The power is back on, no power problems anymore.', null, 'electrical'],
  // hypothetical / planning
  ['How do I prevent frozen pipes this winter?', null, 'plumbing', 'hypothetical'],
  ['I want a quote for flood protection in the basement.', null, 'plumbing', 'hypothetical'],
  ['Do you have emergency service on weekends?', null, 'plumbing'],
  ['What is your emergency rate?', null, 'plumbing'],
  ['I need a price for a burst pipe repair from last month.', null, 'plumbing'],
  // past
  ['We had a gas leak last year and want the line inspected.', null, 'hvac', 'past'],
  ['The basement flooded years ago, we want to waterproof it.', null, 'plumbing', 'past'],
  ['The previous owner said the pipes froze.', null, 'plumbing', 'past'],
  // near misses
  ['I need a new water heater installed.', null, 'plumbing'],
  ['The kitchen faucet is dripping.', null, 'plumbing'],
  ['My toilet won’t stop running.', null, 'plumbing'],
  ['We have no hot water since Tuesday.', null, 'plumbing'],
  ['Low water pressure in the upstairs shower.', null, 'plumbing'],
  ['Can you look at my flood insurance paperwork?', null, 'plumbing'],
  ['No water damage, just a stain.', null, 'plumbing'],
  ['The drain is slow in the bathroom.', null, 'plumbing'],
  ['I want to schedule furnace maintenance.', null, 'hvac'],
  ['The heat pump is making a noise.', null, 'hvac'],
  ['No heat pump problems, just want a tune-up.', null, 'hvac'],
  ['The furnace is working fine, I just want the filter changed.', null, 'hvac'],
  ['Please install carbon monoxide detectors in the bedrooms.', null, 'hvac'],
  ['The smoke detector keeps chirping, probably the battery.', null, 'hvac'],
  ['Our thermostat screen is blank.', null, 'hvac'],
  ['I need a gas water heater installed.', null, 'hvac'],
  ['I need a new spark plug for the lawn mower.', null, 'electrical'],
  ['I live in Sparks Nevada and need an electrician.', null, 'electrical'],
  ['I was shocked by how high the bill was.', null, 'electrical'],
  ['Please install a ceiling fan in the bedroom.', null, 'electrical'],
  ['I want wireless smoke detectors installed.', null, 'electrical'],
  ['The breaker trips once in a while.', null, 'electrical'],
  ['Can you add an outlet in the garage?', null, 'electrical'],
  ['I want to rekey my locks after moving in.', null, 'locksmith'],
  ['Can you give me a quote to change the locks?', null, 'locksmith'],
  ['I need a copy of my house key.', null, 'locksmith'],
  ['Can you install a burglar alarm?', null, 'locksmith'],
  ['I need a fire extinguisher inspection.', null, 'general'],
  ['Please call me back when you get a chance.', null, 'general'],
  ['', null, 'general'],
  // trade scoping: a lockout is not a plumbing rule, a dripping ceiling is not a locksmith rule
  ["I'm locked out of the house.", null, 'plumbing'],
  ['The ceiling is dripping.', null, 'locksmith'],
  ['The furnace stopped working.', null, 'electrical'],
];

describe('judgeUrgency: table', () => {
  const rows = [...URGENT, ...NOT_URGENT];
  test('has at least 80 transcripts, urgent and not', () => {
    assert.ok(rows.length >= 80, `only ${rows.length}`);
    assert.ok(URGENT.length >= 30 && NOT_URGENT.length >= 30);
  });
  for (const [text, rule, trade = 'general', reason] of rows) {
    test(`${rule ?? 'not urgent'} (${trade}): ${JSON.stringify(text)}`, () => {
      const d = judgeUrgency(text, buildUrgencyRules({ trade, extraPhrases: [], disabled: [] }));
      assert.equal(d.rule, rule, `decision: ${JSON.stringify(d)}`);
      assert.equal(d.urgent, rule !== null);
      assert.equal(d.trade, trade);
      if (rule !== null) {
        assert.ok(d.phrase && d.matched, 'an urgent decision names its phrase and the words matched');
      } else {
        assert.equal(d.phrase, null);
      }
      if (reason) assert.ok(d.suppressed.some((s) => s.reason === reason), `expected a "${reason}" suppression: ${JSON.stringify(d.suppressed)}`);
    });
  }
});

describe('judgeUrgency: per-business settings', () => {
  test('an extra phrase fires as business.extra', () => {
    const rules = buildUrgencyRules({ trade: 'plumbing', extraPhrases: ['no hot water'], disabled: [] });
    const d = judgeUrgency('We have no hot water and a newborn.', rules);
    assert.deepEqual([d.urgent, d.rule, d.phrase, d.matched], [true, 'business.extra', 'no hot water', 'no hot water']);
  });

  test('an extra phrase with a negation inside still matches, and is still negated from outside', () => {
    const rules = buildUrgencyRules({ trade: 'plumbing', extraPhrases: ['water heater leak*'], disabled: [] });
    assert.equal(judgeUrgency('The water heater leaks.', rules).rule, 'business.extra');
    assert.equal(judgeUrgency("The water heater isn't leaking.", rules).rule, null);
    assert.equal(judgeUrgency('No water heater leak, just noise.', rules).rule, null);
  });

  test('a disabled rule id or pattern no longer fires', () => {
    const byId = buildUrgencyRules({ trade: 'hvac', extraPhrases: [], disabled: ['hvac.no-cooling'] });
    assert.equal(judgeUrgency("The AC isn't working.", byId).urgent, false);
    assert.equal(judgeUrgency('We have no heat.', byId).rule, 'hvac.no-heat');
    const byPattern = buildUrgencyRules({ trade: 'general', extraPhrases: [], disabled: ['URGENT'] });
    assert.equal(judgeUrgency("It's urgent.", byPattern).urgent, false);
    assert.equal(judgeUrgency('This is an emergency.', byPattern).rule, 'common.emergency');
  });

  test('malformed extra phrases are all reported at once', () => {
    assert.throws(
      () => buildUrgencyRules({ trade: 'general', extraPhrases: ['... leak', 'ok phrase', 'bad$word', '!only'], disabled: [] }),
      (e: unknown) => isAppError(e, 'INPUT.INVALID') && (e.details.problems as string[]).length === 3,
    );
  });

  test('suppressed matches are kept for the record even when another phrase fires', () => {
    const d = judgeUrgency("There's no gas smell, but the basement is flooding.", buildUrgencyRules({ trade: 'general', extraPhrases: [], disabled: [] }));
    assert.equal(d.rule, 'plumbing.flooding');
    assert.deepEqual(
      d.suppressed.map((s) => [s.rule, s.reason]),
      [['common.gas', 'negated']],
    );
  });
});

describe('urgency messages for the caller', () => {
  test('the emergency instruction is given only for urgent calls with one configured; the first text gets the note first', async () => {
    const { emergencyInstructionFor, withUrgentNote, URGENT_FIRST_TEXT_NOTE } = await import('../../src/domain/urgency/urgency-messages.ts');
    const gas = { emergencyInstruction: 'If you smell gas, leave the building and call 911.' };
    assert.equal(emergencyInstructionFor(gas, { urgent: true }), gas.emergencyInstruction);
    assert.equal(emergencyInstructionFor(gas, { urgent: false }), null);
    assert.equal(emergencyInstructionFor({ emergencyInstruction: ' ' }, { urgent: true }), null);
    assert.equal(withUrgentNote('Acme got your message.', { urgent: true }), `${URGENT_FIRST_TEXT_NOTE} Acme got your message.`);
    assert.equal(withUrgentNote('Acme got your message.', null), 'Acme got your message.');
  });
});
