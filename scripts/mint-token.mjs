#!/usr/bin/env node
// Prints an HS256 client token (JWT) for the realtime hub. No dependencies.
//
//   node scripts/mint-token.mjs --sub demo-user [--key K] [--ttl 86400] [--name N] [--rooms 'chat:* news']
//
// --rooms (default '*': every room) sets the token's `rooms` claim, the room patterns it may subscribe and publish to
// (space-separated); --rooms '' leaves the claim out, so the token may use only its personal room user:{sub}.
//
// The key is --key, else $FANOUT_JWT_SIGNING_KEY, else the development key that scripts/stack.sh
// gives the realtime nodes (Auth__Jwt__SigningKey).
import { createHmac } from 'node:crypto';
import { parseArgs } from 'node:util';

const DEV_SIGNING_KEY = 'fanout-dev-signing-key-change-me-0123456789';

const usage = 'usage: node scripts/mint-token.mjs --sub SUBJECT [--key KEY] [--ttl SECONDS] [--name NAME] [--rooms PATTERNS]';

function fail(message) {
  console.error(`mint-token: ${message}\n${usage}`);
  process.exit(2);
}

function parse() {
  try {
    return parseArgs({
      options: {
        sub: { type: 'string' },
        key: { type: 'string' },
        ttl: { type: 'string', default: '86400' },
        name: { type: 'string' },
        rooms: { type: 'string', default: '*' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    return fail(error.message);
  }
}

const base64url = (value) => Buffer.from(value).toString('base64url');

function mintToken({ sub, key, ttlSeconds, name, rooms, now = Math.floor(Date.now() / 1000) }) {
  const header = { alg: 'HS256', typ: 'JWT' };
  const patterns = rooms.split(/\s+/).filter(Boolean);
  const claims = { sub, iat: now, exp: now + ttlSeconds, ...(name ? { name } : {}), ...(patterns.length ? { rooms: patterns } : {}) };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  const signature = createHmac('sha256', key).update(signingInput).digest('base64url');
  return `${signingInput}.${signature}`;
}

const args = parse();
if (args.help) {
  console.log(usage);
  process.exit(0);
}
if (!args.sub) fail('--sub is required');
const ttlSeconds = Number(args.ttl);
if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) fail(`--ttl must be a positive number of seconds, not '${args.ttl}'`);
const key = args.key ?? process.env.FANOUT_JWT_SIGNING_KEY ?? DEV_SIGNING_KEY;
if (!key) fail('the signing key is empty');

console.log(mintToken({ sub: args.sub, key, ttlSeconds, name: args.name, rooms: args.rooms }));
