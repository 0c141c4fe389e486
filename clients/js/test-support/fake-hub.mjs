// A fake Fanout hub for the unit tests (outside test/ so that `node --test` does not run it as a test file): `FakeServer.factory` is a `connectionFactory` for `connect`. The server
// keeps each room's history and answers Subscribe, Unsubscribe, Publish, Presence, PresenceStats and History the way
// docs/protocol.md says (replayed events are sent before the Subscribe result). A test can also hold calls back
// (`hold`) and answer them itself, push messages, fail connection attempts and drop connections.

const CLOSED_MESSAGE = 'Invocation canceled due to the underlying connection being closed.';

export function hubError(method, message) {
  return new Error(`An unexpected error occurred invoking '${method}' on the server. HubException: ${message}`);
}

export class FakeServer {
  constructor() {
    /** room → { epoch, events } */
    this.rooms = new Map();
    /** every connection ever built, in order */
    this.connections = [];
    /** start() of the next `failStarts` connections rejects */
    this.failStarts = 0;
    /** methods whose calls are left pending for the test (call.resolve / call.reject) */
    this.held = new Set();
    /** Subscribe answers recovered: false with this reason instead of replaying (e.g. 'trimmed', 'tooMany') */
    this.refuseReplay = null;
    /** Subscribe fails with this error (once per entry) */
    this.subscribeErrors = [];
    this.presenceMembers = new Map();
    this.epochCounter = 0;
    this.factory = (request) => {
      const hub = new FakeHub(this, request);
      this.connections.push(hub);
      return hub;
    };
  }

  get last() {
    return this.connections.at(-1);
  }

  /** The connections that are up. */
  get live() {
    return this.connections.filter((hub) => hub.state === 'connected');
  }

  room(name) {
    let room = this.rooms.get(name);
    if (!room) {
      room = { epoch: '', events: [] };
      this.rooms.set(name, room);
    }

    return room;
  }

  /** Appends an event to the room's history (without delivering it). */
  append(name, type = 'msg', data = null) {
    const room = this.room(name);
    if (!room.epoch) {
      room.epoch = `epoch-${++this.epochCounter}`;
    }

    const event = {
      room: name, seq: room.events.length + 1, epoch: room.epoch, id: `id-${name}-${room.epoch}-${room.events.length + 1}`,
      type, data, publishedAt: new Date().toISOString(),
    };
    room.events.push(event);
    return event;
  }

  /** Appends an event and delivers it to every live subscriber of the room. */
  publish(name, type = 'msg', data = null) {
    const event = this.append(name, type, data);
    for (const hub of this.live) {
      if (hub.subscribed.has(name)) {
        hub.send('event', event);
      }
    }

    return event;
  }

  /** A new history for the room: new epoch, seqs start over. */
  resetRoom(name) {
    const room = this.room(name);
    room.epoch = `epoch-${++this.epochCounter}`;
    room.events = [];
  }

  /** All calls of `method` on every connection. */
  calls(method) {
    return this.connections.flatMap((hub) => hub.calls.filter((call) => call.method === method));
  }
}

export class FakeHub {
  constructor(server, { url, accessTokenFactory }) {
    this.server = server;
    this.url = url;
    this.accessTokenFactory = accessTokenFactory;
    this.state = 'new';
    this.handlers = new Map();
    this.closeCallbacks = [];
    this.calls = [];
    this.subscribed = new Set();
    this.token = undefined;
  }

  async start() {
    this.state = 'starting';
    this.token = await this.accessTokenFactory();
    await Promise.resolve();
    if (this.state !== 'starting') {
      throw new Error('The connection was stopped during negotiation.');
    }

    if (this.server.failStarts > 0) {
      this.server.failStarts -= 1;
      this.state = 'failed';
      throw new Error(`Failed to complete negotiation with the server: connect ECONNREFUSED ${this.url}`);
    }

    this.state = 'connected';
  }

  async stop() {
    if (this.state === 'starting') {
      this.state = 'stopped';
      return;
    }

    this.close(undefined);
  }

  on(method, handler) {
    this.handlers.set(method, handler);
  }

  onclose(callback) {
    this.closeCallbacks.push(callback);
  }

  /** A server → client message. */
  send(method, payload) {
    if (this.state === 'connected') {
      this.handlers.get(method)?.(payload);
    }
  }

  /** The connection ends (error: lost; undefined: closed by the server or by stop()), as SignalR reports it. */
  close(...args) {
    const error = args.length > 0 ? args[0] : new Error('WebSocket closed with status code: 1006 (no reason given).');
    if (this.state !== 'connected') {
      return;
    }

    this.state = 'closed';
    this.subscribed.clear();
    // SignalR rejects the pending calls, then calls onclose synchronously.
    for (const call of this.calls) {
      call.settle?.reject(new Error(CLOSED_MESSAGE));
    }

    for (const callback of this.closeCallbacks) {
      callback(error);
    }
  }

  invoke(method, ...args) {
    if (this.state !== 'connected') {
      return Promise.reject(new Error("Cannot send data if the connection is not in the 'Connected' State."));
    }

    const call = { method, args, settle: null, settled: false };
    this.calls.push(call);
    const promise = new Promise((resolve, reject) => {
      call.settle = {
        resolve: (value) => { call.settled = true; call.settle = null; resolve(value); },
        reject: (error) => { call.settled = true; call.settle = null; reject(error); },
      };
    });
    call.resolve = (value) => call.settle?.resolve(value);
    call.reject = (error) => call.settle?.reject(error);
    if (!this.server.held.has(method)) {
      // Answer after the current turn, as a real server would.
      setTimeout(() => this.answer(call), 0);
    }

    return promise;
  }

  /** Answers a call the way the hub would (also for held calls, when the test wants the default answer). */
  answer(call) {
    if (call.settled || this.state !== 'connected') {
      return;
    }

    try {
      call.resolve(this[`hub${call.method}`](...call.args));
    } catch (error) {
      call.reject(error);
    }
  }

  hubSubscribe(name, afterSeq = null, epoch = null) {
    const error = this.server.subscribeErrors.shift();
    if (error) {
      throw error;
    }

    const room = this.server.room(name);
    const lastSeq = room.events.length;
    this.subscribed.add(name);
    if (afterSeq === null) {
      return { room: name, epoch: room.epoch, lastSeq, recovered: false, replayed: 0, reason: null };
    }

    if (epoch && epoch !== room.epoch) {
      return { room: name, epoch: room.epoch, lastSeq, recovered: false, replayed: 0, reason: 'epochChanged' };
    }

    if (afterSeq > lastSeq) {
      this.subscribed.delete(name);
      throw hubError('Subscribe', `112: Subscribe: afterSeq ${afterSeq} is beyond the room's last seq ${lastSeq} (epoch '${room.epoch}')`);
    }

    if (this.server.refuseReplay) {
      return { room: name, epoch: room.epoch, lastSeq, recovered: false, replayed: 0, reason: this.server.refuseReplay };
    }

    const replay = room.events.slice(afterSeq);
    for (const event of replay) {
      this.send('event', event);
    }

    return { room: name, epoch: room.epoch, lastSeq, recovered: true, replayed: replay.length, reason: null };
  }

  hubUnsubscribe(name) {
    this.subscribed.delete(name);
    return null;
  }

  hubPublish(name, type, data) {
    return { id: this.server.publish(name, type, data).id };
  }

  hubPresence(name) {
    const members = this.server.presenceMembers.get(name) ?? [];
    return { room: name, count: members.length, members };
  }

  hubPresenceStats(name) {
    const members = this.server.presenceMembers.get(name) ?? [];
    return { room: name, users: members.length, connections: members.reduce((sum, member) => sum + member.connections, 0) };
  }

  hubHistory(name, after = null, limit = null) {
    const room = this.server.room(name);
    const events = room.events.slice(after ?? 0, (after ?? 0) + (limit ?? 100));
    return { room: name, epoch: room.epoch, lastSeq: room.events.length, events };
  }
}
