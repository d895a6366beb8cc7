// Sending one report of the outbox: the case, then its photos one by one.
import { attempt, caseAccepted, fileAccepted } from "./api.js";
import { queueForget, queuePut } from "./outbox.js";
import { texts } from "./page.js";
import { format, refusalText } from "./strings.js";

// {outcome: "sent", note} once the server has it all, else attempt()'s outcome.
export async function send(item) {
  const result = await attempt("/api/cases/", item.payload, true, caseAccepted);
  if (result.outcome !== "accepted") return result;
  let note = "";
  for (const photo of [...item.photos]) {
    const body = new FormData();
    body.append("uuid", photo.uuid);
    body.append("kind", "photo");
    body.append("file", photo.blob, `${photo.uuid}.jpg`);
    const upload = await attempt(`/api/cases/${result.answer.id}/attachments/`, body, false, fileAccepted);
    if (upload.outcome === "waiting" || upload.outcome === "login") return upload; // the case replays next time
    if (upload.outcome === "refused") note = format(texts.photoRefused, { reason: refusalText(upload.errors) });
    item.photos = item.photos.filter((p) => p.uuid !== photo.uuid);
    await queuePut(item);
  }
  await queueForget(item);
  return { outcome: "sent", note };
}
