// Registering a case at the desk: the map of the clerk's area to click, the village/grid
// search, the fields each channel needs, and more parties. No inline script (the CSP
// forbids it): the page's data comes from data- attributes. htmx does the search and the
// check of place and repeats; this file tells it when the place changed.
(function () {
  "use strict";

  var form = document.getElementById("register-form");
  if (!form) { return; }
  var pointInput = form.querySelector("input[name=point]");
  var pointText = document.getElementById("point-text");
  var mapNode = document.getElementById("register-map");
  var map = null;
  var marker = null;
  var frame = null;

  function placeChanged() {
    document.body.dispatchEvent(new Event("place-changed"));
  }

  function checked(name) {
    var input = form.querySelector("input[name=" + name + "]:checked");
    return input ? input.value : "";
  }

  function setPlacement(value) {
    var radio = form.querySelector("input[name=placement][value=" + value + "]");
    if (radio) { radio.checked = true; }
    toggle();
  }

  // What each channel needs: the 12345 ticket, the agent, the letter's scan.
  function toggle() {
    var channel = checked("channel");
    document.querySelectorAll(".only-hotline").forEach(function (node) {
      node.hidden = channel !== "hotline" && !node.querySelector(".errorlist");
    });
    var agent = document.getElementById("agent");
    if (agent && channel === "agent") { agent.open = true; }
    var village = document.getElementById("village-field");
    if (village) { village.classList.toggle("inactive", checked("placement") !== "village"); }
  }

  function showPoint(latlng) {
    if (!map) { return; }
    if (marker) {
      marker.setLatLng(latlng);
    } else {
      marker = L.circleMarker(latlng, {
        radius: 8, color: "#fff", weight: 2, fillColor: "#b3261e", fillOpacity: 0.95,
      }).addTo(map);
    }
  }

  function setPoint(latlng) {
    var lon = latlng.lng.toFixed(6);
    var lat = latlng.lat.toFixed(6);
    pointInput.value = lon + "," + lat;
    pointText.textContent = lon + ", " + lat;
    showPoint(latlng);
    setPlacement("point");
    placeChanged();
  }

  function keptPoint() {
    var parts = (pointInput.value || "").split(",");
    if (parts.length !== 2) { return null; }
    var lon = Number(parts[0]);
    var lat = Number(parts[1]);
    return isFinite(lon) && isFinite(lat) ? L.latLng(lat, lon) : null;
  }

  function drawMap() {
    map = L.map(mapNode, { scrollWheelZoom: true, maxZoom: 18 });
    window.registerMap = map; // for the browser tests
    if (mapNode.dataset.basemap) {
      L.tileLayer(mapNode.dataset.basemap, {
        attribution: mapNode.dataset.attribution, maxZoom: 18,
      }).addTo(map);
    }
    map.setView([29, 115.8], 10);
    map.on("click", function (event) { setPoint(event.latlng); });
    var kept = keptPoint();
    if (kept) { showPoint(kept); }
    var url = mapNode.dataset.boundaries + "?level=" + encodeURIComponent(mapNode.dataset.level) +
      "&code=" + encodeURIComponent(mapNode.dataset.code) + "&zoom=13";
    fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data && data.features && data.features.length) {
          var layer = L.geoJSON(data, {
            style: function (feature) {
              return feature.properties.child
                ? { color: "#1f3f5b", weight: 1, fillColor: "#1f3f5b", fillOpacity: 0.04 }
                : { color: "#b3261e", weight: 2.5, fill: false };
            },
            onEachFeature: function (feature, part) {
              if (feature.properties.child) { part.bindTooltip(feature.properties.name, { sticky: true }); }
            },
          }).addTo(map);
          frame = layer.getBounds();
          map.fitBounds(kept ? L.latLngBounds([kept, kept]).pad(0.02) : frame, { padding: [8, 8] });
          if (kept) { map.setZoom(14); }
        }
        mapNode.dataset.ready = "1";
      })
      .catch(function () { mapNode.dataset.ready = "1"; });
  }

  // The search's results (swapped in by htmx): frame a place, or choose a village.
  var results = document.getElementById("place-results");
  if (results) {
    results.addEventListener("click", function (event) {
      var hit = event.target.closest(".place-hit");
      if (hit && hit.dataset.bounds && map) {
        var b = hit.dataset.bounds.split(",").map(Number);
        map.fitBounds([[b[0], b[1]], [b[2], b[3]]], { padding: [8, 8], animate: false });
        mapNode.scrollIntoView({ block: "nearest" });
        return;
      }
      var pick = event.target.closest("[data-pick-village]");
      if (pick) {
        var select = form.querySelector("select[name=village]");
        if (select) {
          select.value = pick.dataset.pickVillage;
          setPlacement("village");
          select.dispatchEvent(new Event("change", { bubbles: true }));
          select.focus();
        }
      }
    });
  }
  var search = document.getElementById("place-search");
  if (search) {
    // Enter searches; it must not send the whole form.
    search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }
    });
  }

  // More parties: a copy of the empty row, numbered as the formset expects.
  var add = document.getElementById("add-party");
  var template = document.getElementById("party-template");
  var total = form.querySelector("input[name=party-TOTAL_FORMS]");
  if (add && template && total) {
    add.addEventListener("click", function () {
      var index = Number(total.value);
      if (index >= Number(add.dataset.max)) { add.disabled = true; return; }
      var holder = document.createElement("div");
      holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
      var row = holder.firstElementChild;
      row.querySelector("legend").textContent += " " + (index + 1);
      document.getElementById("parties").appendChild(row);
      total.value = String(index + 1);
      add.disabled = index + 1 >= Number(add.dataset.max);
      var name = row.querySelector("input[name$=-name]");
      if (name) { name.focus(); }
    });
  }

  form.addEventListener("change", function (event) {
    if (event.target.name === "channel" || event.target.name === "placement") { toggle(); }
  });

  document.addEventListener("DOMContentLoaded", function () {
    toggle();
    if (mapNode && window.L) { drawMap(); }
  });
})();
