// The report's map: the worker's grids, and a pin the GPS places and the worker drags.
// Leaflet (window.L) is loaded by the page before this module runs.
import { el } from "./dom.js";
import { config, texts } from "./page.js";
import { onTab } from "./tabs.js";

let map = null;
let marker = null;
let accuracy = null;
let keepPin = false; // the pin holds a returned report's place: the GPS must not move it

// What to do when the pin moves: byHand when the worker dragged it, else the GPS moved it.
let moved = () => {};
export function onPinMoved(handler) {
  moved = handler;
}

function startMap() {
  const node = document.getElementById("map");
  const position = document.getElementById("position");
  const start = [Number(node.dataset.lat), Number(node.dataset.lon)];
  map = L.map(node, { zoomControl: true }).setView(start, 15);
  const grids = JSON.parse(document.getElementById("my-grids").textContent);
  if (grids.features.length) {
    const outline = L.geoJSON(grids, { style: { color: "#b3261e", weight: 2, fillOpacity: 0.04 } }).addTo(map);
    outline.eachLayer((layer) => layer.bindTooltip(el("span", {}, layer.feature.properties.name), { permanent: true, direction: "center", className: "grid-label" }));
    map.fitBounds(outline.getBounds());
  }
  // Leaflet guesses its icons' folder from its CSS, which fails with hashed static names.
  L.Icon.Default.imagePath = "";
  L.Icon.Default.mergeOptions(config.icons);
  marker = L.marker(start, { draggable: true, autoPan: true }).addTo(map);
  marker.on("dragend", () => {
    accuracy = null;
    moved(true);
  });
  if (!navigator.geolocation) {
    position.textContent = texts.noGps;
    return;
  }
  navigator.geolocation.getCurrentPosition(
    (fix) => {
      if (keepPin) return; // the form holds a returned report: its place stands
      const here = [fix.coords.latitude, fix.coords.longitude];
      accuracy = Math.round(fix.coords.accuracy * 10) / 10;
      marker.setLatLng(here);
      map.setView(here, 17);
      L.circle(here, { radius: fix.coords.accuracy, weight: 1 }).addTo(map);
      position.textContent = texts.accuracy.replace("%(m)s", Math.round(fix.coords.accuracy));
      moved(false);
    },
    () => {
      position.textContent = texts.noGps;
    },
    { enableHighAccuracy: true, timeout: 15000, maximumAge: 30000 },
  );
}

// The map starts the first time the report tab is shown.
function showMap() {
  if (!map) startMap();
  else map.invalidateSize();
}
onTab("report", showMap);

// Where the pin is (null before the map started), and how sure the GPS was (metres, or null).
export const pinAt = () => (marker ? marker.getLatLng() : null);
export const pinAccuracy = () => accuracy;

// The pin at a returned report's place, where the GPS leaves it until releasePin().
export function holdPin(latitude, longitude, accuracyM) {
  keepPin = true;
  if (!map) startMap();
  marker.setLatLng([latitude, longitude]);
  map.setView([latitude, longitude], Math.max(map.getZoom(), 16), { animate: false });
  accuracy = accuracyM === undefined ? null : accuracyM;
}

export function releasePin() {
  keepPin = false;
}
