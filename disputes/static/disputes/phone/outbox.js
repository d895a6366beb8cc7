// The outbox: reports kept in IndexedDB until the server has them.
// An entry: {uuid, payload, photos: [{uuid, blob}], owner, savedAt, state, errors, replaces}.
// state: "queued" (to send), "refused" (back in the form to be corrected) or
// "superseded" (corrected under a new uuid; removed once the correction is accepted).
import { config } from "./page.js";

const db = new Promise((resolve, reject) => {
  const open = indexedDB.open("grid-patrol", 1);
  open.onupgradeneeded = () => open.result.createObjectStore("reports", { keyPath: "uuid" });
  open.onsuccess = () => resolve(open.result);
  open.onerror = () => reject(open.error);
});

async function store(mode, action) {
  const handle = await db;
  return new Promise((resolve, reject) => {
    const tx = handle.transaction("reports", mode);
    const request = action(tx.objectStore("reports"));
    tx.oncomplete = () => resolve(request && request.result);
    tx.onerror = () => reject(tx.error);
  });
}

const queueAll = () => store("readonly", (s) => s.getAll());
export const queueGet = (uuid) => store("readonly", (s) => s.get(uuid));
export const queuePut = (item) => store("readwrite", (s) => s.put(item));

// A correction and the entries it replaces change together.
export const queueSave = (item) =>
  store("readwrite", (s) => {
    for (const old of item.replaces || []) {
      const read = s.get(old);
      read.onsuccess = () => read.result && s.put(Object.assign(read.result, { state: "superseded" }));
    }
    return s.put(item);
  });

export const queueForget = (item) =>
  store("readwrite", (s) => {
    (item.replaces || []).forEach((uuid) => s.delete(uuid));
    return s.delete(item.uuid);
  });

export const stateOf = (item) => item.state || "queued";

// A shared phone keeps each worker's reports for that worker.
const mine = (item) => !item.owner || item.owner === config.user;
export const myQueue = async () => (await queueAll()).filter((item) => mine(item) && stateOf(item) !== "superseded");
