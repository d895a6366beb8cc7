// My open cases: the list, kept (without parties) for a start with no network.
import { showCase } from "./case-detail.js";
import { el, say } from "./dom.js";
import { config, texts } from "./page.js";
import { isLeaving } from "./session.js";

export const CASES_CACHE = "grid-patrol-cases";
// The statuses of an open case (disputes/views.py OPEN_CASE_STATUSES).
export const OPEN = config.openCases.statuses;

export function caseItem(c) {
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

export async function loadCases() {
  let features;
  try {
    // The very address the page preloads (<link rel=preload>): the answer is on its way
    // while this script loads.
    const response = await fetch(config.openCases.url, { credentials: "same-origin" });
    if (!response.ok) throw new Error(String(response.status));
    features = (await response.json()).features;
    if (!isLeaving()) localStorage.setItem(CASES_CACHE, JSON.stringify(features));
  } catch (error) {
    features = JSON.parse(localStorage.getItem(CASES_CACHE) || "[]");
    if (!navigator.onLine) say(texts.offlineList, "warn");
  }
  document.getElementById("cases").replaceChildren(...features.map(caseItem));
  document.getElementById("cases-empty").hidden = features.length > 0;
}

document.getElementById("cases").addEventListener("click", (event) => {
  const item = event.target.closest("li.case");
  if (item) showCase(item.dataset.id);
});
