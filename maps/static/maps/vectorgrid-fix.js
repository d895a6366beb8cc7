// Leaflet.VectorGrid 1.3.0 calls L.DomEvent.fakeStop, which Leaflet 1.8 removed
// (django-leaflet ships 1.9.3); without it a click on a tile feature throws.
if (window.L && L.DomEvent && !L.DomEvent.fakeStop) {
  L.DomEvent.fakeStop = function (event) {
    event._stopped = true;
  };
}

// Its point features are circle markers drawn in tile pixels, with no latlng.
// Leaflet 1.9 asks a small circle marker it is firing an event for where it
// is (Map._fireDOMEvent), and a click on a case threw instead of reaching the
// layer. A circle marker without a latlng now says it has none, and the
// event takes its place from the mouse, as for any other shape.
if (window.L && L.CircleMarker) {
  const getLatLng = L.CircleMarker.prototype.getLatLng;
  Object.defineProperty(L.CircleMarker.prototype, "getLatLng", {
    configurable: true,
    get() {
      return this._latlng ? getLatLng : undefined;
    },
  });
}
