// Reconnect delays: exponential backoff with jitter.

export interface BackoffOptions {
  /** The delay before the first retry (before jitter). Default 500 ms. */
  baseDelayMs?: number;
  /** The cap of the exponential growth (before jitter). Default 15,000 ms. */
  maxDelayMs?: number;
  /**
   * 0 to 1: how much of the delay is randomized. The delay is uniformly distributed in
   * [d × (1 − jitter), d] where d = min(maxDelayMs, baseDelayMs × 2^attempt). Default 0.5; 0 turns jitter off.
   */
  jitter?: number;
}

export interface ResolvedBackoff {
  baseDelayMs: number;
  maxDelayMs: number;
  jitter: number;
}

export const DEFAULT_BACKOFF: ResolvedBackoff = { baseDelayMs: 500, maxDelayMs: 15_000, jitter: 0.5 };

export function resolveBackoff(options: BackoffOptions = {}): ResolvedBackoff {
  const baseDelayMs = options.baseDelayMs ?? DEFAULT_BACKOFF.baseDelayMs;
  const maxDelayMs = options.maxDelayMs ?? Math.max(DEFAULT_BACKOFF.maxDelayMs, baseDelayMs);
  const jitter = options.jitter ?? DEFAULT_BACKOFF.jitter;
  if (!(baseDelayMs >= 0) || !Number.isFinite(baseDelayMs)) {
    throw new RangeError(`baseDelayMs must be a finite number >= 0, not ${baseDelayMs}`);
  }

  if (!(maxDelayMs >= baseDelayMs) || !Number.isFinite(maxDelayMs)) {
    throw new RangeError(`maxDelayMs must be a finite number >= baseDelayMs (${baseDelayMs}), not ${maxDelayMs}`);
  }

  if (!(jitter >= 0 && jitter <= 1)) {
    throw new RangeError(`jitter must be from 0 to 1, not ${jitter}`);
  }

  return { baseDelayMs, maxDelayMs, jitter };
}

/** The delay before retry number `attempt` (0 = the first retry). `random` returns a number in [0, 1). */
export function backoffDelay(attempt: number, options: ResolvedBackoff, random: () => number = Math.random): number {
  const exponent = Math.min(Math.max(attempt, 0), 40);
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** exponent);
  return Math.round(ceiling * (1 - options.jitter * random()));
}
