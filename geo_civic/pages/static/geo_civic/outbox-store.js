// Forms written without network, kept in IndexedDB until they can be sent (sw/outbox.js sends
// them; outbox-status.js shows them). Shared by the service worker and the page.
const DB = "geocivic-outbox";
const STORE = "forms";

function database() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () =>
      request.result.createObjectStore(STORE, { keyPath: "id", autoIncrement: true });
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

// Run `work(store)` in one transaction; resolves to what its request gave once committed.
async function inStore(mode, work) {
  const db = await database();
  return new Promise((resolve, reject) => {
    const transaction = db.transaction(STORE, mode);
    const request = work(transaction.objectStore(STORE));
    transaction.oncomplete = () => resolve(request?.result);
    transaction.onerror = () => reject(transaction.error);
  });
}

// {url, body (ArrayBuffer), contentType, savedAt, state: "waiting" | "refused", reason}
export const keep = (form) => inStore("readwrite", (store) => store.add(form));
export const all = () => inStore("readonly", (store) => store.getAll());
export const update = (form) => inStore("readwrite", (store) => store.put(form));
export const drop = (id) => inStore("readwrite", (store) => store.delete(id));
