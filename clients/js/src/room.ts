// The position of one subscribed room and the rules that keep its delivery in order and free of duplicates.
// No I/O here: the client sends `Subscribe` and feeds in what the connection receives; this class decides what to
// deliver, what to drop, what to hold back and when to ask for a resubscribe.

import type { FanoutEvent, Position, RecoveredInfo, ResetInfo, ResetReason, SubscribeOptions, SubscribeResult } from './types.js';

/** What a room needs from the client. */
export interface RoomHost {
  /** Hands one event to the application (in order, once). */
  deliver(room: RoomState, event: FanoutEvent): void;
  recovered(room: RoomState, info: RecoveredInfo): void;
  reset(room: RoomState, info: ResetInfo): void;
  /** Send `Subscribe` for this room again on the current connection; the room holds events back until its result. */
  resubscribe(room: RoomState): void;
}

/** One `Subscribe` call: its arguments and the token that tells its result from a later call's. */
export interface SubscribeRequest {
  token: number;
  afterSeq: number | null;
  epoch: string | null;
}

/**
 * idle: no Subscribe sent on the current connection (or no connection). subscribing: a Subscribe is in flight;
 * events are held back until its result says where the room is. live: events are applied as they arrive.
 * closed: unsubscribed; nothing more is delivered.
 */
export type RoomPhase = 'idle' | 'subscribing' | 'live' | 'closed';

/** Resubscribes in a row that did not close a gap before the client gives up on it and reports a reset. */
export const MAX_GAP_RETRIES = 3;

export class RoomState {
  private epochValue: string | null;
  private lastSeqValue: number | null;
  private phaseValue: RoomPhase = 'idle';
  private buffer: FanoutEvent[] = [];
  private token = 0;
  private gapRetries = 0;
  private pendingReset: { reason: ResetReason; previous: Position } | null = null;

  constructor(readonly room: string, private readonly host: RoomHost, start: SubscribeOptions = {}) {
    const afterSeq = start.afterSeq ?? start.lastSeq ?? null;
    if (afterSeq !== null && !(Number.isSafeInteger(afterSeq) && afterSeq >= 0)) {
      throw new RangeError(`afterSeq must be an integer >= 0 or null, not ${afterSeq}`);
    }

    this.lastSeqValue = afterSeq;
    this.epochValue = afterSeq === null ? null : start.epoch || null;
  }

  get phase(): RoomPhase {
    return this.phaseValue;
  }

  get position(): Position {
    return { epoch: this.epochValue, lastSeq: this.lastSeqValue };
  }

  /** Starts a Subscribe: from here until its result, events are held back. */
  begin(): SubscribeRequest {
    if (this.phaseValue === 'closed') {
      throw new Error(`the subscription of ${this.room} is closed`);
    }

    this.phaseValue = 'subscribing';
    this.token += 1;
    return {
      token: this.token,
      afterSeq: this.lastSeqValue,
      // "" is the epoch of a room without events: nothing to check, so it is sent as null.
      epoch: this.lastSeqValue === null ? null : this.epochValue || null,
    };
  }

  /** True while `token` is the Subscribe whose result the room waits for. */
  isPending(token: number): boolean {
    return this.phaseValue === 'subscribing' && token === this.token;
  }

  /** An event of this room arrived on the current connection. */
  receive(event: FanoutEvent): void {
    if (this.phaseValue === 'subscribing') {
      this.buffer.push(event);
    } else if (this.phaseValue === 'live') {
      this.apply(event);
    }
  }

  /** The Subscribe `request` answered `result`: set the position, report, then deliver what was held back. */
  complete(request: SubscribeRequest, result: SubscribeResult): void {
    if (!this.isPending(request.token)) {
      return;
    }

    this.phaseValue = 'live';
    const previous = this.position;
    let recovered = false;
    if (request.afterSeq !== null && result.recovered) {
      recovered = true;
      this.epochValue ||= result.epoch || null;
    } else {
      this.epochValue = result.epoch || null;
      this.lastSeqValue = result.lastSeq;
      const reset = request.afterSeq !== null
        ? { reason: result.reason || 'unknown', previous }
        : this.pendingReset;
      this.pendingReset = null;
      if (reset) {
        this.host.reset(this, { room: this.room, reason: reset.reason, epoch: result.epoch, lastSeq: result.lastSeq, previous: reset.previous });
        if (this.phaseValue !== 'live') {
          return; // unsubscribed by a reset listener
        }
      }
    }

    // The result's epoch is the room's now: held-back events of another epoch are stale.
    const epoch = this.epochValue;
    this.drain(epoch ? (event) => !event.epoch || event.epoch === epoch : () => true);
    if (this.phaseValue !== 'live') {
      return; // a gap or another epoch made it resubscribe, or a handler unsubscribed
    }

    if (recovered && (this.lastSeqValue ?? 0) < result.lastSeq) {
      // The server says it sent events up to result.lastSeq and some did not arrive: ask again.
      this.requestResync();
      return;
    }

    if (recovered) {
      this.host.recovered(this, { room: this.room, replayed: result.replayed, epoch: result.epoch, lastSeq: result.lastSeq });
    }
  }

  /**
   * The hub refused the position as ahead of the room: forget it and subscribe live from now; the next result
   * is reported as a reset with `reason`.
   */
  restartFromNow(reason: ResetReason): void {
    this.pendingReset = { reason, previous: this.position };
    this.lastSeqValue = null;
    this.epochValue = null;
  }

  /** The connection is gone: what was held back will be replayed by the resubscribe on the next connection. */
  connectionLost(): void {
    if (this.phaseValue !== 'closed') {
      this.phaseValue = 'idle';
      this.buffer = [];
    }
  }

  close(): void {
    this.phaseValue = 'closed';
    this.buffer = [];
  }

  private drain(keep: (event: FanoutEvent) => boolean): void {
    const events = this.buffer.filter(keep).sort((a, b) => a.seq - b.seq);
    this.buffer = [];
    for (let i = 0; i < events.length; i++) {
      if (this.phaseValue !== 'live') {
        if (this.phaseValue === 'subscribing') {
          this.buffer.push(...events.slice(i));
        }

        return;
      }

      this.apply(events[i]);
    }
  }

  /** Live: deliver the next seq, drop repeats, hold back and resubscribe on a gap or another epoch. */
  private apply(event: FanoutEvent): void {
    if (this.epochValue && event.epoch && event.epoch !== this.epochValue) {
      // The room's history was reset under a live subscription: the server tells where it is now.
      this.buffer.push(event);
      this.requestResync();
      return;
    }

    const lastSeq = this.lastSeqValue ?? event.seq - 1;
    if (event.seq <= lastSeq) {
      return; // a duplicate
    }

    if (event.seq > lastSeq + 1) {
      if (this.gapRetries < MAX_GAP_RETRIES) {
        this.gapRetries += 1;
        this.buffer.push(event);
        this.requestResync();
        return;
      }

      // The server kept leaving this gap open: go on from here and let the app reload.
      this.gapRetries = 0;
      const previous = this.position;
      this.lastSeqValue = event.seq - 1;
      this.epochValue ||= event.epoch || null;
      this.host.reset(this, { room: this.room, reason: 'gap', epoch: event.epoch, lastSeq: event.seq - 1, previous });
      if (this.phaseValue !== 'live') {
        return;
      }
    }

    this.epochValue ||= event.epoch || null;
    this.lastSeqValue = event.seq;
    this.gapRetries = 0;
    this.host.deliver(this, event);
  }

  private requestResync(): void {
    this.phaseValue = 'subscribing';
    this.host.resubscribe(this);
  }
}
