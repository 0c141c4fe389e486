#!/usr/bin/env node
// Watches one room on a realtime node: subscribes, prints the Subscribe result, then every `event`
// message, one JSON line each. After a reconnect it subscribes again from the last seq it printed.
//
//   node tools/watch/watch.mjs --url http://127.0.0.1:5070/hubs/rooms --token T --room chat:lobby [--after-seq N]
import { parseArgs } from 'node:util';
import * as signalR from '@microsoft/signalr';

const usage = 'usage: node tools/watch/watch.mjs --url HUB_URL --token JWT --room ROOM [--after-seq N]';

function fail(message) {
  console.error(`watch: ${message}\n${usage}`);
  process.exit(2);
}

function parse() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        url: { type: 'string', default: 'http://127.0.0.1:5070/hubs/rooms' },
        token: { type: 'string' },
        room: { type: 'string' },
        'after-seq': { type: 'string' },
      },
    }));
  } catch (error) {
    fail(error.message);
  }
  if (!values.token) fail('--token is required (node scripts/mint-token.mjs --sub demo-user)');
  if (!values.room) fail('--room is required');
  const afterSeq = values['after-seq'] === undefined ? null : Number(values['after-seq']);
  if (afterSeq !== null && !(Number.isInteger(afterSeq) && afterSeq >= 0)) fail('--after-seq must be a whole number');
  return { url: values.url, token: values.token, room: values.room, afterSeq };
}

const print = (value) => console.log(JSON.stringify(value));
const note = (message) => console.error(`watch: ${message}`);

const { url, token, room, afterSeq } = parse();
let lastSeq = afterSeq;

// Never retry at once: a node that is shutting down still accepts connections for a while.
const retryPolicy = {
  nextRetryDelayInMilliseconds: ({ previousRetryCount }) =>
    Math.min(1000 * 2 ** previousRetryCount, 10_000) + Math.floor(Math.random() * 500),
};

const connection = new signalR.HubConnectionBuilder()
  .withUrl(url, { transport: signalR.HttpTransportType.WebSockets, accessTokenFactory: () => token })
  .withAutomaticReconnect(retryPolicy)
  .configureLogging(signalR.LogLevel.Warning)
  .build();

connection.on('event', (event) => {
  if (event?.room === room && Number.isInteger(event.seq)) lastSeq = Math.max(lastSeq ?? 0, event.seq);
  print(event);
});

connection.on('presence', (change) => print({ presence: change }));

async function subscribe() {
  const result = await connection.invoke('Subscribe', room, lastSeq, null);
  print({ subscribed: result });
}

connection.onreconnecting((error) => note(`connection lost (${error?.message ?? 'no reason'}); reconnecting`));
connection.onreconnected(() => {
  note(`reconnected; subscribing to ${room} after seq ${lastSeq}`);
  subscribe().catch((error) => note(`Subscribe failed: ${error.message}`));
});
connection.onclose((error) => {
  note(`closed${error ? `: ${error.message}` : ''}`);
  process.exit(error ? 1 : 0);
});

process.on('SIGINT', () => connection.stop());
process.on('SIGTERM', () => connection.stop());

try {
  await connection.start();
  note(`connected to ${url}`);
  await subscribe();
} catch (error) {
  note(`could not watch ${room} at ${url}: ${error.message}`);
  process.exit(1);
}
