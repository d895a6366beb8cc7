// My team (shown to a team's members only): the proposals to answer, the team's cases,
// open cases nearby it could take, and the record of a mediation session.
import { newUuid, post, Refused } from "./api.js";
import { onActions, showCase, shownCase } from "./case-detail.js";
import { caseItem, OPEN } from "./cases.js";
import { el, say } from "./dom.js";
import { texts } from "./page.js";
import { refusalText } from "./strings.js";
import { onTab } from "./tabs.js";

const teamTab = document.getElementById("tab-team");
const sessionForm = document.getElementById("session");

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
      return el(
        "li",
        { class: "proposal", "data-id": String(a.id) },
        el("strong", {}, `#${a.case} ${a.case_summary}`),
        el("span", { class: "hint" }, `${a.team_name} · ${Math.round(a.distance_m || 0)} m · ${texts.answerBy} ${new Date(a.answer_due).toLocaleString()}`),
        el("span", {}, take, " ", decline),
      );
    }),
  );
  document.getElementById("proposals-empty").hidden = items.length > 0;
  const features = cases.features || [];
  document.getElementById("team-cases").replaceChildren(...features.filter((c) => c.properties.team).map(caseItem));
  document.getElementById("nearby-cases").replaceChildren(...features.filter((c) => !c.properties.team).map(caseItem));
}
onTab("team", loadTeam);

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
        body.agreement = (await post(`/api/cases/${shownCase()}/attachments/`, upload, false)).id;
      }
      await post(`/api/cases/${shownCase()}/sessions/`, body, true);
      sessionForm.reset();
      say(texts.saved, "ok");
      await showCase(shownCase());
    } catch (error) {
      say(error instanceof Refused ? refusalText(error.body) : String(error), "warn");
    }
  });
}

// A session settled the case: the team hands it back, or resolves it where its level allows
// (the case's `actions`, as the desk offers them).
const settledForm = document.getElementById("settled");
if (settledForm) {
  onActions((actions) => {
    const resolve = actions.includes("resolve");
    const handBack = actions.includes("hand_back");
    document.getElementById("settled-resolve").hidden = !resolve;
    document.getElementById("settled-hand-back").hidden = !handBack || resolve;
    settledForm.hidden = !(resolve || handBack);
  });
  settledForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const what = event.submitter ? event.submitter.value : "hand-back";
    const body = { note: settledForm.elements.note.value };
    if (what === "resolve") {
      body.outcome = settledForm.elements.outcome.value;
      body.reply = settledForm.elements.reply.value;
    }
    try {
      await post(`/api/cases/${shownCase()}/${what}/`, body, true);
      say(what === "resolve" ? texts.resolved : texts.handedBack, "ok");
      settledForm.reset();
      await showCase(shownCase());
    } catch (error) {
      say(error instanceof Refused ? refusalText(error.body) : texts.waiting, "warn");
    }
  });
}
