// Notifications: supervision notices (督办) and reminders; a notice opens its case.
import { post } from "./api.js";
import { showCase } from "./case-detail.js";
import { el } from "./dom.js";
import { keep, keptFresh, texts } from "./page.js";
import { isLeaving } from "./session.js";

const noticesCard = document.getElementById("notices");

function noticeText(n) {
  if (!n.notice) return n.message;
  const s = n.notice;
  const late = s.days_overdue > 0 ? texts.overdueDays.replace("%(n)s", s.days_overdue) : `${texts.due} ${s.due_date}`;
  return `${s.kind_display} · #${s.case} ${s.case_summary} · ${s.stage_display} · ${late}${s.note ? ` · ${s.note}` : ""}`;
}

export const NOTICES_CACHE = "grid-patrol-notices";

// maxAgeMs: the notices kept on the phone are shown without asking if younger (page start).
export async function loadNotices(maxAgeMs = 0) {
  let answer = keptFresh(NOTICES_CACHE, maxAgeMs);
  if (!answer) {
    try {
      // The latest ten, and how many of all are unread, in one answer.
      const response = await fetch("/api/notifications/?page_size=10", { credentials: "same-origin" });
      if (!response.ok) throw new Error(String(response.status));
      answer = await response.json();
      if (!isLeaving()) keep(NOTICES_CACHE, answer);
    } catch (error) {
      return; // offline: the card keeps what it showed
    }
  }
  const { results: list, unread } = answer;
  noticesCard.hidden = !list.length;
  document.getElementById("notices-unread").textContent = unread;
  document.getElementById("notices-read").hidden = !unread;
  document.getElementById("notices-list").replaceChildren(
    ...list.map((n) => {
      const item = el("li", { class: n.read_at ? "notice" : "notice unread" }, noticeText(n));
      if (n.notice) item.addEventListener("click", () => showCase(n.notice.case));
      return item;
    }),
  );
}

document.getElementById("notices-read").addEventListener("click", async () => {
  try {
    await post("/api/notifications/read/", {}, true);
  } catch (error) {
    return;
  }
  loadNotices();
});
