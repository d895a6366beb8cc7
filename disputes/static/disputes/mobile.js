// The grid worker's phone page: open cases, and reporting that survives a lost network.
// Reports are written to IndexedDB first and removed only once the server has them;
// each keeps its client UUID, so re-sending never makes a second case.
"use strict";

(function () {
  const texts = JSON.parse(document.getElementById("texts").textContent);
  const statusLine = document.getElementById("status");
  const form = document.getElementById("report");
  let marker = null;
  let accuracy = null;
  let map = null;

  // --- small helpers -------------------------------------------------------
  function say(text, kind) {
    statusLine.textContent = text || "";
    statusLine.className = "status " + (kind || "");
  }
  function csrfToken() {
    const match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
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

  // --- the queue in IndexedDB ---------------------------------------------
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
  const queuePut = (item) => store("readwrite", (s) => s.put(item));
  const queueDelete = (uuid) => store("readwrite", (s) => s.delete(uuid));

  async function showQueue() {
    const items = await queueAll();
    document.getElementById("queue").hidden = items.length === 0;
    document.getElementById("queue-count").textContent = String(items.length);
    const list = document.getElementById("queue-list");
    list.replaceChildren(
      ...items.map((item) =>
        el("li", { "data-uuid": item.uuid }, `${new Date(item.savedAt).toLocaleString()} · ${item.payload.description.slice(0, 40)}`),
      ),
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
      headers: Object.assign({ "X-CSRFToken": csrfToken() }, isJson ? { "Content-Type": "application/json" } : {}),
      body: isJson ? JSON.stringify(body) : body,
    });
    if (response.status >= 400 && response.status < 500) throw new Refused(await response.json().catch(() => ({})));
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.json();
  }
  async function send(item) {
    const answer = await post("/api/cases/", item.payload, true);
    for (const photo of item.photos) {
      const body = new FormData();
      body.append("uuid", photo.uuid);
      body.append("kind", "photo");
      body.append("file", photo.blob, `${photo.uuid}.jpg`);
      await post(`/api/cases/${answer.id}/attachments/`, body, false);
    }
    await queueDelete(item.uuid);
    return answer;
  }
  let flushing = false;
  async function flush() {
    if (flushing || !navigator.onLine) return;
    flushing = true;
    try {
      for (const item of await queueAll()) {
        try {
          await send(item);
          say(texts.sent, "ok");
        } catch (error) {
          if (error instanceof Refused) {
            // The server will never take it as it is: give it back to the form.
            await queueDelete(item.uuid);
            showErrors(error.body);
          } else {
            break; // still offline or the server is down: try again later
          }
        }
      }
    } finally {
      flushing = false;
      await showQueue();
      await loadCases();
      if (zeroPending().length) await zeroFlush().then(loadZero);
    }
  }
  window.addEventListener("online", flush);
  setInterval(flush, 15000);

  // --- the report form -----------------------------------------------------
  function showErrors(body) {
    const box = document.getElementById("errors");
    const lines = Object.entries(body || {}).map(([field, problems]) => `${field}: ${[].concat(problems).map((p) => (typeof p === "object" ? JSON.stringify(p) : p)).join(" ")}`);
    box.textContent = `${texts.fix} ${lines.join("; ")}`;
    box.hidden = lines.length === 0;
  }

  async function resized(file) {
    const bitmap = await createImageBitmap(file);
    const scale = Math.min(1, 1600 / Math.max(bitmap.width, bitmap.height));
    const canvas = el("canvas", { width: Math.round(bitmap.width * scale), height: Math.round(bitmap.height * scale) });
    canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    return new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.85));
  }

  function parties() {
    return Array.from(form.querySelectorAll(".party"))
      .map((row) => ({
        role: row.querySelector("[name=role]").value,
        name: row.querySelector("[name=name]").value.trim(),
        phone: row.querySelector("[name=phone]").value.trim(),
        id_number: row.querySelector("[name=id_number]").value.trim(),
      }))
      .filter((p) => p.name);
  }

  document.getElementById("add-party").addEventListener("click", () => {
    const row = document.getElementById("party-row").content.firstElementChild.cloneNode(true);
    row.querySelector(".remove").addEventListener("click", () => row.remove());
    document.getElementById("add-party").before(row);
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    showErrors({});
    const data = new FormData(form);
    const position = marker.getLatLng();
    const payload = {
      uuid: newUuid(),
      channel: "patrol",
      occurred_at: new Date().toISOString(),
      longitude: Number(position.lng.toFixed(7)),
      latitude: Number(position.lat.toFixed(7)),
      accuracy_m: accuracy,
      category: data.get("category"),
      description: data.get("description"),
      people_involved: Number(data.get("people_involved") || 1),
      urgency: data.get("urgency"),
      address: data.get("address"),
      parties: parties(),
    };
    const photos = [];
    for (const file of form.querySelector("[name=photos]").files) {
      photos.push({ uuid: newUuid(), blob: await resized(file) });
    }
    const item = { uuid: payload.uuid, payload, photos, savedAt: Date.now() };
    await queuePut(item); // saved before any network: it cannot be lost
    form.reset();
    form.querySelectorAll(".party").forEach((row) => row.remove());
    say(navigator.onLine ? texts.sending : texts.queued, navigator.onLine ? "" : "warn");
    await showQueue();
    if (navigator.onLine) {
      await flush();
      if ((await queueAll()).some((q) => q.uuid === item.uuid)) say(texts.queued, "warn");
    }
    selectTab("cases");
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
    const start = [Number(node.dataset.lat), Number(node.dataset.lon)];
    map = L.map(node, { zoomControl: true }).setView(start, 15);
    const grids = JSON.parse(document.getElementById("my-grids").textContent);
    if (grids.features.length) {
      const outline = L.geoJSON(grids, { style: { color: "#b3261e", weight: 2, fillOpacity: 0.04 } }).addTo(map);
      outline.eachLayer((layer) => layer.bindTooltip(el("span", {}, layer.feature.properties.name), { permanent: true, direction: "center", className: "grid-label" }));
      map.fitBounds(outline.getBounds());
    }
    marker = L.marker(start, { draggable: true, autoPan: true }).addTo(map);
    marker.on("dragend", () => {
      accuracy = null;
      checkNearby();
    });
    const position = document.getElementById("position");
    if (!navigator.geolocation) {
      position.textContent = texts.noGps;
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (fix) => {
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

  const OPEN = ["reported", "accepted", "in_handling", "in_review", "resolved", "followed_up"];
  async function loadCases() {
    let features;
    try {
      const query = OPEN.map((s) => `status=${s}`).join("&");
      const response = await fetch(`/api/cases/?${query}&page_size=100`, { credentials: "same-origin" });
      if (!response.ok) throw new Error(String(response.status));
      features = (await response.json()).features;
      localStorage.setItem("grid-patrol-cases", JSON.stringify(features));
    } catch (error) {
      features = JSON.parse(localStorage.getItem("grid-patrol-cases") || "[]");
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
      say(error instanceof Refused ? JSON.stringify(error.body) : String(error), "warn");
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
        showErrors(error.body);
        say(error instanceof Refused ? JSON.stringify(error.body) : String(error), "warn");
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
      localStorage.setItem(ZERO_CACHE, JSON.stringify(today));
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
      try {
        await post("/api/zero-reports/", { grid: pending.grid, day: pending.day }, true);
        say(texts.zeroSent, "ok");
      } catch (error) {
        if (!(error instanceof Refused)) return; // offline or server down: keep it for later
        say(Object.values(error.body || {}).flat().join(" "), "warn"); // e.g. a day gone by
      }
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
  document.querySelectorAll("[role=tab]").forEach((tab) => tab.addEventListener("click", () => selectTab(tab.dataset.tab)));

  showQueue();
  loadCases();
  loadNotices();
  zeroFlush().then(loadZero);
  flush();
})();
