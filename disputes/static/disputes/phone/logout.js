// Logging out: a shared phone must not show the last user's page or lists. Reports
// not sent yet stay on the phone for this worker's next login.
import { CASES_CACHE } from "./cases.js";
import { NOTICES_CACHE } from "./notices.js";
import { myQueue } from "./outbox.js";
import { texts } from "./page.js";
import { leave } from "./session.js";
import { format } from "./strings.js";
import { ZERO_CACHE } from "./zero.js";

const logoutForm = document.getElementById("logout");

async function forgetPages() {
  localStorage.removeItem(CASES_CACHE);
  localStorage.removeItem(ZERO_CACHE);
  localStorage.removeItem(NOTICES_CACHE);
  if (!window.caches) return;
  const names = await caches.keys();
  await Promise.all(names.filter((name) => name.startsWith("grid-patrol-page-")).map((name) => caches.delete(name)));
}

logoutForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const waiting = (await myQueue()).length;
  if (waiting && !window.confirm(format(texts.logoutAsk, { n: waiting }))) return;
  leave();
  try {
    await forgetPages();
  } finally {
    logoutForm.submit();
  }
});
