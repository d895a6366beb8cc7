// The desk's small maps: the listed cases, or a case and its candidate teams.
// Data comes from json_script elements (no inline script: the CSP forbids it).
(function () {
  "use strict";

  function data(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function drawMap(element) {
    var points = data(element.dataset.points) || [];
    var teams = data(element.dataset.teams) || [];
    var map = L.map(element, { scrollWheelZoom: false });
    // A view first: vector layers added to a map without one fail to draw.
    var first = points[0] || teams[0];
    map.setView(
      first ? [first.lat, first.lon] : [Number(element.dataset.lat || 29), Number(element.dataset.lon || 115.8)],
      first ? 14 : 10
    );
    if (element.dataset.basemap) {
      L.tileLayer(element.dataset.basemap, {
        attribution: element.dataset.attribution,
        maxZoom: 18,
      }).addTo(map);
    }
    var bounds = [];
    (data(element.dataset.outlines) || []).forEach(function (outline) {
      var layer = L.geoJSON(outline.geometry, {
        style: outline.kind === "grid"
          ? { color: "#1f6f8b", weight: 2, fillOpacity: 0.06 }
          : { color: "#555", weight: 1, dashArray: "4 4", fill: false },
      }).addTo(map);
      layer.bindTooltip(outline.name, { sticky: true });
      var box = layer.getBounds();
      if (box.isValid()) { bounds.push(box.getSouthWest(), box.getNorthEast()); }
    });
    points.forEach(function (point) {
      var marker = L.circleMarker([point.lat, point.lon], {
        radius: 7, color: "#fff", weight: 2, fillColor: "#b3261e", fillOpacity: 0.9,
      }).addTo(map);
      marker.bindTooltip(point.label);
      if (point.id) {
        marker.on("click", function () { window.location.href = element.dataset.caseUrl + point.id + "/"; });
      }
      bounds.push([point.lat, point.lon]);
    });
    teams.forEach(function (team) {
      L.circleMarker([team.lat, team.lon], {
        radius: 5, color: "#fff", weight: 2, fillColor: "#2b2d6e", fillOpacity: 0.9,
      }).addTo(map).bindTooltip(team.label);
      bounds.push([team.lat, team.lon]);
    });
    if (bounds.length) {
      map.fitBounds(L.latLngBounds(bounds), { padding: [24, 24], maxZoom: 15 });
    }
    element.dataset.ready = "1";
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".smallmap").forEach(drawMap);
    // A chosen candidate on the assignment list fills the form's team.
    document.querySelectorAll("[data-pick-team]").forEach(function (button) {
      button.addEventListener("click", function () {
        var select = document.getElementById("id_assign-team");
        if (select) { select.value = button.dataset.pickTeam; select.focus(); }
      });
    });
    // The receipt's print button.
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();
