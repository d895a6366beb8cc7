// The exports page: start an export of the area's cases, follow the background ones.
// A small export comes back as the file itself; a large one answers 202 and is
// polled through its status URL until it has a download link. No CDN, no library.
"use strict";

(function () {
  const texts = JSON.parse(document.getElementById("export-texts").textContent);
  const form = document.getElementById("export-form");
  const message = document.getElementById("export-message");
  const table = document.querySelector("#exports tbody");
  const POLL_MS = 1500;

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, v));
    children.forEach((c) => node.append(c));
    return node;
  }

  function show(row, data) {
    row.dataset.status = data.status;
    const bar = row.querySelector("progress");
    bar.max = Math.max(data.total, 1);
    bar.value = data.status === "done" ? bar.max : data.written;
    row.querySelector(".rows").textContent = data.total;
    row.querySelector(".state").textContent = data.status_display + (data.status === "running" ? ` ${data.progress}%` : "");
    const link = row.querySelector(".link");
    if (data.download_url) link.replaceChildren(el("a", { href: data.download_url }, texts.download));
    else if (data.error) link.replaceChildren(el("span", { class: "error" }, data.error));
  }

  function follow(row) {
    const busy = () => row.dataset.status === "queued" || row.dataset.status === "running";
    if (!busy()) return;
    const tick = () =>
      fetch(row.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
        .then((data) => {
          show(row, data);
          if (busy()) setTimeout(tick, POLL_MS);
        })
        .catch(() => setTimeout(tick, POLL_MS * 4));
    setTimeout(tick, POLL_MS);
  }

  function addRow(data) {
    const none = table.querySelector("tr.none");
    if (none) none.remove();
    const row = el(
      "tr",
      { id: `export-${data.id}`, "data-export": data.id, "data-status": data.status, "data-status-url": data.status_url },
      el("td", {}, data.created_at.slice(0, 16).replace("T", " ")), // the server's local time, as listed
      el("td", {}, data.format.toUpperCase()),
      el("td", { class: "rows" }, String(data.total)),
      el("td", {}, el("progress", { max: Math.max(data.total, 1), value: data.written }), " ", el("span", { class: "state" }, data.status_display)),
      el("td", { class: "link" }),
    );
    table.prepend(row);
    show(row, data);
    follow(row);
  }

  function filename(response) {
    const match = /filename="?([^";]+)"?/.exec(response.headers.get("Content-Disposition") || "");
    return match ? match[1] : "cases";
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const params = new URLSearchParams();
    new FormData(form).forEach((value, key) => value && params.append(key, value));
    message.textContent = "";
    const response = await fetch(`${form.action}?${params}`, { credentials: "same-origin" });
    if (response.status === 202) {
      addRow(await response.json());
      message.textContent = texts.started;
    } else if (response.ok) {
      const url = URL.createObjectURL(await response.blob());
      const a = el("a", { href: url, download: filename(response) });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10000);
      message.textContent = texts.downloaded;
    } else {
      let detail = "";
      try {
        detail = Object.values(await response.json()).flat().join(" ");
      } catch (e) {
        detail = String(response.status);
      }
      message.textContent = `${texts.failed} ${detail}`;
    }
  });

  table.querySelectorAll("tr[data-export]").forEach(follow);
})();
