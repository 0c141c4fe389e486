// The client: keeps one hub connection up (a new one after every loss, with backoff, to the next URL), resubscribes
// every room from its position, and routes what arrives to the rooms.

import { backoffDelay, resolveBackoff } from './backoff.js';
import type { BackoffOptions, ResolvedBackoff } from './backoff.js';
import { signalRConnectionFactory } from './connection.js';
import type { ConnectionFactory, HubConnectionLike, SignalROptions } from './connection.js';
import { Emitter, callSafely, toError } from './emitter.js';
import type { Listener } from './emitter.js';
import { NotConnectedError, isBeyondLastSeq, isHubRefusal } from './errors.js';
import { RoomState } from './room.js';
import type { RoomHost } from './room.js';
import { Subscription } from './subscription.js';
import type {
  ClientErrorInfo, ClientEvents, ClientState, EventHandler, FanoutEvent, PresenceChange, PresenceResult,
  PresenceStatsResult, PublishResult, SubscribeOptions, SubscribeResult, SubscriptionHandlers,
} from './types.js';
import { UrlSelector } from './urls.js';
import type { UrlOption } from './urls.js';

export type TokenOption = string | (() => string | Promise<string>);

export interface ReconnectOptions extends BackoffOptions {
  /**
   * Retries after which the client gives up and closes (`closed` with the last error): counted from the start or
   * from the last lost connection, reset by every successful connection. Default: unlimited.
   */
  maxAttempts?: number;
}

export interface ConnectOptions {
  /** The hub URL (`http(s)://node/hubs/rooms`), a list of them to fail over between, or a function that picks one. */
  url: UrlOption;
  /** The access token (JWT), or a function asked for one on every connection attempt (so it can hand out a fresh one). */
  token: TokenOption;
  /** Backoff between attempts; `false`: do not reconnect (the client closes when its connection is lost). */
  reconnect?: ReconnectOptions | false;
  /** How long `publish`, `presence` and `presenceStats` wait for a connection when there is none. Default 15,000 ms. */
  callTimeoutMs?: number;
  /** Options of the @microsoft/signalr connection (transport, logging, timeouts, `withUrl` options). */
  signalr?: SignalROptions;
  /** Builds the hub connections instead of @microsoft/signalr (tests, custom transports). */
  connectionFactory?: ConnectionFactory;
  /** The random source of the jitter, [0, 1). For tests. */
  random?: () => number;
}

interface RoomEntry {
  state: RoomState;
  handlers: SubscriptionHandlers;
  settle: { resolve(result: SubscribeResult): void; reject(error: Error): void } | null;
  failures: number;
  retryTimer: ReturnType<typeof setTimeout> | undefined;
}

interface Waiter {
  resolve(connection: HubConnectionLike): void;
  reject(error: Error): void;
}

/** Connects to Fanout and returns the client at once; it connects in the background (see `ready`). */
export function connect(options: ConnectOptions): FanoutClient {
  return new FanoutClient(options);
}

export class FanoutClient {
  /** Resolves when the first connection is up; rejects when the client closes (or gives up) before that. */
  readonly ready: Promise<void>;

  private readonly emitter = new Emitter<ClientEvents>((error, event) => this.listenerFailed(error, event));
  private readonly rooms = new Map<string, RoomEntry>();
  private readonly waiters = new Set<Waiter>();
  private readonly urls: UrlSelector;
  private readonly token: TokenOption;
  private readonly factory: ConnectionFactory;
  private readonly backoff: ResolvedBackoff;
  private readonly maxAttempts: number;
  private readonly callTimeoutMs: number;
  private readonly random: () => number;
  private readonly loop: Promise<void>;
  private current: HubConnectionLike | null = null;
  private currentUrl: string | undefined;
  private starting: HubConnectionLike | null = null;
  private stateValue: ClientState = 'connecting';
  private closing = false;
  private everConnected = false;
  private wake: (() => void) | null = null;
  private settleReady!: { resolve(): void; reject(error: Error): void };
  private signalClosing!: () => void;
  private readonly closingSignal = new Promise<null>((resolve) => {
    this.signalClosing = () => resolve(null);
  });

  constructor(options: ConnectOptions) {
    if (!options || typeof options !== 'object') {
      throw new TypeError('connect needs options: { url, token }');
    }

    if (typeof options.token !== 'string' && typeof options.token !== 'function') {
      throw new TypeError('token must be a string or a function that returns one');
    }

    this.urls = new UrlSelector(options.url);
    this.token = options.token;
    this.factory = options.connectionFactory ?? signalRConnectionFactory(options.signalr);
    const reconnect = options.reconnect === false ? { maxAttempts: 0 } : options.reconnect ?? {};
    this.backoff = resolveBackoff(reconnect);
    this.maxAttempts = reconnect.maxAttempts ?? Infinity;
    if (!(this.maxAttempts >= 0)) {
      throw new RangeError(`reconnect.maxAttempts must be >= 0, not ${reconnect.maxAttempts}`);
    }

    this.callTimeoutMs = options.callTimeoutMs ?? 15_000;
    this.random = options.random ?? Math.random;
    this.ready = new Promise<void>((resolve, reject) => {
      this.settleReady = { resolve, reject };
    });
    this.ready.catch(() => {}); // reported through `closed` too; not an unhandled rejection when nobody awaits it
    this.loop = this.run();
  }

  get state(): ClientState {
    return this.stateValue;
  }

  /** The URL of the current connection, if there is one. */
  get url(): string | undefined {
    return this.current ? this.currentUrl : undefined;
  }

  on<K extends keyof ClientEvents>(event: K, listener: Listener<ClientEvents[K]>): () => void {
    return this.emitter.on(event, listener);
  }

  once<K extends keyof ClientEvents>(event: K, listener: Listener<ClientEvents[K]>): () => void {
    return this.emitter.once(event, listener);
  }

  off<K extends keyof ClientEvents>(event: K, listener: Listener<ClientEvents[K]>): void {
    this.emitter.off(event, listener);
  }

  /**
   * Subscribes to `room`: `handler` gets its events in seq order, each once, across reconnects. `options` may give a
   * position to start after (`{ afterSeq, epoch }`, e.g. a previous subscription's `position`). One subscription per
   * room and client.
   */
  subscribe<TData = unknown>(
    room: string,
    handler: EventHandler<TData> | SubscriptionHandlers<TData>,
    options: SubscribeOptions = {},
  ): Subscription {
    if (typeof room !== 'string' || room === '') {
      throw new TypeError('room must be a non-empty string');
    }

    if (typeof handler !== 'function' && (handler === null || typeof handler !== 'object')) {
      throw new TypeError('handler must be a function or { onEvent, onPresence, onRecovered, onReset }');
    }

    if (this.closing) {
      throw new NotConnectedError('the client is closed');
    }

    if (this.rooms.has(room)) {
      throw new Error(`already subscribed to ${room}; unsubscribe the existing subscription first`);
    }

    const handlers = (typeof handler === 'function' ? { onEvent: handler } : { ...handler }) as SubscriptionHandlers;
    const entry = { handlers, settle: null, failures: 0, retryTimer: undefined } as unknown as RoomEntry;
    const ready = new Promise<SubscribeResult>((resolve, reject) => {
      entry.settle = { resolve, reject };
    });
    ready.catch(() => {});
    entry.state = new RoomState(room, this.hostFor(entry), options);
    this.rooms.set(room, entry);
    const subscription = new Subscription(entry.state, ready, () => this.unsubscribe(entry));
    if (this.current) {
      this.sendSubscribe(entry);
    }

    return subscription;
  }

  /** Publishes an event through the hub; resolves with its id once it is durably accepted. Not retried. */
  async publish(room: string, type: string, data: unknown): Promise<PublishResult> {
    return (await this.connection()).invoke<PublishResult>('Publish', room, type, data);
  }

  /** Who is in `room` now. */
  async presence(room: string): Promise<PresenceResult> {
    return (await this.connection()).invoke<PresenceResult>('Presence', room);
  }

  /** How many users and connections are in `room` now. */
  async presenceStats(room: string): Promise<PresenceStatsResult> {
    return (await this.connection()).invoke<PresenceStatsResult>('PresenceStats', room);
  }

  /** Closes the connection, stops reconnecting and ends every subscription. */
  async close(): Promise<void> {
    if (!this.closing) {
      this.closing = true;
      this.signalClosing();
      this.wake?.();
      const connections = [this.starting, this.current].filter((c): c is HubConnectionLike => c !== null);
      await Promise.all(connections.map((connection) => connection.stop().catch(() => {})));
    }

    await this.loop;
  }

  // -------------------------------------------------------------------------------------------------------------
  // The connection loop

  private async run(): Promise<void> {
    let failures = 0; // attempts that failed since the last connection
    let retries = 0; // retries scheduled since the last connection (or the start)
    let lastError: Error | undefined;
    let previousUrl: string | undefined;
    let first = true;
    try {
      while (!this.closing) {
        if (!first) {
          if (retries >= this.maxAttempts) {
            this.finish(lastError ?? new NotConnectedError('reconnecting is off'));
            return;
          }

          // A node closes a connection whose token expired, or sends its clients away when it shuts down; connecting
          // again at once (with a fresh token, to the next URL) loses nothing.
          const immediate = retries === 0 && (isTokenExpiry(lastError) || isNodeShutdown(lastError));
          const delayMs = immediate ? 0 : backoffDelay(retries, this.backoff, this.random);
          retries += 1;
          this.emitter.emit('reconnecting', { attempt: retries, delayMs, error: lastError });
          await this.sleep(delayMs);
          if (this.closing) {
            break;
          }
        }

        first = false;
        let url: string | null;
        try {
          // A URL function that never answers must not keep close() waiting.
          url = await Promise.race([this.urls.next({ attempt: failures, previousUrl, error: lastError }), this.closingSignal]);
          if (url === null) {
            break;
          }
        } catch (error) {
          lastError = toError(error);
          failures += 1;
          this.reportError({ error: lastError, context: 'url' });
          continue;
        }

        previousUrl = url;
        const connection = this.open(url);
        this.starting = connection.hub;
        try {
          await connection.hub.start();
        } catch (error) {
          lastError = toError(error);
          failures += 1;
          if (!this.closing) {
            this.reportError({ error: lastError, context: 'connect', url });
          }

          continue;
        } finally {
          this.starting = null;
        }

        if (this.closing) {
          await connection.hub.stop().catch(() => {});
          break;
        }

        failures = 0;
        retries = 0;
        this.connected(connection.hub, url);
        lastError = await connection.closed;
      }

      this.finish();
    } catch (error) {
      // A bug of this client; never leave `ready` or the subscriptions hanging.
      this.finish(toError(error));
    }
  }

  /** A new hub connection whose messages count only while it is the current one. */
  private open(url: string): { hub: HubConnectionLike; closed: Promise<Error | undefined> } {
    const hub = this.factory({ url, accessTokenFactory: () => this.getToken() });
    let resolveClosed!: (error: Error | undefined) => void;
    const closed = new Promise<Error | undefined>((resolve) => {
      resolveClosed = resolve;
    });
    hub.on('event', (event: FanoutEvent) => {
      if (this.current === hub) {
        this.received(event);
      }
    });
    hub.on('presence', (change: PresenceChange) => {
      if (this.current === hub) {
        this.presenceChanged(change);
      }
    });
    hub.onclose((error) => {
      // Synchronously, before the rejections of its pending calls are handled: they must see it is gone.
      if (this.current === hub) {
        this.disconnected(url, error);
      }

      resolveClosed(error);
    });
    return { hub, closed };
  }

  private connected(hub: HubConnectionLike, url: string): void {
    this.current = hub;
    this.currentUrl = url;
    this.stateValue = 'connected';
    const reconnected = this.everConnected;
    this.everConnected = true;
    for (const entry of [...this.rooms.values()]) {
      this.sendSubscribe(entry);
    }

    for (const waiter of [...this.waiters]) {
      waiter.resolve(hub);
    }

    this.settleReady.resolve();
    this.emitter.emit('connected', { url, reconnected });
  }

  private disconnected(url: string, error: Error | undefined): void {
    this.current = null;
    this.currentUrl = undefined;
    if (!this.closing) {
      this.stateValue = 'reconnecting';
    }

    for (const entry of this.rooms.values()) {
      clearTimeout(entry.retryTimer);
      entry.state.connectionLost();
    }

    this.emitter.emit('disconnected', { url, error });
  }

  private finish(error?: Error): void {
    this.closing = true;
    this.stateValue = 'closed';
    const reason = error ?? new NotConnectedError('the client is closed');
    for (const entry of this.rooms.values()) {
      clearTimeout(entry.retryTimer);
      entry.state.close();
      entry.settle?.reject(reason);
      entry.settle = null;
    }

    this.rooms.clear();
    for (const waiter of [...this.waiters]) {
      waiter.reject(reason);
    }

    this.settleReady.reject(reason);
    this.emitter.emit('closed', { error });
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done() {
        clearTimeout(timer);
        self.wake = null;
        resolve();
      }

      this.wake = done;
    });
  }

  private async getToken(): Promise<string> {
    const token = typeof this.token === 'function' ? await this.token() : this.token;
    if (typeof token !== 'string') {
      throw new TypeError(`the token function returned ${typeof token}, not a string`);
    }

    return token;
  }

  /** The current connection, or the next one within `callTimeoutMs`. */
  private connection(): Promise<HubConnectionLike> {
    if (this.current) {
      return Promise.resolve(this.current);
    }

    if (this.closing) {
      return Promise.reject(new NotConnectedError('the client is closed'));
    }

    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve: (connection) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          resolve(connection);
        },
        reject: (error) => {
          clearTimeout(timer);
          this.waiters.delete(waiter);
          reject(error);
        },
      };
      const timer = setTimeout(
        () => waiter.reject(new NotConnectedError(`not connected within ${this.callTimeoutMs} ms`)), this.callTimeoutMs);
      this.waiters.add(waiter);
    });
  }

  // -------------------------------------------------------------------------------------------------------------
  // Rooms

  private hostFor(entry: RoomEntry): RoomHost {
    return {
      deliver: (_, event) => this.callHandler(entry, entry.handlers.onEvent, event),
      recovered: (_, info) => {
        this.callHandler(entry, entry.handlers.onRecovered, info);
        this.emitter.emit('recovered', info);
      },
      reset: (_, info) => {
        this.callHandler(entry, entry.handlers.onReset, info);
        this.emitter.emit('reset', info);
      },
      resubscribe: () => this.sendSubscribe(entry),
    };
  }

  /** Sends `Subscribe` from the room's position on the current connection and applies the result. */
  private sendSubscribe(entry: RoomEntry): void {
    const hub = this.current;
    clearTimeout(entry.retryTimer);
    if (!hub || entry.state.phase === 'closed') {
      return;
    }

    const room = entry.state.room;
    const request = entry.state.begin();
    const stale = () => this.current !== hub || !entry.state.isPending(request.token);
    hub.invoke<SubscribeResult>('Subscribe', room, request.afterSeq, request.epoch).then(
      (result) => {
        if (stale()) {
          return;
        }

        entry.failures = 0;
        // Settled first: a handler may unsubscribe while the held-back events are delivered.
        entry.settle?.resolve(result);
        entry.settle = null;
        entry.state.complete(request, result);
      },
      (reason: unknown) => {
        if (stale()) {
          return; // the connection is gone: the next one resubscribes
        }

        const error = toError(reason);
        if (isBeyondLastSeq(error)) {
          entry.state.restartFromNow('beyondLastSeq');
          this.sendSubscribe(entry);
          return;
        }

        this.reportError({ error, context: 'subscribe', room });
        if (isHubRefusal(error)) {
          // The hub refuses this subscription (e.g. an invalid room): asking again will not help.
          this.dropRoom(entry, error);
          return;
        }

        // A failure on the server (e.g. history unreachable): ask again on this connection after a while.
        const delayMs = backoffDelay(entry.failures, this.backoff, this.random);
        entry.failures += 1;
        entry.retryTimer = setTimeout(() => {
          if (!stale()) {
            this.sendSubscribe(entry);
          }
        }, delayMs);
      },
    );
  }

  private async unsubscribe(entry: RoomEntry): Promise<void> {
    if (entry.state.phase === 'closed') {
      return;
    }

    this.dropRoom(entry, new Error(`unsubscribed from ${entry.state.room} before the subscription was ready`));
    const hub = this.current;
    if (hub) {
      try {
        await hub.invoke('Unsubscribe', entry.state.room);
      } catch {
        // The connection went away, and the server's subscription with it.
      }
    }
  }

  private dropRoom(entry: RoomEntry, reason: Error): void {
    clearTimeout(entry.retryTimer);
    entry.state.close();
    if (this.rooms.get(entry.state.room) === entry) {
      this.rooms.delete(entry.state.room);
    }

    entry.settle?.reject(reason);
    entry.settle = null;
  }

  private received(event: FanoutEvent): void {
    if (!event || typeof event.room !== 'string' || typeof event.seq !== 'number') {
      this.reportError({ error: new Error(`an event message without room or seq: ${JSON.stringify(event)}`), context: 'handler' });
      return;
    }

    this.rooms.get(event.room)?.state.receive(event);
  }

  private presenceChanged(change: PresenceChange): void {
    const entry = change && typeof change.room === 'string' ? this.rooms.get(change.room) : undefined;
    if (entry && entry.state.phase !== 'closed') {
      this.callHandler(entry, entry.handlers.onPresence, change);
    }
  }

  private callHandler<T>(entry: RoomEntry, handler: ((arg: T) => unknown) | undefined, arg: T): void {
    if (handler) {
      callSafely(handler, arg, (error) => this.reportError({ error: toError(error), context: 'handler', room: entry.state.room }));
    }
  }

  // -------------------------------------------------------------------------------------------------------------
  // Errors

  private reportError(info: ClientErrorInfo): void {
    this.emitter.emit('error', info);
  }

  private listenerFailed(error: unknown, event: keyof ClientEvents): void {
    if (event !== 'error') {
      this.reportError({ error: toError(error), context: 'listener' });
    }

    // An `error` listener that throws has nowhere left to report to; it must not break the client.
  }
}

/** The close error of a connection that a node closed because its access token expired (close reason `token expired`). */
export function isTokenExpiry(error: Error | undefined): boolean {
  return error !== undefined && /\btoken expired\b/.test(error.message);
}

/** The close error of a connection that a node closed because it is shutting down (close reason `server shutting down`). */
export function isNodeShutdown(error: Error | undefined): boolean {
  return error !== undefined && /\bserver shutting down\b/.test(error.message);
}
