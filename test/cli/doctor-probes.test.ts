import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { isAppError } from '../../src/domain/errors.ts';
import { AriSimulator } from '../../src/sim/ari/ari-simulator.ts';
import { SmscSimulator } from '../../src/sim/smsc/smsc-simulator.ts';
import { probeSmppBind } from '../../src/sms/smpp-bind-probe.ts';
import { MIGRATIONS } from '../../src/store/migrations/index.ts';
import { inspectDatabase } from '../../src/store/sqlite-database-health.ts';
import { migrate, openDatabase } from '../../src/store/sqlite-database.ts';
import { probeWritableDir } from '../../src/store/writable-dir-probe.ts';
import { displayAriUrl, probeAri } from '../../src/telephony/asterisk/ari-health-probe.ts';
import { registerAriApp, tempDir } from './doctor-test-kit.ts';
import { DEFAULT_WAIT_MS, WaitTimeoutError, withTimeout } from '../support/wait-for.ts';

const SMPP = {
  systemId: 'ck',
  systemType: '',
  enquireLinkInS: 30,
  responseTimeout: 2_000,
  window: 1,
  tps: 10,
  sourceTon: 1,
  sourceNpi: 1,
  destTon: 1,
  destNpi: 1,
  useMessagePayload: false,
  registeredDelivery: true,
};

/** A port nothing listens on: bound, then closed again. */
async function closedPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('doctor probes', () => {
  let dir: string;
  let cleanup: () => void;
  before(() => ({ dir, cleanup } = tempDir()));
  after(() => cleanup());

  test('ARI through an Asterisk restart: refused, then ARI not loaded (404), then not booted (503), then up with the app gone', async () => {
    const sim = await AriSimulator.start({ username: 'callkeeper', password: 'pw', app: 'callkeeper' });
    const opts = { url: sim.url, username: 'callkeeper', password: 'pw', app: 'callkeeper' };
    try {
      const ws = await registerAriApp(sim, 'callkeeper');
      assert.deepEqual(await probeAri(opts), { version: '22.10.1', appRegistered: true, appChannels: 0 });
      // The websocket goes: Asterisk keeps the app registered until it restarts (traces 08a).
      ws.terminate();
      await sim.dropAppConnections(1006);
      assert.equal((await probeAri(opts)).appRegistered, true);

      const restarted = sim.restart({ refusedMs: 0, notFoundAttempts: 1, notBootedAttempts: 1 });
      const seen: string[] = [];
      const deadline = performance.now() + DEFAULT_WAIT_MS;
      for (;;) {
        if (performance.now() > deadline) throw new WaitTimeoutError(DEFAULT_WAIT_MS, `the restarted ARI simulator to answer the probe (seen: ${seen.join(' | ')})`);
        try {
          const h = await probeAri(opts);
          seen.push(`up, app registered: ${h.appRegistered}`);
          break;
        } catch (e) {
          assert.ok(isAppError(e, 'TELEPHONY.ENGINE_UNAVAILABLE'), String(e));
          const m = e.message.replace(displayAriUrl(sim.url), 'URL');
          if (seen.at(-1) !== m) seen.push(m);
        }
      }
      await withTimeout(restarted, DEFAULT_WAIT_MS, 'the ARI simulator restart to complete');
      assert.deepEqual(seen.filter((s) => !s.startsWith('cannot reach ARI')), [
        'GET /ari/asterisk/info at URL: HTTP 404, ARI is not enabled (ari.conf) or not loaded yet',
        'GET /ari/asterisk/info at URL: HTTP 503, Asterisk is still starting',
        'up, app registered: false',
      ]);
    } finally {
      await sim.close();
    }
  });

  test('ARI: wrong credentials, nothing listening, and a URL with user info that is never printed', async () => {
    const sim = await AriSimulator.start({ username: 'callkeeper', password: 'pw' });
    try {
      await assert.rejects(probeAri({ url: sim.url, username: 'callkeeper', password: 'nope', app: 'callkeeper' }), (e: unknown) => {
        assert.ok(isAppError(e, 'TELEPHONY.REQUEST_FAILED'));
        assert.match(e.message, /refused the credentials: check asterisk\.username and asterisk\.password/);
        return true;
      });
    } finally {
      await sim.close();
    }
    const port = await closedPort();
    await assert.rejects(probeAri({ url: `http://admin:s3cret@127.0.0.1:${port}/`, username: 'u', password: 'p', app: 'a' }), (e: unknown) => {
      assert.ok(isAppError(e, 'TELEPHONY.ENGINE_UNAVAILABLE'));
      assert.equal(e.message, `cannot reach ARI at http://127.0.0.1:${port} (ECONNREFUSED)`);
      return true;
    });
  });

  test('SMPP: a bind and unbind; nothing listening; a refused bind that is not about credentials', async () => {
    const smsc = new SmscSimulator({ systemId: 'ck', password: 'pw' });
    const port = await smsc.listen();
    try {
      assert.deepEqual(await probeSmppBind({ ...SMPP, host: '127.0.0.1', port, password: 'pw' }), { host: '127.0.0.1', port, systemId: 'ck' });
      assert.equal(smsc.binds.length, 1);
      assert.equal(smsc.boundSessions(), 0, 'unbound after the probe');

      smsc.faults.refuseBind = 0x0d;
      await assert.rejects(probeSmppBind({ ...SMPP, host: '127.0.0.1', port, password: 'pw' }), (e: unknown) => {
        assert.ok(isAppError(e, 'SMS.BIND_REFUSED'));
        assert.match(e.message, /^SMSC refused the bind: ESME_RBINDFAIL$/);
        return true;
      });
      // One attempt: the probe does not retry as the service's gateway would.
      assert.equal(smsc.binds.length, 2);
    } finally {
      await smsc.close();
    }
    const nowhere = await closedPort();
    await assert.rejects(probeSmppBind({ ...SMPP, host: '127.0.0.1', port: nowhere }), (e: unknown) => {
      assert.ok(isAppError(e, 'SMS.NOT_CONNECTED'));
      assert.equal(e.message, `cannot reach the SMSC at 127.0.0.1:${nowhere} (connect ECONNREFUSED 127.0.0.1:${nowhere})`);
      return true;
    });
  });

  test('writable directory probe: writable, creatable, blocked by a file; leaves nothing behind', () => {
    const here = join(dir, 'dirs');
    mkdirSync(here);
    assert.deepEqual(probeWritableDir(here), { state: 'writable', path: here });
    assert.deepEqual(readdirSync(here), []);
    assert.deepEqual(probeWritableDir(join(here, 'a', 'b')), { state: 'creatable', path: join(here, 'a', 'b'), ancestor: here });
    writeFileSync(join(here, 'file'), 'x');
    assert.deepEqual(probeWritableDir(join(here, 'file', 'sub')), { state: 'not-a-directory', path: join(here, 'file', 'sub'), blocker: join(here, 'file') });
  });

  test('database health: pending migrations, a schema from a newer callkeeper, and a file that does not exist', () => {
    const path = join(dir, 'partial.db');
    const db = openDatabase(path);
    migrate(db, MIGRATIONS.slice(0, 2));
    db.close();
    const partial = inspectDatabase(path);
    assert.equal(partial.exists, true);
    assert.equal(partial.mode, 0o600);
    assert.deepEqual(partial.pending.map((m) => m.version), MIGRATIONS.slice(2).map((m) => m.version));
    assert.equal(partial.applied, 2);
    assert.deepEqual(partial.ledger, { ok: true, count: 0, head: partial.ledger?.ok ? partial.ledger.head : '', lastId: 0 });

    const newer = openDatabase(path);
    migrate(newer);
    newer.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, ?, 0)').run('from the future');
    newer.close();
    const h = inspectDatabase(path);
    assert.deepEqual(h.pending, []);
    assert.deepEqual(h.unknownVersions, [999]);

    const missing = inspectDatabase(join(dir, 'nope', 'ck.db'));
    assert.equal(missing.exists, false);
    assert.equal(missing.dir.state, 'creatable');
  });
});
