// The leaders' map pages: territory drill-down, 三治 coverage, hotspots.
// Everything comes from this server; with no basemap the boundaries are the context.
"use strict";

(function () {
  const texts = JSON.parse(document.getElementById("texts").textContent);
  const node = document.getElementById("map");
  const page = document.body.dataset.page;
  // minZoom and maxZoom fixed here: else the layers' own bounds become the map's.
  const map = L.map(node, { preferCanvas: false, zoomSnap: 0.5, minZoom: 0, maxZoom: 18 });
  window.gridMap = map; // for the browser tests
  if (node.dataset.basemap) {
    L.tileLayer(node.dataset.basemap, { attribution: node.dataset.attribution, maxZoom: 18 }).addTo(map);
  }
  const getJSON = (url) => fetch(url, { credentials: "same-origin" }).then((r) => (r.ok ? r.json() : Promise.reject(r.status)));
  const el = (tag, attrs, ...children) => {
    const n = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => n.setAttribute(k, v));
    children.forEach((c) => n.append(c));
    return n;
  };
  const boundaryUrl = (level, code) => `/maps/api/boundaries/?level=${level}&code=${code}&zoom=${Math.round(map.getZoom() || 10)}`;

  // --- Territory: drill down county → township → village → grid ------------------
  async function territory() {
    const crumbs = [];
    const layer = L.featureGroup().addTo(map);
    const labels = L.layerGroup().addTo(map);
    async function show(level, code, name) {
      const index = crumbs.findIndex((c) => c.code === code);
      if (index >= 0) crumbs.splice(index + 1);
      else crumbs.push({ level, code, name });
      const data = await getJSON(boundaryUrl(level, code));
      layer.clearLayers();
      labels.clearLayers();
      L.geoJSON(data, {
        style: (f) => (f.properties.child ? { color: "#1f6f8b", weight: 1.5, fillOpacity: 0.06 } : { color: "#b3261e", weight: 3, fill: false }),
        onEachFeature: (f, l) => {
          if (!f.properties.child) return;
          const centre = l.getBounds().getCenter();
          L.marker(centre, { interactive: false, icon: L.divIcon({ className: "unit-label", html: el("span", {}, f.properties.name), iconSize: null }) }).addTo(labels);
          if (f.properties.level !== "grid") l.on("click", () => show(f.properties.level, f.properties.code, f.properties.name));
          else l.on("click", () => figures(f.properties.level, f.properties.code));
        },
      }).addTo(layer);
      if (layer.getLayers().length) map.fitBounds(layer.getBounds(), { padding: [10, 10] });
      document.getElementById("crumbs").replaceChildren(
        ...crumbs.map((c) => {
          const a = el("a", { href: "#", "data-code": c.code }, c.name || c.code);
          a.addEventListener("click", (e) => {
            e.preventDefault();
            show(c.level, c.code, c.name);
          });
          return el("li", {}, a);
        }),
      );
      await figures(level, code);
    }
    async function figures(level, code) {
      const f = await getJSON(`/maps/api/figures/?level=${level}&code=${code}`);
      crumbs[crumbs.length - 1].name = crumbs[crumbs.length - 1].name || f.name;
      document.getElementById("unit-name").textContent = f.name;
      document.getElementById("figures").replaceChildren(
        ...[[texts.open, f.open], [texts.overdue, f.overdue], [texts.settled, f.settled_this_month], [texts.teams, f.teams]].flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, String(v))]),
      );
    }
    await show(node.dataset.level, node.dataset.code, "");
  }

  // --- Coverage: villages coloured by the pillars that cover them -------------------
  // A township's or the county's users see each village of their townships; a village's
  // own users (cadres, grid workers) see their village, its grids, and its own gaps.
  async function coverage() {
    const report = await getJSON("/api/coverage/");
    const byCode = Object.fromEntries(report.villages.map((v) => [v.code, v]));
    const colours = ["#d73027", "#fc8d59", "#fee08b", "#1a9850"];
    const code = node.dataset.code;
    const home = node.dataset.level === "village" ? byCode[code] || { code, teams: [] } : null;
    const units = home ? [["village", home.code]] : report.townships.map((t) => ["township", t.code]);
    // The coloured units: the villages, whether they come as children of a township or as the unit itself.
    const coloured = (f) => f.properties.level === "village";
    const villages = L.featureGroup().addTo(map);
    for (const [level, unit] of units) {
      const data = await getJSON(boundaryUrl(level, unit));
      L.geoJSON(data, {
        style: (f) => {
          if (!coloured(f)) return f.properties.child ? { color: "#555", weight: 0.8, fill: false } : { color: "#333", weight: 2.5, fill: false };
          const v = byCode[f.properties.code];
          return { color: home ? "#333" : "#555", weight: home ? 2.5 : 1, fillColor: colours[v ? v.pillars.length : 0], fillOpacity: 0.65 };
        },
        onEachFeature: (f, l) => {
          const v = byCode[f.properties.code];
          if (coloured(f) && v) l.bindTooltip(el("span", {}, `${v.name}: ${v.pillars.map((p) => texts.pillars[p]).join(" ") || "—"}`));
        },
      }).addTo(villages);
    }
    if (villages.getLayers().length) map.fitBounds(villages.getBounds());
    let teams = [];
    for (let url = "/api/teams/?page_size=500"; url; ) {
      const answer = await getJSON(url);
      teams = teams.concat(answer.features);
      url = answer.next;
    }
    if (home) teams = teams.filter((t) => home.teams.includes(t.id));
    const bases = L.featureGroup().addTo(map);
    teams.forEach((t) => {
      const [lon, lat] = t.geometry.coordinates;
      L.circleMarker([lat, lon], { radius: 4, color: "#2b2d6e", weight: 1, fillOpacity: 0.9, className: "team-base" })
        .bindTooltip(el("span", {}, `${t.properties.name} · ${t.properties.kind_display}`))
        .addTo(bases);
      if (t.properties.service_radius_m) L.circle([lat, lon], { radius: t.properties.service_radius_m, weight: 1, color: "#2b2d6e", fill: false, dashArray: "4 4" }).addTo(bases);
    });
    const gaps = document.getElementById("gaps");
    const shown = home ? report.gaps.filter((g) => g.code === home.code) : report.gaps;
    document.getElementById("gap-count").textContent = String(shown.length);
    gaps.replaceChildren(
      ...shown.map((g) => {
        const what = g.kind === "pillar" ? `${texts.missing} ${g.missing.map((p) => texts.pillars[p]).join("、")}` : g.kind === "legal_adviser" ? texts.noAdviser : texts.noLegalVillager;
        const a = el("a", { href: "#" }, `${g.name}：${what}`);
        a.addEventListener("click", (e) => {
          e.preventDefault();
          const v = byCode[g.code];
          if (v && v.point) map.flyTo([v.point[1], v.point[0]], 14);
          else villages.eachLayer((gj) => gj.eachLayer && gj.eachLayer((l) => l.feature && l.feature.properties.code === g.code && map.fitBounds(l.getBounds())));
        });
        return el("li", { class: `gap ${g.kind}` }, a);
      }),
    );
  }

  // --- Hotspots: hexagon bins, single cases, DBSCAN clusters -------------------------
  // Single cases from about one township on the screen on (CASE_ZOOM), hexagons below it;
  // a township's or village's own users get their cases from the zoom their area is framed at.
  // Which of the two shows is decided here on each zoom, not by the layers' minZoom/maxZoom:
  // Leaflet rounds the zoom to pick tiles but drops them by the exact zoom, which left
  // 12.5 to 13 with neither, and a layer's zoom bounds became the map's once the other
  // was removed (a filter change took the county view to zoom 13).
  const CASE_ZOOM = 12.5;
  async function hotspots() {
    const outline = await getJSON(boundaryUrl(node.dataset.level, node.dataset.code));
    // A region's counties are its top layer: drawn as a county's own outline is.
    const top = (f) => !f.properties.child || f.properties.level === "county";
    const context = L.geoJSON(outline, { style: (f) => ({ color: top(f) ? "#333" : "#999", weight: top(f) ? 2.5 : 0.8, fill: false }), interactive: false }).addTo(map);
    if (context.getLayers().length) map.fitBounds(context.getBounds());
    const caseZoom = ["region", "county"].includes(node.dataset.level) ? CASE_ZOOM : Math.min(CASE_ZOOM, map.getZoom());
    const form = document.getElementById("filters");
    const query = () => {
      const data = new FormData(form);
      const params = new URLSearchParams();
      const since = new Date(Date.now() - Number(data.get("days")) * 86400000).toISOString().slice(0, 10);
      params.set("reported_after", since);
      ["category", "status", "level"].forEach((k) => data.get(k) && params.set(k, data.get(k)));
      return params;
    };
    const colour = (p) => (p.overdue ? "#d7191c" : ["closed", "not_accepted", "resolved", "followed_up"].includes(p.status) ? "#7f7f7f" : "#2c7bb6");
    // Tile features' click events carry no latlng (VectorGrid): take it from the mouse.
    const clicked = (e) => e.latlng || map.mouseEventToLatLng(e.originalEvent);
    function binStyle(p) {
      const n = p.n;
      const fill = n >= 20 ? "#800026" : n >= 10 ? "#bd0026" : n >= 5 ? "#fc4e2a" : n >= 2 ? "#feb24c" : "#ffeda0";
      return { fill: true, fillColor: fill, fillOpacity: 0.7, color: "#fff", weight: 0.5, className: "case-bin" };
    }
    // Each drawn case says its number in its class ("case-12"), for the browser tests.
    const caseStyle = (p) => ({ radius: 5, fill: true, fillColor: colour(p), fillOpacity: 0.9, color: "#fff", weight: 1, className: `case-point case-${p.case_id}` });
    const tiles = (layer) => `/tiles/${layer}/{z}/{x}/{y}.pbf?${query()}`;
    const bins = L.vectorGrid.protobuf(tiles("bins"), {
      maxNativeZoom: 16, rendererFactory: L.svg.tile, interactive: true, vectorTileLayerStyles: { bins: binStyle },
    });
    bins.on("click", (e) => L.popup().setLatLng(clicked(e)).setContent(el("span", {}, `${e.layer.properties.n} ${texts.cases}`)).openOn(map));
    const cases = L.vectorGrid.protobuf(tiles("cases"), {
      maxNativeZoom: 16, rendererFactory: L.svg.tile, interactive: true, getFeatureId: (f) => f.id,
      vectorTileLayerStyles: { cases: caseStyle },
    });
    cases.on("click", async (e) => {
      const at = clicked(e);
      // The tile feature's own id is not kept on the drawn layer: the case number rides as a property.
      const c = await getJSON(`/maps/api/cases/${e.layer.properties.case_id}/`);
      const due = c.due_date ? `${texts.due} ${c.due_date}${c.due_state === "overdue" ? ` (${texts.overdue})` : ""}` : "";
      const content = el(
        "div",
        { class: "case-popup" },
        el("strong", {}, `#${c.id} ${c.category_name}`),
        el("div", { class: "status" }, `${c.status_display} · ${c.level_display}`),
        el("div", {}, [c.village, c.grid].filter(Boolean).join(" ")),
        el("div", {}, [`${texts.reported} ${c.reported_on}`, due].filter(Boolean).join(" · ")),
        el("div", { class: "description" }, c.description),
      );
      L.popup().setLatLng(at).setContent(content).openOn(map);
    });
    function showLayers() {
      const single = map.getZoom() >= caseZoom;
      [[cases, single], [bins, !single]].forEach(([layer, wanted]) => {
        if (wanted && !map.hasLayer(layer)) layer.addTo(map);
        else if (!wanted && map.hasLayer(layer)) map.removeLayer(layer);
      });
    }
    map.on("zoomend", showLayers);
    showLayers();

    // Clusters above the cases, but a click goes through them to the case under it.
    const clusters = L.geoJSON(null, { interactive: false, style: { color: "#6a3d9a", weight: 2, fillOpacity: 0.12, dashArray: "5 3" } }).addTo(map);
    const list = document.getElementById("clusters");
    const none = document.getElementById("clusters-none");
    let asked = 0;
    async function loadClusters(params) {
      const mine = ++asked;
      params.set("days", new FormData(form).get("days"));
      const data = await getJSON(`/maps/api/clusters/?${params}`);
      if (mine !== asked) return; // a later filter change has asked again
      clusters.clearLayers().addData(data);
      none.hidden = data.features.length > 0;
      list.replaceChildren(
        ...data.features.map((f) => {
          const p = f.properties;
          const a = el("a", { href: "#" }, `${p.size} ${texts.cluster} ${p.category_name}`);
          a.addEventListener("click", (e) => {
            e.preventDefault();
            map.flyTo([p.centre[1], p.centre[0]], Math.max(15, map.getZoom()));
          });
          return el("li", {}, a);
        }),
      );
    }
    // A filter change redraws the same layers at the same place and zoom. Not by setUrl's own
    // redraw: Leaflet's GridLayer.redraw asks for tiles at the unrounded zoom (/tiles/bins/10.5/…).
    form.addEventListener("change", () => {
      [[bins, "bins"], [cases, "cases"]].forEach(([layer, name]) => {
        layer.setUrl(tiles(name), true);
        if (map.hasLayer(layer)) map.removeLayer(layer).addLayer(layer);
      });
      loadClusters(query());
    });
    loadClusters(query());

    // Major projects (稳评) the user keeps: their areas by risk, under the cases.
    const riskColour = { high: "#b3261e", medium: "#e08a00", low: "#3a7d44" };
    const projects = await getJSON("/maps/api/projects/");
    L.geoJSON(projects, {
      style: (f) => ({ color: riskColour[f.properties.risk], weight: 2, fillOpacity: 0.08, className: `project project-${f.properties.id}` }),
      onEachFeature: (f, l) => {
        const p = f.properties;
        l.bindPopup(el("div", {}, el("a", { href: p.url }, p.name), el("div", {}, `${texts.project} ${p.risk_display} · ${p.inside} ${texts.casesInside}`)));
      },
    }).addTo(map).bringToBack();
  }

  ({ territory, coverage, hotspots })[page]();
})();
