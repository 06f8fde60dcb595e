// dom.js: element helpers and the reading of kernel values, shared by both views.
//
// Part of the views' ES modules, joined in Python (quiz_widgets/ui/assets.py: esm()) and never loaded on
// its own: it holds top-level declarations only and exports nothing.
//
// Exam text and session titles are untrusted: every string goes into the page through textContent or text
// nodes only, which is why h() has no way to set markup.

// Synced traits arrive as JSON, and a trait another frontend sets may be anything: these read a value as
// the type a view needs, with an empty default instead of an exception.
function str(value) {
  if (value === null || value === undefined) return "";
  return String(value);
}

function num(value, fallback = 0) {
  const n = Number(value);
  return Number.isFinite(n) ? n : fallback;
}

function obj(value) {
  return value && typeof value === "object" && !Array.isArray(value) ? value : {};
}

function list(value) {
  return Array.isArray(value) ? value : [];
}

/** Create an element with classes, attributes and text (text always as a text node). */
function h(tag, opts = {}, children = []) {
  const node = document.createElement(tag);
  if (opts.cls) node.className = opts.cls;
  if (opts.text !== undefined) node.textContent = str(opts.text);
  if (opts.attrs) {
    for (const [name, value] of Object.entries(opts.attrs)) {
      if (value !== undefined && value !== null && value !== false) node.setAttribute(name, str(value));
    }
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

// marimo draws a widget inside a shadow root, where document.activeElement is the shadow host and never
// an element of the view: the focus is read from the root node the view is drawn in.
/** The focused element of the document or shadow root `node` is drawn in (null when none). */
function activeElementOf(node) {
  const rootNode = node.getRootNode();
  return (rootNode && "activeElement" in rootNode ? rootNode.activeElement : document.activeElement) || null;
}

/** The focused element when it is inside `node`, else null. */
function focusedIn(node) {
  const active = activeElementOf(node);
  return active && node.contains(active) ? active : null;
}

/** A `type="button"` button with the views' shared class; attrs adds a title or an aria-label. */
function button(label, cls, onClick, attrs = {}) {
  const b = h("button", { cls: `qw-button ${cls || ""}`.trim(), text: label, attrs: { type: "button", ...attrs } });
  b.addEventListener("click", onClick);
  return b;
}

// Keys both views hand on with Ctrl/Cmd: saving the notebook and opening the command palette. Every other
// chord stays in the widget (Ctrl+Enter runs the cell, Ctrl+Backspace merges cells, ...); the browser's
// own actions (copy, paste, reload, zoom) are default actions and happen either way.
const HANDED_ON_CHORDS = new Set(["KeyS", "Shift+KeyS", "Shift+KeyC"]);

/** Whether a keydown is one a view lets reach the page (JupyterLab) on purpose. */
function handsOn(event) {
  const key = event.key;
  if (key === "Tab") return true; // focus moves on
  if (/^F([1-9]|1[0-9]|2[0-4])$/.test(key)) return true; // F5, F11, F12: the browser's
  if ((event.ctrlKey || event.metaKey) && !event.altKey) {
    return HANDED_ON_CHORDS.has(`${event.shiftKey ? "Shift+" : ""}${event.code}`);
  }
  return false;
}
