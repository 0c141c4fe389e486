// Unit tests of @fanout/client (the built dist/) against a fake hub connection (test-support/fake-hub.mjs).

import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { backoffDelay, connect, HubErrorCode, hubError as hubErrorOf, isNodeShutdown, isTokenExpiry, NotConnectedError, resolveBackoff } from '../dist/index.js';
import { FakeServer, hubError } from '../test-support/fake-hub.mjs';

const FAST = { baseDelayMs: 1, maxDelayMs: 4, jitter: 0.5 };
const clients = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
});

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually(condition, what, timeoutMs = 2_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      assert.fail(`timed out waiting for ${what}`);
    }

    await sleep(2);
  }
}

/** A client on a fake server, recording what it raises. */
function start(server = new FakeServer(), options = {}) {
  const client = connect({ url: 'http://node-1/hubs/rooms', token: 'token', reconnect: FAST, connectionFactory: server.factory, ...options });
  clients.push(client);
  const raised = [];
  for (const name of ['connected', 'disconnected', 'reconnecting', 'recovered', 'reset', 'error', 'closed']) {
    client.on(name, (payload) => raised.push({ name, ...payload }));
  }

  return { server, client, raised, of: (name) => raised.filter((entry) => entry.name === name) };
}

function collect() {
  const events = [];
  const handler = (event) => events.push(event);
  handler.events = events;
  handler.seqs = () => events.map((event) => event.seq);
  return handler;
}

function range(from, to) {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

// ---------------------------------------------------------------------------------------------------------------

describe('token expiry', () => {
  test('a close for an expired token is recognised in the errors of the SignalR client', () => {
    assert.equal(isTokenExpiry(new Error('Server returned an error on close: token expired')), true);
    assert.equal(isTokenExpiry(new Error('Server returned an error on close: Connection closed with an error.')), false);
    assert.equal(isTokenExpiry(undefined), false);
  });

  test('a close from a node that is shutting down is recognised too (reconnect at once, to the next URL)', () => {
    assert.equal(isNodeShutdown(new Error('Server returned an error on close: server shutting down')), true);
    assert.equal(isNodeShutdown(new Error('Server returned an error on close: token expired')), false);
    assert.equal(isNodeShutdown(undefined), false);
  });
});

describe('backoff', () => {
  test('grows exponentially from the base to the cap, and jitter stays within [d × (1 − jitter), d]', () => {
    const options = resolveBackoff({ baseDelayMs: 100, maxDelayMs: 5_000, jitter: 0.3 });
    for (let attempt = 0; attempt < 20; attempt++) {
      const ceiling = Math.min(5_000, 100 * 2 ** attempt);
      assert.equal(backoffDelay(attempt, options, () => 0), ceiling, `attempt ${attempt} without jitter`);
      assert.equal(backoffDelay(attempt, options, () => 0.999999), Math.round(ceiling * (1 - 0.3 * 0.999999)));
      for (let i = 0; i < 50; i++) {
        const delay = backoffDelay(attempt, options);
        assert.ok(delay >= Math.floor(ceiling * 0.7) && delay <= ceiling, `attempt ${attempt}: ${delay} outside [${ceiling * 0.7}, ${ceiling}]`);
      }
    }

    assert.equal(backoffDelay(1_000, options, () => 0), 5_000, 'a huge attempt number stays at the cap');
  });

  test('jitter 0 is deterministic; jitter 1 may go down to 0', () => {
    const none = resolveBackoff({ baseDelayMs: 10, maxDelayMs: 80, jitter: 0 });
    assert.deepEqual(range(0, 5).map((attempt) => backoffDelay(attempt, none)), [10, 20, 40, 80, 80, 80]);
    const full = resolveBackoff({ baseDelayMs: 10, maxDelayMs: 80, jitter: 1 });
    assert.equal(backoffDelay(3, full, () => 0.999999), 0);
  });

  test('defaults and invalid settings', () => {
    assert.deepEqual(resolveBackoff(), { baseDelayMs: 500, maxDelayMs: 15_000, jitter: 0.5 });
    assert.deepEqual(resolveBackoff({ baseDelayMs: 20_000 }), { baseDelayMs: 20_000, maxDelayMs: 20_000, jitter: 0.5 });
    assert.throws(() => resolveBackoff({ baseDelayMs: -1 }), RangeError);
    assert.throws(() => resolveBackoff({ baseDelayMs: 100, maxDelayMs: 50 }), RangeError);
    assert.throws(() => resolveBackoff({ jitter: 1.5 }), RangeError);
  });

  test('the client waits the backoff delays between failed attempts, growing and within bounds', async () => {
    const server = new FakeServer();
    server.failStarts = 5;
    const { client, of } = start(server, { reconnect: { baseDelayMs: 10, maxDelayMs: 40, jitter: 0.5 } });
    await client.ready;
    const delays = of('reconnecting').map((entry) => [entry.attempt, entry.delayMs]);
    assert.equal(delays.length, 5);
    for (const [attempt, delayMs] of delays) {
      const ceiling = Math.min(40, 10 * 2 ** (attempt - 1));
      assert.ok(delayMs >= ceiling / 2 && delayMs <= ceiling, `attempt ${attempt}: ${delayMs} ms outside [${ceiling / 2}, ${ceiling}]`);
    }

    assert.deepEqual(delays.map(([attempt]) => attempt), [1, 2, 3, 4, 5]);
    assert.equal(of('error').filter((entry) => entry.context === 'connect').length, 5);
  });
});

describe('connecting', () => {
  test('connects, raises connected, resolves ready; asks a token function on every connection', async () => {
    const server = new FakeServer();
    let asked = 0;
    const { client, of } = start(server, { token: async () => `token-${++asked}` });
    await client.ready;
    assert.equal(client.state, 'connected');
    assert.equal(client.url, 'http://node-1/hubs/rooms');
    assert.deepEqual(of('connected').map(({ url, reconnected }) => [url, reconnected]), [['http://node-1/hubs/rooms', false]]);
    assert.equal(server.last.token, 'token-1');

    server.last.close();
    await eventually(() => of('connected').length === 2, 'the reconnect');
    assert.equal(of('connected')[1].reconnected, true);
    assert.equal(server.last.token, 'token-2');
    assert.equal(of('disconnected').length, 1);
    assert.match(of('disconnected')[0].error.message, /1006/);
  });

  test('reconnects also after the server closed the connection without an error', async () => {
    const { server, client, of } = start();
    await client.ready;
    server.last.close(undefined);
    await eventually(() => of('connected').length === 2, 'the reconnect');
    assert.equal(of('disconnected')[0].error, undefined);
    assert.equal(client.state, 'connected');
  });

  test('a list of URLs: fails over to the next one after a lost connection and after every failed attempt', async () => {
    const server = new FakeServer();
    const urls = ['ws://a/hubs/rooms', 'ws://b/hubs/rooms', 'ws://c/hubs/rooms'];
    const { client, of } = start(server, { url: urls });
    await client.ready;
    assert.equal(client.url, urls[0]);
    server.failStarts = 1;
    server.last.close();
    await eventually(() => of('connected').length === 2, 'the reconnect');
    assert.deepEqual(server.connections.map((hub) => hub.url), [urls[0], urls[1], urls[2]]);
    assert.equal(client.url, urls[2]);
    server.last.close();
    await eventually(() => of('connected').length === 3, 'the second reconnect');
    assert.equal(client.url, urls[0]);
  });

  test('a URL function is asked before every attempt, with the attempt number and the previous URL', async () => {
    const server = new FakeServer();
    const asked = [];
    server.failStarts = 2;
    const { client } = start(server, { url: (context) => { asked.push(context); return `ws://n${asked.length}/hubs/rooms`; } });
    await client.ready;
    assert.deepEqual(asked.map(({ attempt, previousUrl }) => [attempt, previousUrl]),
      [[0, undefined], [1, 'ws://n1/hubs/rooms'], [2, 'ws://n2/hubs/rooms']]);
    assert.match(asked[1].error.message, /ECONNREFUSED/);
    assert.equal(client.url, 'ws://n3/hubs/rooms');
  });

  test('gives up after maxAttempts failed attempts in a row: closed with the error, ready rejects', async () => {
    const server = new FakeServer();
    server.failStarts = 100;
    const { client, of } = start(server, { reconnect: { ...FAST, maxAttempts: 2 } });
    await assert.rejects(client.ready, /ECONNREFUSED/);
    assert.equal(server.connections.length, 3);
    assert.equal(client.state, 'closed');
    assert.match(of('closed')[0].error.message, /ECONNREFUSED/);
  });

  test('reconnect: false closes the client when its connection is lost', async () => {
    const { server, client, of } = start(new FakeServer(), { reconnect: false });
    const handler = collect();
    const subscription = client.subscribe('r', handler);
    await subscription.ready;
    server.last.close();
    await eventually(() => client.state === 'closed', 'closed');
    assert.equal(server.connections.length, 1);
    assert.equal(of('closed').length, 1);
    assert.equal(subscription.active, false);
  });

  test('close() stops the connection and reconnecting; calls afterwards reject with NotConnectedError', async () => {
    const { server, client, of } = start();
    const subscription = client.subscribe('r', collect());
    await subscription.ready;
    await client.close();
    assert.equal(client.state, 'closed');
    assert.equal(server.last.state, 'closed');
    assert.equal(subscription.active, false);
    await sleep(20);
    assert.equal(server.connections.length, 1, 'no reconnect after close');
    assert.deepEqual(of('closed'), [{ name: 'closed', error: undefined }]);
    await assert.rejects(client.publish('r', 't', 1), NotConnectedError);
    assert.throws(() => client.subscribe('other', () => {}), NotConnectedError);
  });

  test('close() while a URL function has not answered ends at once', async () => {
    const server = new FakeServer();
    let asked = 0;
    const { client } = start(server, { url: () => { asked += 1; return new Promise(() => {}); } });
    await eventually(() => asked === 1, 'the URL function is asked');
    await client.close();
    assert.equal(client.state, 'closed');
    assert.equal(server.connections.length, 0);
  });

  test('close() while an attempt is pending or while waiting to retry ends at once', async () => {
    const server = new FakeServer();
    server.failStarts = 1000;
    const { client } = start(server, { reconnect: { baseDelayMs: 60_000, maxDelayMs: 60_000 } });
    await eventually(() => server.connections.length === 1 && server.last.state === 'failed', 'the first failure');
    const started = Date.now();
    await client.close();
    assert.ok(Date.now() - started < 1_000);
    await assert.rejects(client.ready, NotConnectedError);
  });
});

describe('delivery', () => {
  test('live events are delivered in order; repeats are dropped', async () => {
    const { server, client } = start();
    const handler = collect();
    const subscription = client.subscribe('room', handler);
    const result = await subscription.ready;
    assert.deepEqual(result, { room: 'room', epoch: '', lastSeq: 0, recovered: false, replayed: 0, reason: null });
    const hub = server.last;
    const events = [server.append('room'), server.append('room'), server.append('room')];
    hub.send('event', events[0]);
    hub.send('event', events[0]);
    hub.send('event', events[1]);
    hub.send('event', events[0]);
    hub.send('event', events[2]);
    hub.send('event', events[1]);
    assert.deepEqual(handler.seqs(), [1, 2, 3]);
    assert.deepEqual(subscription.position, { epoch: events[0].epoch, lastSeq: 3 });
  });

  test('a gap is never delivered out of order: the room resubscribes from its position and the replay fills it', async () => {
    const { server, client, of } = start();
    const handler = collect();
    await client.subscribe('room', handler).ready;
    const hub = server.last;
    const events = range(1, 4).map(() => server.append('room'));
    hub.send('event', events[0]);
    hub.send('event', events[3]); // 2 and 3 were lost on the way
    assert.deepEqual(handler.seqs(), [1]);
    await eventually(() => handler.events.length === 4, 'the gap to be filled');
    assert.deepEqual(handler.seqs(), [1, 2, 3, 4]);
    assert.deepEqual(server.calls('Subscribe').at(-1).args, ['room', 1, events[0].epoch]);
    assert.deepEqual(of('recovered').map(({ room, replayed }) => [room, replayed]), [['room', 3]]);
  });

  test('events of a room that is being (re)subscribed are held back until the result, then applied in seq order', async () => {
    const server = new FakeServer();
    const { client, of } = start(server);
    const handler = collect();
    await client.ready;
    const history = range(1, 5).map(() => server.append('room'));
    server.held.add('Subscribe');
    const subscription = client.subscribe('room', handler, { afterSeq: 1, epoch: history[0].epoch });
    const hub = server.last;
    const call = hub.calls.find((c) => c.method === 'Subscribe');
    assert.deepEqual(call.args, ['room', 1, history[0].epoch]);
    // Replayed events (out of order, one twice, one already seen) and a live one arrive before the result.
    for (const seq of [3, 2, 1, 2, 4, 5]) {
      hub.send('event', history[seq - 1]);
    }

    const live = server.append('room');
    hub.send('event', live);
    await sleep(5);
    assert.deepEqual(handler.seqs(), [], 'nothing before the result');
    call.resolve({ room: 'room', epoch: history[0].epoch, lastSeq: 5, recovered: true, replayed: 4, reason: null });
    await subscription.ready;
    assert.deepEqual(handler.seqs(), [2, 3, 4, 5, 6]);
    assert.deepEqual(of('recovered').map(({ replayed, lastSeq }) => [replayed, lastSeq]), [[4, 5]]);
    hub.send('event', server.append('room'));
    assert.deepEqual(handler.seqs(), [2, 3, 4, 5, 6, 7]);
  });

  test('a fresh subscribe drops held-back events at or before the position of its result', async () => {
    const server = new FakeServer();
    const { client, of } = start(server);
    const handler = collect();
    await client.ready;
    const history = range(1, 3).map(() => server.append('room'));
    server.held.add('Subscribe');
    const subscription = client.subscribe('room', handler);
    const hub = server.last;
    const call = hub.calls.find((c) => c.method === 'Subscribe');
    assert.deepEqual(call.args, ['room', null, null]);
    const live = server.append('room');
    hub.send('event', live);
    hub.send('event', history[2]);
    call.resolve({ room: 'room', epoch: history[0].epoch, lastSeq: 3, recovered: false, replayed: 0, reason: null });
    await subscription.ready;
    assert.deepEqual(handler.seqs(), [4]);
    assert.equal(of('reset').length, 0, 'a fresh subscribe is not a reset');
    assert.equal(of('recovered').length, 0);
  });

  test('a lost connection: the room resubscribes with (lastSeq, epoch) on the next one, gets every missed event once, in order, and raises recovered', async () => {
    const { server, client, of } = start();
    const handler = collect();
    const subscription = client.subscribe('room', handler);
    await subscription.ready;
    for (let i = 0; i < 3; i++) {
      server.publish('room');
    }

    server.last.close();
    for (let i = 0; i < 4; i++) {
      server.publish('room'); // published while disconnected
    }

    await eventually(() => of('recovered').length === 1, 'recovered');
    const epoch = server.room('room').epoch;
    assert.deepEqual(server.calls('Subscribe').map((call) => call.args), [['room', null, null], ['room', 3, epoch]]);
    assert.deepEqual(of('recovered').map(({ room, replayed, epoch: e, lastSeq }) => [room, replayed, e, lastSeq]), [['room', 4, epoch, 7]]);
    server.publish('room');
    assert.deepEqual(handler.seqs(), range(1, 8));
    assert.deepEqual(of('reconnecting').map(({ attempt }) => attempt), [1]);
    assert.equal(of('disconnected').length, 1);
  });

  test('events of the old connection and of an unsubscribed room are ignored', async () => {
    const { server, client, of } = start();
    const handler = collect();
    const other = collect();
    await client.subscribe('room', handler).ready;
    const otherSubscription = client.subscribe('other', other);
    await otherSubscription.ready;
    const old = server.last;
    old.close();
    await eventually(() => of('recovered').length === 2, 'both rooms recovered');
    old.state = 'connected'; // a late message of the old connection
    old.send('event', server.append('room'));
    old.state = 'closed';
    assert.deepEqual(handler.seqs(), []);
    await otherSubscription.unsubscribe();
    assert.equal(otherSubscription.active, false);
    assert.deepEqual(server.calls('Unsubscribe').map((call) => call.args), [['other']]);
    server.last.send('event', server.append('other'));
    assert.deepEqual(other.seqs(), []);
    // The room may be subscribed again, from the position the old subscription reached (a Position is a valid option).
    const again = client.subscribe('other', other, otherSubscription.position);
    await again.ready;
    assert.deepEqual(other.seqs(), [1]);
  });

  test('a subscription made while disconnected is sent once the connection is up', async () => {
    const server = new FakeServer();
    server.failStarts = 2;
    const { client } = start(server);
    const handler = collect();
    server.append('room');
    const subscription = client.subscribe('room', handler, { afterSeq: 0 });
    const result = await subscription.ready;
    assert.equal(result.recovered, true);
    assert.deepEqual(handler.seqs(), [1]);
    assert.equal(server.calls('Subscribe').length, 1);
  });

  test('a room that had no events (epoch "") resubscribes after seq 0 without an epoch check', async () => {
    const { server, client, of } = start();
    const handler = collect();
    await client.subscribe('room', handler).ready;
    server.last.close();
    server.publish('room');
    await eventually(() => of('recovered').length === 1, 'recovered');
    assert.deepEqual(server.calls('Subscribe').map((call) => call.args), [['room', null, null], ['room', 0, null]]);
    assert.deepEqual(handler.seqs(), [1]);
  });
});

describe('resets', () => {
  test('epochChanged: the room continues live from the new position and raises reset (subscription and client)', async () => {
    const { server, client, of } = start();
    const handler = collect();
    const resets = [];
    const subscription = client.subscribe('room', { onEvent: handler, onReset: (info) => resets.push(info) });
    await subscription.ready;
    server.publish('room');
    server.publish('room');
    const oldEpoch = server.room('room').epoch;
    server.last.close();
    server.resetRoom('room');
    server.append('room');
    await eventually(() => of('reset').length === 1, 'reset');
    const newEpoch = server.room('room').epoch;
    const info = { room: 'room', reason: 'epochChanged', epoch: newEpoch, lastSeq: 1, previous: { epoch: oldEpoch, lastSeq: 2 } };
    assert.deepEqual(resets, [info]);
    assert.deepEqual(of('reset'), [{ name: 'reset', ...info }]);
    assert.equal(of('recovered').length, 0);
    server.publish('room');
    assert.deepEqual(handler.events.map((e) => [e.epoch, e.seq]), [[oldEpoch, 1], [oldEpoch, 2], [newEpoch, 2]]);
    assert.deepEqual(subscription.position, { epoch: newEpoch, lastSeq: 2 });
  });

  for (const reason of ['trimmed', 'tooMany', 'somethingNew']) {
    test(`the server's reason "${reason}" is passed on in reset`, async () => {
      const { server, client, of } = start();
      const handler = collect();
      await client.subscribe('room', handler).ready;
      server.publish('room');
      server.last.close();
      server.publish('room');
      server.publish('room');
      server.refuseReplay = reason;
      await eventually(() => of('reset').length === 1, 'reset');
      assert.equal(of('reset')[0].reason, reason);
      assert.equal(of('reset')[0].lastSeq, 3);
      server.publish('room');
      assert.deepEqual(handler.seqs(), [1, 4]);
    });
  }

  test('recovered: false without a reason (an older server) is a reset with reason "unknown"', async () => {
    const server = new FakeServer();
    const { client, of } = start(server);
    await client.ready;
    server.held.add('Subscribe');
    const subscription = client.subscribe('room', () => {}, { afterSeq: 3, epoch: 'e1' });
    server.last.calls[0].resolve({ room: 'room', epoch: 'e2', lastSeq: 9, recovered: false, replayed: 0 });
    await subscription.ready;
    assert.deepEqual(of('reset').map(({ reason, epoch, lastSeq, previous }) => [reason, epoch, lastSeq, previous]),
      [['unknown', 'e2', 9, { epoch: 'e1', lastSeq: 3 }]]);
  });

  test('a position beyond the room (hub error) restarts live from now with reason "beyondLastSeq"', async () => {
    const { server, client, of } = start();
    const handler = collect();
    server.append('room');
    const subscription = client.subscribe('room', handler, { afterSeq: 5 });
    const result = await subscription.ready;
    assert.equal(result.lastSeq, 1);
    assert.deepEqual(server.calls('Subscribe').map((call) => call.args), [['room', 5, null], ['room', null, null]]);
    assert.deepEqual(of('reset').map(({ reason, lastSeq, previous }) => [reason, lastSeq, previous]),
      [['beyondLastSeq', 1, { epoch: null, lastSeq: 5 }]]);
    server.publish('room');
    assert.deepEqual(handler.seqs(), [2]);
  });

  test('an event of another epoch under a live subscription makes it resubscribe, which reports the reset', async () => {
    const { server, client, of } = start();
    const handler = collect();
    await client.subscribe('room', handler).ready;
    server.publish('room');
    server.resetRoom('room');
    server.publish('room');
    await eventually(() => of('reset').length === 1, 'reset');
    assert.equal(of('reset')[0].reason, 'epochChanged');
    assert.deepEqual(handler.seqs(), [1]);
    server.publish('room');
    assert.deepEqual(handler.seqs(), [1, 2]);
  });

  test('a gap the server never fills is given up after a few resubscribes and reported as reset "gap"', async () => {
    const server = new FakeServer();
    const { client, of } = start(server);
    const handler = collect();
    await client.subscribe('room', handler).ready;
    const hub = server.last;
    server.append('room');
    server.append('room');
    // The server lost seq 1 and 2 for good: its history is empty, but seq 3 arrives.
    const room = server.room('room');
    const lost = room.events.splice(0);
    const third = { ...lost[1], seq: 3, id: 'id-3' };
    hub.send('event', third);
    await eventually(() => handler.events.length === 1, 'the gap to be given up', 2_000);
    assert.deepEqual(handler.seqs(), [3]);
    assert.equal(of('reset').at(-1).reason, 'gap');
  });
});

describe('robustness', () => {
  test('a handler that throws (or rejects) raises error and delivery goes on', async () => {
    const { server, client, of } = start();
    const seen = [];
    await client.subscribe('room', (event) => {
      seen.push(event.seq);
      if (event.seq === 2) {
        throw new Error('handler bug');
      }

      if (event.seq === 3) {
        return Promise.reject(new Error('async handler bug'));
      }

      return undefined;
    }).ready;
    for (let i = 0; i < 4; i++) {
      server.publish('room');
    }

    await eventually(() => seen.length === 4 && of('error').length === 2, 'four events and two handler errors');
    assert.deepEqual(seen, [1, 2, 3, 4]);
    assert.deepEqual(of('error').map(({ context, room, error }) => [context, room, error.message]),
      [['handler', 'room', 'handler bug'], ['handler', 'room', 'async handler bug']]);
  });

  test('listeners that throw do not break the client, error listeners included', async () => {
    const { server, client, of } = start();
    client.on('connected', () => { throw new Error('connected listener bug'); });
    client.on('error', () => { throw new Error('error listener bug'); });
    const handler = collect();
    await client.subscribe('room', handler).ready;
    server.last.close();
    server.publish('room');
    await eventually(() => handler.events.length === 1, 'the replay');
    assert.ok(of('error').some((entry) => entry.context === 'listener' && entry.error.message === 'connected listener bug'));
  });

  test('a subscription the hub refuses raises error, rejects ready and is dropped; other rooms go on', async () => {
    const { server, client, of } = start();
    server.subscribeErrors.push(hubError('Subscribe', '107: Subscribe: room has a character outside A-Z a-z 0-9 _ - . : at position 4'));
    const bad = client.subscribe('bad room', () => {});
    await assert.rejects(bad.ready, /character outside/);
    assert.equal(bad.active, false);
    assert.equal(of('error')[0].context, 'subscribe');
    assert.equal(of('error')[0].room, 'bad room');
    const handler = collect();
    await client.subscribe('room', handler).ready;
    server.publish('room');
    assert.deepEqual(handler.seqs(), [1]);
    assert.doesNotThrow(() => client.subscribe('bad room', () => {}), 'a refused room may be subscribed again');
  });

  test('a Subscribe that fails on the server (not a refusal) is retried on the same connection', async () => {
    const { server, client, of } = start();
    server.subscribeErrors.push(new Error("An unexpected error occurred invoking 'Subscribe' on the server."));
    const subscription = client.subscribe('room', collect());
    const result = await subscription.ready;
    assert.equal(result.room, 'room');
    assert.equal(server.connections.length, 1);
    assert.equal(server.calls('Subscribe').length, 2);
    assert.equal(of('error').length, 1);
  });

  test('a temporary hub error (its code says so) is retried, not taken as a refusal', async () => {
    const { server, client, of } = start();
    server.subscribeErrors.push(hubError('Subscribe', '108 temporary: Subscribe: history is unavailable right now; retry shortly'));
    const result = await client.subscribe('room', collect()).ready;
    assert.equal(result.room, 'room');
    assert.equal(server.calls('Subscribe').length, 2);
    assert.equal(of('error').length, 1);
  });

  test('hubError reads the code, the temporary flag and the reason of a hub error', () => {
    assert.deepEqual(hubErrorOf(hubError('Publish', '111 temporary: Publish: rate limit exceeded; retry in 20 ms')),
      { code: 111, temporary: true, reason: 'Publish: rate limit exceeded; retry in 20 ms' });
    assert.deepEqual(hubErrorOf(hubError('Subscribe', '103: Subscribe: not allowed')), { code: 103, temporary: false, reason: 'Subscribe: not allowed' });
    assert.equal(hubErrorOf(new Error("An unexpected error occurred invoking 'Subscribe' on the server.")), undefined);
    assert.equal(HubErrorCode.positionBeyondRoom, 112);
  });

  test('subscribing twice to a room, bad arguments and bad options are refused at once', async () => {
    const { client } = start();
    client.subscribe('room', () => {});
    assert.throws(() => client.subscribe('room', () => {}), /already subscribed/);
    assert.throws(() => client.subscribe('', () => {}), TypeError);
    assert.throws(() => client.subscribe('x', null), TypeError);
    assert.throws(() => client.subscribe('y', () => {}, { afterSeq: -1 }), RangeError);
    assert.throws(() => connect({ url: [], token: 't' }), TypeError);
    assert.throws(() => connect({ url: 'http://x', token: 5 }), TypeError);
  });

  test('unsubscribing while the Subscribe is in flight: its result and events are ignored, ready rejects', async () => {
    const server = new FakeServer();
    const { client } = start(server);
    await client.ready;
    server.held.add('Subscribe');
    const handler = collect();
    const subscription = client.subscribe('room', handler);
    const call = server.last.calls[0];
    await subscription.unsubscribe();
    server.last.send('event', server.append('room'));
    call.resolve({ room: 'room', epoch: '', lastSeq: 0, recovered: false, replayed: 0, reason: null });
    await assert.rejects(subscription.ready, /unsubscribed/);
    assert.deepEqual(handler.seqs(), []);
  });

  test('a handler may unsubscribe in the middle of a replay: nothing after it is delivered', async () => {
    const { server, client } = start();
    for (let i = 0; i < 5; i++) {
      server.append('room');
    }

    const seen = [];
    const subscription = client.subscribe('room', (event) => {
      seen.push(event.seq);
      if (event.seq === 2) {
        subscription.unsubscribe();
      }
    }, { afterSeq: 0 });
    await subscription.ready;
    server.publish('room');
    assert.deepEqual(seen, [1, 2]);
  });
});

describe('calls and presence', () => {
  test('publish, presence and presenceStats invoke the hub; a call made while disconnected waits for the connection', async () => {
    const server = new FakeServer();
    server.failStarts = 2;
    server.presenceMembers.set('room', [{ userId: 'u1', connections: 2, joinedAt: '2026-01-01T00:00:00Z', name: 'Ann' }]);
    const { client } = start(server);
    const published = await client.publish('room', 'msg', { text: 'hi' });
    assert.equal(published.id, server.room('room').events[0].id);
    assert.deepEqual(server.room('room').events[0].data, { text: 'hi' });
    assert.deepEqual(await client.presence('room'),
      { room: 'room', count: 1, members: [{ userId: 'u1', connections: 2, joinedAt: '2026-01-01T00:00:00Z', name: 'Ann' }] });
    assert.deepEqual(await client.presenceStats('room'), { room: 'room', users: 1, connections: 2 });
    assert.deepEqual(server.calls('Publish')[0].args, ['room', 'msg', { text: 'hi' }]);
  });

  test('history reads a page of the room with after and limit, without subscribing', async () => {
    const server = new FakeServer();
    const { client } = start(server);
    for (let i = 0; i < 5; i++) {
      server.publish('room', 'msg', i);
    }

    const page = await client.history('room', { after: 1, limit: 2 });
    assert.deepEqual(page.events.map((e) => e.seq), [2, 3]);
    assert.equal(page.lastSeq, 5);
    assert.deepEqual((await client.history('room')).events.map((e) => e.data), [0, 1, 2, 3, 4]);
    assert.deepEqual(server.calls('History').map((c) => c.args), [['room', 1, 2], ['room', null, null]]);
    assert.equal(server.calls('Subscribe').length, 0);
  });

  test('refreshToken is asked only after a token-expired close, and its token is used from then on', async () => {
    let refreshed = 0;
    const { server, client, of } = start(new FakeServer(), { token: 'old', refreshToken: async () => `new-${++refreshed}` });
    await client.ready;
    server.last.close(new Error('WebSocket closed with status code: 1006 (no reason given).'));
    await eventually(() => of('connected').length === 2, 'the reconnect after a plain loss');
    assert.equal(refreshed, 0);
    assert.equal(server.last.token, 'old');

    server.last.close(new Error('Server returned an error on close: Connection closed with an error. token expired'));
    await eventually(() => of('connected').length === 3, 'the reconnect after the expiry');
    assert.equal(refreshed, 1);
    assert.equal(server.last.token, 'new-1');
    server.last.close();
    await eventually(() => of('connected').length === 4, 'another reconnect');
    assert.equal(server.last.token, 'new-1');
    assert.equal(refreshed, 1);
  });

  test('subscription states: subscribing, subscribed, back to subscribing on a lost connection, unsubscribed', async () => {
    const server = new FakeServer();
    server.publish('room', 'msg', 1);
    const { client } = start(server);
    const states = [];
    client.on('subscriptionState', (change) => states.push([change.room, change.previous, change.state, change.reason]));
    await client.ready;
    const subscription = client.subscribe('room', collect());
    await subscription.ready;
    assert.equal(subscription.state, 'subscribed');
    server.last.close();
    await eventually(() => states.length === 4, 'the resubscribe');
    await subscription.unsubscribe();
    assert.equal(subscription.state, 'unsubscribed');
    assert.deepEqual(states, [
      ['room', 'unsubscribed', 'subscribing', 'subscribe'],
      ['room', 'subscribing', 'subscribed', 'live'],
      ['room', 'subscribed', 'subscribing', 'connectionLost'],
      ['room', 'subscribing', 'subscribed', 'recovered'],
      ['room', 'subscribed', 'unsubscribed', 'unsubscribe'],
    ]);
  });

  test('a call waits at most callTimeoutMs for a connection', async () => {
    const server = new FakeServer();
    server.failStarts = 1000;
    const { client } = start(server, { callTimeoutMs: 30 });
    await assert.rejects(client.publish('room', 'msg', 1), (error) => error instanceof NotConnectedError && /30 ms/.test(error.message));
  });

  test('a call pending when the connection is lost rejects (it is not repeated)', async () => {
    const server = new FakeServer();
    const { client } = start(server);
    await client.ready;
    server.held.add('Publish');
    const publishing = client.publish('room', 'msg', 1);
    await eventually(() => server.calls('Publish').length === 1, 'the Publish call');
    server.last.close();
    await assert.rejects(publishing, /connection being closed/);
    await sleep(20);
    assert.equal(server.calls('Publish').length, 1);
  });

  test('presence messages reach the onPresence handler of their room only', async () => {
    const { server, client } = start();
    const changes = [];
    await client.subscribe('room', { onEvent: () => {}, onPresence: (change) => changes.push(change) }).ready;
    await client.subscribe('quiet', () => {}).ready;
    const join = { room: 'room', userId: 'u1', action: 'join', at: '2026-01-01T00:00:00Z' };
    server.last.send('presence', join);
    server.last.send('presence', { room: 'quiet', userId: 'u2', action: 'leave', at: '2026-01-01T00:00:01Z' });
    server.last.send('presence', { room: 'unknown', userId: 'u3', action: 'join', at: '2026-01-01T00:00:02Z' });
    assert.deepEqual(changes, [join]);
  });
});
