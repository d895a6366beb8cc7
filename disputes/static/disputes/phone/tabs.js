// The tabs: my open cases, report, my team. Showing a tab hides the case shown.

// What a tab does each time it is shown (its screen registers it).
const shown = {};
export function onTab(name, handler) {
  shown[name] = handler;
}

export function selectTab(name) {
  document.querySelectorAll("[role=tab]").forEach((tab) => tab.setAttribute("aria-selected", String(tab.dataset.tab === name)));
  document.querySelectorAll(".tab").forEach((section) => (section.hidden = section.id !== `tab-${name}`));
  document.getElementById("case-detail").hidden = true;
  if (shown[name]) shown[name]();
}

// The page comes with the tabs disabled, so that a tap before the modules have loaded
// is not lost: they work from here on (the modules run all at once, the screens'
// handlers included).
document.querySelectorAll("[role=tab]").forEach((tab) => {
  tab.addEventListener("click", () => selectTab(tab.dataset.tab));
  tab.disabled = false;
});
