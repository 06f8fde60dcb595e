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

// The views set their words and what shows at every trait change. Writing the same text again replaces the
// text node, and setting `hidden` again restyles the node, so each answer laid out words that had not changed.
/** Set `node`'s text, only when it differs. */
function setText(node, text) {
  const value = str(text);
  if (node.textContent !== value) node.textContent = value;
}

/** Hide or show `node`, only when that changes. */
function setHidden(node, hidden) {
  const value = Boolean(hidden);
  if (node.hidden !== value) node.hidden = value;
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

// ---- the learner's language ----------------------------------------------------------------------------
// Every word a view shows goes through t() or tn(). The kernel sends the catalogue of the chosen language
// as the `messages` trait (msgid -> text; a plural msgid -> its forms; "" -> the plural rule), read from
// the shipped gettext files (quiz_widgets/i18n.py); a msgid it lacks shows in English. scripts/i18n.py
// finds the msgids here by these two names, so a msgid must be one plain string literal.
let qwMessages = {};

/** Take the catalogue of `model` (a view redraws from its own model, so widgets in two languages agree). */
function useMessages(model) {
  qwMessages = obj(model.get("messages"));
}

/** The rule's form index for `n`: the rules of the shipped languages, by their Plural-Forms expression. */
function pluralIndex(n) {
  const rule = str(obj(qwMessages[""]).plural).replace(/[\s()]/g, "");
  if (rule === "n>1") return n > 1 ? 1 : 0;
  if (rule === "0") return 0;
  return n !== 1 ? 1 : 0;
}

function fillIn(text, vars) {
  return text.replace(/\{(\w+)\}/g, (whole, name) => (vars && name in vars ? str(vars[name]) : whole));
}

/** The text of `msgid` in the learner's language, its {name} placeholders filled from `vars`. */
function t(msgid, vars) {
  const text = qwMessages[msgid];
  return fillIn(typeof text === "string" && text ? text : msgid, vars);
}

/** The form of `singular`/`plural` for the count `n` ({n} is filled in too). */
function tn(singular, plural, n, vars) {
  const forms = qwMessages[singular];
  const all = { n, ...vars };
  const index = pluralIndex(n);
  if (Array.isArray(forms) && str(forms[index])) return fillIn(str(forms[index]), all);
  return fillIn(n === 1 ? singular : plural, all);
}

/**
 * An exam title as the learner reads it. The titles the package makes itself ("<exam> - Study Wrong
 * Answers", "Study Wrong Answers (N exams)", "Spaced review") stay English in files, where the original
 * app and the deck read them back; only what is shown is said in the learner's language. Exam text is
 * never translated: the exam's own part of a title is kept as written.
 */
function shownTitle(title) {
  const text = str(title);
  const suffix = " - Study Wrong Answers";
  if (text.endsWith(suffix)) return t("{exam} - Study wrong answers", { exam: text.slice(0, -suffix.length) });
  const mixed = /^Study Wrong Answers \((\d+) exams\)$/.exec(text);
  if (mixed) return tn("Study wrong answers ({n} exam)", "Study wrong answers ({n} exams)", Number(mixed[1]));
  if (text === "Spaced review") return t("Spaced review");
  return text;
}

/**
 * Tell the kernel the page's language (JupyterLab's language setting is the document's `lang`) once, in
 * a page_lang message: a widget without lang= then sends the catalogue of that language.
 */
function reportPageLanguage(protocol) {
  const lang = str(document.documentElement.lang);
  // English is what the kernel sends without being told: an English page needs no message.
  if (lang && !/^en([-_]|$)/i.test(lang)) protocol.post({ type: "page_lang", lang });
}
