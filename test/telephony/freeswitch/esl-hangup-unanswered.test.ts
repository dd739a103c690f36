/**
 * A hangup command FreeSWITCH never answers (src/telephony/freeswitch/README.md, "When a hangup gets no
 * reply"): the outbound socket is closed; with the inbound connection the channel is killed with
 * `uuid_kill`; without it, FreeSWITCH's dialplan goes on after `socket`, and the failure is counted
 * and thrown. The ESL peer swallows the command (EslSimChannel.swallowCommands).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FakeMetrics } from '../../fakes/fake-metrics.ts';
import { DEFAULT_WAIT_MS, waitFor, withTimeout } from '../../support/wait-for.ts';
import { EventTap, startEslHarness } from './esl-test-harness.ts';

const CALLER = '+15125550177';
/** A hangup the peer swallows: `sendmsg` with `call-command: hangup`. */
const isHangup = (c: { line: string; headers: ReadonlyMap<string, string> }): boolean =>
  c.line.startsWith('sendmsg') && c.headers.get('call-command') === 'hangup';

describe('ESL hangup without a reply', () => {
  test('without the inbound connection: the socket is closed, the failure is counted and thrown, the call leaves our hands', async () => {
    const metrics = new FakeMetrics();
    // The deadline of every command on the socket; short so the test does not wait 10 s.
    const h = await startEslHarness({ commandTimeoutMs: 300, metrics });
    try {
      const placed = h.sim.placeCall({ caller: CALLER, dialed: '+15125550100' });
      const call = await h.nextCall();
      const ev = new EventTap(call);
      await call.leg.answer();
      placed.channel.swallowCommands(isHangup);
      await assert.rejects(call.leg.hangup(), (err: { code?: string }) => err.code === 'TELEPHONY.REQUEST_FAILED');
      const lived = await withTimeout(placed.result, DEFAULT_WAIT_MS, 'the peer to see its socket closed');
      assert.equal(lived.endedBy, 'continued', 'the socket ended on a live channel: the dialplan goes on after `socket`');
      assert.ok(placed.channel.commands.some(isHangup), 'the hangup was sent');
      await ev.next('hangup');
      assert.deepEqual(metrics.hangupFailures, ['esl']);
      const error = h.logger.records.find((r) => r.level === 'error' && r.fields['channel'] === call.leg.id);
      assert.ok(error, 'an error names the channel in a field');
      assert.ok(!error.msg.includes(CALLER.slice(1)), 'no phone number in the message string');
      await waitFor(() => h.sim.activeCalls() === 0, { what: 'the peer to forget the call' });
    } finally {
      await h.close();
    }
  });

  test('with the inbound connection: the socket is closed and the channel is killed with uuid_kill; nothing counted', async () => {
    const metrics = new FakeMetrics();
    const h = await startEslHarness({ inbound: true, commandTimeoutMs: 300, metrics });
    try {
      await waitFor(() => h.engine.status() === 'up', { what: 'the inbound connection to be up' });
      const placed = h.sim.placeCall({ caller: CALLER, dialed: '+15125550100' });
      const call = await h.nextCall();
      const ev = new EventTap(call);
      await call.leg.answer();
      placed.channel.swallowCommands(isHangup);
      await call.leg.hangup();
      assert.ok(h.sim.inboundApi.includes(`uuid_kill ${call.leg.id} NORMAL_CLEARING`), h.sim.inboundApi.join(' | '));
      const lived = await withTimeout(placed.result, DEFAULT_WAIT_MS, 'the channel to end');
      // The peer ends a channel whose socket closed at once ("continued": it left our hands), where
      // FreeSWITCH runs the dialplan after `socket` and uuid_kill still finds it; which of the two
      // the peer reads first is a race between two TCP connections.
      assert.ok(['app', 'continued'].includes(lived.endedBy), lived.endedBy);
      await ev.next('hangup');
      assert.equal(ev.all.filter((e) => e.type === 'hangup').length, 1);
      assert.deepEqual(metrics.hangupFailures, []);
    } finally {
      await h.close();
    }
  });
});
