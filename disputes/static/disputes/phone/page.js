// What the server wrote into the page for its scripts, as JSON (json_script), never
// as inline script: the messages in the worker's language and a few addresses.
export const texts = JSON.parse(document.getElementById("texts").textContent);
export const config = JSON.parse(document.getElementById("config").textContent);
export const language = document.documentElement.lang || "zh-hans";
