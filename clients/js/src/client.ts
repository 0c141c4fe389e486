// The client: keeps one hub connection up (a new one after every loss, with backoff, to the next URL); its rooms
// (rooms.ts) resubscribe on every connection from their positions and get what arrives.

import { backoffDelay, resolveBackoff } from './backoff.js';
import type { ResolvedBackoff } from './backoff.js';
import { signalRConnectionFactory } from './connection.js';
import type { ConnectionFactory, HubConnectionLike } from './connection.js';
import { Emitter, toError } from './emitter.js';
import type { Listener } from './emitter.js';
import { NotConnectedError, isNodeShutdown, isTokenExpiry } from './errors.js';
import type { ConnectOptions, TokenOption } from './options.js';
import { Rooms } from './rooms.js';
import type { Subscription } from './subscription.js';
import type {
  ClientErrorInfo, ClientEvents, ClientState, EventHandler, FanoutEvent, PresenceChange, PresenceResult,
  HistoryOptions, HistoryResult, PresenceStatsResult, PublishResult, SubscribeOptions, SubscriptionHandlers,
} from './types.js';
import { UrlSelector } from './urls.js';

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
  private readonly rooms: Rooms;
  private readonly waiters = new Set<Waiter>();
  private readonly urls: UrlSelector;
  private readonly token: TokenOption;
  private readonly refreshToken: (() => string | Promise<string>) | undefined;
  private refreshedToken: string | undefined;
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
    if (options.refreshToken !== undefined && typeof options.refreshToken !== 'function') {
      throw new TypeError('refreshToken must be a function that returns a token');
    }

    this.refreshToken = options.refreshToken;
    this.factory = options.connectionFactory ?? signalRConnectionFactory(options.signalr);
    const reconnect = options.reconnect === false ? { maxAttempts: 0 } : options.reconnect ?? {};
    this.backoff = resolveBackoff(reconnect);
    this.maxAttempts = reconnect.maxAttempts ?? Infinity;
    if (!(this.maxAttempts >= 0)) {
      throw new RangeError(`reconnect.maxAttempts must be >= 0, not ${reconnect.maxAttempts}`);
    }

    this.callTimeoutMs = options.callTimeoutMs ?? 15_000;
    this.random = options.random ?? Math.random;
    this.rooms = new Rooms({
      current: () => this.current,
      backoff: this.backoff,
      random: this.random,
      emitter: this.emitter,
      reportError: (info) => this.reportError(info),
    });
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
    return this.rooms.add(room, handlers, options);
  }

  /**
   * Publishes an event through the hub; resolves with its id once it is durably accepted. Not retried by the client:
   * give `idempotencyKey` (1–128 printable ASCII) to retry safely yourself — a repeat with the same key is stored once
   * and answers the same id (scope: room, your user, key).
   */
  async publish(room: string, type: string, data: unknown, options: { idempotencyKey?: string } = {}): Promise<PublishResult> {
    const connection = await this.connection();
    return options.idempotencyKey === undefined
      ? connection.invoke<PublishResult>('Publish', room, type, data)
      : connection.invoke<PublishResult>('Publish', room, type, data, options.idempotencyKey);
  }

  /** Who is in `room` now. */
  async presence(room: string): Promise<PresenceResult> {
    return (await this.connection()).invoke<PresenceResult>('Presence', room);
  }

  /** How many users and connections are in `room` now. */
  async presenceStats(room: string): Promise<PresenceStatsResult> {
    return (await this.connection()).invoke<PresenceStatsResult>('PresenceStats', room);
  }

  /**
   * A page of `room`'s stored history (hub `History`), oldest first: for a client allowed to subscribe to the room;
   * no subscription is needed, no handler is called. Page on with `after` = the last event's seq until `lastSeq`.
   */
  async history<TData = unknown>(room: string, options: HistoryOptions = {}): Promise<HistoryResult<TData>> {
    return (await this.connection()).invoke<HistoryResult<TData>>('History', room, options.after ?? null, options.limit ?? null);
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
          if (retries === 0 && isTokenExpiry(lastError)) {
            await this.refresh();
          }

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
        this.rooms.received(event);
      }
    });
    hub.on('presence', (change: PresenceChange) => {
      if (this.current === hub) {
        this.rooms.presenceChanged(change);
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
    this.rooms.connected();

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

    this.rooms.connectionLost();

    this.emitter.emit('disconnected', { url, error });
  }

  private finish(error?: Error): void {
    this.closing = true;
    this.stateValue = 'closed';
    const reason = error ?? new NotConnectedError('the client is closed');
    this.rooms.closeAll(reason);
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

  /** Asks `refreshToken`, when there is one, for the token of the next attempts (the server said the token expired). */
  private async refresh(): Promise<void> {
    if (!this.refreshToken) {
      return;
    }

    try {
      const token = await this.refreshToken();
      if (typeof token !== 'string') {
        throw new TypeError(`refreshToken returned ${typeof token}, not a string`);
      }

      this.refreshedToken = token;
    } catch (error) {
      this.reportError({ error: toError(error), context: 'connect' });
    }
  }

  private async getToken(): Promise<string> {
    if (this.refreshedToken !== undefined) {
      return this.refreshedToken;
    }

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
