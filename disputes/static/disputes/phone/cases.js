// My open cases: the list, kept (without parties) for a start with no network.
import { showCase } from "./case-detail.js";
import { el, say } from "./dom.js";
import { texts } from "./page.js";
import { isLeaving } from "./session.js";

export const CASES_CACHE = "grid-patrol-cases";
// In handling: a case resolved or followed up is settled and leaves the list; one referred
// to arbitration or a court (访调诉) stays, without a time limit, until its result.
export const OPEN = ["reported", "accepted", "in_handling", "in_review", "referred"];

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
    const query = OPEN.map((s) => `status=${s}`).join("&");
    const response = await fetch(`/api/cases/?${query}&page_size=100`, { credentials: "same-origin" });
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
