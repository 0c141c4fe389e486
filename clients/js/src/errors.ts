// Telling the hub's refusals and a node's close reasons apart from a lost connection (docs/protocol.md, "Bad invocations").

/** The stable codes of hub errors (docs/protocol.md, "Hub errors"). */
export const HubErrorCode = {
  internal: 100,
  permissionDenied: 103,
  limitExceeded: 106,
  badRequest: 107,
  unavailable: 108,
  tooManyRequests: 111,
  positionBeyondRoom: 112,
  notSubscribed: 113,
  closing: 114,
} as const;

/** A hub error read from its message `… HubException: <code>[ temporary]: <reason>`. */
export interface HubError {
  code: number;
  /** The same call can succeed later (a rate limit, a server the node needs being down, a closing connection). */
  temporary: boolean;
  reason: string;
}

/** The hub error an invocation failed with, or undefined for anything else (a lost connection, a server failure). */
export function hubError(error: unknown): HubError | undefined {
  if (!(error instanceof Error)) {
    return undefined;
  }

  const match = /HubException: (\d{3})( temporary)?: ([\s\S]*)$/.exec(error.message);
  return match ? { code: Number(match[1]), temporary: match[2] !== undefined, reason: match[3] } : undefined;
}

/** The hub refused the call for good (a hub error that is not temporary): retrying the same call will not help. */
export function isHubRefusal(error: unknown): boolean {
  const refused = hubError(error);
  return refused !== undefined && !refused.temporary;
}

/** The hub refused a resubscribe because the position is ahead of the room (code 112). */
export function isBeyondLastSeq(error: unknown): boolean {
  return hubError(error)?.code === HubErrorCode.positionBeyondRoom;
}

/** The part of a hub error after `HubException: ` (what the hub says is wrong), or the whole message. */
export function hubMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const at = message.indexOf('HubException: ');
  return at < 0 ? message : message.slice(at + 'HubException: '.length);
}

/** The client was closed, or not connected in time, before a call could be sent. */
export class NotConnectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotConnectedError';
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
