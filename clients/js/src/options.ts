// What `connect` takes.

import type { BackoffOptions } from './backoff.js';
import type { ConnectionFactory, SignalROptions } from './connection.js';
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
  /**
   * Asked for a new token only when a node closed the connection because the token expired (close reason
   * `token expired`); its token is used for the connection attempts after that (instead of `token`) until it expires
   * in turn. Unset: `token` is used as always. A refresh that fails raises `error` (context `connect`) and the
   * attempt goes on with the token the client had.
   */
  refreshToken?: () => string | Promise<string>;
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
