// DOM helpers. Text from users reaches the DOM only as text: el() appends strings
// as text nodes, and no module here writes HTML.

const statusLine = document.getElementById("status");

// One line of news for the worker at the top of the page ("ok", "warn" or plain).
export function say(text, kind) {
  statusLine.textContent = text || "";
  statusLine.className = "status " + (kind || "");
}

export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  Object.entries(attrs || {}).forEach(([k, v]) => node.setAttribute(k, v));
  children.forEach((c) => node.append(c));
  return node;
}
