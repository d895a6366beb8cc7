// The grid worker's phone page (/m/): open cases, and reporting that survives a lost
// network. Reports are written to IndexedDB (the outbox) first and leave it only once
// the server has them (201, or 200 replaying the same uuid); each keeps its client
// UUID, so re-sending never makes a second case. A report the server refuses comes
// back into the form with the messages next to the fields; an expired login asks to
// log in again. A service worker (/m/sw.js) lets the page open with no network.
//
// Native ES modules, one per screen, with no build step: this one starts the page.
// Everything runs under a Content-Security-Policy without inline script or eval;
// text from users reaches the DOM only as text.
//
//   report.js (+ report-*.js, map.js)  the report form, its parties, messages and pin
//   cases.js, case-detail.js           my open cases, one case and its history
//   team.js                            my team's proposals, cases and sessions
//   zero.js                            the daily zero report
//   notices.js                         notifications
//   outbox*.js                         the reports kept on the phone, and sending them
//   logout.js                          logging out on a shared phone
//   api.js, dom.js, page.js, session.js, strings.js, tabs.js   shared pieces
import { loadCases } from "./cases.js";
import "./logout.js";
import { loadNotices } from "./notices.js";
import { showQueue } from "./outbox-card.js";
import { flush } from "./outbox-flush.js";
import { config, KEPT_FRESH_MS } from "./page.js";
import { offerRefused } from "./report.js";
import "./team.js";
import { loadZero, zeroFlush, zeroPending } from "./zero.js";

window.addEventListener("online", flush);
setInterval(flush, 15000);

showQueue().then(offerRefused);
// Usable from here: the tabs are enabled (tabs.js) and the list is shown. bench/phone_load.py
// and the browser tests read the moment (ms since the navigation started).
loadCases().then(() => {
  document.documentElement.dataset.usableMs = String(Math.round(performance.now()));
  // The app shell, for a start with no network. Registered only now: installing it
  // downloads the map's library (~60 KB), which on a slow network must not hold up
  // the list.
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register(config.serviceWorker, { scope: config.page, updateViaCache: "all" }).catch(() => {
      // the page still works online, and the outbox still keeps reports
    });
  }
});
loadNotices(KEPT_FRESH_MS);
zeroFlush().then(() => loadZero(zeroPending().length ? 0 : KEPT_FRESH_MS));
flush();
