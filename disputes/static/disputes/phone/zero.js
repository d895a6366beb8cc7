// The daily zero report (每天零报告): one tap per grid. A tap made offline waits in
// localStorage and is sent with the outbox; it names its day, and the server refuses
// one left over from another day.
import { attempt } from "./api.js";
import { el, say } from "./dom.js";
import { keep, keptFresh, texts } from "./page.js";
import { askLogin, isLeaving } from "./session.js";
import { refusalText } from "./strings.js";

const zeroCard = document.getElementById("zero");
export const ZERO_CACHE = "grid-patrol-zero";
const ZERO_PENDING = "grid-patrol-zero-pending";
export const zeroPending = () => JSON.parse(localStorage.getItem(ZERO_PENDING) || "[]");

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

// The phone's date, as the server's day is written (YYYY-MM-DD; both in China's time).
function localDay() {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}-${String(now.getDate()).padStart(2, "0")}`;
}

// maxAgeMs: the card kept on the phone is shown without asking if younger (page start).
export async function loadZero(maxAgeMs = 0) {
  let today = keptFresh(ZERO_CACHE, maxAgeMs);
  if (today && today.day !== localDay()) today = null; // kept before midnight
  if (!today) {
    try {
      const response = await fetch("/api/zero-reports/today/", { credentials: "same-origin", cache: "no-store" });
      if (!response.ok) throw new Error(String(response.status));
      today = await response.json();
      if (!isLeaving()) keep(ZERO_CACHE, today);
    } catch (error) {
      today = keptFresh(ZERO_CACHE, Infinity); // offline: as last seen
    }
  }
  if (!today || !today.grids.length) return;
  document.getElementById("zero-grids").replaceChildren(...today.grids.map((g) => zeroItem(g, today)));
  zeroCard.hidden = false;
}

async function zeroFile(grid, day, button) {
  if (button) button.disabled = true;
  localStorage.setItem(ZERO_PENDING, JSON.stringify([...zeroPending().filter((p) => p.grid !== grid), { grid, day }]));
  await zeroFlush();
  const queued = zeroPending().some((p) => p.grid === grid);
  if (queued) say(texts.zeroQueued, "warn");
  await loadZero();
  // Whatever the list could load, the grid's line says at once what became of the tap.
  const line = document.querySelector(`#zero-grids li[data-grid="${grid}"]`);
  const stale = line && line.querySelector("button");
  if (stale && !queued) {
    const status = line.querySelector(".zero-status");
    status.textContent = texts.zeroSent;
    status.className = "zero-status ok";
    stale.remove();
  }
}

export async function zeroFlush() {
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
