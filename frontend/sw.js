// The citizen app's service worker (scope `/`).
//
// - Keeps the app (both citizen shells, their hashed files and the language
//   files) and the public data a dossier needs (catalogue pages, forms,
//   provinces and communes, the rating criteria) on the device, so the app
//   opens and a whole form can be filled with no signal.
// - Keeps the whole catalogue's offline index (a manifest and a few compact
//   parts, see `keepIndex`), which the search page reads with no signal.
// - Keeps an outbox in IndexedDB: a dossier (and its photos), or a citizen's
//   report, sent with no
//   signal waits there, survives reloads and closed tabs, and is sent when the
//   network returns (Background Sync where the browser has it; the page also
//   retries with back-off while it is open). The server's idempotency key
//   makes every retry land on the same dossier: it arrives exactly once.
// - Never touches the desk (`/desk`, `/api/desk`), tracking or anything
//   personal: those always go to the network and are never cached.
//
// Written in JavaScript, not Rust: the browser wakes a service worker for
// every request, so it must start at once on a cheap phone, and a WASM module
// would add its download and start-up to each wake-up. It holds none of the
// portal's rules (those are in `shared/`), only caching and the queue.
'use strict';

const APP_CACHE = 'motcua-app-v1';
const DATA_CACHE = 'motcua-data-v1';
// Recordings for read-aloud, by versioned address (`/audio/<lang>/<key>?v=`).
const AUDIO_CACHE = 'motcua-audio-v1';
const SHELLS = ['/index.html', '/dossier/index.html'];
// The interface strings of every language but Vietnamese (built into the app):
// small, and kept so a citizen who chose one sees it offline from the very first
// page the worker did not yet control. Keep in step with Lang::ALL (src/i18n.rs;
// a unit test there checks).
const LOCALES = ['en', 'hmn', 'blt', 'km', 'rad', 'jra'].map((code) => `/locales/${code}.json`);
// Which of them the menu offers (coverage, versions): fresh when the network
// answers (a language the province just published is in the menu at once),
// else the copy kept from the last page.
const LOCALE_INDEX = '/locales/index.json';
const AUDIO_INDEX = '/audio/index.json';
// Trunk's hashed file names (immutable), as static-files' `is_hashed` reads them.
const HASHED = /\/[\w.\/-]*-[0-9a-f]{12,16}(?:_bg)?\.(?:js|wasm|css)/g;
// A file, not a page of the app (`/procedures/1.001193` is a page: its dot is no extension).
const FILE = /\.(?:html|m?js|wasm|css|json|webmanifest|svg|png|jpe?g|webp|ico|woff2|ttf|mp3|ogg|txt|csv)$/i;
// Public answers worth keeping for offline use.
const CACHED_API = /^\/api\/(?:procedures|procedure-index|forms|units)(?:\/|$)|^\/api\/ratings\/criteria$/;
// The offline catalogue index: this manifest names the published version and
// its parts, `${INDEX}/{version}/{part}`, which never change.
const INDEX = '/api/procedure-index';

// Which shell a page needs: keep in step with shared/src/app_paths.rs
// (the offline browser test opens pages of both apps from the cache).
function shellFor(path) {
  const p = path.replace(/\/+$/, '');
  const dossier = p === '/track' || p === '/dashboard' || p.startsWith('/track/') ||
    p === '/reports' || p.startsWith('/reports/') || p === '/consultations' || p.startsWith('/consultations/') ||
    p.startsWith('/receipt/') || p.startsWith('/apply/') || (p.startsWith('/procedures/') && p.endsWith('/apply'));
  return dossier ? '/dossier/index.html' : '/index.html';
}

self.addEventListener('install', (event) => {
  event.waitUntil(precacheApp().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name !== APP_CACHE && name !== DATA_CACHE && name !== AUDIO_CACHE) await caches.delete(name);
    }
    await self.clients.claim();
    // The data is fetched after the app is ready, and never blocks it.
    keepData();
  })());
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const path = url.pathname;
  if (path === '/desk' || path.startsWith('/desk/') || path.startsWith('/api/desk')) return;
  if (path.startsWith('/sw/')) return event.respondWith(outboxApi(request, path));
  if (request.method === 'POST') {
    // Only requests the page marks may be queued (never the kiosk's, nor the desk's).
    if (request.headers.get('x-motcua-queue') !== '1') return;
    if (path === '/api/dossiers' || path === '/api/reports') return event.respondWith(submit(request, path));
    if (path === '/api/uploads') return event.respondWith(upload(request));
    return;
  }
  if (request.method !== 'GET') return;
  if (request.mode === 'navigate' && !path.startsWith('/api/') && !FILE.test(path)) return event.respondWith(page(event, url));
  if (path.match(HASHED) || path.startsWith('/fonts/')) return event.respondWith(cacheFirst(request));
  if (LOCALES.includes(path)) {
    // `?v=` names a published version, which never changes: kept once fetched.
    return event.respondWith(url.searchParams.has('v') ? keptVersion(request, path) : keptThenRefreshed(event, request));
  }
  if (path === LOCALE_INDEX) return event.respondWith(networkFirst(request));
  // A recording's address names its version: kept ones never change.
  if (path === AUDIO_INDEX) return event.respondWith(networkFirst(request));
  if (path.startsWith('/audio/')) return event.respondWith(cacheFirst(request, AUDIO_CACHE));
  // The index's parts never change: from the device when kept. Its manifest is
  // fresh when the network answers, but only `keepIndex` stores it (once its
  // parts are all kept), so the kept manifest always names kept parts.
  if (path.startsWith(`${INDEX}/`)) return event.respondWith(cacheFirst(request, DATA_CACHE));
  if (CACHED_API.test(path)) return event.respondWith(networkFirst(request, path !== INDEX));
});

self.addEventListener('sync', (event) => {
  if (event.tag === 'outbox') {
    // Rejecting asks the browser to try again later.
    event.waitUntil(flush().then((waiting) => {
      if (waiting > 0) throw new Error('still waiting');
    }));
  }
});

// ---- The app and its data -------------------------------------------------

// Data Saver on: only what the citizen opens is kept (no fetching ahead).
function savingData() {
  return !!(self.navigator.connection && self.navigator.connection.saveData);
}

async function precacheApp() {
  const cache = await caches.open(APP_CACHE);
  for (const shell of savingData() ? SHELLS.slice(0, 1) : SHELLS) {
    const response = await fetch(shell, { cache: 'no-cache' });
    if (!response.ok) throw new Error(`${shell}: ${response.status}`);
    await keepShell(cache, shell, response);
  }
}

let localesKeptAt = 0;
// Stores a shell and the hashed files it names; drops files no shell names.
// A new build also brings the language files up to date (they are not hashed).
async function keepShell(cache, shell, response) {
  const html = await response.clone().text();
  await cache.put(shell, response);
  let newBuild = false;
  for (const file of new Set(html.match(HASHED) || [])) {
    if (!(await cache.match(file))) {
      const r = await fetch(file);
      if (r.ok) await cache.put(file, r);
      newBuild = true;
    }
  }
  if (newBuild && !savingData() && Date.now() - localesKeptAt > 60000) {
    localesKeptAt = Date.now();   // both shells of one build: fetched once
    for (const file of LOCALES) {
      const r = await fetch(file, { cache: 'no-cache' });
      if (r.ok) await cache.put(file, r);
    }
  }
  const named = new Set();
  for (const s of SHELLS) {
    const r = await cache.match(s);
    if (r) for (const f of (await r.text()).match(HASHED) || []) named.add(f);
  }
  for (const request of await cache.keys()) {
    const p = new URL(request.url).pathname;
    if (!SHELLS.includes(p) && !LOCALES.includes(p) && !p.startsWith('/fonts/') && !named.has(p)) await cache.delete(request);
  }
}

// Whether everything for offline use is on the device (a device that kept the
// data before the index existed is not, until it has kept the index).
async function dataReady() {
  return !!(await caches.match('/sw/ready')) && !!(await caches.match(INDEX, { ignoreVary: true }));
}

// Fetches the data unless it is on the device already, and looks for a new
// version of the catalogue index (at most once a minute); a failed attempt (the
// signal dropped half-way) is tried again at the next page or `/sw/ready`.
let keeping = null;
let indexCheckedAt = 0;
async function keepData() {
  if (savingData()) return;
  if (!keeping) {
    keeping = (async () => {
      if (!(await caches.match('/sw/ready'))) await precacheData();
      else if (!(await dataReady()) || Date.now() - indexCheckedAt > 60000) await keepIndex();
    })().catch(() => {}).finally(() => { keeping = null; });
  }
  return keeping;
}

// The whole catalogue for offline search: the manifest of the published
// version and each of its parts (a few compact requests, ~2,000 procedures
// each, fetched once per version). The manifest is stored last, so the kept
// one always names parts on the device; parts of older versions then go.
async function keepIndex() {
  const cache = await caches.open(DATA_CACHE);
  const manifest = await fetch(INDEX, { cache: 'no-cache' });
  if (!manifest.ok) throw new Error(`${INDEX}: ${manifest.status}`);
  const { version, parts } = await manifest.clone().json();
  const paths = Array.from({ length: parts }, (_, part) => `${INDEX}/${version}/${part}`);
  for (const path of paths) {
    if (await cache.match(path, { ignoreVary: true })) continue;
    const r = await fetch(path);
    if (!r.ok) throw new Error(`${path}: ${r.status}`);
    await cache.put(path, r);
  }
  await cache.put(INDEX, manifest);
  for (const request of await cache.keys()) {
    const p = new URL(request.url).pathname;
    if (p.startsWith(`${INDEX}/`) && !paths.includes(p)) await cache.delete(request);
  }
  indexCheckedAt = Date.now();
}

// The catalogue's first page and its offline index, every form with its
// procedure, and the address lists.
async function precacheData() {
  const cache = await caches.open(DATA_CACHE);
  const keep = async (path) => {
    const r = await fetch(path);
    if (!r.ok) throw new Error(`${path}: ${r.status}`);
    await cache.put(path, r.clone());
    return r.json();
  };
  // The home page's list (the catalogue's first page, with the fields); the
  // whole catalogue comes as the index, in a few parts, never page by page.
  await keep('/api/procedures');
  await keepIndex();
  for (const form of await keep('/api/forms')) {
    const code = encodeURIComponent(form.procedure_code);
    await keep(`/api/forms/${code}`);
    await keep(`/api/procedures/${code}`);
  }
  await keep('/api/ratings/criteria');
  for (const unit of await keep('/api/units')) await keep(`/api/units/${unit.code}`);
  await cache.put('/sw/ready', new Response('true'));
}

// A page: its shell from the device at once (then refreshed from the network
// for next time), or from the network on the very first visit.
async function page(event, url) {
  const shell = shellFor(url.pathname);
  const cache = await caches.open(APP_CACHE);
  const cached = await cache.match(shell);
  const fresh = fetch(shell, { cache: 'no-cache' }).then(async (response) => {
    if (response.ok) await keepShell(cache, shell, response.clone());
    return response;
  });
  event.waitUntil(keepData());
  if (cached) {
    event.waitUntil(fresh.catch(() => {}));
    return cached;
  }
  return fresh.catch(() => fetch(event.request));
}

// A language's strings: the kept copy at once, refreshed for next time (a
// string added since shows in Vietnamese for one visit).
async function keptThenRefreshed(event, request) {
  const cache = await caches.open(APP_CACHE);
  const cached = await cache.match(request, { ignoreVary: true });
  const fresh = fetch(request).then(async (response) => {
    if (response.ok) await cache.put(request, response.clone());
    return response;
  });
  if (cached) {
    event.waitUntil(fresh.catch(() => {}));
    return cached;
  }
  return fresh;
}

// A language file of a named version: from the device when kept, else from
// the network (then the older versions of that file are dropped); with no
// signal and no copy of this version, whatever version the device has.
async function keptVersion(request, path) {
  const cache = await caches.open(APP_CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  try {
    const response = await fetch(request);
    if (response.ok) {
      for (const old of await cache.keys(path, { ignoreSearch: true })) {
        if (new URL(old.url).search) await cache.delete(old);
      }
      await cache.put(request, response.clone());
    }
    return response;
  } catch (e) {
    const any = await cache.match(path, { ignoreSearch: true });
    if (any) return any;
    throw e;
  }
}

async function cacheFirst(request, name = APP_CACHE) {
  const cache = await caches.open(name);
  const cached = await cache.match(request, { ignoreVary: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

// Fresh data when the network answers within a few seconds; else what the
// device kept (a slow link gets the kept copy instead of a spinner). A fresh
// answer is kept for next time unless `keep` is false.
async function networkFirst(request, keep = true) {
  const cache = await caches.open(DATA_CACHE);
  return new Promise((resolve, reject) => {
    let settled = false;
    const settle = (response) => { if (!settled) { settled = true; resolve(response); } };
    const fromCache = () => cache.match(request, { ignoreVary: true }).then((hit) => { if (hit) settle(hit); return hit; });
    const timer = setTimeout(fromCache, 5000);
    fetch(request).then((response) => {
      clearTimeout(timer);
      if (response.ok && keep) cache.put(request, response.clone()).catch(() => {});
      settle(response);
    }, (error) => {
      clearTimeout(timer);
      fromCache().then((hit) => { if (!hit && !settled) { settled = true; reject(error); } });
    });
  });
}

// ---- The outbox -----------------------------------------------------------

function database() {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open('motcua-outbox', 1);
    open.onupgradeneeded = () => {
      open.result.createObjectStore('outbox', { keyPath: 'key' });
      open.result.createObjectStore('photos', { keyPath: 'id' });
    };
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
}

async function store(name, mode, work) {
  const db = await database();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(name, mode);
    const request = work(tx.objectStore(name));
    tx.oncomplete = () => { db.close(); resolve(request ? request.result : undefined); };
    tx.onerror = tx.onabort = () => { db.close(); reject(tx.error); };
  });
}
const getOne = (name, key) => store(name, 'readonly', (s) => s.get(key));
const getAll = (name) => store(name, 'readonly', (s) => s.getAll());
const putOne = (name, value) => store(name, 'readwrite', (s) => s.put(value));
const deleteOne = (name, key) => store(name, 'readwrite', (s) => s.delete(key));

// `2026-03-10T08:30:00.000+07:00`: the portal's clock, whatever the phone's zone.
function vietnamTime() {
  return new Date(Date.now() + 7 * 3600 * 1000).toISOString().replace('Z', '+07:00');
}

function json(status, value) {
  return new Response(JSON.stringify(value), { status, headers: { 'content-type': 'application/json' } });
}

// What the page is told of an item: never the answers themselves.
function summary(item) {
  return {
    key: item.key, kind: item.kind || 'dossier', procedure_code: item.procedure_code, state: item.state, queued_at: item.queued_at,
    attempts: item.attempts, tried_at: item.tried_at || null, receipt: item.receipt || null, error: item.error || null,
  };
}

// `/sw/...`: the page's view of the outbox (answered here, never by the server).
async function outboxApi(request, path) {
  try {
    if (path === '/sw/ready') {
      const ready = await dataReady();
      if (!ready) keepData();
      return json(200, { ready });
    }
    if (path === '/sw/audio' && request.method === 'POST') return json(200, await keepAudio(new URL(request.url).searchParams));
    if (path === '/sw/outbox' && request.method === 'GET') return json(200, (await getAll('outbox')).map(summary));
    if (path === '/sw/outbox/flush' && request.method === 'POST') {
      await flush(new URL(request.url).searchParams.get('force') === '1');
      return json(200, (await getAll('outbox')).map(summary));
    }
    const key = decodeURIComponent(path.slice('/sw/outbox/'.length));
    if (path.startsWith('/sw/outbox/') && key) {
      const item = await getOne('outbox', key);
      if (!item) return json(404, { error: { code: 'not_found', message: 'not in the outbox' } });
      if (request.method === 'GET') return json(200, item);
      if (request.method === 'DELETE') {
        await deleteOne('outbox', key);
        return json(200, summary(item));
      }
    }
    return json(404, { error: { code: 'not_found', message: 'no such outbox path' } });
  } catch (e) {
    return json(500, { error: { code: 'internal', message: 'the device storage failed' } });
  }
}

// Keeps the recordings of the languages asked (`langs=hmn` on a phone, every
// offered language on a kiosk) in key order until `budget` bytes, and drops
// the kept ones no longer wanted (another language, an older version). The
// budgets are in shared/src/languages.rs; the page sends them.
// Asked on every dossier page: the index is fetched again at most every ten
// minutes for the same languages (a new recording waits that long at most).
let audioKept = { what: '', at: 0 };
async function keepAudio(params) {
  const langs = (params.get('langs') || '').split(',').filter(Boolean);
  const budget = Math.max(0, Number(params.get('budget')) || 0);
  const what = `${langs.join(',')}:${budget}`;
  if (audioKept.what === what && Date.now() - audioKept.at < 600000) return { kept: null };
  // Data Saver on: voices are played from the network when asked, never fetched ahead.
  if (savingData()) return { kept: 0, bytes: 0 };
  const response = await fetch(AUDIO_INDEX, { cache: 'no-cache' });
  if (!response.ok) return { kept: 0, bytes: 0 };
  const index = await response.clone().json();
  await (await caches.open(DATA_CACHE)).put(AUDIO_INDEX, response);
  const wanted = new Set();
  let bytes = 0;
  for (const lang of langs) {
    for (const [key, file] of Object.entries(index[lang] || {})) {
      if (bytes + file.bytes > budget) continue;
      bytes += file.bytes;
      wanted.add(`/audio/${lang}/${encodeURIComponent(key)}?v=${file.v}`);
    }
  }
  const cache = await caches.open(AUDIO_CACHE);
  for (const request of await cache.keys()) {
    const url = new URL(request.url);
    if (!wanted.has(url.pathname + url.search)) await cache.delete(request);
  }
  for (const address of wanted) {
    if (await cache.match(address)) continue;
    const r = await fetch(address);
    if (r.ok) await cache.put(address, r);
  }
  audioKept = { what, at: Date.now() };
  return { kept: wanted.size, bytes };
}

// A dossier from the form, or a citizen's report (`to`, its API path): sent
// now if the network answers, else queued.
async function submit(request, to) {
  const text = await request.text();
  let submission = null;
  try { submission = JSON.parse(text); } catch (e) { /* the server words the error */ }
  if (!submission || typeof submission.idempotency_key !== 'string') {
    return fetch(to, { method: 'POST', headers: { 'content-type': 'application/json' }, body: text });
  }
  const key = submission.idempotency_key;
  const known = await getOne('outbox', key);
  if (known && known.state !== 'refused') return json(202, { queued: summary(known) });
  try {
    const response = await send(submission, to);
    if (response.status < 500 && response.status !== 429) {
      if (response.ok) await forgetPhotos(submission);
      return response;
    }
  } catch (e) { /* no network: queue it */ }
  const item = {
    key, kind: to === '/api/reports' ? 'report' : 'dossier', to,
    procedure_code: String(submission.procedure_code || ''), body: submission, state: 'waiting',
    queued_at: vietnamTime(), attempts: 1, tried_at: vietnamTime(), tried_ms: Date.now(),
  };
  await putOne('outbox', item);
  if (self.registration.sync) self.registration.sync.register('outbox').catch(() => {});
  return json(202, { queued: summary(item) });
}

// A photo picked with no signal is kept here under an id of the server's
// form; `send` uploads it first and names the server's id instead.
async function upload(request) {
  const type = request.headers.get('content-type') || 'application/octet-stream';
  const data = await request.arrayBuffer();
  try {
    const response = await fetch('/api/uploads', { method: 'POST', headers: { 'content-type': type }, body: data });
    if (response.status < 500 && response.status !== 429) return response;
  } catch (e) { /* no network: keep it */ }
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  const id = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  await putOne('photos', { id, type, data, kept_at: vietnamTime() });
  const media_type = { 'image/png': 'png', 'application/pdf': 'pdf' }[type] || 'jpeg';
  return json(201, { id, media_type, bytes: data.byteLength });
}

// Sends a submission, uploading its kept photos first. Each server id is
// stored as soon as it is known, so a retry names the same uploads and the
// idempotency key still matches.
async function send(submission, to = '/api/dossiers') {
  // A dossier's photos are per question; a report's are one list.
  const lists = { ...(submission.attachments || {}), ...(submission.photos ? { '': submission.photos } : {}) };
  const sent = {};
  for (const [question, ids] of Object.entries(lists)) {
    sent[question] = [];
    for (const id of ids) {
      const kept = await getOne('photos', id);
      if (kept && !kept.server_id) {
        const response = await fetch('/api/uploads', { method: 'POST', headers: { 'content-type': kept.type }, body: kept.data });
        if (!response.ok) return response;
        kept.server_id = (await response.json()).id;
        await putOne('photos', kept);
      }
      sent[question].push(kept ? kept.server_id : id);
    }
  }
  const body = { ...submission };
  if (submission.photos) {
    body.photos = sent[''];
    delete sent[''];
  }
  if (submission.attachments) body.attachments = sent;
  return fetch(to, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function forgetPhotos(submission) {
  for (const ids of [...Object.values(submission.attachments || {}), submission.photos || []]) {
    for (const id of ids) await deleteOne('photos', id);
  }
}

// Sends every waiting item, one at a time; one flush at a time. Only a tap on
// "send now" (`force`) tries an item tried in the last few seconds: Background
// Sync fires at once when the device has a connection but the portal does not
// answer, and the page's back-off wakes too, so without this one tap counted
// two or three tries.
const RETRY_GAP_MS = 3000;
let flushing = null;
function flush(force = false) {
  if (!flushing) flushing = flushAll(force).finally(() => { flushing = null; });
  return flushing;
}

async function flushAll(force) {
  let waiting = 0;
  for (const item of await getAll('outbox')) {
    if (item.state !== 'waiting') continue;
    if (!force && Date.now() - (item.tried_ms || 0) < RETRY_GAP_MS) {
      waiting += 1;
      continue;
    }
    item.attempts += 1;
    item.tried_at = vietnamTime();
    item.tried_ms = Date.now();
    try {
      const response = await send(item.body, item.to || '/api/dossiers');
      if (response.ok) {
        item.state = 'sent';
        item.receipt = await response.json();
        await forgetPhotos(item.body);
        delete item.body; // the answers now live on the server only
      } else if (response.status >= 500 || response.status === 429) {
        waiting += 1;
      } else {
        item.state = 'refused';
        item.error = (await response.json().catch(() => null))?.error || null;
      }
    } catch (e) {
      waiting += 1;
    }
    await putOne('outbox', item);
  }
  for (const client of await self.clients.matchAll()) client.postMessage('outbox');
  return waiting;
}
