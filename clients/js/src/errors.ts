// Telling the hub's refusals and a node's close reasons apart from a lost connection (docs/protocol.md, "Bad invocations").

/** The hub refused the call (HubException): retrying the same call will not help. */
export function isHubRefusal(error: unknown): boolean {
  return error instanceof Error && /HubException: /.test(error.message);
}

/** The hub refused a resubscribe because the position is ahead of the room (`afterSeq … is beyond …`). */
export function isBeyondLastSeq(error: unknown): boolean {
  return isHubRefusal(error) && /afterSeq \S+ is beyond the room's last seq/.test((error as Error).message);
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
