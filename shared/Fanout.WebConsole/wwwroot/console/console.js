// The Fanout web console: plain ES module, no framework, no build step. It calls only the public HTTP API of this
// origin (the API key as `Authorization: Bearer`, never in a URL) and, for the live tail with a client token, the hub
// through clients/js (./lib/fanout-client.js). Everything shown is inserted as text, never as HTML.

import { el } from './dom.js';

const KEY_ITEM = 'fanout.console.apiKey';
const TOKEN_ITEM = 'fanout.console.clientToken';
const ROOM_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;
const TYPE_PATTERN = /^[A-Za-z0-9_.:-]{1,64}$/;
const MAX_TAIL_ENTRIES = 500;
const NODES_REFRESH_MS = 2000;
const POLL_MS = 1000;
const LAST_POSITION = '9223372036854775807'; // `after` beyond any seq: the history route answers the room's position only

const $ = (id) => document.getElementById(id);
const config = await fetch('./config.json', { cache: 'no-store' }).then((r) => r.json()).catch(() => ({ hubUrls: ['/hubs/rooms'] }));

let apiKey = sessionStorage.getItem(KEY_ITEM);
let clientToken = sessionStorage.getItem(TOKEN_ITEM);
let nodesTimer = null;
let roomInfo = null; // { room, epoch, lastSeq }

// ---------------------------------------------------------------------------------------------------------------
// HTTP API

/** One API call with the key; answers { status, ok, body } (body: parsed JSON, or the text). */
async function api(method, path, { json, headers = {} } = {}) {
  const init = { method, cache: 'no-store', headers: { Authorization: `Bearer ${apiKey}`, ...headers } };
  if (json !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = typeof json === 'string' ? json : JSON.stringify(json);
  }

  let response;
  try {
    response = await fetch(path, init);
  } catch (error) {
    return { status: 0, ok: false, body: { title: 'Network error', detail: `The request failed: ${error.message}` } };
  }

  const text = await response.text();
  let body = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: keep the text
  }

  if (response.status === 401 && apiKey) {
    signOut('The API key was refused (401): sign in again.');
  }

  return { status: response.status, ok: response.ok, body };
}

const roomPath = (room, rest = '') => `/v1/rooms/${encodeURIComponent(room)}${rest}`;

/** A problem+json answer as one line: "403 Forbidden: This API key may not use room …". */
function describeProblem({ status, body }) {
  if (body && typeof body === 'object') {
    return `${status} ${body.title ?? ''}${body.detail ? `: ${body.detail}` : ''}`.trim();
  }

  return status === 0 ? 'The request failed.' : `${status}${body ? `: ${String(body).slice(0, 200)}` : ''}`;
}

const time = (iso) => {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso ?? '') : date.toLocaleTimeString([], { hour12: false }) + `.${String(date.getMilliseconds()).padStart(3, '0')}`;
};
const dateTime = (iso) => {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? String(iso ?? '') : date.toLocaleString([], { hour12: false });
};

// ---------------------------------------------------------------------------------------------------------------
// Sign in / out

$('sign-in-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const key = $('api-key').value.trim();
  const token = $('client-token').value.trim();
  const error = $('sign-in-error');
  error.textContent = '';
  if (!key) {
    error.textContent = 'Enter the API key.';
    $('api-key').focus();
    return;
  }

  // Checked with GET /v1/nodes: 200, or 403 for a key limited to some rooms, means the key is valid.
  apiKey = key;
  const answer = await api('GET', '/v1/nodes');
  if (answer.status !== 200 && answer.status !== 403) {
    apiKey = null;
    error.textContent = answer.status === 401
      ? `The API key was refused: ${answer.body?.detail ?? '401 Unauthorized'}`
      : `Could not check the key: ${describeProblem(answer)}`;
    $('api-key').setAttribute('aria-invalid', 'true');
    $('api-key').focus();
    return;
  }

  $('api-key').removeAttribute('aria-invalid');
  sessionStorage.setItem(KEY_ITEM, key);
  if (token) sessionStorage.setItem(TOKEN_ITEM, token);
  else sessionStorage.removeItem(TOKEN_ITEM);
  clientToken = token || null;
  $('api-key').value = '';
  $('client-token').value = '';
  showApp();
});

$('sign-out').addEventListener('click', () => signOut());

function signOut(message = '') {
  stopTail();
  sessionStorage.removeItem(KEY_ITEM);
  sessionStorage.removeItem(TOKEN_ITEM);
  apiKey = null;
  clientToken = null;
  clearInterval(nodesTimer);
  nodesTimer = null;
  $('app').hidden = true;
  $('sign-out').hidden = true;
  $('who').textContent = '';
  $('sign-in').hidden = false;
  $('sign-in-error').textContent = message;
  $('api-key').focus();
}

function showApp() {
  $('sign-in').hidden = true;
  $('app').hidden = false;
  $('sign-out').hidden = false;
  $('who').textContent = clientToken ? 'Signed in: API key and client token' : 'Signed in: API key';
  refreshNodes();
  nodesTimer = setInterval(() => { if (!document.hidden) refreshNodes(); }, NODES_REFRESH_MS);
  lookUpRoom();
}

// ---------------------------------------------------------------------------------------------------------------
// Nodes

async function refreshNodes() {
  const answer = await api('GET', '/v1/nodes');
  const status = $('nodes-status');
  if (!answer.ok) {
    status.textContent = describeProblem(answer);
    return;
  }

  const nodes = answer.body.nodes ?? [];
  const totals = nodes.reduce((sum, node) => ({ c: sum.c + node.connections, s: sum.s + node.subscriptions, d: sum.d + (node.deliveriesPerSecond ?? 0) }),
    { c: 0, s: 0, d: 0 });
  status.textContent = `${nodes.length} live node${nodes.length === 1 ? '' : 's'}, ${totals.c} connections, ${totals.s} subscriptions, ${Math.round(totals.d)} deliveries/s · updated ${new Date().toLocaleTimeString([], { hour12: false })}`;
  $('nodes').replaceChildren(...nodes.map((node) => el('tr', {},
    el('td', { 'data-label': 'Node' }, el('code', {}, node.nodeId)), el('td', { 'data-label': 'Address' }, node.address ?? ''),
    el('td', { class: 'num', 'data-label': 'Connections' }, node.connections),
    el('td', { class: 'num', 'data-label': 'Subscriptions' }, node.subscriptions),
    el('td', { class: 'num', 'data-label': 'Rooms' }, node.rooms ?? 0),
    el('td', { class: 'num', 'data-label': 'Deliveries/s' }, Math.round(node.deliveriesPerSecond ?? 0)),
    el('td', { 'data-label': 'Started' }, dateTime(node.startedAt)), el('td', { 'data-label': 'Last heartbeat' }, time(node.lastHeartbeatAt)))));
}

// ---------------------------------------------------------------------------------------------------------------
// Room: position and presence

const currentRoom = () => $('room').value.trim();

function checkRoom() {
  const room = currentRoom();
  const valid = ROOM_PATTERN.test(room) && room !== '.' && room !== '..';
  $('room').setAttribute('aria-invalid', String(!valid));
  $('room-error').textContent = valid ? '' : 'The room id must be 1–128 characters of A–Z a–z 0–9 _ - . : (not . or ..).';
  return valid ? room : null;
}

$('room-form').addEventListener('submit', (e) => { e.preventDefault(); lookUpRoom(); });
$('room').addEventListener('change', () => { if (checkRoom()) lookUpRoom(); });

/** "keeps the newest 1000 events, none older than 1 d; serves seq 5 on" from the history answer's retention. */
function describeRetention(retention) {
  if (!retention) return 'not reported by this server';
  const age = retention.maxAgeSeconds;
  const ageText = age % 86400 === 0 ? `${age / 86400} d` : age % 3600 === 0 ? `${age / 3600} h` : age % 60 === 0 ? `${age / 60} min` : `${age} s`;
  const keeps = retention.maxEvents === 0 ? 'keeps no events (ephemeral)' : `keeps the newest ${retention.maxEvents} events, none older than ${ageText}`;
  return `${keeps}; serves seq ${retention.firstSeq} on`;
}

async function lookUpRoom() {
  const room = checkRoom();
  if (!room) return;
  const [position, stats, presence] = await Promise.all([
    api('GET', roomPath(room, `/events?after=${LAST_POSITION}&limit=1`)),
    api('GET', roomPath(room, '/presence/stats')),
    api('GET', roomPath(room, '/presence')),
  ]);
  if (room !== currentRoom()) return;
  if (!position.ok) {
    $('room-error').textContent = describeProblem(position);
    $('room-facts').hidden = true;
    $('members-table').hidden = true;
    roomInfo = null;
    return;
  }

  roomInfo = { room, epoch: position.body.epoch, lastSeq: position.body.lastSeq };
  $('room-epoch').textContent = position.body.epoch;
  $('room-last-seq').textContent = String(position.body.lastSeq);
  $('room-retention').textContent = describeRetention(position.body.retention);
  $('room-stats').textContent = stats.ok
    ? `${stats.body.users} user${stats.body.users === 1 ? '' : 's'}, ${stats.body.connections} connection${stats.body.connections === 1 ? '' : 's'}`
    : describeProblem(stats);
  $('room-facts').hidden = false;
  const members = presence.ok ? presence.body.members : [];
  $('members').replaceChildren(...members.map((m) => el('tr', {},
    el('td', { 'data-label': 'User' }, el('code', {}, m.userId)), el('td', { 'data-label': 'Name' }, m.name ?? ''),
    el('td', { class: 'num', 'data-label': 'Connections' }, m.connections), el('td', { 'data-label': 'Joined' }, dateTime(m.joinedAt)))));
  $('members-table').hidden = members.length === 0;
  $('reset-room').textContent = room;
}

// ---------------------------------------------------------------------------------------------------------------
// Publish

function parseData() {
  const text = $('publish-data').value;
  try {
    const data = JSON.parse(text);
    $('publish-data').setAttribute('aria-invalid', 'false');
    $('publish-data-error').textContent = '';
    return { ok: true, data };
  } catch (error) {
    $('publish-data').setAttribute('aria-invalid', 'true');
    $('publish-data-error').textContent = `Not valid JSON: ${error.message}`;
    return { ok: false };
  }
}

$('publish-data').addEventListener('input', parseData);
$('publish-type').addEventListener('input', () => $('publish-type').removeAttribute('aria-invalid'));

$('publish-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const result = $('publish-result');
  result.replaceChildren();
  const room = checkRoom();
  const type = $('publish-type').value.trim();
  const typeValid = TYPE_PATTERN.test(type);
  $('publish-type').setAttribute('aria-invalid', String(!typeValid));
  const data = parseData();
  if (!room || !data.ok) return;
  if (!typeValid) {
    result.append(el('p', { class: 'error' }, 'The type must be 1–64 characters of A–Z a–z 0–9 _ - . :'));
    return;
  }

  const idempotencyKey = $('publish-idempotency').value;
  const headers = idempotencyKey ? { 'Idempotency-Key': idempotencyKey } : {};
  const answer = await api('POST', roomPath(room, '/events'), { json: JSON.stringify({ type, data: data.data }), headers });
  result.append(
    el('p', { class: answer.ok ? 'ok' : 'error' }, answer.ok ? `${answer.status} Accepted` : describeProblem(answer)),
    el('pre', {}, typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body, null, 2)));
});

// ---------------------------------------------------------------------------------------------------------------
// Live tail: a hub subscription (with a client token) or polling the history API (with the key)

let tail = null; // { room, mode, paused, buffer, stop }

$('tail-form').addEventListener('submit', (e) => { e.preventDefault(); startTail(); });
$('tail-stop').addEventListener('click', () => stopTail());
$('tail-clear').addEventListener('click', () => $('tail').replaceChildren());
$('tail-pause').addEventListener('click', () => {
  if (!tail) return;
  tail.paused = !tail.paused;
  $('tail-pause').setAttribute('aria-pressed', String(tail.paused));
  if (!tail.paused) {
    const waiting = tail.buffer.splice(0);
    waiting.forEach(renderEvent);
  }

  updateTailButtons();
});
$('tail-filter').addEventListener('input', applyFilter);

function updateTailButtons() {
  $('tail-start').disabled = tail !== null;
  $('tail-stop').disabled = tail === null;
  $('tail-pause').disabled = tail === null;
  $('tail-pause').textContent = tail?.paused ? `Resume (${tail.buffer.length} waiting)` : 'Pause';
}

function setTailStatus(text) {
  $('tail-status').textContent = text;
}

function acceptEvent(event) {
  if (!tail) return;
  if (tail.paused) {
    tail.buffer.push(event);
    updateTailButtons();
    return;
  }

  renderEvent(event);
}

function renderEvent(event) {
  const list = $('tail');
  const item = el('li', { dataset: { type: event.type, seq: String(event.seq) } },
    el('div', { class: 'meta' }, el('strong', {}, `#${event.seq}`), el('code', {}, event.type), el('span', {}, time(event.publishedAt)), el('span', { class: 'muted' }, event.id)),
    el('pre', {}, JSON.stringify(event.data, null, 2)));
  item.hidden = !matchesFilter(event.type);
  list.append(item);
  while (list.children.length > MAX_TAIL_ENTRIES) list.firstElementChild.remove();
  item.scrollIntoView({ block: 'nearest' });
}

function renderNote(text) {
  $('tail').append(el('li', { class: 'system' }, text));
}

function matchesFilter(type) {
  const filter = $('tail-filter').value.trim();
  return !filter || type.includes(filter);
}

function applyFilter() {
  for (const item of $('tail').children) {
    if (item.dataset.type !== undefined) item.hidden = !matchesFilter(item.dataset.type);
  }
}

function readReplayFrom() {
  const text = $('tail-from').value.trim();
  if (!text) return { ok: true, value: null };
  const valid = /^[0-9]{1,18}$/.test(text);
  $('tail-from').setAttribute('aria-invalid', String(!valid));
  return valid ? { ok: true, value: Number(text) } : { ok: false };
}

async function startTail() {
  const room = checkRoom();
  const from = readReplayFrom();
  if (!room || !from.ok || tail) return;
  tail = { room, mode: clientToken ? 'hub' : 'poll', paused: false, buffer: [], stop: async () => {} };
  updateTailButtons();
  renderNote(`Tailing ${room}${from.value !== null ? ` from seq ${from.value}` : ''}`);
  if (tail.mode === 'hub') await startHubTail(tail, room, from.value);
  else await startPollTail(tail, room, from.value);
}

async function stopTail() {
  const current = tail;
  tail = null;
  updateTailButtons();
  if (current) {
    setTailStatus('Stopped.');
    await current.stop();
  }
}

async function startHubTail(state, room, afterSeq) {
  let library;
  try {
    library = await import('./lib/fanout-client.js');
  } catch {
    setTailStatus('The hub client (clients/js browser bundle) is not built into this service; polling the history API instead.');
    return startPollTail(state, room, afterSeq);
  }

  const urls = (config.hubUrls ?? ['/hubs/rooms']).map((url) => new URL(url, location.href).href);
  const client = library.connect({ url: urls, token: () => clientToken });
  state.stop = () => client.close();
  client.on('connected', ({ url }) => { if (tail === state) setTailStatus(`Live over the hub (${url}).`); });
  client.on('reconnecting', ({ delayMs }) => { if (tail === state) setTailStatus(`Connection lost; reconnecting in ${Math.round(delayMs)} ms…`); });
  client.on('error', ({ context, error }) => { if (tail === state) setTailStatus(`Hub ${context}: ${error.message}`); });
  client.on('reset', ({ reason, lastSeq }) => { if (tail === state) renderNote(`Position reset (${reason}); live from seq ${lastSeq}`); });
  client.on('recovered', ({ replayed }) => { if (tail === state) renderNote(`Reconnected: ${replayed} missed event(s) recovered`); });
  setTailStatus('Connecting to the hub…');
  const position = afterSeq === null ? undefined : { afterSeq, epoch: roomInfo?.room === room ? roomInfo.epoch : null };
  const subscription = client.subscribe(room, (event) => { if (tail === state) acceptEvent(event); }, position);
  try {
    const result = await subscription.ready;
    if (tail === state) {
      setTailStatus(`Live over the hub: subscribed at seq ${result.lastSeq}${afterSeq !== null ? `, ${result.replayed} replayed` : ''}.`);
      if (afterSeq !== null && !result.recovered) renderNote(`Could not replay from seq ${afterSeq}: ${result.reason ?? 'unknown'}`);
    }
  } catch (error) {
    if (tail === state) {
      setTailStatus(`The hub refused the subscription: ${error.message}`);
      await stopTail();
    }
  }
}

async function startPollTail(state, room, afterSeq) {
  let cursor = afterSeq;
  let epoch = null;
  let timer = null;
  state.stop = async () => clearTimeout(timer);
  if (cursor === null) {
    const position = await api('GET', roomPath(room, `/events?after=${LAST_POSITION}&limit=1`));
    if (!position.ok) {
      setTailStatus(describeProblem(position));
      await stopTail();
      return;
    }

    cursor = position.body.lastSeq;
    epoch = position.body.epoch;
  }

  setTailStatus(`Polling the history API every ${POLL_MS / 1000} s with the API key (sign in with a client token for the hub).`);
  const poll = async () => {
    if (tail !== state) return;
    const page = await api('GET', roomPath(room, `/events?after=${cursor}&limit=100`));
    if (tail !== state) return;
    if (!page.ok) {
      setTailStatus(`Polling: ${describeProblem(page)}`);
    } else {
      if (epoch !== null && page.body.epoch !== epoch) {
        renderNote(`The room's history was reset (new epoch ${page.body.epoch}).`);
        if (page.body.lastSeq < cursor) cursor = page.body.lastSeq;
      }

      epoch = page.body.epoch;
      for (const event of page.body.events) {
        cursor = event.seq;
        acceptEvent(event);
      }

      if (page.body.events.length === 100) {
        timer = setTimeout(poll, 0);
        return;
      }
    }

    timer = setTimeout(poll, POLL_MS);
  };
  await poll();
}

// ---------------------------------------------------------------------------------------------------------------
// History

let historyNext = null;

$('history-form').addEventListener('submit', (e) => { e.preventDefault(); loadHistory($('history-after').value.trim()); });
$('history-next').addEventListener('click', () => { if (historyNext !== null) loadHistory(String(historyNext)); });

async function loadHistory(after) {
  const room = checkRoom();
  const limit = $('history-limit').value.trim();
  const status = $('history-status');
  if (!room) return;
  const answer = await api('GET', roomPath(room, `/events?after=${encodeURIComponent(after)}&limit=${encodeURIComponent(limit)}`));
  if (!answer.ok) {
    status.textContent = describeProblem(answer);
    $('history-table').hidden = true;
    $('history-next').disabled = true;
    return;
  }

  const { events, epoch, lastSeq } = answer.body;
  $('history-after').value = after;
  $('history').replaceChildren(...events.map((event) => el('tr', {},
    el('td', { class: 'num' }, event.seq), el('td', {}, el('code', {}, event.type)), el('td', {}, dateTime(event.publishedAt)),
    el('td', {}, el('code', {}, JSON.stringify(event.data))))));
  $('history-table').hidden = events.length === 0;
  const last = events.length > 0 ? events[events.length - 1].seq : null;
  historyNext = last !== null && last < lastSeq ? last : null;
  $('history-next').disabled = historyNext === null;
  status.textContent = events.length > 0
    ? `Seqs ${events[0].seq}–${last} of ${lastSeq} (epoch ${epoch})${historyNext === null ? ', the end' : ''}.`
    : `No events after seq ${after} (last seq ${lastSeq}, epoch ${epoch}).`;
}

// ---------------------------------------------------------------------------------------------------------------
// Reset (with confirmation)

$('reset-open').addEventListener('click', () => {
  const room = checkRoom();
  if (!room) return;
  $('reset-room').textContent = room;
  $('reset-form').hidden = false;
  $('reset-open').hidden = true;
  $('reset-confirm').value = '';
  $('reset-submit').disabled = true;
  $('reset-confirm').focus();
});
$('reset-cancel').addEventListener('click', closeReset);
$('reset-confirm').addEventListener('input', () => { $('reset-submit').disabled = $('reset-confirm').value !== currentRoom(); });

function closeReset() {
  $('reset-form').hidden = true;
  $('reset-open').hidden = false;
  $('reset-open').focus();
}

$('reset-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const room = checkRoom();
  if (!room || $('reset-confirm').value !== room) return;
  const answer = await api('DELETE', roomPath(room, '/events'));
  const result = $('reset-result');
  result.replaceChildren(el('p', { class: answer.ok ? 'ok' : 'error' },
    answer.ok ? `Reset: ${room} has the new epoch ${answer.body.epoch}; its seqs continue after ${answer.body.lastSeq}.` : describeProblem(answer)));
  closeReset();
  lookUpRoom();
});

// ---------------------------------------------------------------------------------------------------------------

if (apiKey) showApp();
else $('api-key').focus();
