// The web console (/console) and the demo chat (/demo) in a real browser: Debian's Chromium, headless, driven by
// playwright-core, against a whole Fanout stack (tests/js/support/stack.mjs) whose Ingest serves the pages in the
// Development environment (demo tokens on) and points them at the two realtime nodes, which allow its origin (CORS).
// The screenshots in docs/images are taken here.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { chromium } from 'playwright-core';
import { startStack } from '../js/support/stack.mjs';

const CHROMIUM = process.env.FANOUT_CHROMIUM ?? '/usr/bin/chromium';
const WAIT_MS = 15_000;
// The embedded run (embedded.test.mjs) keeps its screenshots apart, so that docs/images shows one run.
const IMAGES = join(process.env.FANOUT_SCREENSHOTS_DIR ?? join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs', 'images'),
  process.env.FANOUT_STACK_MODE === 'embedded' ? 'embedded' : '.');
const WIDE = { width: 1280, height: 900 };
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const CHAT_ONLY_KEY = `chat-only-${randomBytes(12).toString('hex')}`; // a second key, allowed only the rooms chat:*
const NARROW = { width: 390, height: 844 };

let stack;
let browser;

before(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} does not exist: install Chromium (apt-get install -y chromium; scripts/test.sh does) or set FANOUT_CHROMIUM`);
  }

  mkdirSync(IMAGES, { recursive: true });
  [stack, browser] = await Promise.all([
    startStack({
      realtimeNodes: 2,
      env: ({ ingestUrl, nodeUrls }) => ({
        ingest: {
          ASPNETCORE_ENVIRONMENT: 'Development',
          Ingest__ApiKeys__1__Name: 'chat-only',
          Ingest__ApiKeys__1__Key: CHAT_ONLY_KEY,
          Ingest__ApiKeys__1__Rooms__0: 'chat:*',
          ...Object.fromEntries(nodeUrls.map((url, i) => [`Console__HubUrls__${i}`, `${url}/hubs/rooms`])),
        },
        nodes: { Realtime__Cors__AllowedOrigins__0: ingestUrl },
      }),
    }),
    chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'], timeout: 30_000 }),
  ]);
}, { timeout: 120_000 });

after(async () => {
  await browser?.close();
  await stack?.stop();
}, { timeout: 60_000 });

// ---------------------------------------------------------------------------------------------------------------
// Helpers

const newRoom = (prefix) => `${prefix}:${randomBytes(5).toString('hex')}`;

/** A fresh browser context (its own session storage) and page; closed by the test through `using`-like try/finally. */
async function openPage(path, viewport = WIDE, { bypassCSP = false } = {}) {
  const context = await browser.newContext({ viewport, bypassCSP });
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) problems.push(message.text());
  });
  await page.goto(`${stack.ingestUrl}${path}`);
  return { page, context, problems };
}

async function signIn(page, { key = stack.apiKey, token = '' } = {}) {
  await page.getByLabel('API key').fill(key);
  if (token) await page.getByLabel(/Client token/).fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

async function publish(room, data, type = 'message') {
  const response = await fetch(`${stack.ingestUrl}/v1/rooms/${encodeURIComponent(room)}/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${stack.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ type, data }),
  });
  assert.equal(response.status, 202, await response.text());
}

async function joinDemo(page, name, room) {
  await page.getByLabel('Your name').fill(name);
  await page.getByRole('textbox', { name: 'Room', exact: true }).fill(room);
  await page.getByRole('button', { name: 'Join' }).click();
  await page.locator('#state', { hasText: 'online' }).waitFor();
  await page.locator('#messages li.system', { hasText: `You joined ${room}` }).waitFor();
}

async function send(page, text) {
  await page.getByRole('textbox', { name: 'Message', exact: true }).fill(text);
  await page.getByRole('textbox', { name: 'Message', exact: true }).press('Enter');
  await page.locator('#messages li', { hasText: text }).first().waitFor();
}

/**
 * The WCAG 2.1 A and AA rules of axe-core that fail on the page, as "rule: target" lines. axe is injected as a script,
 * which the pages' CSP forbids: the page must come from a context made with `bypassCSP: true`.
 */
async function accessibilityViolations(page) {
  await page.addScriptTag({ path: AXE });
  const violations = await page.evaluate(async () => (await globalThis.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  })).violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`));
  return violations;
}

/** The page fits its viewport: nothing wider than the window (no horizontal scrolling). */
async function assertNoHorizontalScroll(page) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  assert.ok(scrollWidth <= innerWidth, `the page is ${scrollWidth} px wide in a ${innerWidth} px window`);
}

// ---------------------------------------------------------------------------------------------------------------
// Serving

test('the pages are served without an API key, with a strict Content-Security-Policy, while the API still needs the key', async () => {
  for (const path of ['/console/', '/console/console.js', '/console/fanout.css', '/console/lib/fanout-client.js', '/demo/', '/demo/demo.js']) {
    const response = await fetch(`${stack.ingestUrl}${path}`);
    assert.equal(response.status, 200, path);
    const csp = response.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/, path);
    assert.match(csp, /script-src 'self';/, path);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|https?:\/\/[^ ;]*cdn/i, path);
    assert.match(csp, /frame-ancestors 'none'/, path);
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff', path);
    assert.equal(response.headers.get('cache-control'), 'no-cache', path);
    assert.ok(response.headers.get('etag'), path);
  }

  assert.match((await fetch(`${stack.ingestUrl}/console/`)).headers.get('content-type'), /^text\/html; charset=utf-8/);
  assert.match((await fetch(`${stack.ingestUrl}/console/console.js`)).headers.get('content-type'), /^text\/javascript/);
  const config = await (await fetch(`${stack.ingestUrl}/console/config.json`)).json();
  assert.deepEqual(config.hubUrls, stack.nodes.map((_, i) => stack.hubUrl(i)));
  assert.equal(config.demoTokens, true);
  assert.equal((await fetch(`${stack.ingestUrl}/v1/nodes`)).status, 401);
  assert.equal((await fetch(`${stack.ingestUrl}/v1/rooms/chat:x/events`)).status, 401);
});

// ---------------------------------------------------------------------------------------------------------------
// Console

test('a wrong API key shows the error and stores nothing', async () => {
  const { page, context, problems } = await openPage('/console/');
  try {
    await signIn(page, { key: 'not-the-key-0123456789', token: 'some.client.token' });
    await page.locator('#sign-in-error', { hasText: 'The API key was refused' }).waitFor();
    assert.equal(await page.locator('#app').isHidden(), true);
    assert.equal(await page.getByLabel('API key').getAttribute('aria-invalid'), 'true');
    assert.equal(await page.evaluate(() => sessionStorage.length), 0);
    assert.equal(await page.evaluate(() => localStorage.length), 0);
    assert.ok(!page.url().includes('not-the-key'), 'the key must never be in the URL');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('sign in with the key, publish from the form and see the event in the live tail (polling with the key)', async () => {
  const { page, context, problems } = await openPage('/console/');
  try {
    await signIn(page);
    await page.locator('#nodes tr').nth(stack.nodes.length - 1).waitFor(); // every node listed
    assert.equal(await page.evaluate(() => sessionStorage.getItem('fanout.console.apiKey')), stack.apiKey);
    assert.ok(!page.url().includes(stack.apiKey));

    const room = newRoom('chat');
    await page.getByRole('textbox', { name: 'Room id', exact: true }).fill(room);
    await page.getByRole('button', { name: 'Look up' }).click();
    await page.locator('#room-last-seq', { hasText: '0' }).waitFor();
    assert.equal(await page.locator('#room-retention').textContent(), 'keeps the newest 1000 events, none older than 1 d; serves seq 1 on');
    await page.getByRole('button', { name: 'Start' }).click();
    await page.locator('#tail-status', { hasText: 'Polling' }).waitFor();

    await page.getByLabel('Type', { exact: true }).fill('order.created');
    await page.getByLabel('Data (JSON)').fill('{"order": 7, "items": ["tea"]}');
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.locator('#publish-result', { hasText: '202 Accepted' }).waitFor();
    const entry = page.locator('#tail li[data-seq="1"]');
    await entry.waitFor();
    assert.match(await entry.textContent(), /order\.created/);
    assert.match(await entry.locator('pre').textContent(), /"order": 7/);

    // Invalid JSON is caught before sending; a problem+json answer is shown as it is.
    await page.getByLabel('Data (JSON)').fill('{"order": ');
    assert.equal(await page.getByLabel('Data (JSON)').getAttribute('aria-invalid'), 'true');
    await page.getByLabel('Data (JSON)').fill('{"text": "hi"}');
    await page.getByLabel('Type', { exact: true }).fill('bad type!');
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.locator('#publish-result', { hasText: 'type must be' }).waitFor();

    // More events, then history and pause/filter.
    await page.getByLabel('Type', { exact: true }).fill('message');
    for (let i = 0; i < 3; i++) await publish(room, { text: `m${i}` });
    await page.locator('#tail li[data-seq="4"]').waitFor();
    await page.getByLabel('Filter by type').fill('order');
    assert.equal(await page.locator('#tail li[data-seq="4"]').isHidden(), true);
    assert.equal(await page.locator('#tail li[data-seq="1"]').isVisible(), true);
    await page.getByLabel('Filter by type').fill('');
    await page.getByLabel('Idempotency key').fill('order-8');
    await page.getByLabel('Data (JSON)').fill('{"text": "hello from the console"}');
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.locator('#publish-result', { hasText: '202 Accepted' }).waitFor();
    await page.locator('#tail li[data-seq="5"]', { hasText: 'hello from the console' }).waitFor();
    await page.getByRole('button', { name: 'Look up' }).click();
    await page.locator('#room-last-seq', { hasText: '5' }).waitFor();
    await page.getByLabel('Page size').fill('2');
    await page.getByRole('button', { name: 'Load' }).click();
    await page.locator('#history-status', { hasText: 'Seqs 1–2 of 5' }).waitFor();
    await page.getByRole('button', { name: 'Next page' }).click();
    await page.locator('#history-status', { hasText: 'Seqs 3–4 of 5' }).waitFor();
    await page.screenshot({ path: join(IMAGES, 'console.png'), fullPage: true });

    // Reset, with confirmation.
    await page.getByRole('button', { name: 'Reset history…' }).click();
    assert.equal(await page.getByRole('button', { name: 'Reset the history' }).isDisabled(), true);
    await page.getByLabel(/Type the room id/).fill(room);
    await page.getByRole('button', { name: 'Reset the history' }).click();
    await page.locator('#reset-result', { hasText: 'new epoch' }).waitFor();
    await page.locator('#tail li.system', { hasText: 'history was reset' }).waitFor();
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('a key allowed only some rooms can do in the console exactly what it could do with curl', async () => {
  const { page, context, problems } = await openPage('/console/');
  try {
    await signIn(page, { key: CHAT_ONLY_KEY });
    await page.locator('#nodes-status', { hasText: '403' }).waitFor(); // GET /v1/nodes needs a key allowed every room
    await page.getByRole('textbox', { name: 'Room id', exact: true }).fill('billing:7');
    await page.getByRole('button', { name: 'Look up' }).click();
    await page.locator('#room-error', { hasText: "may not use room 'billing:7'" }).waitFor();
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.locator('#publish-result', { hasText: '403' }).waitFor();

    const room = newRoom('chat');
    await page.getByRole('textbox', { name: 'Room id', exact: true }).fill(room);
    await page.getByRole('button', { name: 'Look up' }).click();
    await page.locator('#room-facts').waitFor();
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.locator('#publish-result', { hasText: '202 Accepted' }).waitFor();
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('with a client token the live tail subscribes over the hub, and replays from a seq', async () => {
  const { page, context, problems } = await openPage('/console/');
  try {
    const room = newRoom('chat');
    await publish(room, { text: 'before-1' });
    await publish(room, { text: 'before-2' });
    await signIn(page, { token: stack.token('console-operator') });
    await page.getByRole('textbox', { name: 'Room id', exact: true }).fill(room);
    await page.getByLabel('Replay from seq').fill('0');
    await page.getByRole('button', { name: 'Start' }).click();
    await page.locator('#tail-status', { hasText: 'Live over the hub' }).waitFor();
    await page.locator('#tail li[data-seq="2"]').waitFor(); // replayed
    await page.getByRole('button', { name: 'Pause' }).click();
    await publish(room, { text: 'while-paused' });
    await page.getByRole('button', { name: 'Resume (1 waiting)' }).waitFor();
    assert.equal(await page.locator('#tail li[data-seq="3"]').count(), 0);
    await page.getByRole('button', { name: /Resume/ }).click();
    await page.locator('#tail li[data-seq="3"]', { hasText: 'while-paused' }).waitFor();
    await page.getByLabel('Data (JSON)').fill('{"text": "from the form"}');
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.locator('#tail li[data-seq="4"]', { hasText: 'from the form' }).waitFor();
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('the console works at a narrow viewport and from the keyboard, and signing out forgets the key', async () => {
  const { page, context, problems } = await openPage('/console/', NARROW);
  try {
    await assertNoHorizontalScroll(page);
    await page.screenshot({ path: join(IMAGES, 'console-sign-in-narrow.png'), fullPage: true });
    // The key field has the focus; typing and Enter signs in.
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'api-key');
    await page.keyboard.type(stack.apiKey);
    await page.keyboard.press('Enter');
    await page.locator('#nodes tr').first().waitFor();
    await page.getByRole('button', { name: 'Look up' }).focus();
    await page.keyboard.press('Enter');
    await page.locator('#room-facts').waitFor();
    await assertNoHorizontalScroll(page);
    await page.screenshot({ path: join(IMAGES, 'console-narrow.png'), fullPage: true });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API key').waitFor();
    assert.equal(await page.evaluate(() => sessionStorage.length), 0);
    await page.reload();
    assert.equal(await page.locator('#app').isHidden(), true);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

// ---------------------------------------------------------------------------------------------------------------
// Demo

test('two demo pages see each other join and exchange messages', async () => {
  const room = newRoom('demo');
  const ada = await openPage('/demo/');
  const bob = await openPage('/demo/', NARROW);
  try {
    await joinDemo(ada.page, 'Ada', room);
    await joinDemo(bob.page, 'Bob', room);
    await ada.page.locator('#messages li.system', { hasText: 'Bob joined' }).waitFor();
    await ada.page.locator('#members li', { hasText: 'Bob' }).waitFor();
    await bob.page.locator('#members li', { hasText: 'Ada' }).waitFor();

    await send(ada.page, 'Hello Bob');
    await bob.page.locator('#messages li', { hasText: 'Hello Bob' }).waitFor();
    await send(bob.page, 'Hi Ada!');
    await ada.page.locator('#messages li', { hasText: 'Hi Ada!' }).waitFor();
    assert.match(await bob.page.locator('#messages li', { hasText: 'Hello Bob' }).textContent(), /Ada/);
    await assertNoHorizontalScroll(bob.page);
    await bob.page.screenshot({ path: join(IMAGES, 'demo-narrow.png'), fullPage: true });

    await bob.page.getByRole('button', { name: 'Leave' }).click();
    await ada.page.locator('#messages li.system', { hasText: 'Bob left' }).waitFor();
    assert.deepEqual([...ada.problems, ...bob.problems], []);
  } finally {
    await ada.context.close();
    await bob.context.close();
  }
});

test('a demo page that goes offline gets every missed message when it comes back, and shows the recovery', async () => {
  const room = newRoom('demo');
  const ada = await openPage('/demo/');
  const bob = await openPage('/demo/');
  try {
    await joinDemo(ada.page, 'Ada', room);
    await joinDemo(bob.page, 'Bob', room);
    await send(ada.page, 'before the drop');
    await bob.page.locator('#messages li', { hasText: 'before the drop' }).waitFor();

    await bob.page.getByRole('button', { name: 'Go offline' }).click();
    await bob.page.locator('#state', { hasText: 'offline' }).waitFor();
    assert.equal(await bob.page.getByRole('textbox', { name: 'Message', exact: true }).isDisabled(), true);
    await ada.page.locator('#members li', { hasText: 'Bob' }).waitFor({ state: 'detached' });
    for (const text of ['missed one', 'missed two', 'missed three']) await send(ada.page, text);

    await bob.page.getByRole('button', { name: 'Go online' }).click();
    await bob.page.locator('#recovery', { hasText: 'Back online: 3 missed messages recovered.' }).waitFor();
    const texts = await bob.page.locator('#messages li[data-seq]').allTextContents();
    assert.deepEqual(texts.map((t) => t.match(/(before the drop|missed \w+)$/)?.[1]),
      ['before the drop', 'missed one', 'missed two', 'missed three']);
    assert.equal(await bob.page.locator('#messages li[data-seq] .badge.recovered').count(), 3);

    await send(ada.page, 'after the recovery');
    await bob.page.locator('#messages li', { hasText: 'after the recovery' }).waitFor();
    assert.equal(await bob.page.locator('#messages li[data-seq] .badge.recovered').count(), 3);
    await bob.page.screenshot({ path: join(IMAGES, 'demo.png'), fullPage: true });
    assert.deepEqual([...ada.problems, ...bob.problems], []);
  } finally {
    await ada.context.close();
    await bob.context.close();
  }
});

// ---------------------------------------------------------------------------------------------------------------
// Accessibility

test('the console and the demo pass the WCAG 2.1 A and AA rules of axe-core, signed out and in use', async () => {
  const consolePage = await openPage('/console/', WIDE, { bypassCSP: true });
  const demo = await openPage('/demo/', NARROW, { bypassCSP: true });
  try {
    const found = [];
    found.push(...(await accessibilityViolations(consolePage.page)).map((v) => `console sign-in: ${v}`));
    await signIn(consolePage.page);
    const room = newRoom('chat');
    await consolePage.page.getByRole('textbox', { name: 'Room id', exact: true }).fill(room);
    await consolePage.page.getByRole('button', { name: 'Look up' }).click();
    await consolePage.page.getByRole('button', { name: 'Start' }).click();
    await consolePage.page.getByRole('button', { name: 'Publish' }).click();
    await consolePage.page.locator('#tail li[data-seq="1"]').waitFor();
    await consolePage.page.getByRole('button', { name: 'Load' }).click();
    await consolePage.page.locator('#history-table').waitFor();
    await consolePage.page.getByRole('button', { name: 'Reset history…' }).click();
    found.push(...(await accessibilityViolations(consolePage.page)).map((v) => `console: ${v}`));

    found.push(...(await accessibilityViolations(demo.page)).map((v) => `demo join: ${v}`));
    await joinDemo(demo.page, 'Ada', newRoom('demo'));
    await send(demo.page, 'hello');
    found.push(...(await accessibilityViolations(demo.page)).map((v) => `demo chat: ${v}`));
    assert.deepEqual(found, []);
  } finally {
    await consolePage.context.close();
    await demo.context.close();
  }
});
