// Open cases of the same kind near the pin, shown to avoid reporting a case twice.
import { el } from "./dom.js";
import { pinAt } from "./map.js";

const form = document.getElementById("report");

export async function checkNearby() {
  const box = document.getElementById("nearby");
  const category = form.querySelector("[name=category]").value;
  const pin = pinAt();
  if (!category || !pin || !navigator.onLine) {
    box.hidden = true;
    return;
  }
  const { lat, lng } = pin;
  try {
    const response = await fetch(`/api/cases/nearby/?longitude=${lng}&latitude=${lat}&category=${category}`, { credentials: "same-origin" });
    const cases = (await response.json()).features || [];
    document.getElementById("nearby-list").replaceChildren(
      ...cases.map((c) => el("li", {}, `#${c.id} ${c.properties.category_name} · ${c.properties.status_display} · ${c.properties.reported_at.slice(0, 10)}`)),
    );
    box.hidden = cases.length === 0;
  } catch (error) {
    box.hidden = true;
  }
}
form.querySelector("[name=category]").addEventListener("change", checkNearby);
