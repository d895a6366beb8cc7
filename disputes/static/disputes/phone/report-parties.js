// The report's parties: a row each, added and removed by the worker.

const form = document.getElementById("report");

// The rows that are sent: an empty row is left out.
export function partyRows() {
  return Array.from(form.querySelectorAll(".party")).filter((row) => ["name", "phone", "id_number"].some((n) => row.querySelector(`[name=${n}]`).value.trim()));
}

export function parties() {
  return partyRows().map((row) => ({
    role: row.querySelector("[name=role]").value,
    name: row.querySelector("[name=name]").value.trim(),
    phone: row.querySelector("[name=phone]").value.trim(),
    id_number: row.querySelector("[name=id_number]").value.trim(),
  }));
}

export function addParty(party) {
  const row = document.getElementById("party-row").content.firstElementChild.cloneNode(true);
  row.querySelector(".remove").addEventListener("click", () => row.remove());
  if (party) ["role", "name", "phone", "id_number"].forEach((n) => (row.querySelector(`[name=${n}]`).value = party[n] || ""));
  document.getElementById("add-party").before(row);
}
document.getElementById("add-party").addEventListener("click", () => addParty(null));
