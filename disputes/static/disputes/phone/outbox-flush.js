// Emptying the outbox whenever the network may be back: each queued report is sent,
// one refused is kept to be corrected, an expired login stops the round; then the
// lists are loaded again and the zero reports waiting are sent.
import { sessionAlive } from "./api.js";
import { loadCases } from "./cases.js";
import { say } from "./dom.js";
import { showQueue } from "./outbox-card.js";
import { send } from "./outbox-send.js";
import { myQueue, queuePut, stateOf } from "./outbox.js";
import { texts } from "./page.js";
import { askLogin, loginNeeded } from "./session.js";
import { loadZero, zeroFlush, zeroPending } from "./zero.js";

// What to do once a round has reports the server returned (set by the report form).
let refusedHandler = async () => {};
export function onRefused(handler) {
  refusedHandler = handler;
}

async function flushOnce() {
  if (!navigator.onLine) return;
  const refusedNow = [];
  let sent = 0;
  try {
    if (loginNeeded()) {
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
        sent += 1;
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
    if (refusedNow.length) await refusedHandler();
    if (sent || refusedNow.length) await loadCases(); // the page loads them once at start
    if (zeroPending().length) await zeroFlush().then(() => loadZero());
    else if (sent) await loadZero(); // today's findings on the zero-report card
  }
}

// One flush at a time; a call during a flush makes it go round once more.
let flushing = null;
let flushAgain = false;
export function flush() {
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
