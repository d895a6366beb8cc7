// The grid worker's phone page: open cases, and reporting that survives a lost network.
// Reports are written to IndexedDB (the outbox) first and leave it only once the server
// has them (201, or 200 replaying the same uuid); each keeps its client UUID, so
// re-sending never makes a second case. A report the server refuses comes back into
// the form with the messages next to the fields; an expired login asks to log in
// again. A service worker (mobile_sw.js) lets the page open with no network.
// Everything here runs under a Content-Security-Policy without inline script or eval;
// text from users reaches the DOM only as text.
"use strict";

(function () {
  const texts = JSON.parse(document.getElementById("texts").textContent);
  const config = JSON.parse(document.getElementById("config").textContent);
  const language = document.documentElement.lang || "zh-hans";
  const statusLine = document.getElementById("status");
  const form = document.getElementById("report");
  let marker = null;
  let accuracy = null;
  let map = null;
  let keepPin = false; // the pin holds a returned report's place: the GPS must not move it

  // --- small helpers -------------------------------------------------------
  function say(text, kind) {
    statusLine.textContent = text || "";
    statusLine.className = "status " + (kind || "");
  }
  function format(template, values) {
    return Object.entries(values).reduce((text, [key, value]) => text.split(`%(${key})s`).join(String(value)), template);
  }
  function csrfToken() {
    const match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }
  function headers(isJson) {
    return Object.assign({ "X-CSRFToken": csrfToken(), "Accept-Language": language }, isJson ? { "Content-Type": "application/json" } : {});
  }
  function newUuid() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, v));
    children.forEach((c) => node.append(c));
    return node;
  }

  // --- what the server says, in words for the worker --------------------------
  // The API answers {"field": ["message", …]} (parties: by index, {"0": {"phone": […]}});
  // a message is shown with the label of its field, never the field's API name.
  function messages(problems) {
    if (problems === null || problems === undefined) return [];
    if (typeof problems !== "object") return [String(problems)];
    return (Array.isArray(problems) ? problems : Object.values(problems)).flatMap(messages);
  }
  function labelled(field, message) {
    const label = texts.fields[field];
    return label ? format(texts.labelled, { label, message }) : message;
  }
  function refusalText(body) {
    if (!body || typeof body !== "object") return messages(body).join(" ");
    return Object.entries(body)
      .flatMap(([field, problems]) => messages(problems).map((message) => labelled(field, message)))
      .join(" ");
  }

  // --- the outbox in IndexedDB -----------------------------------------------
  // An entry: {uuid, payload, photos: [{uuid, blob}], owner, savedAt, state, errors, replaces}.
  // state: "queued" (to send), "refused" (back in the form to be corrected) or
  // "superseded" (corrected under a new uuid; removed once the correction is accepted).
  const db = new Promise((resolve, reject) => {
    const open = indexedDB.open("grid-patrol", 1);
    open.onupgradeneeded = () => open.result.createObjectStore("reports", { keyPath: "uuid" });
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  async function store(mode, action) {
    const handle = await db;
    return new Promise((resolve, reject) => {
      const tx = handle.transaction("reports", mode);
      const request = action(tx.objectStore("reports"));
      tx.oncomplete = () => resolve(request && request.result);
      tx.onerror = () => reject(tx.error);
    });
  }
  const queueAll = () => store("readonly", (s) => s.getAll());
  const queueGet = (uuid) => store("readonly", (s) => s.get(uuid));
  const queuePut = (item) => store("readwrite", (s) => s.put(item));
  // A correction and the entries it replaces change together.
  const queueSave = (item) =>
    store("readwrite", (s) => {
      for (const old of item.replaces || []) {
        const read = s.get(old);
        read.onsuccess = () => read.result && s.put(Object.assign(read.result, { state: "superseded" }));
      }
      return s.put(item);
    });
  const queueForget = (item) =>
    store("readwrite", (s) => {
      (item.replaces || []).forEach((uuid) => s.delete(uuid));
      return s.delete(item.uuid);
    });
  const stateOf = (item) => item.state || "queued";
  // A shared phone keeps each worker's reports for that worker.
  const mine = (item) => !item.owner || item.owner === config.user;
  const myQueue = async () => (await queueAll()).filter((item) => mine(item) && stateOf(item) !== "superseded");

  async function showQueue() {
    const items = await myQueue();
    document.getElementById("queue").hidden = items.length === 0;
    document.getElementById("queue-count").textContent = String(items.length);
    document.getElementById("queue-list").replaceChildren(
      ...items.map((item) => {
        const refused = stateOf(item) === "refused";
        const state = refused ? texts.stateRefused : needLogin ? texts.stateLogin : texts.stateQueued;
        const entry = el(
          "li",
          { "data-uuid": item.uuid, class: `queued ${stateOf(item)}` },
          el("span", {}, `${new Date(item.savedAt).toLocaleString()} · ${item.payload.description.slice(0, 40)}`),
          el("span", { class: "queue-state" }, state),
        );
        if (refused) {
          const correct = el("button", { type: "button", class: "link correct" }, texts.correct);
          correct.addEventListener("click", () => {
            selectTab("report");
            loadIntoForm(item);
          });
          entry.append(correct);
        }
        return entry;
      }),
    );
  }

  // --- sending -------------------------------------------------------------
  class Refused extends Error {
    constructor(body) {
      super("refused");
      this.body = body;
    }
  }
  async function post(url, body, isJson) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: headers(isJson),
      body: isJson ? JSON.stringify(body) : body,
    });
    if (response.status >= 400 && response.status < 500) throw new Refused(await response.json().catch(() => ({})));
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.json();
  }

  // Who the server thinks we are; the answer also renews the CSRF cookie.
  async function sessionAlive() {
    try {
      const response = await fetch(config.session, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (!response.ok) return true; // cannot tell: do not claim the login expired
      return (await response.json()).user === config.user;
    } catch (error) {
      return true;
    }
  }

  // One POST of the outbox and what its answer means:
  // {outcome: "accepted", answer} | "refused" (with errors) | "login" | "waiting".
  async function attempt(url, body, isJson, accepted, retried) {
    let response;
    try {
      response = await fetch(url, { method: "POST", credentials: "same-origin", headers: headers(isJson), body: isJson ? JSON.stringify(body) : body });
    } catch (error) {
      return { outcome: "waiting" }; // no network
    }
    const answer = await response.json().catch(() => null);
    if (accepted(response)) return { outcome: "accepted", answer };
    if (response.status === 401 || response.status === 403) {
      // An expired login and a stale or missing CSRF token both answer 403.
      if (!(await sessionAlive())) return { outcome: "login" };
      if (!retried) return attempt(url, body, isJson, accepted, true);
    }
    if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
      const errors = answer && typeof answer === "object" && Object.keys(answer).length ? answer : { detail: [format(texts.refusedStatus, { status: response.status })] };
      return { outcome: "refused", errors };
    }
    return { outcome: "waiting" }; // 5xx, throttled, or not our server (a captive portal)
  }
  const caseAccepted = (r) => r.status === 201 || (r.status === 200 && r.headers.get("Idempotent-Replayed") === "true");
  const fileAccepted = (r) => r.status === 201 || r.status === 200;

  async function send(item) {
    const result = await attempt("/api/cases/", item.payload, true, caseAccepted);
    if (result.outcome !== "accepted") return result;
    let note = "";
    for (const photo of [...item.photos]) {
      const body = new FormData();
      body.append("uuid", photo.uuid);
      body.append("kind", "photo");
      body.append("file", photo.blob, `${photo.uuid}.jpg`);
      const upload = await attempt(`/api/cases/${result.answer.id}/attachments/`, body, false, fileAccepted);
      if (upload.outcome === "waiting" || upload.outcome === "login") return upload; // the case replays next time
      if (upload.outcome === "refused") note = format(texts.photoRefused, { reason: refusalText(upload.errors) });
      item.photos = item.photos.filter((p) => p.uuid !== photo.uuid);
      await queuePut(item);
    }
    await queueForget(item);
    return { outcome: "sent", note };
  }

  let needLogin = false;
  function askLogin(on) {
    needLogin = on;
    document.getElementById("relogin").hidden = !on;
  }

  async function flushOnce() {
    if (!navigator.onLine) return;
    const refusedNow = [];
    try {
      if (needLogin) {
        if (!(await sessionAlive())) {
          say(texts.login, "warn");
          return;
        }
        askLogin(false);
      }
      for (const item of (await myQueue()).filter((q) => stateOf(q) === "queued")) {
        say(texts.sending);
        let result;
        try {
          result = await send(item);
        } catch (error) {
          result = { outcome: "waiting" };
        }
        if (result.outcome === "sent") {
          say(result.note || texts.sent, result.note ? "warn" : "ok");
        } else if (result.outcome === "refused") {
          await queuePut(Object.assign(item, { state: "refused", errors: result.errors }));
          refusedNow.push(item);
          say(texts.refused, "warn");
        } else if (result.outcome === "login") {
          askLogin(true);
          say(texts.login, "warn");
          break;
        } else {
          say(navigator.onLine ? texts.waiting : texts.queued, "warn");
          break;
        }
      }
    } finally {
      await showQueue();
      if (refusedNow.length) await offerRefused();
      await loadCases();
      if (zeroPending().length) await zeroFlush().then(loadZero);
    }
  }
  // One flush at a time; a call during a flush makes it go round once more.
  let flushing = null;
  let flushAgain = false;
  function flush() {
    if (flushing) {
      flushAgain = true;
      return flushing;
    }
    flushing = (async () => {
      try {
        do {
          flushAgain = false;
          await flushOnce();
        } while (flushAgain);
      } finally {
        flushing = null;
      }
    })();
    return flushing;
  }
  window.addEventListener("online", flush);
  setInterval(flush, 15000);

  // --- the report form -----------------------------------------------------
  let editing = null; // the outbox entry the form holds again, to be corrected
  let photosRestored = false; // the photo input holds that entry's photos
  const returned = document.getElementById("returned");
  const field = (name) => form.querySelector(`[name=${name}]`);
  // Where each field's message goes.
  const ANCHORS = {
    category: "[name=category]",
    description: "[name=description]",
    people_involved: "[name=people_involved]",
    urgency: "[name=urgency]",
    address: "[name=address]",
    location: "#position",
    longitude: "#position",
    latitude: "#position",
    accuracy_m: "#position",
    coord_system: "#position",
  };

  function fieldError(anchor, name, problems) {
    anchor.setAttribute("aria-invalid", "true");
    anchor.after(el("span", { class: "field-error", "data-field": name }, messages(problems).map((m) => labelled(name, m)).join(" ")));
  }
  function clearFieldError(anchor) {
    anchor.removeAttribute("aria-invalid");
    const next = anchor.nextElementSibling;
    if (next && next.classList.contains("field-error")) next.remove();
  }
  function partyRows() {
    // the rows that were sent: an empty row is left out
    return Array.from(form.querySelectorAll(".party")).filter((row) => ["name", "phone", "id_number"].some((n) => row.querySelector(`[name=${n}]`).value.trim()));
  }
  function partyErrors(problems, general) {
    const rows = partyRows();
    const entries = Array.isArray(problems) ? problems.map((p, i) => [i, p]) : Object.entries(problems || {});
    for (const [index, problem] of entries) {
      const row = rows[Number(index)];
      if (!problem || typeof problem !== "object" || Array.isArray(problem) || !row) {
        general.push(...messages(problem).map((m) => labelled("parties", m)));
        continue;
      }
      for (const [name, list] of Object.entries(problem)) {
        const control = row.querySelector(`[name=${name}]`);
        if (control) fieldError(control, name, list);
        else general.push(...messages(list).map((m) => labelled("parties", m)));
      }
    }
  }
  // Each message next to its field; what belongs to no field above the submit button.
  function showErrors(errors) {
    form.querySelectorAll(".field-error").forEach((node) => node.remove());
    form.querySelectorAll("[aria-invalid]").forEach((node) => node.removeAttribute("aria-invalid"));
    const general = [];
    for (const [name, problems] of Object.entries(errors || {})) {
      const anchor = ANCHORS[name] && form.querySelector(ANCHORS[name]);
      if (name === "parties") partyErrors(problems, general);
      else if (anchor) fieldError(anchor, name, problems);
      else general.push(...messages(problems).map((m) => labelled(name, m)));
    }
    const box = document.getElementById("errors");
    box.replaceChildren(...general.map((message) => el("span", { class: "line" }, message)));
    box.hidden = general.length === 0;
    const first = form.querySelector(".field-error, #errors:not([hidden])");
    if (first) first.scrollIntoView({ block: "center" });
  }
  form.addEventListener("input", (event) => clearFieldError(event.target));
  form.addEventListener("change", (event) => clearFieldError(event.target));

  async function resized(file) {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, 1600 / Math.max(bitmap.width, bitmap.height));
    const canvas = el("canvas", { width: Math.round(bitmap.width * scale), height: Math.round(bitmap.height * scale) });
    canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    return new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.85));
  }

  function parties() {
    return partyRows().map((row) => ({
      role: row.querySelector("[name=role]").value,
      name: row.querySelector("[name=name]").value.trim(),
      phone: row.querySelector("[name=phone]").value.trim(),
      id_number: row.querySelector("[name=id_number]").value.trim(),
    }));
  }

  function addParty(party) {
    const row = document.getElementById("party-row").content.firstElementChild.cloneNode(true);
    row.querySelector(".remove").addEventListener("click", () => row.remove());
    if (party) ["role", "name", "phone", "id_number"].forEach((n) => (row.querySelector(`[name=${n}]`).value = party[n] || ""));
    document.getElementById("add-party").before(row);
  }
  document.getElementById("add-party").addEventListener("click", () => addParty(null));

  field("photos").addEventListener("change", () => (photosRestored = false));

  function formIsEmpty() {
    return !field("category").value && !field("description").value.trim() && !partyRows().length && !field("photos").files.length;
  }
  function clearForm() {
    form.reset();
    form.querySelectorAll(".party").forEach((row) => row.remove());
    showErrors(null);
    editing = null;
    photosRestored = false;
    keepPin = false;
    returned.hidden = true;
  }

  // Put an outbox entry back into the form, every field as typed, the pin where it was.
  function loadIntoForm(item) {
    clearForm();
    const p = item.payload;
    field("category").value = p.category || "";
    field("description").value = p.description || "";
    field("people_involved").value = String(p.people_involved || 1);
    if (p.urgency) field("urgency").value = p.urgency;
    field("address").value = p.address || "";
    (p.parties || []).forEach(addParty);
    if (item.photos && item.photos.length) {
      try {
        const transfer = new DataTransfer();
        item.photos.forEach((photo) => transfer.items.add(new File([photo.blob], `${photo.uuid}.jpg`, { type: photo.blob.type || "image/jpeg" })));
        field("photos").files = transfer.files;
      } catch (error) {
        // the photos still travel with the report
      }
      photosRestored = true;
    }
    keepPin = true;
    if (!map) startMap();
    marker.setLatLng([p.latitude, p.longitude]);
    map.setView([p.latitude, p.longitude], Math.max(map.getZoom(), 16), { animate: false });
    accuracy = p.accuracy_m === undefined ? null : p.accuracy_m;
    editing = item;
    returned.hidden = stateOf(item) !== "refused";
    showErrors(item.errors);
  }

  // Back into the form, unless the worker is busy with another report there.
  async function offerRefused() {
    if (editing || !formIsEmpty()) return;
    const item = (await myQueue()).find((q) => stateOf(q) === "refused");
    if (!item) return;
    selectTab("report");
    loadIntoForm(item);
    say(texts.refused, "warn");
  }

  document.getElementById("discard").addEventListener("click", async () => {
    if (!editing || !window.confirm(texts.discardAsk)) return;
    await queueForget(editing);
    clearForm();
    await showQueue();
    selectTab("cases");
  });

  function missing() {
    const errors = {};
    if (!field("category").value) errors.category = [texts.required.category];
    if (!field("description").value.trim()) errors.description = [texts.required.description];
    return errors;
  }

  // The report as typed, saved in the outbox before any network. A correction that
  // changes nothing keeps its uuid; a changed one gets a new uuid and replaces the
  // refused entry once the server has it.
  async function saveReport() {
    const position = marker.getLatLng();
    const body = {
      channel: "patrol",
      occurred_at: editing ? editing.payload.occurred_at : new Date().toISOString(),
      longitude: Number(position.lng.toFixed(7)),
      latitude: Number(position.lat.toFixed(7)),
      accuracy_m: accuracy,
      category: field("category").value,
      description: field("description").value,
      people_involved: Number(field("people_involved").value || 1),
      urgency: field("urgency").value,
      address: field("address").value,
      parties: parties(),
    };
    const photos = [];
    if (photosRestored && editing) photos.push(...editing.photos);
    else for (const file of field("photos").files) photos.push({ uuid: newUuid(), blob: await resized(file) });
    let item;
    const { uuid: previous, ...before } = editing ? editing.payload : {};
    if (editing && JSON.stringify(before) === JSON.stringify(body)) {
      item = Object.assign({}, editing, { payload: { uuid: previous, ...body }, photos, state: "queued", errors: null });
    } else {
      const uuid = newUuid();
      const replaces = editing ? [...(editing.replaces || []), editing.uuid] : [];
      item = { uuid, payload: { uuid, ...body }, photos, owner: config.user, savedAt: Date.now(), state: "queued", errors: null, replaces };
    }
    await queueSave(item);
    return item;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const problems = missing();
    showErrors(problems);
    if (Object.keys(problems).length) return;
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      const item = await saveReport(); // saved before any network: it cannot be lost
      if (navigator.onLine) {
        say(texts.sending);
        await flush();
        const after = await queueGet(item.uuid);
        if (after && stateOf(after) === "refused") {
          // the form still holds it as typed: show why, next to the fields
          editing = after;
          returned.hidden = false;
          showErrors(after.errors);
          return;
        }
      } else {
        say(texts.queued, "warn");
      }
      clearForm();
      await showQueue();
      selectTab("cases");
    } finally {
      button.disabled = false;
    }
  });

  // --- nearby open cases of the same kind (to avoid a duplicate) -----------
  async function checkNearby() {
    const box = document.getElementById("nearby");
    const category = form.querySelector("[name=category]").value;
    if (!category || !marker || !navigator.onLine) {
      box.hidden = true;
      return;
    }
    const { lat, lng } = marker.getLatLng();
    try {
      const response = await fetch(`/api/cases/nearby/?longitude=${lng}&latitude=${lat}&category=${category}`, { credentials: "same-origin" });
      const cases = (await response.json()).features || [];
      document.getElementById("nearby-list").replaceChildren(
        ...cases.map((c) => el("li", {}, `#${c.id} ${c.properties.category_name} · ${c.properties.status_display} · ${c.properties.reported_at.slice(0, 10)}`)),
      );
      box.hidden = cases.length === 0;
    } catch (error) {
      box.hidden = true;
    }
  }
  form.querySelector("[name=category]").addEventListener("change", checkNearby);

  // --- the map and the GPS -------------------------------------------------
  function startMap() {
    const node = document.getElementById("map");
    const position = document.getElementById("position");
    const start = [Number(node.dataset.lat), Number(node.dataset.lon)];
    map = L.map(node, { zoomControl: true }).setView(start, 15);
    const grids = JSON.parse(document.getElementById("my-grids").textContent);
    if (grids.features.length) {
      const outline = L.geoJSON(grids, { style: { color: "#b3261e", weight: 2, fillOpacity: 0.04 } }).addTo(map);
      outline.eachLayer((layer) => layer.bindTooltip(el("span", {}, layer.feature.properties.name), { permanent: true, direction: "center", className: "grid-label" }));
      map.fitBounds(outline.getBounds());
    }
    // Leaflet guesses its icons' folder from its CSS, which fails with hashed static names.
    L.Icon.Default.imagePath = "";
    L.Icon.Default.mergeOptions(config.icons);
    marker = L.marker(start, { draggable: true, autoPan: true }).addTo(map);
    marker.on("dragend", () => {
      accuracy = null;
      clearFieldError(position);
      checkNearby();
    });
    if (!navigator.geolocation) {
      position.textContent = texts.noGps;
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (fix) => {
        if (keepPin) return; // the form holds a returned report: its place stands
        const here = [fix.coords.latitude, fix.coords.longitude];
        accuracy = Math.round(fix.coords.accuracy * 10) / 10;
        marker.setLatLng(here);
        map.setView(here, 17);
        L.circle(here, { radius: fix.coords.accuracy, weight: 1 }).addTo(map);
        position.textContent = texts.accuracy.replace("%(m)s", Math.round(fix.coords.accuracy));
        checkNearby();
      },
      () => {
        position.textContent = texts.noGps;
      },
      { enableHighAccuracy: true, timeout: 15000, maximumAge: 30000 },
    );
  }

  // --- my open cases -------------------------------------------------------
  function caseItem(c) {
    const p = c.properties;
    const flag = p.due_state === "overdue" ? texts.overdue : p.due_state === "due_soon" ? texts.dueSoon : "";
    return el(
      "li",
      { class: `case ${p.due_state || ""}`, "data-id": String(c.id) },
      el("strong", {}, `#${c.id} ${p.category_name}`),
      el("span", {}, `${p.status_display} · ${p.village || ""} ${p.grid || ""}`),
      el("span", { class: "due" }, [p.due_date && `${texts.due} ${p.due_date}`, flag].filter(Boolean).join(" · ")),
    );
  }

  // The list (no parties) as last loaded, for a start with no network.
  const CASES_CACHE = "grid-patrol-cases";
  let leaving = false; // logging out: keep nothing more of this worker's lists
  const OPEN = ["reported", "accepted", "in_handling", "in_review", "resolved", "followed_up"];
  async function loadCases() {
    let features;
    try {
      const query = OPEN.map((s) => `status=${s}`).join("&");
      const response = await fetch(`/api/cases/?${query}&page_size=100`, { credentials: "same-origin" });
      if (!response.ok) throw new Error(String(response.status));
      features = (await response.json()).features;
      if (!leaving) localStorage.setItem(CASES_CACHE, JSON.stringify(features));
    } catch (error) {
      features = JSON.parse(localStorage.getItem(CASES_CACHE) || "[]");
      if (!navigator.onLine) say(texts.offlineList, "warn");
    }
    document.getElementById("cases").replaceChildren(...features.map(caseItem));
    document.getElementById("cases-empty").hidden = features.length > 0;
  }

  // --- one case and its history ---------------------------------------------
  const detail = document.getElementById("case-detail");
  async function showCase(id) {
    const response = await fetch(`/api/cases/${id}/`, { credentials: "same-origin" });
    if (!response.ok) return;
    const c = await response.json();
    const p = c.properties;
    document.getElementById("detail-title").textContent = `#${c.id} ${p.category_name} · ${p.status_display}`;
    const settled = p.team_name && p.handling_days !== null ? texts.settledBy.replace("%(team)s", p.team_name).replace("%(days)s", p.handling_days) : p.team_name;
    document.getElementById("detail-meta").textContent = [p.village, p.grid, p.due_date && `${texts.due} ${p.due_date}`, p.deadline_note, settled].filter(Boolean).join(" · ");
    document.getElementById("detail-description").textContent = p.description;
    document.getElementById("detail-parties").replaceChildren(...p.parties.map((party) => el("li", {}, [party.name, party.phone, party.id_number].filter(Boolean).join(" "))));
    document.getElementById("detail-timeline").replaceChildren(
      ...p.timeline.map((e) => el("li", {}, el("time", {}, new Date(e.at).toLocaleString()), ` ${e.action_display}`, e.note ? ` — ${e.note}` : "")),
    );
    document.querySelectorAll(".tab").forEach((section) => (section.hidden = true));
    detail.hidden = false;
    shownCase = c.id;
    if (sessionForm) sessionForm.hidden = !p.team || !["accepted", "in_handling", "in_review"].includes(p.status);
  }
  document.getElementById("cases").addEventListener("click", (event) => {
    const item = event.target.closest("li.case");
    if (item) showCase(item.dataset.id);
  });
  document.getElementById("detail-close").addEventListener("click", () => {
    detail.hidden = true;
    selectTab("cases");
  });

  // --- my team: proposals to answer, its cases, open cases nearby ---------------
  const teamTab = document.getElementById("tab-team");
  const sessionForm = document.getElementById("session");
  let shownCase = null;

  async function loadTeam() {
    if (!teamTab) return;
    const [proposals, cases] = await Promise.all([
      fetch("/api/assignments/?status=proposed", { credentials: "same-origin" }).then((r) => r.json()),
      fetch(`/api/cases/?${OPEN.map((s) => `status=${s}`).join("&")}&page_size=100`, { credentials: "same-origin" }).then((r) => r.json()),
    ]);
    const items = proposals.results || proposals;
    document.getElementById("proposals").replaceChildren(
      ...items.map((a) => {
        const take = el("button", { type: "button", class: "primary small" }, texts.take);
        const decline = el("button", { type: "button", class: "link" }, texts.decline);
        take.addEventListener("click", () => answer(a.id, "accept", {}));
        decline.addEventListener("click", () => {
          const reason = window.prompt(texts.declineWhy);
          if (reason) answer(a.id, "decline", { reason });
        });
        return el("li", { class: "proposal", "data-id": String(a.id) },
          el("strong", {}, `#${a.case} ${a.case_summary}`),
          el("span", { class: "hint" }, `${a.team_name} · ${Math.round(a.distance_m || 0)} m · ${texts.answerBy} ${new Date(a.answer_due).toLocaleString()}`),
          el("span", {}, take, " ", decline));
      }),
    );
    document.getElementById("proposals-empty").hidden = items.length > 0;
    const features = cases.features || [];
    document.getElementById("team-cases").replaceChildren(...features.filter((c) => c.properties.team).map(caseItem));
    document.getElementById("nearby-cases").replaceChildren(...features.filter((c) => !c.properties.team).map(caseItem));
  }

  async function answer(id, action, body) {
    try {
      await post(`/api/assignments/${id}/${action}/`, body, true);
      say(texts.saved, "ok");
    } catch (error) {
      say(error instanceof Refused ? refusalText(error.body) : String(error), "warn");
    }
    await loadTeam();
  }

  if (teamTab) {
    teamTab.addEventListener("click", (event) => {
      const item = event.target.closest("li.case");
      if (item) showCase(item.dataset.id);
    });
    sessionForm.addEventListener("submit", async (event) => {
      event.preventDefault();
      const data = new FormData(sessionForm);
      const body = { held_on: data.get("held_on"), attendees: data.get("attendees"), agreed: data.get("agreed"), outcome: data.get("outcome") };
      try {
        const file = sessionForm.querySelector("[name=agreement]").files[0];
        if (file) {
          const upload = new FormData();
          upload.append("uuid", newUuid());
          upload.append("kind", "document");
          upload.append("file", file);
          body.agreement = (await post(`/api/cases/${shownCase}/attachments/`, upload, false)).id;
        }
        await post(`/api/cases/${shownCase}/sessions/`, body, true);
        sessionForm.reset();
        say(texts.saved, "ok");
        await showCase(shownCase);
      } catch (error) {
        say(error instanceof Refused ? refusalText(error.body) : String(error), "warn");
      }
    });
  }

  // --- the daily zero report (每天零报告): one tap per grid ---------------------
  // A tap made offline waits in localStorage and is sent with the case queue; it
  // names its day, and the server refuses one left over from another day.
  const zeroCard = document.getElementById("zero");
  const ZERO_CACHE = "grid-patrol-zero";
  const ZERO_PENDING = "grid-patrol-zero-pending";
  const zeroPending = () => JSON.parse(localStorage.getItem(ZERO_PENDING) || "[]");

  function zeroItem(g, today) {
    const r = g.report;
    const status = el("span", { class: "zero-status" });
    let label = null;
    if (zeroPending().some((p) => p.grid === g.id && p.day === today.day)) {
      status.textContent = texts.zeroQueued;
      status.className = "zero-status warn";
    } else if (r) {
      const found = r.nothing_found ? texts.zeroNothing : texts.zeroCases.replace("%(n)s", r.cases_count);
      status.textContent = `${texts.zeroFiled.replace("%(time)s", r.filed_at.slice(11, 16))} · ${found}`;
      status.className = "zero-status ok";
      if (g.cases_today > r.cases_count) label = texts.zeroFindings.replace("%(n)s", g.cases_today);
    } else {
      status.textContent = (today.cutoff_passed ? texts.zeroLate : texts.zeroNotYet).replace("%(cutoff)s", today.cutoff);
      status.className = `zero-status ${today.cutoff_passed ? "late" : ""}`;
      label = g.cases_today ? texts.zeroFindings.replace("%(n)s", g.cases_today) : texts.zeroFile;
    }
    const item = el("li", { class: "zero-grid", "data-grid": String(g.id) }, el("strong", {}, `${g.village} ${g.name}`), status);
    if (label) {
      const button = el("button", { type: "button", class: "primary" }, label);
      button.addEventListener("click", () => zeroFile(g.id, today.day, button));
      item.append(button);
    }
    return item;
  }

  async function loadZero() {
    let today;
    try {
      const response = await fetch("/api/zero-reports/today/", { credentials: "same-origin" });
      if (!response.ok) throw new Error(String(response.status));
      today = await response.json();
      if (!leaving) localStorage.setItem(ZERO_CACHE, JSON.stringify(today));
    } catch (error) {
      today = JSON.parse(localStorage.getItem(ZERO_CACHE) || "null");
    }
    if (!today || !today.grids.length) return;
    document.getElementById("zero-grids").replaceChildren(...today.grids.map((g) => zeroItem(g, today)));
    zeroCard.hidden = false;
  }

  async function zeroFile(grid, day, button) {
    if (button) button.disabled = true;
    localStorage.setItem(ZERO_PENDING, JSON.stringify([...zeroPending().filter((p) => p.grid !== grid), { grid, day }]));
    await zeroFlush();
    if (zeroPending().some((p) => p.grid === grid)) say(texts.zeroQueued, "warn");
    await loadZero();
  }

  async function zeroFlush() {
    if (!navigator.onLine) return;
    for (const pending of zeroPending()) {
      const result = await attempt("/api/zero-reports/", { grid: pending.grid, day: pending.day }, true, (r) => r.ok);
      if (result.outcome === "login") {
        askLogin(true); // kept until the worker is logged in again
        return;
      }
      if (result.outcome === "waiting") return; // offline or server down: keep it for later
      if (result.outcome === "accepted") say(texts.zeroSent, "ok");
      else say(refusalText(result.errors), "warn"); // e.g. a day gone by: nothing typed is lost
      localStorage.setItem(ZERO_PENDING, JSON.stringify(zeroPending().filter((p) => p.grid !== pending.grid)));
    }
  }
  // --- notifications: supervision notices (督办) and reminders -------------------
  const noticesCard = document.getElementById("notices");

  function noticeText(n) {
    if (!n.notice) return n.message;
    const s = n.notice;
    const late = s.days_overdue > 0 ? texts.overdueDays.replace("%(n)s", s.days_overdue) : `${texts.due} ${s.due_date}`;
    return `${s.kind_display} · #${s.case} ${s.case_summary} · ${s.stage_display} · ${late}${s.note ? ` · ${s.note}` : ""}`;
  }

  async function loadNotices() {
    let list, unread;
    try {
      const [l, u] = await Promise.all(
        ["/api/notifications/?page_size=10", "/api/notifications/unread/"].map((url) =>
          fetch(url, { credentials: "same-origin" }).then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
        )
      );
      list = l.results;
      unread = u.unread;
    } catch (error) {
      return; // offline: the card keeps what it showed
    }
    noticesCard.hidden = !list.length;
    document.getElementById("notices-unread").textContent = unread;
    document.getElementById("notices-read").hidden = !unread;
    document.getElementById("notices-list").replaceChildren(
      ...list.map((n) => {
        const item = el("li", { class: n.read_at ? "notice" : "notice unread" }, noticeText(n));
        if (n.notice) item.addEventListener("click", () => showCase(n.notice.case));
        return item;
      })
    );
  }
  document.getElementById("notices-read").addEventListener("click", async () => {
    try {
      await post("/api/notifications/read/", {}, true);
    } catch (error) {
      return;
    }
    loadNotices();
  });

  // --- tabs ------------------------------------------------------------------
  function selectTab(name) {
    document.querySelectorAll("[role=tab]").forEach((tab) => tab.setAttribute("aria-selected", String(tab.dataset.tab === name)));
    document.querySelectorAll(".tab").forEach((section) => (section.hidden = section.id !== `tab-${name}`));
    detail.hidden = true;
    if (name === "team") loadTeam();
    if (name === "report") {
      if (!map) startMap();
      else map.invalidateSize();
    }
  }
  // The page comes with the tabs disabled, so that a tap before the script has loaded
  // is not lost: they work from here on.
  document.querySelectorAll("[role=tab]").forEach((tab) => {
    tab.addEventListener("click", () => selectTab(tab.dataset.tab));
    tab.disabled = false;
  });

  // --- logging out: a shared phone must not show the last user's page or list ------
  const logoutForm = document.getElementById("logout");
  async function forgetPages() {
    localStorage.removeItem(CASES_CACHE);
    localStorage.removeItem(ZERO_CACHE);
    if (!window.caches) return;
    const names = await caches.keys();
    await Promise.all(names.filter((name) => name.startsWith("grid-patrol-page-")).map((name) => caches.delete(name)));
  }
  logoutForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const waiting = (await myQueue()).length;
    // they stay on the phone for this worker's next login
    if (waiting && !window.confirm(format(texts.logoutAsk, { n: waiting }))) return;
    leaving = true;
    try {
      await forgetPages();
    } finally {
      logoutForm.submit();
    }
  });

  // --- the app shell, for a start with no network ------------------------------
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(config.serviceWorker, { scope: config.page }).catch(() => {
      // the page still works online, and the outbox still keeps reports
    });
  }

  showQueue().then(offerRefused);
  loadCases();
  loadNotices();
  zeroFlush().then(loadZero);
  flush();
})();
