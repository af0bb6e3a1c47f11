// The playground in headless Chromium as a newcomer meets it: no session, a login form; a wrong
// password says so; the right one opens GraphiQL, which runs a query. Screenshots in GRAPHQL_OUT.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { endpoint } from '../lib.js';

const browserPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const out = process.env.GRAPHQL_OUT ?? '/tmp';

test('playground login form, then GraphiQL', { skip: !existsSync(browserPath) && `no browser at ${browserPath}` }, async () => {
  mkdirSync(out, { recursive: true });
  const browser = await chromium.launch({ executablePath: browserPath, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const problems = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('response', (r) => {
      // The 401 of the first "who am I" request is how the page learns to show the form, and of
      // the wrong password how it says so.
      if (r.status() >= 400 && r.status() !== 401) problems.push(`${r.status()} ${r.url()}`);
    });
    page.on('console', (m) => {
      if (m.type() === 'error' && !/Failed to load resource/.test(m.text())) problems.push(`console: ${m.text()}`);
    });

    await page.goto(endpoint);
    await page.waitForSelector('#login-form');
    await page.screenshot({ path: join(out, 'playground-1-login.png') });

    await page.fill('#login-email', 'admin@medusa-test.com');
    await page.fill('#login-password', 'wrong');
    await page.click('#login-form button');
    await page.waitForFunction(() => document.querySelector('#login-error')?.textContent === 'Wrong email or password.');
    await page.screenshot({ path: join(out, 'playground-2-wrong-password.png') });

    await page.fill('#login-password', 'supersecret');
    await page.click('#login-form button');
    await page.waitForSelector('.graphiql-container', { timeout: 30000 });
    await page.screenshot({ path: join(out, 'playground-3-graphiql.png') });

    // The session works for the fetcher GraphiQL uses.
    const viewer = await page.evaluate(async (url) => {
      const res = await fetch(url, { method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ query: '{ viewer { email } }' }) });
      return res.json();
    }, endpoint);
    assert.deepEqual(viewer.data, { viewer: { email: 'admin@medusa-test.com' } });
    // Every answer says what it cost (Shopify's extensions.cost).
    assert.equal(viewer.extensions.cost.requestedQueryCost, 2);
    assert.equal(viewer.extensions.cost.actualQueryCost, 2);

    // Run a query from the editor.
    await page.click('.graphiql-query-editor .cm-content, .graphiql-query-editor .CodeMirror, .graphiql-query-editor');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('{ viewer { email } }');
    await page.click('.graphiql-execute-button');
    await page.waitForFunction(() => (document.querySelector('.graphiql-response')?.textContent ?? '').includes('admin@medusa-test.com'), null, { timeout: 15000 });
    await page.screenshot({ path: join(out, 'playground-4-query.png') });
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
  }
});
