// The hub connection the client drives: the part of @microsoft/signalr's HubConnection it uses, and the default
// factory that builds one per connection attempt (a new one each time, so that every attempt can go to another node
// and asks the token again).

import { HubConnectionBuilder, HttpTransportType, LogLevel } from '@microsoft/signalr';
import type { IHttpConnectionOptions, ILogger } from '@microsoft/signalr';

/** What the client needs of a hub connection; @microsoft/signalr's `HubConnection` is one. */
export interface HubConnectionLike {
  start(): Promise<void>;
  stop(): Promise<void>;
  invoke<T = unknown>(methodName: string, ...args: unknown[]): Promise<T>;
  on(methodName: string, handler: (...args: any[]) => void): void;
  /** Called once when a started connection ends (with the error, if it ended with one). */
  onclose(callback: (error?: Error) => void): void;
}

export interface ConnectionRequest {
  url: string;
  /** Asks the client's `token` option; call it on every connection (SignalR does). */
  accessTokenFactory: () => Promise<string>;
}

export type ConnectionFactory = (request: ConnectionRequest) => HubConnectionLike;

export interface SignalROptions {
  /** Transport(s) to allow. Default: WebSockets only (the transport Fanout is made for). */
  transport?: HttpTransportType;
  /** SignalR's own logging. Default `LogLevel.None`: the client reports through its `error` event instead. */
  logger?: LogLevel | ILogger;
  /** Closes the connection when the server sent nothing for this long. Default 30,000 ms (SignalR's). */
  serverTimeoutMs?: number;
  /** How often to ping the server. Default 15,000 ms (SignalR's). */
  keepAliveIntervalMs?: number;
  /** Further options for `withUrl` (headers, a `WebSocket` constructor, `skipNegotiation`, …). */
  httpOptions?: IHttpConnectionOptions;
}

/** The default factory: a @microsoft/signalr connection without its own automatic reconnect (the client reconnects). */
export function signalRConnectionFactory(options: SignalROptions = {}): ConnectionFactory {
  return ({ url, accessTokenFactory }) => {
    const connection = new HubConnectionBuilder()
      .withUrl(url, {
        transport: options.transport ?? HttpTransportType.WebSockets,
        ...options.httpOptions,
        accessTokenFactory,
      })
      .configureLogging(options.logger ?? LogLevel.None)
      .build();
    if (options.serverTimeoutMs !== undefined) {
      connection.serverTimeoutInMilliseconds = options.serverTimeoutMs;
    }

    if (options.keepAliveIntervalMs !== undefined) {
      connection.keepAliveIntervalInMilliseconds = options.keepAliveIntervalMs;
    }

    return connection;
  };
}
