/**
 * Handing a call back to the dialplan on FreeSWITCH (CallLeg.release) over a real outbound socket:
 * the commands the adapter sends, what the ESL peer answers, and that the socket ends with the call
 * alive. The contract suite checks the port-level behaviour.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { isAppError } from '../../../src/domain/errors.ts';
import type { Logger } from '../../../src/domain/ports/logger.ts';
import { EslInboundClient } from '../../../src/telephony/freeswitch/esl-inbound-client.ts';
import { DEFAULT_WAIT_MS, waitFor, withTimeout } from '../../support/wait-for.ts';
import { startEslHarness, type EslHarness } from './esl-test-harness.ts';

const silentLogger: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined, child: () => silentLogger };

describe('ESL release: uuid_setvar, resume, exit', () => {
  let h: EslHarness;
  before(async () => {
    h = await startEslHarness();
  });
  after(async () => {
    await h.close();
  });

  test('sets CALLKEEPER_RESULT, sends resume and exit, never a hangup; the peer continues the dialplan', async () => {
    const placed = h.sim.placeCall({ caller: '+15125550111', dialed: '+15125550100' });
    const call = await h.nextCall();
    await call.leg.release('draining');
    const lived = await withTimeout(placed.result, DEFAULT_WAIT_MS, 'the socket to end');
    assert.equal(lived.endedBy, 'continued');
    assert.equal(lived.answered, false);
    assert.equal(placed.channel.getVariable('CALLKEEPER_RESULT'), 'draining');
    assert.equal(placed.channel.getVariable('socket_resume'), 'true', 'resume was taken');
    const lines = placed.channel.commands.map((c) => c.line);
    assert.deepEqual(lines, ['connect', 'myevents', 'linger', `api uuid_setvar ${call.leg.id} CALLKEEPER_RESULT draining`, 'resume', 'exit']);
    assert.ok(!placed.channel.commands.some((c) => c.headers.get('call-command') === 'hangup'), 'no sendmsg hangup');
    await waitFor(() => h.engine.openSockets() === 0, { what: 'the outbound socket to close' });
  });

  test('the peer answers uuid_setvar as mod_commands does: +OK on a live channel, -ERR No such channel (CHANNEL_GONE) on a gone one', async () => {
    const placed = h.sim.placeCall({ caller: '+15125550112', dialed: '+15125550100' });
    const call = await h.nextCall();
    const inb = h.sim.inboundAddress();
    const client = await EslInboundClient.connect({ host: inb.host, port: inb.port, password: h.sim.password, logger: silentLogger });
    try {
      assert.equal(await client.api(`uuid_setvar ${call.leg.id} SOME_VAR two words`), '+OK\n');
      assert.equal(placed.channel.getVariable('SOME_VAR'), 'two words', 'the value is the rest of the line');
      await call.leg.hangup();
      await withTimeout(placed.result, DEFAULT_WAIT_MS, 'the call to end');
      await assert.rejects(client.api(`uuid_setvar ${call.leg.id} SOME_VAR x`), (e: unknown) => isAppError(e, 'TELEPHONY.CHANNEL_GONE'));
    } finally {
      await client.close();
    }
  });
});
