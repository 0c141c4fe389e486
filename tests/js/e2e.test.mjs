// End-to-end tests of Fanout through its public contract only: the Ingest HTTP API and the SignalR hub of the
// realtime nodes, driven with the official @microsoft/signalr client. One stack (Ingest, a sequencer, two realtime
// nodes; or, with FANOUT_STACK_MODE=embedded as e2e-embedded.test.mjs sets it, one Fanout.Embedded process) serves the
// whole file; every test uses rooms of its own.

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, afterEach, before, test } from 'node:test';
import * as signalR from '@microsoft/signalr';
import { createToken, startStack } from './support/stack.mjs';

const WAIT_MS = 15_000; // the longest any single expectation may take

let stack;
const openConnections = new Set();

before(async () => {
  stack = await startStack({ realtimeNodes: 2 });
}, { timeout: 90_000 });

afterEach(async () => {
  await Promise.allSettled([...openConnections].map((connection) => connection.stop()));
  openConnections.clear();
});

after(async () => {
  await Promise.allSettled([...openConnections].map((connection) => connection.stop()));
  await stack?.stop();
}, { timeout: 60_000 });

// ---------------------------------------------------------------------------------------------------------------
// Helpers

function newRoom(name) {
  return `${name}:${randomBytes(6).toString('hex')}`;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `condition` until it returns true; fails with `what` (and the last state) after the deadline. */
async function eventually(condition, what, { timeoutMs = WAIT_MS, state = () => '' } = {}) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      assert.fail(`Timed out after ${timeoutMs} ms waiting for ${what}${state() ? `; ${state()}` : ''}`);
    }

    await sleep(20);
  }
}

/** A hub connection that records every `event` it receives, by room. */
class Client {
  constructor(connection, label) {
    this.connection = connection;
    this.label = label;
    this.received = new Map();
    connection.on('event', (event) => {
      const events = this.received.get(event.room) ?? [];
      events.push(event);
      this.received.set(event.room, events);
    });
  }

  events(room) {
    return this.received.get(room) ?? [];
  }

  seqs(room) {
    return this.events(room).map((event) => event.seq);
  }

  subscribe(room, afterSeq = null, epoch = null) {
    return this.connection.invoke('Subscribe', room, afterSeq, epoch);
  }

  unsubscribe(room) {
    return this.connection.invoke('Unsubscribe', room);
  }

  publish(room, type, data) {
    return this.connection.invoke('Publish', room, type, data);
  }

  waitForCount(room, count) {
    return eventually(() => this.events(room).length >= count, `${count} event(s) of ${room} at ${this.label}`,
      { state: () => `it has seqs [${this.seqs(room).join(',')}]` });
  }

  /**
   * Waits for the marker event `markerId` (published after everything a test checks): a room's events arrive in seq
   * order, so once it is here everything before it has arrived, and a duplicate would have too. Returns the room's
   * events but the marker, in arrival order (anything after the marker included, so that it fails the check).
   */
  async eventsUpToMarker(room, markerId) {
    await eventually(() => this.events(room).some((event) => event.id === markerId), `the marker ${markerId} of ${room} at ${this.label}`,
      { state: () => `it has seqs [${this.seqs(room).join(',')}]` });
    return this.events(room).filter((event) => event.id !== markerId);
  }
}

function buildConnection(nodeIndex, { token, transport = signalR.HttpTransportType.WebSockets, logLevel = signalR.LogLevel.Warning } = {}) {
  const options = {};
  if (token !== undefined) {
    options.accessTokenFactory = () => token;
  }

  if (transport !== null) {
    options.transport = transport;
  }

  const connection = new signalR.HubConnectionBuilder()
    .withUrl(stack.hubUrl(nodeIndex), options)
    .configureLogging(logLevel)
    .build();
  openConnections.add(connection);
  return connection;
}

/** Connects a client to realtime node `nodeIndex` (0-based) with a valid token. */
async function connect(nodeIndex, { transport } = {}) {
  const sub = `user-${randomBytes(4).toString('hex')}`;
  const connection = buildConnection(nodeIndex, { token: stack.token(sub), transport });
  await connection.start();
  assert.equal(connection.state, signalR.HubConnectionState.Connected);
  return new Client(connection, `node ${nodeIndex + 1} (${sub})`);
}

async function ingest(method, path, body, headers = {}) {
  const response = await fetch(`${stack.ingestUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${stack.apiKey}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(WAIT_MS),
  });
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get('content-type'), text, json: text ? JSON.parse(text) : null };
}

/** Publishes one event over HTTP, asserts 202 and returns its id. */
async function publishHttp(room, type, data) {
  const response = await ingest('POST', `/v1/rooms/${encodeURIComponent(room)}/events`, { type, data });
  assert.equal(response.status, 202, `publish to ${room} answered ${response.status}: ${response.text}`);
  assert.equal(response.json.room, room);
  assert.equal(typeof response.json.id, 'string');
  return response.json.id;
}

async function history(room, after = 0, limit = 100) {
  const response = await ingest('GET', `/v1/rooms/${encodeURIComponent(room)}/events?after=${after}&limit=${limit}`);
  assert.equal(response.status, 200, `history of ${room} answered ${response.status}: ${response.text}`);
  return response.json;
}

function range(from, to) {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

// ---------------------------------------------------------------------------------------------------------------
// Tests

test('Events published over HTTP reach a subscriber on each realtime node exactly once, in seq order, as published', async (t) => {
  const room = newRoom('fanout');
  const [first, second] = await Promise.all([connect(0), connect(1)]);
  await Promise.all([first.subscribe(room), second.subscribe(room)]);

  const published = [];
  const started = Date.now();
  for (let i = 1; i <= 100; i++) {
    const data = { n: i, text: `event ${i}`, nested: { odd: i % 2 === 1, list: [i, String(i)] } };
    const id = await publishHttp(room, 'chat.message', data);
    published.push({ id, data });
  }

  const publishedAll = Date.now();
  await Promise.all([first.waitForCount(room, 100), second.waitForCount(room, 100)]);
  t.diagnostic(`100 sequential publishes took ${publishedAll - started} ms; the last arrived ${Date.now() - publishedAll} ms later`);
  const marker = await publishHttp(room, 'marker', 'end');

  for (const client of [first, second]) {
    const events = await client.eventsUpToMarker(room, marker);
    assert.deepEqual(events.map((event) => event.seq), range(1, 100), `seqs at ${client.label}`);
    assert.deepEqual(events.map((event) => event.id), published.map((event) => event.id), `ids at ${client.label}`);
    assert.deepEqual(events.map((event) => event.data), published.map((event) => event.data), `data at ${client.label}`);
    for (const event of events) {
      assert.equal(event.room, room);
      assert.equal(event.type, 'chat.message');
      assert.equal(event.epoch, events[0].epoch);
      assert.ok(!Number.isNaN(Date.parse(event.publishedAt)), `publishedAt '${event.publishedAt}' is a date`);
    }
  }

  // What was delivered is what was stored, publishedAt included.
  const stored = await history(room, 0, 100);
  assert.equal(stored.lastSeq, 101, 'the 100 events and the marker');
  for (const client of [first, second]) {
    assert.deepEqual(await client.eventsUpToMarker(room, marker), stored.events, `events at ${client.label}`);
  }
});

test('A live event carries exactly the publishedAt that history returns for it', async () => {
  const room = newRoom('instant');
  const client = await connect(0);
  await client.subscribe(room);
  for (let n = 1; n <= 5; n++) {
    await publishHttp(room, 'msg', { n });
  }

  await client.waitForCount(room, 5);
  const stored = (await history(room, 0, 5)).events;
  assert.deepEqual(client.events(room).map((event) => event.publishedAt), stored.map((event) => event.publishedAt));
});

test('Data nested 64 levels deep (the limit) published over HTTP and through the hub reaches a subscriber intact', async () => {
  const room = newRoom('deep');
  const nested = (levels) => JSON.parse('['.repeat(levels) + '"bottom"' + ']'.repeat(levels));
  const client = await connect(1);
  await client.subscribe(room);

  const overHttp = await publishHttp(room, 'deep', nested(64));
  const overHub = await client.connection.invoke('Publish', room, 'deep', nested(64));

  await client.waitForCount(room, 2);
  assert.deepEqual(client.events(room).map((event) => event.id), [overHttp, overHub.id]);
  for (const event of client.events(room)) {
    assert.deepEqual(event.data, nested(64));
  }
});

test('A subscriber that passes afterSeq gets the events it missed replayed, then the live ones, with no gap or duplicate', async () => {
  const room = newRoom('replay');
  const ids = [];
  for (let i = 1; i <= 20; i++) {
    ids.push(await publishHttp(room, 'tick', { n: i }));
  }

  // 202 means accepted, not yet sequenced: wait until history holds all 20 so the replay count is deterministic.
  await eventually(async () => (await history(room, 0, 1)).lastSeq === 20, `history of ${room} to reach seq 20`);

  const client = await connect(1);
  const result = await client.subscribe(room, 5, null);
  assert.equal(result.room, room);
  assert.equal(result.recovered, true);
  assert.equal(result.replayed, 15);
  assert.equal(result.lastSeq, 20);
  assert.equal(result.epoch, (await history(room, 0, 1)).epoch);
  await client.waitForCount(room, 15);
  assert.deepEqual(client.seqs(room), range(6, 20), 'replayed seqs');

  for (let i = 21; i <= 25; i++) {
    ids.push(await publishHttp(room, 'tick', { n: i }));
  }

  const marker = await publishHttp(room, 'marker', 'end');
  const events = await client.eventsUpToMarker(room, marker);
  assert.deepEqual(events.map((event) => event.seq), range(6, 25));
  assert.deepEqual(events.map((event) => event.id), ids.slice(5));
  assert.deepEqual(events.map((event) => event.data), range(6, 25).map((n) => ({ n })));
});

test('An event published through the hub reaches the publisher and a subscriber on the other node (connected with default transport negotiation), with the id the hub returned', async () => {
  const room = newRoom('hubpub');
  const publisher = await connect(0);
  const other = await connect(1, { transport: null }); // no transport forced: the client negotiates one
  await Promise.all([publisher.subscribe(room), other.subscribe(room)]);

  const data = { text: 'hello from the hub', at: [1, 2, 3], flag: true, nothing: null };
  const result = await publisher.publish(room, 'chat.message', data);
  assert.equal(typeof result.id, 'string');
  assert.ok(result.id.length > 0);

  const marker = await publishHttp(room, 'marker', 'end');
  for (const client of [publisher, other]) {
    const events = await client.eventsUpToMarker(room, marker);
    assert.equal(events.length, 1, `events at ${client.label}`);
    assert.equal(events[0].id, result.id);
    assert.equal(events[0].seq, 1);
    assert.equal(events[0].room, room);
    assert.equal(events[0].type, 'chat.message');
    assert.deepEqual(events[0].data, data);
  }
});

test('Bad hub arguments reject the call with a message that says what is wrong, and the connection stays usable', async () => {
  const room = newRoom('badargs');
  const client = await connect(0);

  await assert.rejects(client.subscribe('bad room!'), (error) => {
    assert.match(error.message, /Subscribe: room /);
    assert.match(error.message, /character outside/);
    return true;
  });

  let deep = { leaf: 1 };
  for (let i = 1; i < 100; i++) {
    deep = { deep };
  }

  await assert.rejects(client.publish(room, 'type', deep), (error) => {
    assert.match(error.message, /Publish: data nests deeper than 64 levels/);
    return true;
  });

  await assert.rejects(client.connection.invoke('Subscribe', 42), (error) => {
    assert.match(error.message, /Subscribe: argument 'room' must be a string/);
    return true;
  });

  assert.equal(client.connection.state, signalR.HubConnectionState.Connected);
  const result = await client.subscribe(room);
  assert.equal(result.room, room);
  const published = await client.publish(room, 'ok', { fine: true });
  const marker = await publishHttp(room, 'marker', 'end');
  assert.deepEqual((await client.eventsUpToMarker(room, marker)).map((event) => [event.id, event.seq, event.data]), [[published.id, 1, { fine: true }]]);
  assert.equal(client.connection.state, signalR.HubConnectionState.Connected);
});

test('A connection without a token, or with a token signed with the wrong key, is refused with 401', async () => {
  const cases = [
    ['no token', undefined],
    ['a token signed with the wrong key', createToken('intruder', randomBytes(24).toString('hex'))],
  ];
  for (const [name, token] of cases) {
    const connection = buildConnection(0, { token, logLevel: signalR.LogLevel.None });
    await assert.rejects(connection.start(), (error) => {
      assert.match(error.message, /401/, `${name}: ${error.message}`);
      return true;
    }, name);
    assert.equal(connection.state, signalR.HubConnectionState.Disconnected, name);
  }
});

test('After Unsubscribe resolves, no further event of that room arrives', async () => {
  const room = newRoom('unsub');
  const [client, listener] = await Promise.all([connect(1), connect(1)]);
  await Promise.all([client.subscribe(room), listener.subscribe(room)]);

  const firstId = await publishHttp(room, 'msg', { n: 1 });
  await client.waitForCount(room, 1);

  await client.unsubscribe(room);
  await publishHttp(room, 'msg', { n: 2 });
  await publishHttp(room, 'msg', { n: 3 });

  // The listener on the same node has #3, so the node has handed #2 and #3 on. The client subscribes again after #3 and
  // a marker is published: a room's events reach a connection in seq order, so had #2 or #3 gone to the client they
  // would have arrived before the marker.
  await listener.waitForCount(room, 3);
  await client.subscribe(room, 3, client.events(room)[0].epoch);
  const marker = await publishHttp(room, 'marker', 'end');
  assert.deepEqual((await client.eventsUpToMarker(room, marker)).map((event) => [event.seq, event.id]), [[1, firstId]]);
});
