// The client's rooms: one entry per subscribed room, (re)subscribed on the current connection from its position, and
// what arrives routed to it.

import { backoffDelay } from './backoff.js';
import type { ResolvedBackoff } from './backoff.js';
import type { HubConnectionLike } from './connection.js';
import type { Emitter } from './emitter.js';
import { callSafely, toError } from './emitter.js';
import { isBeyondLastSeq, isHubRefusal } from './errors.js';
import { RoomState } from './room.js';
import type { RoomHost } from './room.js';
import { Subscription } from './subscription.js';
import type {
  ClientErrorInfo, ClientEvents, FanoutEvent, PresenceChange, SubscribeOptions, SubscribeResult, SubscriptionHandlers,
  SubscriptionState,
} from './types.js';

/** What the rooms need from the client. */
export interface RoomsHost {
  /** The current connection, or null between connections. */
  current(): HubConnectionLike | null;
  readonly backoff: ResolvedBackoff;
  readonly random: () => number;
  readonly emitter: Emitter<ClientEvents>;
  reportError(info: ClientErrorInfo): void;
}

interface RoomEntry {
  state: RoomState;
  handlers: SubscriptionHandlers;
  settle: { resolve(result: SubscribeResult): void; reject(error: Error): void } | null;
  failures: number;
  retryTimer: ReturnType<typeof setTimeout> | undefined;
  subscription: SubscriptionState;
  resetReason: string | undefined;
}

export class Rooms {
  private readonly entries = new Map<string, RoomEntry>();

  constructor(private readonly host: RoomsHost) {}

  has(room: string): boolean {
    return this.entries.has(room);
  }

  /** Adds `room` and subscribes it at once when there is a connection (otherwise the next connection does). */
  add(room: string, handlers: SubscriptionHandlers, options: SubscribeOptions): Subscription {
    const entry = {
      handlers, settle: null, failures: 0, retryTimer: undefined, subscription: 'unsubscribed', resetReason: undefined,
    } as unknown as RoomEntry;
    const ready = new Promise<SubscribeResult>((resolve, reject) => {
      entry.settle = { resolve, reject };
    });
    ready.catch(() => {});
    entry.state = new RoomState(room, this.hostFor(entry), options);
    this.entries.set(room, entry);
    const subscription = new Subscription(entry.state, ready, () => this.unsubscribe(entry), () => entry.subscription);
    if (this.host.current()) {
      this.sendSubscribe(entry);
    }

    return subscription;
  }

  /** A new connection is up: every room subscribes on it from its position. */
  connected(): void {
    for (const entry of [...this.entries.values()]) {
      this.sendSubscribe(entry);
    }
  }

  /** The connection is gone: pending subscribes are void; each room holds its position for the next one. */
  connectionLost(): void {
    for (const entry of this.entries.values()) {
      clearTimeout(entry.retryTimer);
      entry.state.connectionLost();
      this.setState(entry, 'subscribing', 'connectionLost');
    }
  }

  /** The client closed: every room ends, and a subscription not ready yet rejects with `reason`. */
  closeAll(reason: Error): void {
    for (const entry of this.entries.values()) {
      clearTimeout(entry.retryTimer);
      entry.state.close();
      this.setState(entry, 'unsubscribed', 'clientClosed');
      entry.settle?.reject(reason);
      entry.settle = null;
    }

    this.entries.clear();
  }

  received(event: FanoutEvent): void {
    if (!event || typeof event.room !== 'string' || typeof event.seq !== 'number') {
      this.host.reportError({ error: new Error(`an event message without room or seq: ${JSON.stringify(event)}`), context: 'handler' });
      return;
    }

    this.entries.get(event.room)?.state.receive(event);
  }

  presenceChanged(change: PresenceChange): void {
    const entry = change && typeof change.room === 'string' ? this.entries.get(change.room) : undefined;
    if (entry && entry.state.phase !== 'closed') {
      this.callHandler(entry, entry.handlers.onPresence, change);
    }
  }

  private hostFor(entry: RoomEntry): RoomHost {
    return {
      deliver: (_, event) => this.callHandler(entry, entry.handlers.onEvent, event),
      recovered: (_, info) => {
        this.callHandler(entry, entry.handlers.onRecovered, info);
        this.host.emitter.emit('recovered', info);
      },
      reset: (_, info) => {
        entry.resetReason = info.reason;
        this.callHandler(entry, entry.handlers.onReset, info);
        this.host.emitter.emit('reset', info);
      },
      resubscribe: () => this.sendSubscribe(entry),
    };
  }

  /** Sends `Subscribe` from the room's position on the current connection and applies the result. */
  private sendSubscribe(entry: RoomEntry): void {
    const hub = this.host.current();
    clearTimeout(entry.retryTimer);
    if (!hub || entry.state.phase === 'closed') {
      return;
    }

    const room = entry.state.room;
    const request = entry.state.begin();
    this.setState(entry, 'subscribing', entry.subscription === 'unsubscribed' ? 'subscribe' : 'resubscribe');
    const stale = () => this.host.current() !== hub || !entry.state.isPending(request.token);
    hub.invoke<SubscribeResult>('Subscribe', room, request.afterSeq, request.epoch).then(
      (result) => {
        if (stale()) {
          return;
        }

        entry.failures = 0;
        // Settled first: a handler may unsubscribe while the held-back events are delivered.
        entry.settle?.resolve(result);
        entry.settle = null;
        entry.resetReason = undefined;
        entry.state.complete(request, result);
        if (entry.state.phase !== 'closed') {
          this.setState(entry, 'subscribed', entry.resetReason ?? (result.recovered ? 'recovered' : 'live'));
        }
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

        this.host.reportError({ error, context: 'subscribe', room });
        if (isHubRefusal(error)) {
          // The hub refuses this subscription (e.g. an invalid room): asking again will not help.
          this.drop(entry, error, 'refused');
          return;
        }

        // A failure on the server (e.g. history unreachable): ask again on this connection after a while.
        const delayMs = backoffDelay(entry.failures, this.host.backoff, this.host.random);
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

    this.drop(entry, new Error(`unsubscribed from ${entry.state.room} before the subscription was ready`), 'unsubscribe');
    const hub = this.host.current();
    if (hub) {
      try {
        await hub.invoke('Unsubscribe', entry.state.room);
      } catch {
        // The connection went away, and the server's subscription with it.
      }
    }
  }

  private drop(entry: RoomEntry, reason: Error, why: string): void {
    clearTimeout(entry.retryTimer);
    entry.state.close();
    this.setState(entry, 'unsubscribed', why);
    if (this.entries.get(entry.state.room) === entry) {
      this.entries.delete(entry.state.room);
    }

    entry.settle?.reject(reason);
    entry.settle = null;
  }

  /** Moves the room's subscription to `state` and raises `subscriptionState` (nothing when it is there already). */
  private setState(entry: RoomEntry, state: SubscriptionState, reason: string): void {
    const previous = entry.subscription;
    if (previous === state || (previous === 'unsubscribed' && state === 'subscribing' && reason === 'connectionLost')) {
      return;
    }

    entry.subscription = state;
    this.host.emitter.emit('subscriptionState', { room: entry.state.room, state, previous, reason });
  }

  private callHandler<T>(entry: RoomEntry, handler: ((arg: T) => unknown) | undefined, arg: T): void {
    if (handler) {
      callSafely(handler, arg, (error) => this.host.reportError({ error: toError(error), context: 'handler', room: entry.state.room }));
    }
  }
}
