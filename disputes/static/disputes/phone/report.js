// The report form. A report is saved in the outbox before any network, so it cannot be
// lost; one the server returns comes back here, every field as typed, the pin where it
// was, with the messages next to the fields.
import { newUuid } from "./api.js";
import { el, say } from "./dom.js";
import { holdPin, onPinMoved, pinAccuracy, pinAt, releasePin } from "./map.js";
import { onCorrect, showQueue } from "./outbox-card.js";
import { flush, onRefused } from "./outbox-flush.js";
import { myQueue, queueForget, queueGet, queueSave, stateOf } from "./outbox.js";
import { config, texts } from "./page.js";
import { clearFieldError, showErrors } from "./report-errors.js";
import { checkNearby } from "./report-nearby.js";
import { addParty, parties, partyRows } from "./report-parties.js";
import { selectTab } from "./tabs.js";

const form = document.getElementById("report");
const returned = document.getElementById("returned");
const field = (name) => form.querySelector(`[name=${name}]`);
let editing = null; // the outbox entry the form holds again, to be corrected
let photosRestored = false; // the photo input holds that entry's photos

onPinMoved((byHand) => {
  if (byHand) clearFieldError(document.getElementById("position"));
  checkNearby();
});

async function resized(file) {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, 1600 / Math.max(bitmap.width, bitmap.height));
  const canvas = el("canvas", { width: Math.round(bitmap.width * scale), height: Math.round(bitmap.height * scale) });
  canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.85));
}

field("photos").addEventListener("change", () => (photosRestored = false));

function formIsEmpty() {
  return !field("category").value && !field("description").value.trim() && !partyRows().length && !field("photos").files.length;
}

function clearForm() {
  form.reset();
  form.querySelectorAll(".party").forEach((row) => row.remove());
  showErrors(null);
  editing = null;
  photosRestored = false;
  releasePin();
  returned.hidden = true;
}

// Put an outbox entry back into the form, every field as typed, the pin where it was.
function loadIntoForm(item) {
  clearForm();
  const p = item.payload;
  field("category").value = p.category || "";
  field("description").value = p.description || "";
  field("people_involved").value = String(p.people_involved || 1);
  if (p.urgency) field("urgency").value = p.urgency;
  field("address").value = p.address || "";
  (p.parties || []).forEach(addParty);
  if (item.photos && item.photos.length) {
    try {
      const transfer = new DataTransfer();
      item.photos.forEach((photo) => transfer.items.add(new File([photo.blob], `${photo.uuid}.jpg`, { type: photo.blob.type || "image/jpeg" })));
      field("photos").files = transfer.files;
    } catch (error) {
      // the photos still travel with the report
    }
    photosRestored = true;
  }
  holdPin(p.latitude, p.longitude, p.accuracy_m);
  editing = item;
  returned.hidden = stateOf(item) !== "refused";
  showErrors(item.errors);
}

onCorrect((item) => {
  selectTab("report");
  loadIntoForm(item);
});

// Back into the form, unless the worker is busy with another report there.
export async function offerRefused() {
  if (editing || !formIsEmpty()) return;
  const item = (await myQueue()).find((q) => stateOf(q) === "refused");
  if (!item) return;
  selectTab("report");
  loadIntoForm(item);
  say(texts.refused, "warn");
}
onRefused(offerRefused);

document.getElementById("discard").addEventListener("click", async () => {
  if (!editing || !window.confirm(texts.discardAsk)) return;
  await queueForget(editing);
  clearForm();
  await showQueue();
  selectTab("cases");
});

function missing() {
  const errors = {};
  if (!field("category").value) errors.category = [texts.required.category];
  if (!field("description").value.trim()) errors.description = [texts.required.description];
  return errors;
}

// The report as typed, saved in the outbox before any network. A correction that
// changes nothing keeps its uuid; a changed one gets a new uuid and replaces the
// refused entry once the server has it.
async function saveReport() {
  const position = pinAt();
  const body = {
    channel: "patrol",
    occurred_at: editing ? editing.payload.occurred_at : new Date().toISOString(),
    longitude: Number(position.lng.toFixed(7)),
    latitude: Number(position.lat.toFixed(7)),
    accuracy_m: pinAccuracy(),
    category: field("category").value,
    description: field("description").value,
    people_involved: Number(field("people_involved").value || 1),
    urgency: field("urgency").value,
    address: field("address").value,
    parties: parties(),
  };
  const photos = [];
  if (photosRestored && editing) photos.push(...editing.photos);
  else for (const file of field("photos").files) photos.push({ uuid: newUuid(), blob: await resized(file) });
  let item;
  const { uuid: previous, ...before } = editing ? editing.payload : {};
  if (editing && JSON.stringify(before) === JSON.stringify(body)) {
    item = Object.assign({}, editing, { payload: { uuid: previous, ...body }, photos, state: "queued", errors: null });
  } else {
    const uuid = newUuid();
    const replaces = editing ? [...(editing.replaces || []), editing.uuid] : [];
    item = { uuid, payload: { uuid, ...body }, photos, owner: config.user, savedAt: Date.now(), state: "queued", errors: null, replaces };
  }
  await queueSave(item);
  return item;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const problems = missing();
  showErrors(problems);
  if (Object.keys(problems).length) return;
  const button = form.querySelector("button[type=submit]");
  button.disabled = true;
  try {
    const item = await saveReport(); // saved before any network: it cannot be lost
    if (navigator.onLine) {
      say(texts.sending);
      await flush();
      const after = await queueGet(item.uuid);
      if (after && stateOf(after) === "refused") {
        // the form still holds it as typed: show why, next to the fields
        editing = after;
        returned.hidden = false;
        showErrors(after.errors);
        return;
      }
    } else {
      say(texts.queued, "warn");
    }
    clearForm();
    await showQueue();
    selectTab("cases");
  } finally {
    button.disabled = false;
  }
});
