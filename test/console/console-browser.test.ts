import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { verifyLedger } from '../../src/app/consent/verify-ledger.ts';
import { ledgerHash } from '../../src/domain/ledger/ledger-record.ts';
import { SqliteConsentStore } from '../../src/store/sqlite-consent-store.ts';
import { ADMIN, CALLER, VIEWER, startConsoleFixture, type ConsoleFixture } from './console-fixture.ts';

/**
 * The console in a real browser (Debian's chromium driven by playwright-core): sign in, find a call by
 * number, play its answer recording, download an evidence bundle and verify it, revoke, see the opt-out;
 * a forged form and a viewer are refused; pages without a session go to the sign-in. Every page is
 * screenshotted into test-output/console/ (gitignored) and checked with axe-core: no serious or
 * critical violation. One browser for the file; every wait is bounded and says what it waited for.
 */
const OUT = join(process.cwd(), 'test-output', 'console');
/** Generous for a loaded 2-core box; a wait that runs out fails with its own message. */
const WAIT_MS = 20_000;
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * The little of the DOM the in-page functions touch, typed here: the project compiles without the DOM
 * library (it is a Node service), and these functions run in the browser.
 */
interface AudioEl {
  readyState: number;
  duration: number;
  muted: boolean;
  play(): Promise<void>;
  addEventListener(type: string, fn: () => void, opts?: { once: boolean }): void;
}
interface El {
  name: string;
  value: string;
  method: string;
  action: string;
  textContent: string | null;
  appendChild(child: El): void;
  submit(): void;
  closest(selector: string): El | null;
  querySelector(selector: string): El | null;
}
interface BrowserDocument {
  getElementById(id: string): AudioEl | null;
  createElement(tag: string): El;
  querySelector(selector: string): El | null;
  body: El;
}

let fx: ConsoleFixture;
let context: BrowserContext;
let page: Page;
let userDataDir: string;
const checkedPages: string[] = [];

async function go(path: string): Promise<void> {
  const res = await page.goto(fx.base + path, { timeout: WAIT_MS, waitUntil: 'load' });
  assert.ok(res, `navigation to ${path} got a response`);
}

/** Screenshot plus axe-core: no serious or critical violation on the page as shown. */
async function review(name: string): Promise<void> {
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: true, timeout: WAIT_MS });
  // Evaluated through the DevTools protocol, so the page's CSP (script-src 'self') stays as served.
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const r = await (globalThis as unknown as { axe: { run(): Promise<{ violations: Array<{ id: string; impact: string; help: string; nodes: unknown[] }> }> } }).axe.run();
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.help} [${v.nodes.length}]`);
  });
  assert.deepEqual(violations, [], `axe on ${name}`);
  checkedPages.push(name);
}

async function signIn(who: { username: string; password: string }): Promise<void> {
  await page.fill('#username', who.username, { timeout: WAIT_MS });
  await page.fill('#password', who.password, { timeout: WAIT_MS });
  await Promise.all([page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: WAIT_MS }), page.click('button[type=submit]', { timeout: WAIT_MS })]);
}

async function signOut(): Promise<void> {
  await Promise.all([page.waitForURL(/\/login$/, { timeout: WAIT_MS }), page.click('form.signout button', { timeout: WAIT_MS })]);
}

/**
 * Posts a plain HTML form to /consent/revoke from the page, as a hand-made or forged form would (with
 * the page's CSRF token first when `withToken`), and returns the status of the response.
 */
async function postRevokeForm(fields: Record<string, string>, withToken: boolean): Promise<number> {
  const [status] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/consent/revoke'), { timeout: WAIT_MS }).then((r) => r.status()),
    page.evaluate(
      ({ fields, withToken }) => {
        const doc = (globalThis as unknown as { document: BrowserDocument }).document;
        const all = withToken ? { _csrf: doc.querySelector('input[name=_csrf]')!.value, ...fields } : fields;
        const f = doc.createElement('form');
        f.method = 'post';
        f.action = '/consent/revoke';
        for (const [k, v] of Object.entries(all)) {
          const i = doc.createElement('input');
          i.name = k;
          i.value = v;
          f.appendChild(i);
        }
        doc.body.appendChild(f);
        f.submit();
      },
      { fields, withToken },
    ),
  ]);
  return status;
}

describe('the console in chromium', { timeout: 240_000 }, () => {
  before(async () => {
    mkdirSync(OUT, { recursive: true });
    fx = await startConsoleFixture();
    userDataDir = mkdtempSync(join(tmpdir(), 'callkeeper-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: '/usr/bin/chromium',
      headless: true,
      timeout: 60_000,
      acceptDownloads: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        // The test starts playback from script, not from a click.
        '--autoplay-policy=no-user-gesture-required',
      ],
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(WAIT_MS);
  });

  after(async () => {
    await context?.close();
    await fx?.close();
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  test('a page without a session goes to the sign-in page, and back after signing in', async () => {
    await go('/calls');
    assert.equal(new URL(page.url()).pathname, '/login');
    assert.equal(new URL(page.url()).searchParams.get('next'), '/calls');
    await review('login');
    await page.fill('#username', ADMIN.username);
    await page.fill('#password', 'not the password');
    await Promise.all([page.waitForLoadState('load', { timeout: WAIT_MS }), page.click('button[type=submit]')]);
    assert.match(await page.textContent('[role=alert]', { timeout: WAIT_MS }) ?? '', /wrong/);
    await review('login-failed');
    await signIn(ADMIN);
    assert.equal(new URL(page.url()).pathname, '/calls');
  });

  test('find a call by number and play its answer recording', async () => {
    await go('/calls');
    await page.fill('#f-phone', CALLER);
    await Promise.all([page.waitForURL(/phone=/, { timeout: WAIT_MS }), page.click('form.filters button[type=submit]')]);
    const links = await page.$$eval('table tbody a', (as) => as.map((a) => a.getAttribute('href')));
    assert.deepEqual(links, [`/calls/${fx.callId}`], 'exactly the call from that number');
    await review('calls');
    await Promise.all([page.waitForURL(new RegExp(`/calls/${fx.callId}$`), { timeout: WAIT_MS }), page.click(`a[href="/calls/${fx.callId}"]`)]);
    assert.match(await page.textContent('main') ?? '', /My water heater is leaking/);
    assert.match(await page.textContent('main') ?? '', /URGENT \(rule active-leak/);
    await page.waitForFunction(
      () => {
        const a = (globalThis as unknown as { document: BrowserDocument }).document.getElementById('answer-audio');
        return a !== null && a.readyState >= 1 && a.duration > 0;
      },
      undefined,
      { timeout: WAIT_MS },
    ).catch(() => assert.fail('the answer recording never loaded its metadata (readyState >= 1, a duration)'));
    const duration = await page.$eval('#answer-audio', (a) => (a as unknown as AudioEl).duration);
    assert.ok(Math.abs(duration - 1) < 0.05, `the answer recording lasts one second (got ${duration})`);
    const played = await page.$eval('#answer-audio', async (el) => {
      const a = el as unknown as AudioEl;
      a.muted = true;
      const playing = new Promise<string>((resolve) => {
        a.addEventListener('playing', () => resolve('playing'), { once: true });
        a.addEventListener('error', () => resolve('error'), { once: true });
        setTimeout(() => resolve('timeout'), 15_000);
      });
      await a.play();
      return playing;
    });
    assert.equal(played, 'playing', 'the answer recording plays');
    await review('call');
  });

  test('download an evidence bundle and verify it; revoke; the opt-out shows', async () => {
    await go(`/consent?phone=${encodeURIComponent(CALLER)}`);
    assert.match(await page.textContent('main') ?? '', /Intact: \d+ records/);
    await review('consent');
    const recordId = (fx.db.prepare('SELECT id FROM consent_ledger WHERE consumer = ? ORDER BY id LIMIT 1').get(CALLER) as { id: number }).id;
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: WAIT_MS }), page.click(`a[href="/consent/records/${recordId}/evidence.tar"]`)]);
    const dir = mkdtempSync(join(tmpdir(), 'callkeeper-evidence-'));
    try {
      const tar = join(dir, 'bundle.tar');
      await download.saveAs(tar);
      execFileSync('tar', ['-xf', tar, '-C', dir], { timeout: 10_000 });
      const out = join(dir, `evidence-${recordId}`);
      const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
      assert.deepEqual(manifest.files.map((f: { name: string }) => f.name).sort(), ['answer-audio.wav', 'call.json', 'message-audio.wav', 'record.json', 'script.txt', 'transcript.txt']);
      for (const f of manifest.files) assert.equal(createHash('sha256').update(readFileSync(join(out, f.name))).digest('hex'), f.sha256, `${f.name} matches the manifest`);
      // The record recomputes to its chain hash, and the audio is the one the ledger hashed.
      const { record } = JSON.parse(readFileSync(join(out, 'record.json'), 'utf8'));
      assert.equal(ledgerHash(record), record.hash);
      assert.equal(manifest.audio_sha256_ok, true);
      assert.deepEqual(readFileSync(join(out, 'answer-audio.wav')), readFileSync(fx.answerWav));
      assert.equal(verifyLedger(new SqliteConsentStore(fx.db)).chain.ok, true, 'the ledger chain verifies');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    await page.selectOption('#revoke-business', '1');
    await page.fill('#revoke-reason', 'asked by phone, ticket 4411');
    await Promise.all([page.waitForURL(/revoked=/, { timeout: WAIT_MS }), page.click('form[action="/consent/revoke"] button')]);
    assert.match(await page.textContent('[role=status]') ?? '', /Revoked: ledger record \d+/);
    assert.match(await page.textContent('main') ?? '', /current consent revoked/);
    await go('/optouts');
    assert.ok((await page.$$eval('table tbody td a', (as) => as.map((a) => a.textContent))).includes(CALLER), 'the caller is listed as opted out');
    await review('optouts');
    await go('/audit');
    assert.match(await page.textContent('table') ?? '', /revoke[\s\S]*export/);
    await review('audit');
  });

  test('a forged form without the CSRF token is refused', async () => {
    await go('/consent');
    const status = await postRevokeForm({ phone: CALLER, business: '1', reason: 'forged' }, false);
    assert.equal(status, 403);
    await page.waitForURL(/\/consent\/revoke$/, { timeout: WAIT_MS, waitUntil: 'load' });
    assert.match(await page.textContent('body') ?? '', /did not come from this console/);
  });

  test('the other pages render, pass axe, and the template preview follows the text', async () => {
    await go('/');
    await page.waitForFunction(() => (globalThis as unknown as { Chart?: { instances: Record<string, unknown> } }).Chart !== undefined && Object.keys((globalThis as unknown as { Chart: { instances: Record<string, unknown> } }).Chart.instances).length === 4, undefined, { timeout: WAIT_MS }).catch(() => assert.fail('the dashboard never drew its four charts'));
    await review('dashboard');
    for (const [path, name] of [
      ['/messages', 'messages'],
      ['/businesses', 'businesses'],
      ['/staff', 'staff'],
      ['/compliance', 'compliance'],
      ['/optin/1', 'optin'],
      ['/health', 'health'],
    ] as const) {
      await go(path);
      await review(name);
    }
    await go('/businesses/1');
    await page.fill('#tpl-complete', '{business}: all done, thank you!');
    await page.waitForFunction(() => (globalThis as unknown as { document: BrowserDocument }).document.querySelector('#tpl-complete')?.closest('form')?.querySelector('.preview-text')?.textContent?.startsWith('Acme Plumbing: all done, thank you!') === true, undefined, { timeout: WAIT_MS }).catch(() => assert.fail('the live preview never showed the new text'));
    await review('business');
  });

  test('a viewer sees no revoke form, and a revoke posted with a valid token is still refused', async () => {
    await signOut();
    await signIn(VIEWER);
    await go(`/consent?phone=${encodeURIComponent(CALLER)}`);
    assert.equal(await page.$('form[action="/consent/revoke"]'), null);
    await review('consent-viewer');
    const status = await postRevokeForm({ phone: CALLER, business: '1', reason: 'viewer' }, true);
    assert.equal(status, 403);
    await page.waitForURL(/\/consent\/revoke$/, { timeout: WAIT_MS, waitUntil: 'load' });
    assert.match(await page.textContent('body') ?? '', /admins only/);
    assert.ok(checkedPages.length >= 14, `every page was reviewed (${checkedPages.join(', ')})`);
  });
});
