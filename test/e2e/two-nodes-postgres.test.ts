import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type pg from 'pg';
import type { Business } from '../../src/domain/business.ts';
import { openPgPool } from '../../src/store/postgres/pg-database.ts';
import { addConsoleUser } from '../../src/app/console/console-users.ts';
import { PgBusinessDirectory } from '../../src/store/postgres/pg-business-directory.ts';
import { PgConsoleAccounts } from '../../src/store/postgres/pg-console-accounts.ts';
import { PgConsentStore } from '../../src/store/postgres/pg-consent-store.ts';
import { migratePg } from '../../src/store/postgres/pg-migrate.ts';
import { PgOutbox } from '../../src/store/postgres/pg-outbox.ts';
import { callkeeper } from '../cli/cli-test-harness.ts';
import { startPgCluster, type PgCluster } from '../support/pg-cluster.ts';
import { waitFor, waitForAsync, withTimeout } from '../support/wait-for.ts';
import { sayPhrase } from './tone-speech.ts';
import { inBatches, TwoNodeWorld, type NodeName } from './two-node-harness.ts';

/**
 * The proof of issue 18, "several nodes on PostgreSQL" (src/store/postgres/README.md, "What is left"): two
 * `serve` processes, node A on the ARI simulator and node B on the ESL peer, share one PostgreSQL
 * database (one ledger, one outbox) and one SMSC, each on its own bind.
 *
 *   A. calls split across the nodes, every caller says yes: one linear ledger that verifies, exactly one
 *      first text per granted call at the SMSC, no outbox row sent twice.
 *   B. a STOP arrives at A's bind while B holds claimed texts to that number: nothing reaches the SMSC for
 *      that number after the STOP is committed but A's confirmation.
 *   C. kill -9 of B while it holds claimed texts: after B's lease, A sends them; none lost, duplicates at
 *      most B's window.
 *
 * Holding texts on a node is done at the SMPP link (SmppHoldProxy): the node's submits reach the SMSC but
 * their responses wait in the proxy, so its window stays full and what it claimed stays claimed. No wait
 * here is a timing assertion: each is a bounded wait for a state, failing with what did not happen.
 *
 * TWO_NODE_CALLS (default 200, the count; even, at least 20) sets proof A's calls.
 */
const CALLS = Number(process.env.TWO_NODE_CALLS ?? 200);
/** Calls in progress at once across both nodes: enough to interleave the nodes' appends and claims, bounded for a 2-core box. */
const CONCURRENT_CALLS = 10;
/** The smallest lease the config allows: a dead node's claims come back after 10 s. */
const LEASE_MS = 10_000;
/**
 * The nodes' SMPP windows. B's is the config default, written out because proof C's bound is this number.
 * A's is smaller so that B can always take back A's held claims if their lease ends while proof B holds
 * them (a loaded box), and still have room for the follow-ups it must claim.
 */
const WINDOW: Record<NodeName, number> = { 'node-a': 5, 'node-b': 10 };

const DID = '+15125550100';
const MESSAGE = sayPhrase('Hi, this is Dana. My kitchen faucet is leaking. Please call me back.');
const YES = sayPhrase('Yes, that is fine.');
/** A follow-up of three GSM-7 parts (153 septets each): part 1 can be on the wire while parts 2 and 3 wait. */
const LONG_FOLLOW_UP = `Acme Plumbing: about your leaking faucet. ${'We can come tomorrow between 8 and 10 or after 4; reply with the time that suits you. '.repeat(4)}`.slice(0, 400);

/** Guards against a hung run, not timing assertions: on a quiet box each of these ends in seconds. */
const CALL_GUARD_MS = 60_000;
const SETTLE_GUARD_MS = 90_000;
/** A dead node's claims come back one lease after its claim, then A sends them. */
const LEASE_GUARD_MS = LEASE_MS + 60_000;

const caller = (i: number): string => `+1512557${String(i).padStart(4, '0')}`;
const filler = (i: number): string => `+1512558${String(i).padStart(4, '0')}`;
const burst = (i: number): string => `+1512559${String(i).padStart(4, '0')}`;
const digits = (e164: string): string => e164.replace(/^\+/, '');

describe('two serve nodes on one PostgreSQL', () => {
  let cluster: PgCluster;
  let pool: pg.Pool;
  let world: TwoNodeWorld;
  let business: Business;
  let ledger: PgConsentStore;
  /** The test's own handle on the queue (enqueue only; it never claims). */
  let outbox: PgOutbox;

  before(async () => {
    cluster = await startPgCluster();
    const conn = await cluster.createDatabase('callkeeper');
    // The URL form the nodes get (a socket directory as `?host=`, src/store/postgres/README.md); the test connects with it too.
    // `localhost` is a placeholder the `host` parameter overrides: a URL with a user and no host is not a URL to `new URL`.
    const url = `postgres://${conn.user}@localhost/${conn.database}?host=${encodeURIComponent(conn.host)}`;
    pool = openPgPool({ connectionString: url }, { max: 4 });
    await migratePg(pool);
    business = await new PgBusinessDirectory(pool).add({ name: 'Acme Plumbing', dids: [DID], timezone: 'America/Chicago', consentMode: 'verbal' });
    ledger = new PgConsentStore(pool);
    outbox = new PgOutbox(pool, { nodeId: 'two-node-test' });
    world = await TwoNodeWorld.start({
      // application_name (read from the URL by node-postgres) lets the test see each node's connections.
      database: (node: NodeName, dir: string) => ({ kind: 'postgres', url: `${url}&application_name=${node}`, nodeId: node, leaseMs: LEASE_MS, path: join(dir, 'callkeeper.db') }),
      // Held responses must not time out into retries while a proof holds them (default 10 s).
      nodes: { 'node-a': { smpp: { window: WINDOW['node-a'], responseTimeout: 120_000 } }, 'node-b': { smpp: { window: WINDOW['node-b'], responseTimeout: 120_000 } } },
      // No quiet hours (start = end), so follow-ups go out whatever the hour the suite runs at.
      extraConfig: { messaging: { quietHours: { start: '00:00', end: '00:00' } } },
    });
    // Both nodes work on this database, not on a SQLite file of their own: otherwise every proof below
    // would only time out, one after the other.
    await waitForAsync(
      async () => {
        const r = await pool.query<{ name: string }>('SELECT DISTINCT application_name AS name FROM pg_stat_activity WHERE datname = current_database()');
        const names = new Set(r.rows.map((x) => x.name));
        return names.has('node-a') && names.has('node-b');
      },
      { timeoutMs: 30_000, what: 'both nodes to connect to the PostgreSQL database (database.kind postgres in serve)' },
    );
  });

  after(async () => {
    try {
      await world?.close();
    } finally {
      await pool?.end();
      await cluster?.stop();
    }
  });

  const count = async (sql: string, params: unknown[] = []): Promise<number> => Number((await pool.query<{ n: string }>(sql, params)).rows[0]!.n);
  const unsettled = (recipients: string[]): Promise<number> =>
    count("SELECT count(*) AS n FROM outbound_messages WHERE recipient = ANY($1) AND state IN ('queued', 'submitting')", [recipients]);
  const heldBy = (node: NodeName, recipients: string[]): Promise<number> =>
    count("SELECT count(*) AS n FROM outbound_messages WHERE recipient = ANY($1) AND state = 'submitting' AND claimed_by = $2", [recipients, node]);

  /** A grant written as `consent grant` (an admin) writes it, for texts the test queues itself. */
  const grant = (consumer: string) =>
    ledger.append({ event: 'granted', businessId: business.id, did: DID, consumer, method: 'admin', scriptVersion: null, scriptText: null, transcript: null, audioPath: null, audioSha256: null, callId: null, source: 'test:two-nodes' });

  /**
   * The ledger verifies, as the store walks it and as `callkeeper consent verify` reports it on a node's
   * config, and its ids are 1..n with each record chained to the one before.
   */
  const assertLinearLedger = async (): Promise<number> => {
    const v = await ledger.verify();
    assert.ok(v.ok, `consent verify: ${JSON.stringify(v)}`);
    const keys = new Set<string>();
    for (const n of [world.a, world.b]) {
      const cli = await callkeeper(['--config', n.configFile, 'consent', 'verify']);
      assert.equal(cli.code, 0, `callkeeper consent verify on ${n.name}'s config: ${cli.stderr}`);
      assert.deepEqual(cli.stdout.split('\n').slice(0, 2), [`ok ${v.count} records`, `head ${v.head}`]);
      // Each node signs the one chain with its own key into its own file, which verify checks the chain against
      // (src/store/postgres/README.md, "Signed checkpoints, per node").
      const signed = /^signed: \d+ checkpoints? by key ([0-9a-f]{16}); /.exec(cli.stdout.split('\n')[2] ?? '');
      assert.ok(signed, `${n.name} signed the ledger: ${cli.stdout}`);
      keys.add(signed[1]!);
    }
    assert.equal(keys.size, 2, 'a key per node');
    const rows = (await pool.query<{ id: number; prev_hash: string; hash: string }>('SELECT id, prev_hash, hash FROM consent_ledger ORDER BY id')).rows;
    assert.equal(v.count, rows.length);
    rows.forEach((r, i) => {
      assert.equal(r.id, i + 1, 'ledger ids are 1..n without a gap');
      if (i > 0) assert.equal(r.prev_hash, rows[i - 1]!.hash, `record ${r.id} chains onto record ${i}`);
    });
    return rows.length;
  };

  test('the web console on both nodes: signed in on node A, the same session is valid on node B', async () => {
    const admin = { username: 'dana', password: 'correct horse battery' };
    await addConsoleUser(new PgConsoleAccounts(pool), { ...admin, role: 'admin', now: Date.now() });
    const cookieOf = (r: Response): string => {
      const c = r.headers.getSetCookie().find((x) => x.startsWith('ck_session='))?.split(';')[0];
      assert.ok(c, 'the response sets the session cookie');
      return c;
    };
    const login = await fetch(`${world.a.adminBase()}/login`, { redirect: 'manual' });
    assert.equal(login.status, 200, 'node A serves the console on PostgreSQL');
    const csrf = /name="_csrf" value="([^"]+)"/.exec(await login.text())?.[1];
    assert.ok(csrf, 'the sign-in page carries a CSRF token');
    const signedIn = await fetch(`${world.a.adminBase()}/login`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie: cookieOf(login), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, username: admin.username, password: admin.password, next: '/' }).toString(),
    });
    assert.equal(signedIn.status, 303, 'the admin signs in on node A');
    const cookie = cookieOf(signedIn);
    const onB = await fetch(`${world.b.adminBase()}/`, { redirect: 'manual', headers: { cookie } });
    assert.equal(onB.status, 200, "node B serves the dashboard to node A's session");
    assert.match(await onB.text(), /<h1>Dashboard<\/h1>/);
  });

  test(`A: ${CALLS} calls split across the nodes, every caller says yes: one linear ledger, one first text per call, no text sent twice`, async (t) => {
    // Enough texts that both nodes' dispatchers claim some (the check at the end): otherwise "no text
    // claimed twice" would say nothing about two claimers.
    assert.ok(CALLS >= 20 && CALLS % 2 === 0, 'TWO_NODE_CALLS is an even number, at least 20');
    const node = (i: number): NodeName => (i % 2 === 0 ? 'node-a' : 'node-b');
    const lived = await inBatches(CALLS, CONCURRENT_CALLS, (i) =>
      withTimeout(world.placeCall(node(i), { caller: caller(i), dialed: digits(DID), says: [MESSAGE, YES] }).caller, CALL_GUARD_MS, `call ${i} on ${node(i)} to end`),
    );
    assert.equal(lived.filter((l) => l.endedBy === 'app').length, CALLS, 'the service hung up every call after the consent question');
    for (const n of [world.a, world.b]) {
      await n.until(() => n.finished.length >= CALLS / 2, `its ${CALLS / 2} calls to be closed`, SETTLE_GUARD_MS);
      assert.deepEqual([...new Set(n.finished.map((f) => f.outcome))], ['consent-granted'], `${n.name}'s outcomes`);
    }
    const callers = Array.from({ length: CALLS }, (_, i) => caller(i));
    await waitForAsync(async () => (await unsettled(callers)) === 0, { timeoutMs: SETTLE_GUARD_MS, what: 'every first text to be sent' });
    const texted = (): Set<string> => new Set(world.smsc.messages().map((m) => `+${digits(m.to)}`));
    await waitFor(() => {
      const t = texted();
      return callers.every((c) => t.has(c));
    }, { timeoutMs: SETTLE_GUARD_MS, what: 'a text at the SMSC for every caller' });

    // The calls: one row each in the shared database, half from each engine, every one granted.
    const calls = (await pool.query<{ engine: string; outcome: string; n: number }>('SELECT engine, outcome, count(*)::int AS n FROM calls GROUP BY engine, outcome ORDER BY engine')).rows;
    assert.deepEqual(calls, [
      { engine: 'asterisk', outcome: 'consent-granted', n: CALLS / 2 },
      { engine: 'freeswitch', outcome: 'consent-granted', n: CALLS / 2 },
    ]);

    // The ledger: both nodes appended to one chain.
    assert.equal(await assertLinearLedger(), CALLS);
    const events = (await pool.query<{ consumer: string; event: string; method: string; id: number; at: number }>('SELECT id, at, consumer, event, method FROM consent_ledger ORDER BY id')).rows;
    assert.deepEqual([...new Set(events.map((e) => `${e.event}/${e.method}`))], ['granted/verbal']);
    const grantOf = new Map(events.map((e) => [e.consumer, e]));
    assert.equal(grantOf.size, CALLS, 'one grant per caller');

    // The texts: exactly one first text per caller, written to the SMSC once, pointing at its grant.
    const rows = (
      await pool.query<{ id: number; recipient: string; kind: string; state: string; consent_event_id: number; created_at: number; smsc_message_id: string | null; claimed_by: string | null }>(
        'SELECT id, recipient, kind, state, consent_event_id, created_at, smsc_message_id, claimed_by FROM outbound_messages WHERE recipient = ANY($1) ORDER BY id',
        [callers],
      )
    ).rows;
    assert.equal(rows.length, CALLS, 'one outbound row per caller');
    const callerSet = new Set(callers);
    const submits = world.smsc.submits.filter((s) => s.messageId !== null && callerSet.has(`+${digits(s.to)}`));
    assert.equal(submits.length, CALLS, 'the SMSC accepted exactly one submit_sm per granted call');
    const submitById = new Map(submits.map((s) => [s.messageId!.toLowerCase(), s]));
    for (const r of rows) {
      assert.equal(r.kind, 'first-reply');
      assert.ok(['submitted', 'delivered'].includes(r.state), `text ${r.id} is ${r.state}`);
      const g = grantOf.get(r.recipient);
      assert.equal(r.consent_event_id, g?.id, `text ${r.id} points at its caller's grant`);
      assert.ok(g!.at <= r.created_at, `text ${r.id} was queued after its grant was written`);
      const s = submitById.get(String(r.smsc_message_id).toLowerCase());
      assert.ok(s, `text ${r.id}'s SMSC id is one the SMSC gave`);
      assert.equal(`+${digits(s.to)}`, r.recipient);
      submitById.delete(String(r.smsc_message_id).toLowerCase());
    }
    assert.equal(submitById.size, 0, 'no submit at the SMSC without its outbound row');
    const perCaller = new Map<string, number>();
    for (const m of world.smsc.messages()) perCaller.set(`+${digits(m.to)}`, (perCaller.get(`+${digits(m.to)}`) ?? 0) + 1);
    for (const c of callers) assert.equal(perCaller.get(c), 1, `one text to ${c}`);

    // Two nodes did the work: each sent texts on its own bind.
    const bySender = new Map<string, number>();
    for (const s of submits) bySender.set(s.systemId, (bySender.get(s.systemId) ?? 0) + 1);
    assert.ok((bySender.get('node-a') ?? 0) > 0 && (bySender.get('node-b') ?? 0) > 0, `texts by bind: ${JSON.stringify([...bySender])}`);
    t.diagnostic(`first texts by bind: node-a ${bySender.get('node-a')}, node-b ${bySender.get('node-b')}`);
  });

  test('B: a STOP at node A while node B holds claimed texts to that number: nothing reaches the SMSC after the STOP but the confirmation', async () => {
    // The consumer calls node B and says yes: granted on B, the first text out.
    const who = caller(CALLS);
    await withTimeout(world.placeCall('node-b', { caller: who, dialed: digits(DID), says: [MESSAGE, YES] }).caller, CALL_GUARD_MS, 'the call on node-b to end');
    await waitFor(() => world.textsTo(who).length === 1, { timeoutMs: SETTLE_GUARD_MS, what: 'the first text to the caller' });
    const granted = await ledger.latest(business.id, who);
    assert.equal(granted?.event, 'granted');

    // Both windows filled and held (fillers to other numbers), then B's window emptied and held again:
    // only B has free slots, so B, not A, claims what is queued next.
    world.a.proxy.hold();
    world.b.proxy.hold();
    const fillers = Array.from({ length: WINDOW['node-a'] + WINDOW['node-b'] }, (_, i) => filler(i));
    for (const f of fillers) {
      const g = await grant(f);
      await outbox.enqueue({ businessId: business.id, from: DID, to: f, body: 'Acme Plumbing: your appointment is confirmed.', kind: 'follow-up', callId: null, consentEventId: g.id });
    }
    for (const n of [world.a, world.b]) {
      await waitForAsync(async () => (await heldBy(n.name, fillers)) === WINDOW[n.name] && n.proxy.held() === WINDOW[n.name], {
        timeoutMs: SETTLE_GUARD_MS,
        what: `${n.name} to hold a full window of fillers`,
      });
    }
    world.b.proxy.release();
    await waitForAsync(async () => (await heldBy('node-b', fillers)) === 0, { timeoutMs: SETTLE_GUARD_MS, what: "node-b's fillers to be settled" });
    world.b.proxy.hold();

    // Two long follow-ups to the consumer: B claims them and writes part 1 of each; parts 2 and 3 wait.
    const followUps = [
      await outbox.enqueue({ businessId: business.id, from: DID, to: who, body: LONG_FOLLOW_UP, kind: 'follow-up', callId: null, consentEventId: granted!.id }),
      await outbox.enqueue({ businessId: business.id, from: DID, to: who, body: `${LONG_FOLLOW_UP.slice(0, 390)} (2)`, kind: 'follow-up', callId: null, consentEventId: granted!.id }),
    ];
    // Part 1 of each at the SMSC, after the first text (node-b's held responses may also include fillers of
    // node-a's it took back, on a box slow enough for their lease to end).
    const partsAtSmsc = (): number => world.smsc.submits.filter((s) => digits(s.to) === digits(who)).length;
    await waitForAsync(async () => (await heldBy('node-b', [who])) === followUps.length && partsAtSmsc() >= 1 + followUps.length, {
      timeoutMs: SETTLE_GUARD_MS,
      what: 'node-b to claim both follow-ups and write their first parts',
    });
    assert.equal(await heldBy('node-a', [who]), 0, 'node-a holds none of them');

    // STOP on A's bind. A commits the revocation (and its confirmation) while B holds the follow-ups.
    const status = await world.smsc.deliver({ from: digits(who), to: digits(DID), text: 'STOP', via: 'node-a' });
    assert.equal(status, 0, 'node-a acknowledged the deliver_sm');
    await waitForAsync(async () => (await ledger.current(business.id, who)) === 'revoked', { timeoutMs: SETTLE_GUARD_MS, what: 'the STOP in the ledger' });
    // Everything the SMSC takes from here on came after the STOP's commit.
    const mark = world.smsc.submits.length;
    world.a.proxy.release();
    world.b.proxy.release();

    await waitForAsync(async () => (await unsettled([who, ...fillers])) === 0, { timeoutMs: SETTLE_GUARD_MS, what: 'the follow-ups, the fillers and the confirmation to settle' });
    const confirmation = (
      await pool.query<{ body: string; state: string }>("SELECT body, state FROM outbound_messages WHERE recipient = $1 AND kind = 'keyword-reply'", [who])
    ).rows;
    assert.equal(confirmation.length, 1, 'one STOP confirmation');
    await waitFor(() => world.textsTo(who).some((t) => t.text === confirmation[0]!.body), { timeoutMs: SETTLE_GUARD_MS, what: 'the STOP confirmation at the SMSC' });

    // The confirmation may be claimed and written by either node at any time after the commit: it is told apart by its text.
    const toWho = (s: { to: string; text: string }): boolean => digits(s.to) === digits(who) && s.text !== confirmation[0]!.body;
    const beforeStop = world.smsc.submits.slice(0, mark).filter(toWho);
    // At least: part 1 again if a held follow-up's lease ended on a loaded box and node-b claimed it anew.
    assert.ok(beforeStop.length >= 1 + followUps.length, `before the STOP: the first text, and part 1 of each follow-up (node-b was mid-text): ${beforeStop.length}`);
    const afterStop = world.smsc.submits.slice(mark).filter(toWho);
    assert.deepEqual(afterStop.map((s) => s.text), [], 'after the STOP, nothing but its confirmation reached the SMSC for that number');
    assert.equal(world.smsc.submits.filter((s) => s.messageId !== null && digits(s.to) === digits(who) && s.text === confirmation[0]!.body).length, 1, 'the confirmation went out once');
    const states = (await pool.query<{ id: number; state: string; claimed_by: string | null }>('SELECT id, state, claimed_by FROM outbound_messages WHERE id = ANY($1) ORDER BY id', [followUps])).rows;
    for (const r of states) assert.ok(['suppressed', 'refused', 'cancelled'].includes(r.state), `follow-up ${r.id} ended ${r.state}`);
    assert.deepEqual((await ledger.history(who, business.id)).map((e) => e.event), ['granted', 'revoked']);
  });

  test('C: kill -9 of node B while it holds claimed texts: after the lease node A sends them, none lost, duplicates at most a window', async (t) => {
    const numbers = Array.from({ length: 40 }, (_, i) => burst(i));
    // Both nodes claim a full window and hold it; the rest of the burst waits queued.
    world.a.proxy.hold();
    world.b.proxy.hold();
    for (const n of numbers) {
      const g = await grant(n);
      await outbox.enqueue({ businessId: business.id, from: DID, to: n, body: 'Acme Plumbing: we are on our way.', kind: 'follow-up', callId: null, consentEventId: g.id });
    }
    await waitForAsync(async () => (await heldBy('node-b', numbers)) > 0 && world.b.proxy.held() === (await heldBy('node-b', numbers)), {
      timeoutMs: SETTLE_GUARD_MS,
      what: 'node-b to claim texts of the burst and write them',
    });
    await waitForAsync(async () => (await heldBy('node-a', numbers)) > 0, { timeoutMs: SETTLE_GUARD_MS, what: 'node-a to claim texts of the burst' });

    await world.b.crash();
    const orphaned = (await pool.query<{ recipient: string }>("SELECT recipient FROM outbound_messages WHERE recipient = ANY($1) AND state = 'submitting' AND claimed_by = 'node-b'", [numbers])).rows.map(
      (r) => r.recipient,
    );
    assert.ok(orphaned.length > 0 && orphaned.length <= WINDOW['node-b'], `node-b died holding ${orphaned.length} claimed texts`);
    world.a.proxy.release();

    await waitForAsync(async () => (await unsettled(numbers)) === 0, { timeoutMs: LEASE_GUARD_MS + SETTLE_GUARD_MS, what: "node-a to send the burst, node-b's claims included after their lease" });
    const accepted = new Map<string, number>();
    for (const s of world.smsc.submits) if (s.messageId !== null) accepted.set(`+${digits(s.to)}`, (accepted.get(`+${digits(s.to)}`) ?? 0) + 1);
    const lost = numbers.filter((n) => !accepted.has(n));
    assert.deepEqual(lost, [], 'every text of the burst reached the SMSC');
    const duplicated = numbers.filter((n) => (accepted.get(n) ?? 0) > 1);
    const duplicates = duplicated.reduce((sum, n) => sum + accepted.get(n)! - 1, 0);
    t.diagnostic(`node-b died holding ${orphaned.length} claimed texts; ${duplicates} went out twice`);
    assert.ok(duplicates <= WINDOW['node-b'], `${duplicates} duplicates, at most node-b's window (${WINDOW['node-b']})`);
    for (const n of duplicated) assert.ok(orphaned.includes(n), `only texts node-b held when it died went out twice (${n})`);
    const final = (await pool.query<{ state: string; claimed_by: string | null; n: number }>(
      'SELECT state, claimed_by, count(*)::int AS n FROM outbound_messages WHERE recipient = ANY($1) GROUP BY state, claimed_by ORDER BY state, claimed_by',
      [orphaned],
    )).rows;
    assert.ok(final.every((r) => ['submitted', 'delivered'].includes(r.state) && r.claimed_by === 'node-a'), `node-b's texts were sent by node-a: ${JSON.stringify(final)}`);
    // What the grants, the STOP and the calls appended is still one chain.
    await assertLinearLedger();
  });
});
