// @fanout/client: a Fanout client that recovers by itself. See README.md.

export { connect, FanoutClient } from './client.js';
export type { ConnectOptions, ReconnectOptions, TokenOption } from './options.js';
export { Subscription } from './subscription.js';
export { backoffDelay, resolveBackoff, DEFAULT_BACKOFF } from './backoff.js';
export type { BackoffOptions, ResolvedBackoff } from './backoff.js';
export { signalRConnectionFactory } from './connection.js';
export type { ConnectionFactory, ConnectionRequest, HubConnectionLike, SignalROptions } from './connection.js';
export { HubErrorCode, NotConnectedError, hubError, hubMessage, isNodeShutdown, isTokenExpiry } from './errors.js';
export type { HubError } from './errors.js';
export type { UrlContext, UrlOption } from './urls.js';
export type {
  ClientErrorInfo, ClientEvents, ClientState, ErrorContext, EventHandler, FanoutEvent, HistoryOptions, HistoryResult, Position, PresenceChange,
  PresenceMember, PresenceResult, PresenceStatsResult, PublishResult, RecoveredInfo, ResetInfo, ResetReason,
  SubscribeOptions, SubscribeResult, SubscriptionHandlers, SubscriptionState, SubscriptionStateChange,
} from './types.js';
