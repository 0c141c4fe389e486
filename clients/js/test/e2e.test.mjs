// End-to-end tests of @fanout/client (the built dist/) against a real Fanout stack: Ingest, a sequencer and two
// realtime nodes as processes (tests/js/support/stack.mjs), on the test servers. Needs FANOUT_TEST_* and
// FANOUT_REPO_ROOT (scripts/test.sh sets them) and the built solution (FANOUT_ARTIFACTS_PATH when built with
// --artifacts-path). Without the environment the tests are skipped, with the reason printed, for a developer running
// `node --test`; with CI set (the CI runs scripts/test.sh with CI=true) a missing environment is a failure instead.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, afterEach, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { connect } from '../dist/index.js';
import { startStack } from '../../../tests/js/support/stack.mjs';

const REQUIRED = ['FANOUT_TEST_RABBITMQ', 'FANOUT_TEST_RABBITMQ_MANAGEMENT', 'FANOUT_TEST_POSTGRES', 'FANOUT_TEST_REDIS', 'FANOUT_REPO_ROOT'];
const missing = REQUIRED.filter((name) => !process.env[name]);
const missingReason = missing.length > 0 ? `needs ${missing.join(', ')} (see scripts/test.sh)` : null;
const inCi = Boolean(process.env.CI) && process.env.CI !== 'false' && process.env.CI !== '0';
const WAIT_MS = 20_000;
const RECONNECT = { baseDelayMs: 100, maxDelayMs: 1_000, jitter: 0.5 };

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const newRoom = (name) => `${name}:${randomBytes(6).toString('hex')}`;
const range = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

async function eventually(condition, what, { timeoutMs = WAIT_MS, state = () => '' } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      assert.fail(`Timed out after ${timeoutMs} ms waiting for ${what}${state() ? `; ${state()}` : ''}`);
    }

    await sleep(20);
  }
}

if (missingReason && inCi) {
  test('the end-to-end environment is present in CI', () => assert.fail(`CI is set but the stack is missing: ${missingReason}`));
} else if (missingReason) {
  console.log(`@fanout/client end-to-end tests skipped: ${missingReason}`);
}

describe('@fanout/client against a real stack', { skip: missingReason ?? false }, () => {
  let stack;
  const clients = new Set();

  before(async () => {
    stack = await startStack({ realtimeNodes: 2 });
  }, { timeout: 120_000 });

  afterEach(async () => {
    await Promise.allSettled([...clients].map((client) => client.close()));
    clients.clear();
  });

  after(async () => {
    await Promise.allSettled([...clients].map((client) => client.close()));
    await stack?.stop();
  }, { timeout: 60_000 });

  /** WebSockets the client opened, so that a test can kill one (abruptly, as a network failure would). */
  function trackedWebSocket() {
    const sockets = [];
    class TrackedWebSocket extends WebSocket {
      constructor(...args) {
        super(...args);
        sockets.push(this);
      }
    }

    return { sockets, WebSocket: TrackedWebSocket };
  }

  /** A client that records its events and everything it raises. */
  function open({ url, token, sub = `user-${randomBytes(4).toString('hex')}`, WebSocket: webSocket, ...options } = {}) {
    const tokens = [];
    const client = connect({
      url,
      token: token ?? (async () => {
        tokens.push(Date.now());
        return stack.token(sub);
      }),
      reconnect: RECONNECT,
      signalr: webSocket ? { httpOptions: { WebSocket: webSocket } } : undefined,
      ...options,
    });
    clients.add(client);
    const raised = [];
    for (const name of ['connected', 'disconnected', 'reconnecting', 'recovered', 'reset', 'error', 'closed']) {
      client.on(name, (payload) => raised.push({ name, ...payload }));
    }

    const received = new Map();
    return {
      client,
      sub,
      tokens,
      raised,
      of: (name) => raised.filter((entry) => entry.name === name),
      received,
      events: (room) => received.get(room) ?? [],
      seqs: (room) => (received.get(room) ?? []).map((event) => event.seq),
      subscribe(room, options, handlers = {}) {
        const events = [];
        received.set(room, events);
        return client.subscribe(room, { onEvent: (event) => events.push(event), ...handlers }, options);
      },
    };
  }

  async function ingest(method, path, body) {
    const response = await fetch(`${stack.ingestUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${stack.apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(WAIT_MS),
    });
    const text = await response.text();
    return { status: response.status, json: text ? JSON.parse(text) : null, text };
  }

  async function publishHttp(room, data) {
    const response = await ingest('POST', `/v1/rooms/${encodeURIComponent(room)}/events`, { type: 'tick', data });
    assert.equal(response.status, 202, `publish to ${room}: ${response.status} ${response.text}`);
    return response.json.id;
  }

  async function lastSeq(room) {
    const response = await ingest('GET', `/v1/rooms/${encodeURIComponent(room)}/events?after=0&limit=1`);
    assert.equal(response.status, 200, response.text);
    return response.json;
  }

  /** Waits until the room's history holds `seq` events (a 202 is accepted, not yet stored). */
  async function stored(room, seq) {
    await eventually(async () => (await lastSeq(room)).lastSeq >= seq, `history of ${room} to reach seq ${seq}`);
  }

  function waitForCount(recorder, room, count) {
    return eventually(() => recorder.events(room).length >= count, `${count} events of ${room}`,
      { state: () => `seqs [${recorder.seqs(room).join(',')}]; raised ${recorder.raised.map((entry) => entry.name).join(',')}` });
  }

  /** Publishes a marker event after everything a test checks and returns its id (see eventsUpToMarker). */
  function publishMarker(room) {
    return publishHttp(room, { marker: true });
  }

  /**
   * Waits for the marker event `markerId`: a room's events arrive in seq order, so once it is here everything before it
   * has arrived, and a duplicate would have too. Returns the room's events but the marker, in arrival order (anything
   * after the marker included, so that it fails the check).
   */
  async function eventsUpToMarker(recorder, room, markerId) {
    await eventually(() => recorder.events(room).some((event) => event.id === markerId), `the marker ${markerId} of ${room}`,
      { state: () => `seqs [${recorder.seqs(room).join(',')}]; raised ${recorder.raised.map((entry) => entry.name).join(',')}` });
    return recorder.events(room).filter((event) => event.id !== markerId);
  }

  // -------------------------------------------------------------------------------------------------------------

  test('subscribe and publish through the client: events reach subscribers on both nodes once, in order, with the ids publish returned', async () => {
    const room = newRoom('basic');
    const first = open({ url: stack.hubUrl(0) });
    const second = open({ url: stack.hubUrl(1) });
    const [result] = await Promise.all([first.subscribe(room).ready, second.subscribe(room).ready]);
    assert.equal(result.room, room);
    assert.equal(result.recovered, false);
    assert.equal(result.lastSeq, 0);

    const ids = [];
    for (let n = 1; n <= 10; n++) {
      ids.push((await first.client.publish(room, 'chat.message', { n })).id);
    }

    const marker = await publishMarker(room);
    for (const recorder of [first, second]) {
      const events = await eventsUpToMarker(recorder, room, marker);
      assert.deepEqual(events.map((event) => event.seq), range(1, 10));
      assert.deepEqual(events.map((event) => event.id), ids);
      assert.deepEqual(events.map((event) => event.data), range(1, 10).map((n) => ({ n })));
      assert.equal(recorder.of('error').length, 0, JSON.stringify(recorder.of('error')));
    }
  });

  test('a client whose socket is killed while events are published reconnects, gets every event once and in order, and raises recovered', async () => {
    const room = newRoom('killed');
    const tracked = trackedWebSocket();
    let gate = null; // holds the reconnect back while the test publishes
    const recorder = open({
      url: async ({ previousUrl }) => {
        if (previousUrl !== undefined) {
          await gate;
        }

        return stack.hubUrl(0);
      },
      WebSocket: tracked.WebSocket,
    });
    const ids = [];
    await recorder.subscribe(room).ready;
    for (let n = 1; n <= 10; n++) {
      ids.push(await publishHttp(room, { n }));
    }

    await waitForCount(recorder, room, 10);
    const tokensBefore = recorder.tokens.length; // SignalR asks for negotiate and for the WebSocket
    assert.ok(tokensBefore >= 1);

    let openGate;
    gate = new Promise((resolve) => { openGate = resolve; });
    tracked.sockets.at(-1).terminate(); // no close frame: a dead network
    await eventually(() => recorder.of('disconnected').length === 1, 'disconnected');
    for (let n = 11; n <= 30; n++) {
      ids.push(await publishHttp(room, { n }));
    }

    await stored(room, 30);
    openGate();
    // More events while the client reconnects and replays: live ones race the replay.
    for (let n = 31; n <= 40; n++) {
      ids.push(await publishHttp(room, { n }));
    }

    await eventually(() => recorder.of('recovered').length === 1, 'recovered');
    const marker = await publishMarker(room);
    const events = await eventsUpToMarker(recorder, room, marker);
    assert.deepEqual(events.map((event) => event.seq), range(1, 40));
    assert.deepEqual(events.map((event) => event.id), ids);
    const [recovered] = recorder.of('recovered');
    assert.equal(recovered.room, room);
    assert.ok(recovered.replayed >= 20, `replayed ${recovered.replayed}, at least the 20 published while disconnected`);
    assert.equal(recorder.of('reset').length, 0);
    assert.equal(recorder.of('connected').length, 2);
    assert.equal(recorder.of('connected')[1].reconnected, true);
    assert.ok(recorder.of('reconnecting').length >= 1);
    assert.ok(recorder.tokens.length > tokensBefore, 'the token function was asked again for the reconnect');
    assert.equal(recorder.client.state, 'connected');
  });

  test('a starting position replays from it (recovered); a stale epoch is a reset; a position beyond the room restarts live (reset "beyondLastSeq")', async () => {
    const room = newRoom('position');
    const ids = [];
    for (let n = 1; n <= 6; n++) {
      ids.push(await publishHttp(room, { n }));
    }

    await stored(room, 6);
    const { epoch } = await lastSeq(room);
    const recorder = open({ url: stack.hubUrl(1) });

    const fromPosition = await recorder.subscribe(room, { afterSeq: 2, epoch }).ready;
    assert.equal(fromPosition.recovered, true);
    assert.equal(fromPosition.replayed, 4);
    await waitForCount(recorder, room, 4);
    assert.deepEqual(recorder.seqs(room), range(3, 6));
    assert.deepEqual(recorder.of('recovered').map(({ replayed, lastSeq: seq }) => [replayed, seq]), [[4, 6]]);

    const staleRoom = newRoom('stale');
    await publishHttp(staleRoom, { n: 1 });
    await stored(staleRoom, 1);
    const stale = await recorder.subscribe(staleRoom, { afterSeq: 1, epoch: 'an-old-epoch' }).ready;
    assert.equal(stale.recovered, false);
    const [reset] = recorder.of('reset');
    assert.equal(stale.reason, 'epochChanged');
    assert.equal(reset.reason, 'epochChanged', JSON.stringify(stale));
    assert.deepEqual([reset.room, reset.lastSeq, reset.previous], [staleRoom, 1, { epoch: 'an-old-epoch', lastSeq: 1 }]);

    const aheadRoom = newRoom('ahead');
    await publishHttp(aheadRoom, { n: 1 });
    await stored(aheadRoom, 1);
    const ahead = await recorder.subscribe(aheadRoom, { afterSeq: 50 }).ready;
    assert.equal(ahead.lastSeq, 1);
    assert.deepEqual(recorder.of('reset').slice(1).map(({ room: r, reason }) => [r, reason]), [[aheadRoom, 'beyondLastSeq']]);
    await publishHttp(aheadRoom, { n: 2 });
    await waitForCount(recorder, aheadRoom, 1);
    assert.deepEqual(recorder.seqs(aheadRoom), [2]);
  });

  test('a subscription the hub refuses rejects ready and raises error; the client goes on', async () => {
    const recorder = open({ url: stack.hubUrl(0) });
    const bad = recorder.subscribe('bad room!');
    await assert.rejects(bad.ready, /character outside/);
    assert.equal(bad.active, false);
    assert.equal(recorder.of('error')[0].context, 'subscribe');
    const room = newRoom('after-refusal');
    await recorder.subscribe(room).ready;
    await recorder.client.publish(room, 'ok', true);
    await waitForCount(recorder, room, 1);
  });

  test('presence: Presence, PresenceStats and presence messages', async () => {
    const room = newRoom('presence');
    const watcher = open({ url: stack.hubUrl(0), sub: `watcher-${randomBytes(3).toString('hex')}` });
    const changes = [];
    await watcher.subscribe(room, {}, { onPresence: (change) => changes.push(change) }).ready;
    const presence = await watcher.client.presence(room);
    assert.equal(presence.room, room);
    assert.ok(Array.isArray(presence.members) && typeof presence.count === 'number', JSON.stringify(presence));
    await eventually(async () => (await watcher.client.presence(room)).members.some((member) => member.userId === watcher.sub),
      'the watcher among the members');
    const joiner = open({ url: stack.hubUrl(1), sub: `joiner-${randomBytes(3).toString('hex')}` });
    await joiner.subscribe(room).ready;
    await eventually(async () => {
      const stats = await watcher.client.presenceStats(room);
      assert.equal(stats.room, room);
      return stats.users >= 2 && stats.connections >= 2;
    }, 'PresenceStats to count both users');
    await eventually(() => changes.some((change) => change.userId === joiner.sub && change.action === 'join'),
      'a presence join of the second user', { state: () => JSON.stringify(changes) });
  });

  // Last: it stops a node (and starts it again).
  test('the node the client is on stops: it fails over to the other node of its URL list and recovers everything, once and in order', async (t) => {
    const room = newRoom('failover');
    const urls = [stack.hubUrl(1), stack.hubUrl(0)];
    const recorder = open({ url: urls });
    const ids = [];
    await recorder.subscribe(room).ready;
    assert.equal(recorder.client.url, urls[0]);
    for (let n = 1; n <= 5; n++) {
      ids.push((await recorder.client.publish(room, 'tick', { n })).id);
    }

    await waitForCount(recorder, room, 5);
    const node = stack.nodes[1];
    try {
      const stopping = node.stop();
      for (let n = 6; n <= 25; n++) {
        ids.push(await publishHttp(room, { n }));
      }

      await stopping;
      await waitForCount(recorder, room, 25);
      await eventually(() => recorder.of('recovered').length >= 1, 'recovered');
      assert.equal(recorder.client.url, urls[1], 'reconnected to the other node');
      for (let n = 26; n <= 30; n++) {
        ids.push((await recorder.client.publish(room, 'tick', { n })).id);
      }

      const marker = await publishMarker(room);
      const events = await eventsUpToMarker(recorder, room, marker);
      assert.deepEqual(events.map((event) => event.seq), range(1, 30));
      assert.deepEqual(events.map((event) => event.id), ids);
      assert.equal(recorder.of('reset').length, 0);
      assert.ok(recorder.of('disconnected').length >= 1);
      t.diagnostic(`after the stop: ${recorder.raised.filter((e) => e.name !== 'error').map((e) => e.name).join(', ')}`);
    } finally {
      if (!node.running) {
        node.start();
        stack.reaper?.tell({ kind: 'process', name: node.name, pid: node.child.pid, match: node.baseUrl });
        await node.waitReady();
      }
    }
  }, { timeout: 90_000 });

  test('a connection closed because its token expired reconnects at once with a fresh token and loses no event', async () => {
    const room = newRoom('expiry');
    const sub = `user-${randomBytes(4).toString('hex')}`;
    let tokens = 0;
    const recorder = open({
      url: stack.hubUrl(0),
      sub,
      token: async () => {
        tokens += 1;
        return stack.token(sub, { lifetimeSeconds: 3 });
      },
    });
    await recorder.subscribe(room).ready;
    const ids = [];
    // Publish over more than two token lifetimes, so events arrive before, across and after each close.
    for (let n = 1; n <= 40; n++) {
      ids.push(await publishHttp(room, { n }));
      await sleep(200); // pacing the publishes over the token lifetimes, not waiting for a condition
    }

    const marker = await publishMarker(room);
    assert.deepEqual((await eventsUpToMarker(recorder, room, marker)).map((event) => event.seq), range(1, 40));
    const disconnections = recorder.of('disconnected');
    assert.ok(disconnections.length >= 2, `closed at each expiry: ${disconnections.length}`);
    for (const entry of disconnections) {
      assert.match(entry.error?.message ?? '', /token expired/);
    }

    assert.ok(recorder.of('reconnecting').every((entry) => entry.delayMs === 0), JSON.stringify(recorder.of('reconnecting')));
    assert.ok(tokens >= 3, `a fresh token per connection: ${tokens}`);
    assert.equal(recorder.of('closed').length, 0);
  }, { timeout: 60_000 });
});
