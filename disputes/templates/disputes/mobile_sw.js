// The service worker of the grid worker's phone page (rendered by disputes.views.mobile_service_worker).
// A worker opening /m/ again within PAGE_FRESH_MS gets the page kept on the phone, with
// no round trip (only its data is asked for); with no signal, the page as last loaded
// instead of the browser's offline page. An older page, or one kept before a login
// (anyone's login renews the CSRF cookie), is asked for first, the copy served only
// when the network does not answer. The static shell is cache-first. API answers are
// never cached here: some hold parties.
"use strict";

const VERSION = "{{ version|escapejs }}";
const PAGE = "{{ page|escapejs }}";
const LOGOUT = "{{ logout|escapejs }}";
const STATIC_PREFIX = "{{ static_prefix|escapejs }}";
const SHELL = [{% for url in shell %}"{{ url|escapejs }}"{% if not forloop.last %}, {% endif %}{% endfor %}];
const STATIC_CACHE = `grid-patrol-static-${VERSION}`;
const PAGE_CACHE = `grid-patrol-page-${VERSION}`;
// On a signal too weak to load the page, show the cached one after this long.
const PAGE_TIMEOUT_MS = 6000;
// The page, as the server rendered it, is used without asking for this long.
const PAGE_FRESH_MS = {{ page_fresh_seconds }} * 1000;
const CSRF_COOKIE = "{{ csrf_cookie|escapejs }}";

function isFreshPage(response) {
  // A login page reached by a redirect is not the phone page.
  return response.ok && response.type === "basic" && !response.redirected;
}

// The CSRF cookie as the service worker sees it (the Cookie Store API; null where the
// browser has none, and then a kept page is never used without asking).
async function csrfCookie() {
  if (!self.cookieStore) return null;
  try {
    const cookie = await self.cookieStore.get(CSRF_COOKIE);
    return cookie ? cookie.value : null;
  } catch (error) {
    return null;
  }
}

async function savePage(response) {
  // Kept with when, and under which CSRF cookie (the page's own answer may set it).
  const headers = new Headers(response.headers);
  headers.set("X-Kept-At", String(Date.now()));
  headers.set("X-Kept-Csrf", (await csrfCookie()) || "");
  const kept = new Response(await response.blob(), { status: response.status, statusText: response.statusText, headers });
  const cache = await caches.open(PAGE_CACHE);
  await cache.put(PAGE, kept);
}

async function keptPageStillFresh() {
  const cache = await caches.open(PAGE_CACHE);
  const kept = await cache.match(PAGE);
  if (!kept) return null;
  const age = Date.now() - Number(kept.headers.get("X-Kept-At") || 0);
  const csrf = await csrfCookie();
  return age < PAGE_FRESH_MS && csrf && kept.headers.get("X-Kept-Csrf") === csrf ? kept : null;
}

async function dropPages() {
  const names = await caches.keys();
  await Promise.all(names.filter((name) => name.startsWith("grid-patrol-page-")).map((name) => caches.delete(name)));
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(STATIC_CACHE);
      await cache.addAll(SHELL);
      try {
        // The page that registered us was loaded before we existed: keep a copy now.
        const response = await fetch(PAGE, { credentials: "same-origin" });
        if (isFreshPage(response)) await savePage(response);
      } catch (error) {
        // no network: the next visit online stores it
      }
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      const current = [STATIC_CACHE, PAGE_CACHE];
      await Promise.all(
        names.filter((name) => name.startsWith("grid-patrol-") && !current.includes(name)).map((name) => caches.delete(name)),
      );
      await self.clients.claim();
    })(),
  );
});

async function pageNetworkFirst(event) {
  const network = fetch(event.request).then(async (response) => {
    if (isFreshPage(response)) await savePage(response.clone());
    return response;
  });
  event.waitUntil(network.catch(() => null));
  const cached = caches.open(PAGE_CACHE).then((cache) => cache.match(PAGE));
  const slow = new Promise((resolve) => setTimeout(resolve, PAGE_TIMEOUT_MS)).then(() => cached);
  try {
    const first = await Promise.race([network, slow]);
    if (first) return first;
    return await network;
  } catch (error) {
    const copy = await cached;
    if (copy) return copy;
    throw error;
  }
}

async function staticCacheFirst(request) {
  const cache = await caches.open(STATIC_CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.method === "POST" && url.pathname === LOGOUT) {
    // A shared phone must not show the last user's page.
    event.waitUntil(dropPages());
    return;
  }
  if (request.method !== "GET") return;
  if (request.mode === "navigate" && url.pathname === PAGE) {
    event.respondWith(
      keptPageStillFresh()
        .catch(() => null) // a cache or the Cookie Store refusing: ask the network
        .then((kept) => kept || pageNetworkFirst(event)),
    );
  } else if (url.pathname.startsWith(STATIC_PREFIX)) {
    event.respondWith(staticCacheFirst(request));
  }
});
