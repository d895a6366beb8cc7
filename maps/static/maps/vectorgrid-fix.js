// Leaflet.VectorGrid 1.3.0 calls L.DomEvent.fakeStop, which Leaflet 1.8 removed
// (django-leaflet ships 1.9.3); without it a click on a tile feature throws.
if (window.L && L.DomEvent && !L.DomEvent.fakeStop) {
  L.DomEvent.fakeStop = function (event) {
    event._stopped = true;
  };
}
