// The page's messages, and what the server says, in words for the worker.
import { texts } from "./page.js";

// Django's "%(name)s" placeholders, filled in.
export function format(template, values) {
  return Object.entries(values).reduce((text, [key, value]) => text.split(`%(${key})s`).join(String(value)), template);
}

// The API answers {"field": ["message", …]} (parties: by index, {"0": {"phone": […]}});
// a message is shown with the label of its field, never the field's API name.
export function messages(problems) {
  if (problems === null || problems === undefined) return [];
  if (typeof problems !== "object") return [String(problems)];
  return (Array.isArray(problems) ? problems : Object.values(problems)).flatMap(messages);
}

export function labelled(field, message) {
  const label = texts.fields[field];
  return label ? format(texts.labelled, { label, message }) : message;
}

export function refusalText(body) {
  if (!body || typeof body !== "object") return messages(body).join(" ");
  return Object.entries(body)
    .flatMap(([field, problems]) => messages(problems).map((message) => labelled(field, message)))
    .join(" ");
}
