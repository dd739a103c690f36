import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { renderOptInPage } from '../../src/compliance/opt-in-page.ts';
import { describeProgram } from '../../src/domain/compliance/program-description.ts';
import { makeBusiness } from '../fakes/in-memory-business-directory.ts';

const ACME = makeBusiness({ id: 1, name: 'Acme Plumbing', dids: ['+15125550100'] });
const CHROMIUM = '/usr/bin/chromium';

describe('the public opt-in page', () => {
  test('is a complete document: lang, title, one h1, a main landmark, a heading per section, no script', () => {
    const page = renderOptInPage(describeProgram(ACME));
    assert.match(page, /^<!doctype html>\n<html lang="en">/);
    assert.match(page, /<title>SMS Opt-In — How It Works · Acme Plumbing<\/title>/);
    assert.equal(page.match(/<h1[ >]/g)?.length, 1);
    assert.equal(page.match(/<main[ >]/g)?.length, 1);
    const h2 = [...page.matchAll(/<h2 id="[\w-]+">([^<]+)<\/h2>/g)].map((m) => m[1]);
    assert.deepEqual(h2, [
      'What this page describes',
      'What the messages are',
      'How a consumer opts in',
      'The script the voice assistant uses',
      'Message frequency',
      'Message and data rates',
      'How to opt out, and how to get help',
      'Sample messages',
      'Replies to keywords',
      'Privacy',
      'Contact',
    ]);
    assert.doesNotMatch(page, /<script/i);
    assert.ok(page.trimEnd().endsWith('</html>'));
  });

  test('an implied-consent business gets no script section', () => {
    const page = renderOptInPage(describeProgram({ ...ACME, consentMode: 'implied' }));
    assert.doesNotMatch(page, /The script the voice assistant uses/);
    assert.match(page, /Sorry we missed your call/);
  });

  for (const name of ['<script>alert(1)</script>', '</title><img src=x onerror=alert(1)>', 'Bob\'s "Best" <b>Plumbing</b> & Co', '{{it.brand}} <%= 7*7 %>']) {
    test(`a hostile business name is text, never markup: ${name}`, () => {
      const page = renderOptInPage(describeProgram({ ...ACME, name }));
      assert.doesNotMatch(page, /<script|<img|<b>|onerror=alert\(1\)>/i);
      assert.doesNotMatch(page, /49/, 'no template code of the name runs');
      const escaped = name.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
      assert.ok(page.includes(`<title>SMS Opt-In — How It Works · ${escaped}</title>`), 'the title shows the name as text');
    });
  }

  test('axe-core in Chromium finds no serious or critical violation', async () => {
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is not installed (the set-up installs Debian's chromium)`);
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'], timeout: 60_000 });
    try {
      const page = await browser.newPage();
      await page.setContent(renderOptInPage(describeProgram(ACME)), { timeout: 30_000 });
      const axe = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
      await page.addScriptTag({ content: axe });
      const violations = (await page.evaluate('axe.run(document).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact })))')) as Array<{ id: string; impact: string }>;
      const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
      assert.deepEqual(bad, [], `axe violations: ${JSON.stringify(violations)}`);
    } finally {
      await browser.close();
    }
  });
});
