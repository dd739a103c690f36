import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseInbound } from '../../src/domain/messaging/keyword-parser.ts';

describe('parseInbound', () => {
  const table: Array<[string, string]> = [
    ['STOP', 'stop'],
    ['stop', 'stop'],
    [' Stop. ', 'stop'],
    ['STOP!!', 'stop'],
    ['STOPALL', 'stop'],
    ['stop all', 'stop'],
    ['Unsubscribe', 'stop'],
    ['CANCEL', 'stop'],
    ['end', 'stop'],
    ['Quit', 'stop'],
    ['OPTOUT', 'stop'],
    ['opt out', 'stop'],
    ['Opt-Out', 'stop'],
    ['revoke', 'stop'],
    ['stop please', 'stop'],
    ['please stop texting me', 'stop'],
    ['Leave me alone!', 'stop'],
    ['take me off your list', 'stop'],
    ['Wrong number', 'stop'],
    ['you have the wrong number, sorry', 'stop'],
    ["don't text me again", 'stop'],
    ['HELP', 'help'],
    ['info?', 'help'],
    ['START', 'start'],
    ['unstop', 'start'],
    ['Yes', 'yes'],
    ['yes!', 'yes'],
    ['Yes, Tuesday works', 'other'],
    ["I'll stop by the shop tomorrow", 'other'],
    ['The leak stopped, thanks', 'other'],
    ['Can you help with my water heater?', 'other'],
    ['When will the tech end the job?', 'other'],
  ];
  for (const [text, intent] of table) {
    test(`${JSON.stringify(text)} → ${intent}`, () => assert.equal(parseInbound(text).intent, intent));
  }
  test('the matched keyword is reported', () => {
    assert.equal(parseInbound('opt-out').keyword, 'OPT-OUT');
    assert.equal(parseInbound('leave me alone').keyword, 'phrase:leave me alone');
    assert.equal(parseInbound('hello').keyword, null);
  });
});
