// The handle `subscribe` returns.

import type { RoomState } from './room.js';
import type { Position, SubscribeResult, SubscriptionState } from './types.js';

export class Subscription {
  /** @internal */
  constructor(
    private readonly roomState: RoomState,
    /** Resolves with the first `Subscribe` result; rejects when the hub refuses the subscription or it is closed first. */
    readonly ready: Promise<SubscribeResult>,
    private readonly onUnsubscribe: (state: RoomState) => Promise<void>,
    private readonly stateOf: () => SubscriptionState = () => 'unsubscribed',
  ) {}

  /** `unsubscribed`, `subscribing` or `subscribed` (the client's `subscriptionState` event raises each change). */
  get state(): SubscriptionState {
    return this.stateOf();
  }

  get room(): string {
    return this.roomState.room;
  }

  /** The epoch and seq of the last event delivered (or of the position subscribed at); keep it to resume later. */
  get position(): Position {
    return this.roomState.position;
  }

  /** False once unsubscribed (or refused by the hub, or the client closed). */
  get active(): boolean {
    return this.roomState.phase !== 'closed';
  }

  /** Stops delivery at once, then tells the hub (when connected). Calling it again does nothing. */
  unsubscribe(): Promise<void> {
    return this.onUnsubscribe(this.roomState);
  }
}
