// The "waiting to be sent" card: the worker's reports still on the phone.
import { el } from "./dom.js";
import { myQueue, stateOf } from "./outbox.js";
import { texts } from "./page.js";
import { loginNeeded } from "./session.js";

// What "Correct it" does with a returned report (set by the report form).
let correct = () => {};
export function onCorrect(handler) {
  correct = handler;
}

export async function showQueue() {
  const items = await myQueue();
  document.getElementById("queue").hidden = items.length === 0;
  document.getElementById("queue-count").textContent = String(items.length);
  document.getElementById("queue-list").replaceChildren(
    ...items.map((item) => {
      const refused = stateOf(item) === "refused";
      const state = refused ? texts.stateRefused : loginNeeded() ? texts.stateLogin : texts.stateQueued;
      const entry = el(
        "li",
        { "data-uuid": item.uuid, class: `queued ${stateOf(item)}` },
        el("span", {}, `${new Date(item.savedAt).toLocaleString()} · ${item.payload.description.slice(0, 40)}`),
        el("span", { class: "queue-state" }, state),
      );
      if (refused) {
        const button = el("button", { type: "button", class: "link correct" }, texts.correct);
        button.addEventListener("click", () => correct(item));
        entry.append(button);
      }
      return entry;
    }),
  );
}
