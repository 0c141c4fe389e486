// The Fanout demo chat, on clients/js (./lib/fanout-client.js, the browser bundle of @fanout/client): join a room with
// a name, see members join and leave, send and receive messages, go offline and come back with every missed message
// recovered. A plain ES module; messages are inserted as text, never as HTML.

import { el } from './dom.js';

const $ = (id) => document.getElementById(id);
const config = await fetch('./config.json', { cache: 'no-store' }).then((r) => r.json()).catch(() => ({ hubUrls: ['/hubs/rooms'] }));

let library = null;
try {
  library = await import('./lib/fanout-client.js');
} catch {
  $('join-error').textContent = 'The JavaScript client (clients/js browser bundle) is not built into this service: build it with npm (cd clients/js && npm ci && npm run build) and rebuild the service.';
}

$('token-hint').textContent = config.demoTokens
  ? `Leave it empty: this development server hands out a token for the rooms ${config.demoRoomPattern} (POST /demo/token, Development only).`
  : 'Required here: a client token (JWT) for the hub, e.g. node scripts/mint-token.mjs --sub alice --name Alice --rooms "demo:*" with the nodes\' signing key.';
if (!config.demoTokens) {
  $('token-optional').textContent = '(required)';
  $('token').required = true;
}

const session = {
  client: null, subscription: null, room: null, name: null, userId: null, token: null,
  resuming: false, // between goOnline and its Subscribe result
  offlineAt: null, // the position when going offline: { epoch, lastSeq }
  recovering: null, // { from, to }: seqs delivered by the replay after coming back
  names: new Map(), // userId → name
};

function setState(text, kind) {
  $('state').textContent = text;
  $('state').className = `badge state-${kind}`;
}

function note(text) {
  append(el('li', { class: 'system' }, text));
}

function append(item) {
  const list = $('messages');
  list.append(item);
  item.scrollIntoView({ block: 'nearest' });
}

// ---------------------------------------------------------------------------------------------------------------
// Join

$('join-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const error = $('join-error');
  error.textContent = '';
  const name = $('name').value.trim();
  const room = $('room').value.trim();
  if (!library) return;
  if (!name) {
    error.textContent = 'Enter your name.';
    $('name').focus();
    return;
  }

  if (!/^[A-Za-z0-9_.:-]{1,128}$/.test(room)) {
    error.textContent = 'The room must be 1–128 characters of A–Z a–z 0–9 _ - . :';
    $('room').focus();
    return;
  }

  let token = $('token').value.trim();
  if (!token) {
    const answer = await fetch('./token', {
      method: 'POST', cache: 'no-store', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name }),
    }).catch(() => null);
    if (!answer?.ok) {
      const problem = await answer?.json().catch(() => null);
      error.textContent = problem?.detail ?? 'Could not get a demo token: paste a client token.';
      return;
    }

    const issued = await answer.json();
    token = issued.token;
    session.userId = issued.userId;
  }

  session.token = token;
  session.userId ??= subjectOf(token);
  session.name = name;
  session.room = room;
  $('join').hidden = true;
  $('chat').hidden = false;
  $('chat-title').textContent = room;
  await goOnline(null);
  $('message').focus();
});

/** The token's `sub` (the user id presence lists), read without verifying: the nodes verify it. */
function subjectOf(token) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(payload)).sub ?? null;
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Connection, subscription, recovery

async function goOnline(position) {
  setState(position ? 'reconnecting…' : 'connecting…', 'offline');
  const urls = (config.hubUrls ?? ['/hubs/rooms']).map((url) => new URL(url, location.href).href);
  const client = library.connect({ url: urls, token: () => session.token });
  session.client = client;
  client.on('connected', () => setState('online', 'online'));
  client.on('reconnecting', () => setState('reconnecting…', 'offline'));
  // A lost connection that the client re-made by itself (coming back from 'Go offline' is reported by goOnline).
  client.on('recovered', ({ replayed }) => { if (session.client === client && !session.resuming) note(`Connection came back: ${replayed} missed message(s) recovered.`); });
  client.on('reset', ({ reason }) => note(`Some messages could not be recovered (${reason}).`));
  client.on('error', ({ context, error }) => { if (context !== 'connect') $('send-error').textContent = `${context}: ${error.message}`; });

  session.recovering = position ? { from: position.lastSeq ?? 0, to: null } : null;
  session.resuming = true;
  session.subscription = client.subscribe(session.room, {
    onEvent: showEvent,
    onPresence: (change) => onPresence(change),
  }, position ? { afterSeq: position.lastSeq, epoch: position.epoch } : undefined);

  try {
    const result = await session.subscription.ready.finally(() => { session.resuming = false; });
    $('send').disabled = false;
    $('message').disabled = false;
    if (position) {
      session.recovering.to = result.lastSeq;
      markRecovered();
      const text = result.recovered
        ? `Back online: ${result.replayed} missed message${result.replayed === 1 ? '' : 's'} recovered.`
        : `Back online, but the missed messages could not be recovered (${result.reason ?? 'unknown'}).`;
      $('recovery').textContent = text;
      note(text);
    } else {
      note(`You joined ${session.room} as ${session.name}.`);
    }

    await refreshMembers();
  } catch (error) {
    $('send-error').textContent = `Could not join ${session.room}: ${error.message}`;
    setState('refused', 'offline');
  }
}

async function goOffline() {
  const { client, subscription } = session;
  session.offlineAt = subscription?.position ?? null;
  session.client = null;
  session.subscription = null;
  $('send').disabled = true;
  $('message').disabled = true;
  await client?.close();
  setState('offline', 'offline');
  $('recovery').textContent = `Offline at message #${session.offlineAt?.lastSeq ?? 0}.`;
  note(`You went offline (last message #${session.offlineAt?.lastSeq ?? 0}).`);
  $('members').replaceChildren();
}

$('offline').addEventListener('click', async () => {
  const button = $('offline');
  button.disabled = true;
  try {
    if (session.client) {
      await goOffline();
      button.textContent = 'Go online';
      button.setAttribute('aria-pressed', 'true');
    } else {
      button.textContent = 'Go offline';
      button.setAttribute('aria-pressed', 'false');
      await goOnline(session.offlineAt ?? { epoch: null, lastSeq: 0 });
    }
  } finally {
    button.disabled = false;
  }
});

$('leave').addEventListener('click', async () => {
  await session.client?.close();
  session.client = null;
  session.subscription = null;
  session.userId = null;
  session.offlineAt = null;
  session.recovering = null;
  $('messages').replaceChildren();
  $('members').replaceChildren();
  $('recovery').textContent = '';
  $('offline').textContent = 'Go offline';
  $('offline').setAttribute('aria-pressed', 'false');
  $('chat').hidden = true;
  $('join').hidden = false;
  setState('not connected', 'offline');
  $('name').focus();
});

function isRecovered(seq) {
  const range = session.recovering;
  return range !== null && seq > range.from && (range.to === null || seq <= range.to);
}

function markRecovered() {
  for (const item of $('messages').querySelectorAll('li[data-seq]')) {
    const seq = Number(item.dataset.seq);
    if (isRecovered(seq) && !item.querySelector('.badge.recovered')) {
      item.querySelector('.meta').append(el('span', { class: 'badge recovered' }, 'recovered'));
    }
  }
}

function showEvent(event) {
  if (event.type !== 'message') return;
  const data = event.data && typeof event.data === 'object' ? event.data : { text: String(event.data) };
  const mine = data.userId !== undefined && data.userId === session.userId;
  const meta = el('div', { class: 'meta' },
    el('strong', { class: 'who' }, data.name ?? 'someone'), el('span', {}, `#${event.seq}`),
    el('span', {}, new Date(event.publishedAt).toLocaleTimeString([], { hour12: false })));
  if (isRecovered(event.seq)) meta.append(el('span', { class: 'badge recovered' }, 'recovered'));
  append(el('li', { class: mine ? 'mine' : '', dataset: { seq: String(event.seq) } }, meta, el('div', {}, String(data.text ?? ''))));
}

// ---------------------------------------------------------------------------------------------------------------
// Presence

async function onPresence({ userId, action }) {
  await refreshMembers();
  const name = session.names.get(userId) ?? userId;
  if (userId !== session.userId) note(`${name} ${action === 'join' ? 'joined' : 'left'}.`);
}

async function refreshMembers() {
  const client = session.client;
  if (!client) return;
  try {
    const { members } = await client.presence(session.room);
    for (const member of members) session.names.set(member.userId, member.name ?? member.userId);
    $('members').replaceChildren(...members.map((member) => el('li', {},
      member.name ?? member.userId, member.userId === session.userId ? ' (you)' : '',
      member.connections > 1 ? el('span', { class: 'muted' }, ` · ${member.connections} connections`) : null)));
    $('members-title').textContent = `Members (${members.length})`;
  } catch (error) {
    $('send-error').textContent = `presence: ${error.message}`;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Send

$('send-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const text = $('message').value.trim();
  $('send-error').textContent = '';
  if (!text || !session.client) return;
  try {
    await session.client.publish(session.room, 'message', { text, name: session.name, userId: session.userId });
    $('message').value = '';
  } catch (error) {
    $('send-error').textContent = `Not sent: ${error.message}`;
  }
});
