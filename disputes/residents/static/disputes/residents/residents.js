// The resident pages: the pin on the map (GPS, tap, drag) or a village instead, and the
// "send me a code" buttons. No inline script (the CSP forbids it): the page's data comes
// from data- attributes. Leaflet is django-leaflet's own copy; no tiles are fetched:
// the map shows the county and its townships from /r/outline.json.
(function () {
  "use strict";

  // --- one-time codes ----------------------------------------------------------------
  document.querySelectorAll("button.send-code").forEach(function (button) {
    button.addEventListener("click", function () {
      var form = button.closest("form");
      var status = form.querySelector(".code-status");
      var phone = document.querySelector(button.dataset.phone);
      var body = new FormData();
      body.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
      body.append("phone", phone ? phone.value : "");
      body.append("purpose", button.dataset.purpose);
      form.querySelectorAll("[name^=captcha], [name$=-captcha_0], [name$=-captcha_1]").forEach(function (input) {
        body.append(input.name.replace(/^[a-z]-/, ""), input.value);
      });
      button.disabled = true;
      fetch(button.dataset.url, { method: "POST", body: body, credentials: "same-origin" })
        .then(function (response) { return response.json(); })
        .then(function (answer) {
          status.textContent = answer.message;
          status.dataset.ok = answer.ok ? "1" : "0";
        })
        .catch(function () { status.textContent = "×"; })
        .then(function () {
          window.setTimeout(function () { button.disabled = false; }, 3000);
        });
    });
  });

  // --- the place -------------------------------------------------------------------
  var form = document.getElementById("report-form");
  var mapNode = document.getElementById("pin-map");
  if (!form || !mapNode || typeof L === "undefined") { return; }
  var pointInput = form.querySelector("input[name=point]");
  var accuracyInput = form.querySelector("input[name=accuracy]");
  var pointText = document.getElementById("point-text");
  var village = document.getElementById("village-field");
  var onMap = document.getElementById("on-map");
  var marker = null;

  function placement() {
    var checked = form.querySelector("input[name=placement]:checked");
    return checked ? checked.value : "point";
  }
  function setPlacement(value) {
    var radio = form.querySelector("input[name=placement][value=" + value + "]");
    if (radio) { radio.checked = true; }
    toggle();
  }
  function toggle() {
    var byVillage = placement() === "village";
    village.classList.toggle("inactive", !byVillage);
    onMap.classList.toggle("inactive", byVillage);
  }
  form.querySelectorAll("input[name=placement]").forEach(function (radio) {
    radio.addEventListener("change", toggle);
  });
  var select = village.querySelector("select");
  if (select) { select.addEventListener("change", function () { if (select.value) { setPlacement("village"); } }); }
  toggle();

  var map = L.map(mapNode, { maxZoom: 18, zoomSnap: 0.5 });
  window.pinMap = map; // for the browser tests
  map.setView([29.0, 115.8], 10);
  if (mapNode.dataset.basemap) {
    L.tileLayer(mapNode.dataset.basemap, { attribution: mapNode.dataset.attribution, maxZoom: 18 }).addTo(map);
  }

  function setPoint(latlng, accuracy) {
    var lon = latlng.lng.toFixed(6);
    var lat = latlng.lat.toFixed(6);
    pointInput.value = lon + "," + lat;
    accuracyInput.value = accuracy ? String(Math.round(accuracy)) : "";
    pointText.textContent = lon + ", " + lat;
    if (marker) {
      marker.setLatLng(latlng);
    } else {
      marker = L.marker(latlng, { draggable: true, autoPan: true, keyboard: true, title: pointText.textContent }).addTo(map);
      marker.on("dragend", function () { setPoint(marker.getLatLng(), null); });
    }
    setPlacement("point");
  }
  map.on("click", function (event) { setPoint(event.latlng, null); });

  var kept = (pointInput.value || "").split(",");
  if (kept.length === 2 && isFinite(Number(kept[0])) && isFinite(Number(kept[1]))) {
    setPoint(L.latLng(Number(kept[1]), Number(kept[0])), null);
  }

  fetch(mapNode.dataset.outline, { credentials: "same-origin" })
    .then(function (response) { return response.ok ? response.json() : null; })
    .then(function (data) {
      if (data && data.features && data.features.length) {
        var layer = L.geoJSON(data, {
          interactive: false,
          style: function (feature) {
            return feature.properties.level === "county"
              ? { color: "#b3261e", weight: 2.5, fill: false }
              : { color: "#1f3f5b", weight: 1, fillColor: "#1f3f5b", fillOpacity: 0.04 };
          },
        }).addTo(map);
        if (!marker) { map.fitBounds(layer.getBounds(), { padding: [6, 6] }); }
      }
      mapNode.dataset.ready = "1";
    })
    .catch(function () { mapNode.dataset.ready = "1"; });

  var locate = document.getElementById("locate");
  if (locate) {
    locate.addEventListener("click", function () {
      if (!navigator.geolocation) { pointText.textContent = mapNode.dataset.gpsFailed; return; }
      navigator.geolocation.getCurrentPosition(function (position) {
        var here = L.latLng(position.coords.latitude, position.coords.longitude);
        setPoint(here, position.coords.accuracy);
        map.setView(here, 15);
      }, function () {
        pointText.textContent = mapNode.dataset.gpsFailed;
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    });
  }
})();
