// The report's map: the worker's grids, and a pin the GPS places and the worker drags.
// Leaflet (window.L, ~45 KB over the wire) is loaded the first time the map is shown,
// not with the page: the list of cases comes first on a slow network.
import { el } from "./dom.js";
import { config, texts } from "./page.js";
import { onTab } from "./tabs.js";

let map = null;
let marker = null;
let accuracy = null;
let keepPin = false; // the pin holds a returned report's place: the GPS must not move it
let held = null; // that place, [lat, lon], while the map is not there yet
let leaflet = null;

// What to do when the pin moves: byHand when the worker dragged it, else the GPS moved it.
let moved = () => {};
export function onPinMoved(handler) {
  moved = handler;
}

const node = document.getElementById("map");
const home = [Number(node.dataset.lat), Number(node.dataset.lon)];

function loadLeaflet() {
  if (!leaflet) {
    leaflet = new Promise((resolve, reject) => {
      document.head.append(el("link", { rel: "stylesheet", href: config.leaflet.css }));
      const script = el("script", { src: config.leaflet.js });
      script.addEventListener("load", resolve);
      script.addEventListener("error", () => {
        leaflet = null; // tried again the next time the map is shown
        script.remove();
        reject(new Error("Leaflet did not load"));
      });
      document.head.append(script);
    });
  }
  return leaflet;
}

function startMap() {
  const position = document.getElementById("position");
  const start = held || home;
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
  if (held) map.setView(held, Math.max(map.getZoom(), 16), { animate: false });
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

// The map starts the first time the report tab is shown, once Leaflet has loaded.
async function showMap() {
  if (map) {
    map.invalidateSize();
    return;
  }
  try {
    await loadLeaflet();
  } catch (error) {
    return; // no map: the pin stays at the place held, or the worker's home
  }
  if (!map) startMap();
}
onTab("report", showMap);

// Where the pin is (the place held, or the worker's home, until the map is there), and
// how sure the GPS was (metres, or null).
export function pinAt() {
  if (marker) return marker.getLatLng();
  const [lat, lng] = held || home;
  return { lat, lng };
}
export const pinAccuracy = () => accuracy;

// The pin at a returned report's place, where the GPS leaves it until releasePin().
export function holdPin(latitude, longitude, accuracyM) {
  keepPin = true;
  held = [latitude, longitude];
  accuracy = accuracyM === undefined ? null : accuracyM;
  if (!map) return; // startMap() puts it there
  marker.setLatLng(held);
  map.setView(held, Math.max(map.getZoom(), 16), { animate: false });
}

export function releasePin() {
  keepPin = false;
}
