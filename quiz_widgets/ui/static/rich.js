// rich.js: exam text as the kernel rendered it: the only place in the views that inserts markup.
//
// Part of the QuizWidget's ES module, joined in Python (quiz_widgets/ui/assets.py: esm()) and never loaded
// on its own: it holds top-level declarations only and exports nothing.
//
// The kernel renders question, option, explanation and feedback text (Markdown, math, code) and sanitizes
// it with an allow-list (quiz_widgets.richtext) into the payload's `html` fields. Only those fields are
// markup: every other string still goes in as text (dom.js), and a missing `html` falls back to the text.

/**
 * Fill `node` with the kernel's sanitized `html` when there is some, else with `text` as text. Adds
 * qw-rich, the class the rich-text stylesheet (images, math, code colours) hangs on.
 */
function setRich(node, html, text) {
  node.classList.add("qw-rich");
  const markup = typeof html === "string" ? html : "";
  node.classList.toggle("qw-html", Boolean(markup)); // markup keeps its own line breaks (white-space)
  if (markup) node.innerHTML = markup;
  else node.textContent = str(text);
  return node;
}

/** A new `tag` element with the classes `cls` holding the rich text (see setRich). */
function rich(tag, cls, html, text, attrs = {}) {
  return setRich(h(tag, { cls, attrs }), html, text);
}
