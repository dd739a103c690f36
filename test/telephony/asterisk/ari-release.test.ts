/**
 * Handing a call back to the dialplan on Asterisk (CallLeg.release): what goes on the wire, what the
 * simulated Asterisk answers, and that the engine forgets the channel. The contract suite checks the
 * port-level behaviour; this file checks the ARI requests and events behind it.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { IncomingCall } from '../../../src/domain/ports/call-engine.ts';
import { DEFAULT_WAIT_MS, waitFor, withTimeout } from '../../support/wait-for.ts';
import { startAriPair } from './ari-test-kit.ts';

const DID = '15551234567';

describe('ARI release: variable, then continue', () => {
  test('sets CALLKEEPER_RESULT, then continues with no target; Asterisk sends ChannelVarset then StasisEnd; the engine forgets the leg', async () => {
    const p = await startAriPair();
    try {
      let delivered: (c: IncomingCall) => void = () => {};
      const next = withTimeout(new Promise<IncomingCall>((r) => (delivered = r)), DEFAULT_WAIT_MS, 'the call to reach the engine');
      await p.engine.start((c) => delivered(c));
      const peer = p.sim.placeCall({ caller: '+15550001', dialed: DID });
      const call = await next;
      await call.leg.release('draining');
      const lived = await withTimeout(peer.result, DEFAULT_WAIT_MS, 'the channel to leave Stasis');
      assert.equal(lived.endedBy, 'continued');

      const prefix = `/ari/channels/${call.leg.id}`;
      const mine = p.sim.requests.filter((r) => r.path.startsWith(prefix));
      assert.deepEqual(mine.map((r) => `${r.method} ${r.path.slice(prefix.length)} ${r.status}`), ['POST /variable 204', 'POST /continue 204']);
      const setVar = { ...mine[0]!.query, ...(mine[0]!.body as Record<string, string> | null) };
      assert.equal(setVar['variable'], 'CALLKEEPER_RESULT');
      assert.equal(setVar['value'], 'draining');
      const cont = { ...mine[1]!.query, ...(mine[1]!.body as Record<string, string> | null) };
      for (const k of ['context', 'extension', 'priority', 'label']) assert.equal(cont[k], undefined, `continue names no ${k}: the line after Stasis()`);

      const events = p.sim.events.map((e) => e.data).filter((d) => (d['channel'] as { id?: string } | undefined)?.id === call.leg.id);
      const tail = events.slice(-2).map((d) => `${String(d['type'])}${d['variable'] ? `:${String(d['variable'])}=${String(d['value'])}` : ''}`);
      assert.deepEqual(tail, ['ChannelVarset:CALLKEEPER_RESULT=draining', 'StasisEnd']);
      assert.ok(!events.some((d) => d['type'] === 'ChannelHangupRequest'), 'nobody hung up');
      await waitFor(() => p.engine.activeCalls() === 0, { what: 'the engine to forget the released channel' });
    } finally {
      await p.close();
    }
  });

  test('the simulator answers continue and variable for an unknown channel with 404, a missing variable name with 400', async () => {
    const p = await startAriPair();
    try {
      const auth = `Basic ${Buffer.from('callkeeper:secret').toString('base64')}`;
      const post = (path: string): Promise<Response> => fetch(`${p.sim.url}/ari${path}`, { method: 'POST', headers: { authorization: auth } });
      assert.equal((await post('/channels/nope/continue')).status, 404);
      assert.equal((await post('/channels/nope/variable?variable=X&value=1')).status, 404);
      let delivered: (c: IncomingCall) => void = () => {};
      const next = withTimeout(new Promise<IncomingCall>((r) => (delivered = r)), DEFAULT_WAIT_MS, 'the call to reach the engine');
      await p.engine.start((c) => delivered(c));
      p.sim.placeCall({ caller: '+15550001', dialed: DID });
      const call = await next;
      const bad = await post(`/channels/${call.leg.id}/variable`);
      assert.equal(bad.status, 400);
      assert.deepEqual(await bad.json(), { message: 'Variable name is required' });
      await call.leg.hangup();
    } finally {
      await p.close();
    }
  });
});
