// The server's messages on a returned report, each next to its field; what belongs
// to no field above the submit button. A message goes once the field is changed.
import { el } from "./dom.js";
import { partyRows } from "./report-parties.js";
import { labelled, messages } from "./strings.js";

const form = document.getElementById("report");

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

export function clearFieldError(anchor) {
  anchor.removeAttribute("aria-invalid");
  const next = anchor.nextElementSibling;
  if (next && next.classList.contains("field-error")) next.remove();
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

export function showErrors(errors) {
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
