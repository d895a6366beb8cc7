// What the server wrote into the page for its scripts, as JSON (json_script), never
// as inline script: the messages in the worker's language and a few addresses.
export const texts = JSON.parse(document.getElementById("texts").textContent);
export const config = JSON.parse(document.getElementById("config").textContent);
export const language = document.documentElement.lang || "zh-hans";

// The notices and today's zero-report card, kept on the phone, are shown again without
// asking the server when younger than this (a worker switching back to the page): a
// repeat visit then asks only for the case list. Filing, sending a report or marking
// notices read asks again at once.
export const KEPT_FRESH_MS = 10 * 60 * 1000;

// What was kept under `key` for this worker, if younger than `maxAgeMs`; else null.
export function keptFresh(key, maxAgeMs) {
  const kept = JSON.parse(localStorage.getItem(key) || "null");
  if (!kept || kept.user !== config.user || !(Date.now() - kept.at < maxAgeMs)) return null;
  return kept.data;
}

export function keep(key, data) {
  localStorage.setItem(key, JSON.stringify({ user: config.user, at: Date.now(), data }));
}
