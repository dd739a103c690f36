import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPromptSource, warmPrompts } from '../../../src/app/prompts/prompt-source.ts';
import { GENERIC_GREETING } from '../../../src/domain/call-flow/prompts.ts';
import { renderConsentScript as script } from '../../../src/domain/consent-script.ts';
import { FakeSynthesizer } from '../../fakes/fake-speech.ts';
import { makeBusiness } from '../../fakes/in-memory-business-directory.ts';

test('warming makes every prompt of every business before a call, the emergency line only where one is set', async () => {
  const synth = new FakeSynthesizer();
  const acme = makeBusiness({ id: 1, name: 'Acme Plumbing', emergencyInstruction: 'If you smell gas, leave the house and call 911.' });
  const bolt = makeBusiness({ id: 2, name: 'Bolt Electric' });
  const report = await warmPrompts(createPromptSource({ synthesizer: synth }), [acme, bolt]);
  assert.deepEqual(report.failures, []);
  // 9 prompt keys for Acme, 8 for Bolt (no emergency instruction), 2 for calls to a DID no business owns.
  assert.equal(report.prompts, 19);
  assert.equal(synth.requests.length, 19);
  for (const text of [GENERIC_GREETING, script('Acme Plumbing'), script('Bolt Electric'), 'If you smell gas, leave the house and call 911.']) {
    assert.ok(synth.requests.includes(text), text);
  }
});

test('a prompt that cannot be made is reported with its business and key; the others are still made', async () => {
  const synth = new FakeSynthesizer({ failOn: (t) => t.startsWith('Great, Bolt Electric') });
  const report = await warmPrompts(createPromptSource({ synthesizer: synth }), [makeBusiness({ id: 2, name: 'Bolt Electric' })]);
  assert.deepEqual(report.failures.map((f) => [f.businessId, f.key]), [[2, 'goodbye-granted']]);
  assert.equal(report.prompts, 9); // 10 texts, one failed
});
