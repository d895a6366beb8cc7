// Talking to the API: the CSRF token from its cookie, the worker's language, and what
// an answer means for a report kept on the phone.
import { config, language, texts } from "./page.js";
import { format } from "./strings.js";

function csrfToken() {
  const match = document.cookie.match(/(?:^|; )csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

function headers(isJson) {
  return Object.assign({ "X-CSRFToken": csrfToken(), "Accept-Language": language }, isJson ? { "Content-Type": "application/json" } : {});
}

// The client's id of a report or a file: sending it again never makes a second one.
export function newUuid() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export class Refused extends Error {
  constructor(body) {
    super("refused");
    this.body = body;
  }
}

// A POST made while the worker waits: a 4xx throws Refused with the server's answer.
export async function post(url, body, isJson) {
  const response = await fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: headers(isJson),
    body: isJson ? JSON.stringify(body) : body,
  });
  if (response.status >= 400 && response.status < 500) throw new Refused(await response.json().catch(() => ({})));
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.json();
}

// Who the server thinks we are; the answer also renews the CSRF cookie.
export async function sessionAlive() {
  try {
    const response = await fetch(config.session, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!response.ok) return true; // cannot tell: do not claim the login expired
    return (await response.json()).user === config.user;
  } catch (error) {
    return true;
  }
}

// One POST of the outbox and what its answer means:
// {outcome: "accepted", answer} | "refused" (with errors) | "login" | "waiting".
export async function attempt(url, body, isJson, accepted, retried) {
  let response;
  try {
    response = await fetch(url, { method: "POST", credentials: "same-origin", headers: headers(isJson), body: isJson ? JSON.stringify(body) : body });
  } catch (error) {
    return { outcome: "waiting" }; // no network
  }
  const answer = await response.json().catch(() => null);
  if (accepted(response)) return { outcome: "accepted", answer };
  if (response.status === 401 || response.status === 403) {
    // An expired login and a stale or missing CSRF token both answer 403.
    if (!(await sessionAlive())) return { outcome: "login" };
    if (!retried) return attempt(url, body, isJson, accepted, true);
  }
  if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
    const errors = answer && typeof answer === "object" && Object.keys(answer).length ? answer : { detail: [format(texts.refusedStatus, { status: response.status })] };
    return { outcome: "refused", errors };
  }
  return { outcome: "waiting" }; // 5xx, throttled, or not our server (a captive portal)
}

export const caseAccepted = (r) => r.status === 201 || (r.status === 200 && r.headers.get("Idempotent-Replayed") === "true");
export const fileAccepted = (r) => r.status === 201 || r.status === 200;
