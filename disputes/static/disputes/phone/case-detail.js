// One case and its history, opened from a list or a notice.
import { el } from "./dom.js";
import { texts } from "./page.js";
import { selectTab } from "./tabs.js";

const detail = document.getElementById("case-detail");
const sessionForm = document.getElementById("session"); // only for a team's member
let shown = null;

// What the team may do next with a settled case (set by the team's screen).
let actionsShown = () => {};
export function onActions(handler) {
  actionsShown = handler;
}

// The id of the case shown last.
export const shownCase = () => shown;

export async function showCase(id) {
  const response = await fetch(`/api/cases/${id}/`, { credentials: "same-origin" });
  if (!response.ok) return;
  const c = await response.json();
  const p = c.properties;
  document.getElementById("detail-title").textContent = `#${c.id} ${p.category_name} · ${p.status_display}`;
  const settled = p.team_name && p.handling_days !== null ? texts.settledBy.replace("%(team)s", p.team_name).replace("%(days)s", p.handling_days) : p.team_name;
  document.getElementById("detail-meta").textContent = [p.village, p.grid, p.due_date && `${texts.due} ${p.due_date}`, p.deadline_note, settled].filter(Boolean).join(" · ");
  document.getElementById("detail-description").textContent = p.description;
  document.getElementById("detail-parties").replaceChildren(...p.parties.map((party) => el("li", {}, [party.name, party.phone, party.id_number].filter(Boolean).join(" "))));
  document.getElementById("detail-parties-heading").hidden = !p.parties.length;
  const photos = (p.attachments || []).filter((a) => a.kind === "photo");
  document.getElementById("detail-photos").replaceChildren(
    ...photos.map((a, i) => el("li", {}, el("a", { href: a.url, target: "_blank" }, el("img", { src: a.url, alt: `${texts.photo} ${i + 1}`, loading: "lazy" })))),
  );
  document.getElementById("detail-photos").hidden = !photos.length;
  document.getElementById("detail-timeline").replaceChildren(
    ...p.timeline.map((e) => el("li", {}, el("time", {}, new Date(e.at).toLocaleString()), ` ${e.action_display}`, e.note ? ` — ${e.note}` : "", e.reply ? ` — ${texts.reply}: ${e.reply}` : "")),
  );
  document.querySelectorAll(".tab").forEach((section) => (section.hidden = true));
  detail.hidden = false;
  shown = c.id;
  if (sessionForm) sessionForm.hidden = !p.team || !["accepted", "in_handling", "in_review"].includes(p.status);
  actionsShown(p.actions || []);
}

document.getElementById("detail-close").addEventListener("click", () => {
  detail.hidden = true;
  selectTab("cases");
});
