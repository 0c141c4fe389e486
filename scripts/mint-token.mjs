#!/usr/bin/env node
// Prints an HS256 client token (JWT) for the realtime hub. No dependencies.
//
//   node scripts/mint-token.mjs --sub demo-user [--key K] [--ttl 86400] [--name N]
//
// The key is --key, else $FANOUT_JWT_SIGNING_KEY, else the development key that scripts/stack.sh
// gives the realtime nodes (Auth__Jwt__SigningKey).
import { createHmac } from 'node:crypto';
import { parseArgs } from 'node:util';

const DEV_SIGNING_KEY = 'fanout-dev-signing-key-change-me-0123456789';

const usage = 'usage: node scripts/mint-token.mjs --sub SUBJECT [--key KEY] [--ttl SECONDS] [--name NAME]';

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
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    return fail(error.message);
  }
}

const base64url = (value) => Buffer.from(value).toString('base64url');

function mintToken({ sub, key, ttlSeconds, name, now = Math.floor(Date.now() / 1000) }) {
  const header = { alg: 'HS256', typ: 'JWT' };
  const claims = { sub, iat: now, exp: now + ttlSeconds, ...(name ? { name } : {}) };
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

console.log(mintToken({ sub: args.sub, key, ttlSeconds, name: args.name }));
