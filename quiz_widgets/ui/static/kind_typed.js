// kind_typed.js: the page's part of the typed kinds (exam/kinds/numeric.py, text.py): one answer box and
// Submit. numeric reads the box as a number (type=number), text as trimmed text (at most 1000 characters).
//
// Part of the QuizWidget's ES module (ui/assets.py: esm()): top-level declarations only.

/** An answer box with its label and Submit; `attrs` are the box's own (type, inputmode ...). */
function typedAnswerRow(ctx, attrs, labelText) {
  const { question, inFeedback, carried, questionId, section, handles, on, submitLabel } = ctx;
  if (inFeedback || carried) return;
  const inputId = `${questionId}-input`;
  const input = h("input", {
    cls: "qw-input",
    attrs: { id: inputId, ...attrs, autocomplete: "off", spellcheck: "false", "aria-describedby": questionId },
  });
  action(input);
  const givenValue = obj(question.given).value;
  if (givenValue !== undefined && givenValue !== null) input.value = str(givenValue);
  const label = h("label", { cls: "qw-input-label", text: labelText, attrs: { for: inputId } });
  handles.input = input;
  handles.focusables.push(input);
  handles.submit = action(button(submitLabel, "qw-submit qw-primary", () => on.submit()));
  section.appendChild(h("div", { cls: "qw-input-row" }, [label, input, handles.submit]));
}

const numericView = {
  build(ctx) {
    typedAnswerRow(ctx, { type: "number", step: "any", inputmode: "decimal" }, t("Your answer (a number)"));
  },
  read(c, submitLabel) {
    if (!c.input) return null;
    const value = c.input.valueAsNumber;
    if (c.input.value.trim() === "" || !Number.isFinite(value)) {
      return { hint: t("Enter a number, then {button}.", { button: submitLabel }) };
    }
    return { value };
  },
  choose() {},
};

const textView = {
  build(ctx) {
    typedAnswerRow(ctx, { type: "text", maxlength: "1000" }, t("Your answer (text)"));
  },
  read(c, submitLabel) {
    if (!c.input) return null;
    const raw = c.input.value;
    if (!raw.trim()) return { hint: t("Type an answer, then {button}.", { button: submitLabel }) };
    return { value: raw };
  },
  choose() {},
};
