/**
 * The console on PostgreSQL in a real browser (Debian's chromium driven by playwright-core), two nodes on
 * one database (console-pg-fixture.ts), each on its own 127.0.0.1 port: sign in on node A and see the
 * dashboard draw its charts; the same browser session then works on node B (a cookie is not tied to a
 * port, and B reads A's session from the shared table); revoke on B and see the caller's queued text
 * cancelled on the call's page, the other caller's still queued. One browser, a fresh profile; every
 * wait is bounded and says what it waited for.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startPgTestCluster, type PgTestCluster } from '../store/postgres/pg-test-db.ts';
import { ADMIN, CALLER, OTHER_CALLER } from './console-fixture.ts';
import { startPgConsoleFixture, type PgConsoleFixture } from './console-pg-fixture.ts';

/** Generous for a loaded 2-core box; a wait that runs out fails with its own message. */
const WAIT_MS = 20_000;

let pgc: PgTestCluster | undefined;
let fx: PgConsoleFixture;
let context: BrowserContext;
let page: Page;
let userDataDir: string;

describe('the console on PostgreSQL in chromium', { timeout: 240_000 }, () => {
  before(async () => {
    pgc = await startPgTestCluster();
    fx = await startPgConsoleFixture(pgc, { listen: true });
    userDataDir = mkdtempSync(join(tmpdir(), 'callkeeper-chromium-pg-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      timeout: 60_000,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(WAIT_MS);
  });

  after(async () => {
    await context?.close();
    await fx?.close();
    await pgc?.stop();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  test('sign in on node A, see the dashboard; revoke on node B and see the queued text cancelled', async () => {
    const [a, b] = [fx.nodes[0]!.base, fx.nodes[1]!.base];
    await page.goto(`${a}/`, { timeout: WAIT_MS, waitUntil: 'load' });
    assert.equal(new URL(page.url()).pathname, '/login', 'no session yet: the sign-in page');
    await page.fill('#username', ADMIN.username);
    await page.fill('#password', ADMIN.password);
    await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: WAIT_MS }), page.click('button[type=submit]')]);
    assert.equal(await page.textContent('h1'), 'Dashboard');
    await page
      .waitForFunction(() => {
        const c = (globalThis as unknown as { Chart?: { instances: Record<string, unknown> } }).Chart;
        return c !== undefined && Object.keys(c.instances).length === 4;
      }, undefined, { timeout: WAIT_MS })
      .catch(() => assert.fail('the dashboard never drew its four charts'));

    // Node B: the session node A made, from the shared table; no second sign-in.
    await page.goto(`${b}/consent?phone=${encodeURIComponent(CALLER)}`, { timeout: WAIT_MS, waitUntil: 'load' });
    assert.equal(new URL(page.url()).pathname, '/consent', 'node B serves the signed-in page');
    assert.match((await page.textContent('main')) ?? '', /current consent\s*granted/);
    await page.selectOption('#revoke-business', '1');
    await page.fill('#revoke-reason', 'asked by phone, ticket 4411');
    await Promise.all([page.waitForURL(/revoked=/, { timeout: WAIT_MS }), page.click('form[action="/consent/revoke"] button')]);
    assert.match((await page.textContent('[role=status]')) ?? '', /Revoked: ledger record \d+/);
    assert.match((await page.textContent('main')) ?? '', /current consent\s*revoked/);

    // The call's page lists its texts with their state: the first reply that waited in the queue is cancelled.
    await page.goto(`${b}/calls/${fx.source.callId}`, { timeout: WAIT_MS, waitUntil: 'load' });
    const rows = await page.$$eval('table tr', (trs) => trs.map((tr) => (tr as unknown as { textContent: string | null }).textContent ?? ''));
    assert.ok(rows.some((r) => /first-reply\s*cancelled/.test(r)), `the call's first reply shows cancelled: ${rows.join(' | ')}`);
    await page.goto(`${a}/calls/${fx.source.otherCallId}`, { timeout: WAIT_MS, waitUntil: 'load' });
    const other = await page.$$eval('table tr', (trs) => trs.map((tr) => (tr as unknown as { textContent: string | null }).textContent ?? ''));
    assert.ok(other.some((r) => /first-reply\s*queued/.test(r)), `the other caller's first reply is still queued: ${other.join(' | ')}`);
    const states = (await fx.pool.query<{ recipient: string; state: string }>("SELECT recipient, state FROM outbound_messages WHERE kind <> 'staff' ORDER BY id")).rows;
    assert.deepEqual(states, [
      { recipient: CALLER, state: 'cancelled' },
      { recipient: OTHER_CALLER, state: 'queued' },
    ]);
  });
});
