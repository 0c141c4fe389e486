// The handle `subscribe` returns.

import type { RoomState } from './room.js';
import type { Position, SubscribeResult } from './types.js';

export class Subscription {
  /** @internal */
  constructor(
    private readonly state: RoomState,
    /** Resolves with the first `Subscribe` result; rejects when the hub refuses the subscription or it is closed first. */
    readonly ready: Promise<SubscribeResult>,
    private readonly onUnsubscribe: (state: RoomState) => Promise<void>,
  ) {}

  get room(): string {
    return this.state.room;
  }

  /** The epoch and seq of the last event delivered (or of the position subscribed at); keep it to resume later. */
  get position(): Position {
    return this.state.position;
  }

  /** False once unsubscribed (or refused by the hub, or the client closed). */
  get active(): boolean {
    return this.state.phase !== 'closed';
  }

  /** Stops delivery at once, then tells the hub (when connected). Calling it again does nothing. */
  unsubscribe(): Promise<void> {
    return this.onUnsubscribe(this.state);
  }
}
