// Small DOM helpers: no innerHTML anywhere, so nothing the mock holds is read as markup.

// h("td", {class: "x", onclick: f}, "text", child, ...)
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else if (v === true) el.setAttribute(k, "");
    else el.setAttribute(k, v);
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c === undefined || c === null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else el.append(c instanceof Node ? c : String(c));
  }
}

// A table: `columns` are header texts, `rows` arrays of cells (text or nodes).
export function table(columns, rows, attrs) {
  return h(
    "table",
    attrs || {},
    h("thead", {}, h("tr", {}, columns.map((c) => h("th", {}, c)))),
    h("tbody", {}, rows.map((r) => (r instanceof Node ? r : h("tr", {}, r.map((c) => h("td", {}, c)))))),
  );
}

export const badge = (text, kind) => h("span", { class: `badge ${kind || ""}` }, text);

export function statusBadge(status) {
  if (status === null || status === undefined) return badge("dropped", "bad");
  const kind = status >= 500 ? "bad" : status >= 400 ? "warn" : "ok";
  return badge(String(status), kind);
}

// "2026-05-01 10:00:00Z" from an RFC 3339 time.
export function when(time) {
  if (!time) return "never";
  return time.replace("T", " ").replace(/\.\d+/, "").replace("+00:00", "Z");
}

let noticeTimer = null;
export function notice(text, kind) {
  const el = document.getElementById("notice");
  el.textContent = text;
  el.className = `notice ${kind || "ok"}`;
  el.hidden = false;
  clearTimeout(noticeTimer);
  if (kind !== "keep") noticeTimer = setTimeout(() => (el.hidden = true), kind === "bad" ? 9000 : 4000);
}

// A labelled form field.
export const field = (label, input) => h("label", { class: "field" }, h("span", {}, label), input);

export function select(attrs, options, selected) {
  return h(
    "select",
    attrs,
    options.map(([value, text]) => h("option", { value, selected: String(value) === String(selected) }, text)),
  );
}

// Runs an action of a button, showing its error rather than throwing.
export async function act(what, f) {
  try {
    const out = await f();
    if (what) notice(what, "ok");
    return out;
  } catch (e) {
    if (e.name === "NeedsToken" || e.constructor.name === "NeedsToken") throw e;
    notice(`${e.status ? e.status + ": " : ""}${e.message}`, "bad");
    return undefined;
  }
}
