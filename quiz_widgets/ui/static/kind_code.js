// kind_code.js: the page's part of a code question (exam/kinds/code.py): a monospace editor (a <textarea>)
// with the question's starter code, "Run and submit", and the feedback's rows (each case: input, expected,
// got or the error). The kernel runs the code; the page only edits and shows.
//
// The editor's keys: Tab indents (4 spaces; every selected line when the selection spans lines), Shift+Tab
// dedents, Enter is a new line keeping the line's indent, Ctrl+Enter (or Shift+Enter) runs and submits.
// Escape then Tab leaves the editor, so a keyboard user is never trapped in it (WCAG 2.1.2).
//
// Part of the QuizWidget's ES module (ui/assets.py: esm()): top-level declarations only.

const CODE_INDENT = "    ";
// What the learner typed, per question, while the question is on screen: a redraw (a flag, the map, the
// language arriving) rebuilds the editor and must not lose it.
const codeDrafts = new Map();

function codeDraftKey(question) {
  return JSON.stringify([question.id, question.number, str(question.text)]);
}

/** Replace [start, end) of the editor's text, through the browser's editing so Ctrl+Z can undo it. */
function codeReplace(area, start, end, text, selectStart, selectEnd) {
  area.setSelectionRange(start, end);
  let done = false;
  try {
    done = document.execCommand("insertText", false, text);
  } catch (_error) {
    done = false;
  }
  if (!done) area.setRangeText(text, start, end, "end");
  if (selectStart !== undefined) area.setSelectionRange(selectStart, selectEnd);
  area.dispatchEvent(new Event("input", { bubbles: true }));
}

/** Tab and Shift+Tab on the selected lines (or at the caret). */
function codeIndent(area, dedent) {
  const value = area.value;
  const { selectionStart: start, selectionEnd: end } = area;
  const lineStart = value.lastIndexOf("\n", start - 1) + 1;
  const multiLine = value.slice(start, end).includes("\n");
  if (!dedent && !multiLine) {
    codeReplace(area, start, end, CODE_INDENT);
    return;
  }
  const blockEnd = end > start && value[end - 1] === "\n" ? end - 1 : end;
  const lines = value.slice(lineStart, blockEnd).split("\n");
  const changed = lines.map((line) => {
    if (!dedent) return CODE_INDENT + line;
    const spaces = line.match(/^ {0,4}/)[0].length;
    return line.startsWith("\t") ? line.slice(1) : line.slice(spaces);
  });
  const text = changed.join("\n");
  const firstShift = changed[0].length - lines[0].length;
  const newStart = Math.max(lineStart, start + firstShift);
  const newEnd = multiLine ? lineStart + text.length : Math.max(lineStart, end + firstShift);
  codeReplace(area, lineStart, blockEnd, text, newStart, newEnd);
}

function codeKeydown(area) {
  let leaving = false; // Escape was pressed: the next Tab moves the focus on
  return (event) => {
    const key = event.key;
    if (key === "Escape") {
      leaving = true;
      return; // keys.js stops it: Escape closes nothing else while typing
    }
    if (key === "Tab" && !event.ctrlKey && !event.metaKey && !event.altKey) {
      if (leaving) {
        leaving = false;
        return; // the browser's own Tab: out of the editor
      }
      event.preventDefault();
      event.stopPropagation(); // an indent, not JupyterLab's Tab
      codeIndent(area, event.shiftKey);
      return;
    }
    if (key !== "Shift") leaving = false;
    if (key === "Enter" && !event.ctrlKey && !event.metaKey && !event.altKey && !event.shiftKey) {
      // A new line keeps the indent of the line it breaks, one step more after a colon.
      const value = area.value;
      const start = area.selectionStart;
      const lineStart = value.lastIndexOf("\n", start - 1) + 1;
      const line = value.slice(lineStart, start);
      let indent = line.match(/^[ \t]*/)[0];
      if (/:\s*$/.test(line)) indent += CODE_INDENT;
      event.preventDefault();
      event.stopPropagation(); // a new line, not the quiz's Enter
      codeReplace(area, start, area.selectionEnd, `\n${indent}`);
    }
  };
}

const codeView = {
  build(ctx) {
    const { question, inFeedback, carried, questionId, section, handles, on, submitLabel } = ctx;
    if (inFeedback || carried) return;
    const editorId = `${questionId}-code`;
    const helpId = `${questionId}-code-help`;
    const draftKey = codeDraftKey(question);
    const given = obj(question.given).value;
    const area = h("textarea", {
      cls: "qw-code-editor",
      attrs: {
        id: editorId,
        spellcheck: "false",
        autocapitalize: "off",
        autocomplete: "off",
        autocorrect: "off",
        wrap: "off",
        maxlength: String(num(question.max_source, 20000)),
        "aria-describedby": `${questionId} ${helpId}`,
      },
    });
    area.value = codeDrafts.has(draftKey) ? codeDrafts.get(draftKey) : str(given ?? question.starter);
    area.rows = Math.min(24, Math.max(6, area.value.split("\n").length + 2));
    area.addEventListener("keydown", codeKeydown(area));
    area.addEventListener("input", () => codeDrafts.set(draftKey, area.value));
    action(area);
    const label = h("label", {
      cls: "qw-input-label",
      text: t("Your code: define {function}", { function: str(question.function) }),
      attrs: { for: editorId },
    });
    const help = h("p", {
      cls: "qw-code-help",
      text: t("Tab indents, Shift+Tab dedents, Ctrl+Enter runs and submits; Escape then Tab leaves the editor."),
      attrs: { id: helpId },
    });
    const runLabel = submitLabel === t("Submit") ? t("Run and submit") : submitLabel;
    handles.input = area;
    handles.focusables.push(area);
    handles.submit = action(button(runLabel, "qw-submit qw-primary", () => on.submit()));
    handles.codeDraftKey = draftKey;
    section.appendChild(h("div", { cls: "qw-code" }, [label, area, help]));
    section.appendChild(h("div", { cls: "qw-submit-row" }, [handles.submit]));
  },
  read(c) {
    if (!c.input) return null;
    const source = c.input.value;
    if (!source.trim()) {
      return { hint: t("Write the function, then {button}.", { button: c.submit ? c.submit.textContent : "" }) };
    }
    codeDrafts.delete(c.codeDraftKey); // sent: the kernel keeps it from here (the session, exam mode's given)
    return { value: source };
  },
  choose() {},
};

/** A case's outcome in words: what it returned, or the exception's last line, or the time limit. */
function codeOutcome(row) {
  if (row.skipped) return t("not run: the time for this answer was used up");
  if (row.timeout) return t("stopped after {seconds} s", { seconds: num(row.timeout) });
  if (row.error !== null && row.error !== undefined) return str(row.error);
  return str(row.got);
}

/** The feedback of a code question: the learner's source, each case's row, the model solution. */
function buildCodeFeedback(code, revealed) {
  const part = h("div", { cls: "qw-code-feedback" });
  if (!revealed) {
    part.appendChild(h("p", { cls: "qw-code-heading", text: t("Your code") }));
    part.appendChild(h("pre", { cls: "qw-code-source", text: str(code.source) }));
    if (code.error) {
      const error = code.timeout ? t("stopped after {seconds} s", { seconds: num(code.timeout) }) : str(code.error);
      part.appendChild(h("p", { cls: "qw-code-error", attrs: { role: "note" }, text: t("It did not run: {error}", { error }) }));
    }
    const cases = list(code.cases).map((c) => obj(c));
    if (cases.length) {
      part.appendChild(
        h("p", {
          cls: "qw-code-heading",
          text: t("{passed} of {total} cases passed", { passed: num(code.passed), total: num(code.total) }),
        }),
      );
      const checker = cases.every((c) => c.expected === null || c.expected === undefined);
      const head = checker
        ? [t("Check"), t("Result")]
        : [t("Call"), t("Expected"), t("Got"), t("Result")];
      const table = h("table", { cls: "qw-code-cases" }, [
        h("thead", {}, [h("tr", {}, head.map((text) => h("th", { text, attrs: { scope: "col" } })))]),
        h(
          "tbody",
          {},
          cases.map((row) => {
            const verdict = row.passed ? `✓ ${t("passed")}` : `✗ ${t("failed")}`;
            const cells = checker
              ? [str(row.input), verdict]
              : [str(row.input), str(row.expected), codeOutcome(row), verdict];
            return h(
              "tr",
              { cls: row.passed ? "qw-case-passed" : "qw-case-failed" },
              cells.map((text, i) => h("td", { cls: i < cells.length - 1 ? "qw-code-cell" : "", text })),
            );
          }),
        ),
      ]);
      part.appendChild(table);
    }
    if (str(code.output)) {
      part.appendChild(h("p", { cls: "qw-code-heading", text: t("It printed") }));
      part.appendChild(h("pre", { cls: "qw-code-output", text: str(code.output) }));
    }
  }
  if (str(code.solution)) {
    part.appendChild(h("p", { cls: "qw-code-heading", text: t("A model solution") }));
    part.appendChild(h("pre", { cls: "qw-code-source qw-code-solution", text: str(code.solution) }));
  } else if (revealed) {
    part.appendChild(h("p", { cls: "qw-code-heading", text: t("No model solution was given: any function that passes every case is right.") }));
  }
  return part;
}
