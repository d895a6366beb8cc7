// Notifications: supervision notices (督办) and reminders; a notice opens its case.
import { post } from "./api.js";
import { showCase } from "./case-detail.js";
import { el } from "./dom.js";
import { texts } from "./page.js";

const noticesCard = document.getElementById("notices");

function noticeText(n) {
  if (!n.notice) return n.message;
  const s = n.notice;
  const late = s.days_overdue > 0 ? texts.overdueDays.replace("%(n)s", s.days_overdue) : `${texts.due} ${s.due_date}`;
  return `${s.kind_display} · #${s.case} ${s.case_summary} · ${s.stage_display} · ${late}${s.note ? ` · ${s.note}` : ""}`;
}

export async function loadNotices() {
  let list, unread;
  try {
    // The latest ten, and how many of all are unread, in one answer.
    const response = await fetch("/api/notifications/?page_size=10", { credentials: "same-origin" });
    if (!response.ok) throw new Error(String(response.status));
    ({ results: list, unread } = await response.json());
  } catch (error) {
    return; // offline: the card keeps what it showed
  }
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
