// question_view.js: the question on screen (options, checkboxes or an answer box), its feedback after the
// answer, and the paused screen that hides it.
//
// Part of the QuizWidget's ES module, joined in Python (quiz_widgets/ui/assets.py: esm()) and never loaded
// on its own: it holds top-level declarations only and exports nothing.
//
// Each build returns {section, handles}: the section goes into the main area, the handles tell the quiz
// what is on screen (options, checkboxes, the answer box, Submit, Next) for the keyboard and the focus.

const CHOICE_KINDS = new Set(["singleChoice", "trueFalse"]);

function optionLabel(key, text) {
  return [h("span", { cls: "qw-key", text: key }), " ", h("span", { cls: "qw-option-text", text })];
}

/**
 * The question, before its answer (phase "question") or with the feedback's marks (phase "feedback").
 * `on` does what the controls ask: answer(index) for a single choice, submit() for the others, next().
 */
function buildQuestion(question, feedback, phase, on) {
  const kind = str(question.kind);
  const options = list(question.options).map((o) => obj(o));
  const inFeedback = phase === "feedback";
  const chosen = new Set(list(feedback.chosen).map(str));
  const correctKeys = new Set(list(feedback.correct_keys).map(str));
  const questionId = `qw-q-${Math.random().toString(36).slice(2)}`;

  const section = h("section", { cls: "qw-question", attrs: { "aria-labelledby": questionId } });
  const meta = [];
  if (str(question.topic)) meta.push(h("span", { cls: "qw-topic", text: question.topic }));
  if (meta.length) section.appendChild(h("div", { cls: "qw-meta" }, meta));
  section.appendChild(h("p", { cls: "qw-question-text", text: question.text, attrs: { id: questionId } }));

  const handles = { kind, options, focusables: [], checkboxes: [], input: null, submit: null };

  const marker = (key) => {
    if (!inFeedback) return null;
    const parts = [];
    if (correctKeys.has(key)) parts.push("correct answer");
    if (chosen.has(key)) parts.push("your answer");
    return parts.length ? h("span", { cls: "qw-marker", text: ` (${parts.join(", ")})` }) : null;
  };
  const markClasses = (node, key) => {
    if (!inFeedback) return;
    if (chosen.has(key)) node.classList.add("qw-chosen");
    if (correctKeys.has(key)) node.classList.add("qw-correct");
    if (chosen.has(key) && !correctKeys.has(key)) node.classList.add("qw-wrong");
  };

  if (CHOICE_KINDS.has(kind) || (kind !== "multiChoice" && kind !== "numeric" && kind !== "text" && options.length)) {
    const group = h("div", { cls: "qw-options", attrs: { role: "group", "aria-labelledby": questionId } });
    options.forEach((opt, i) => {
      const key = str(opt.key) || String.fromCharCode(65 + i);
      const b = h("button", { cls: "qw-option", attrs: { type: "button" } }, [...optionLabel(key, opt.text), marker(key)]);
      markClasses(b, key);
      if (inFeedback) {
        b.disabled = true;
        b.setAttribute("aria-pressed", chosen.has(key) ? "true" : "false");
      } else {
        action(b);
        b.addEventListener("click", () => on.answer(i));
      }
      group.appendChild(b);
      handles.focusables.push(b);
    });
    section.appendChild(group);
  } else if (kind === "multiChoice") {
    const choose = Math.max(1, Math.floor(num(question.choose, 1)));
    const hintId = `${questionId}-choose`;
    section.appendChild(h("p", { cls: "qw-choose", text: `Choose ${choose}`, attrs: { id: hintId } }));
    const group = h("div", {
      cls: "qw-options qw-options-multi",
      attrs: { role: "group", "aria-labelledby": questionId, "aria-describedby": hintId },
    });
    options.forEach((opt, i) => {
      const key = str(opt.key) || String.fromCharCode(65 + i);
      const box = h("input", { cls: "qw-checkbox", attrs: { type: "checkbox", value: String(i) } });
      const label = h("label", { cls: "qw-option qw-option-multi" }, [box, " ", ...optionLabel(key, opt.text), marker(key)]);
      markClasses(label, key);
      if (inFeedback) {
        box.checked = chosen.has(key);
        box.disabled = true;
      } else {
        action(box);
        box.addEventListener("change", () => label.classList.toggle("qw-selected", box.checked));
      }
      group.appendChild(label);
      handles.checkboxes.push(box);
      handles.focusables.push(box);
    });
    section.appendChild(group);
    if (!inFeedback) {
      handles.submit = action(button("Submit", "qw-submit qw-primary", () => on.submit()));
      section.appendChild(h("div", { cls: "qw-submit-row" }, [handles.submit]));
    }
  } else if (kind === "numeric" || kind === "text") {
    if (!inFeedback) {
      const inputId = `${questionId}-input`;
      const input = h("input", {
        cls: "qw-input",
        attrs: {
          id: inputId,
          type: kind === "numeric" ? "number" : "text",
          step: kind === "numeric" ? "any" : undefined,
          inputmode: kind === "numeric" ? "decimal" : undefined,
          maxlength: kind === "text" ? "1000" : undefined,
          autocomplete: "off",
          spellcheck: "false",
          "aria-describedby": questionId,
        },
      });
      action(input);
      const label = h("label", {
        cls: "qw-input-label",
        text: kind === "numeric" ? "Your answer (a number)" : "Your answer (text)",
        attrs: { for: inputId },
      });
      handles.input = input;
      handles.focusables.push(input);
      handles.submit = action(button("Submit", "qw-submit qw-primary", () => on.submit()));
      section.appendChild(h("div", { cls: "qw-input-row" }, [label, input, handles.submit]));
    }
  }

  if (inFeedback) {
    // Next is not part of the question: the quiz puts handles.after below the feedback it announces.
    handles.next = action(button("Next", "qw-next qw-primary", () => on.next()));
    handles.after = h("div", { cls: "qw-submit-row" }, [handles.next]);
  }
  return { section, handles };
}

/** The verdict, both answers, the explanation and each option's own feedback, for the live region. */
function buildFeedback(feedback) {
  const correct = Boolean(feedback.correct);
  const box = h("div", { cls: `qw-feedback ${correct ? "qw-feedback-correct" : "qw-feedback-wrong"}` });
  box.appendChild(h("p", { cls: "qw-verdict", text: correct ? "✓ Correct" : "✗ Incorrect" }));
  const rows = h("dl", { cls: "qw-answers" }, [
    h("dt", { text: "Your answer" }),
    h("dd", { text: str(feedback.your_answer) || "—" }),
    h("dt", { text: "Correct answer" }),
    h("dd", { text: str(feedback.correct_answer) || "—" }),
  ]);
  box.appendChild(rows);
  if (str(feedback.explanation)) {
    box.appendChild(h("p", { cls: "qw-explanation" }, [h("strong", { text: "Explanation: " }), str(feedback.explanation)]));
  }
  const perOption = obj(feedback.option_feedback);
  const keys = Object.keys(perOption).filter((k) => str(perOption[k])).sort();
  if (keys.length) {
    const ul = h("ul", { cls: "qw-option-feedback" });
    for (const key of keys) ul.appendChild(h("li", {}, [h("span", { cls: "qw-key", text: key }), " ", str(perOption[key])]));
    box.appendChild(ul);
  }
  return box;
}

/** The paused screen: the question is hidden while the clock is stopped. */
function buildPaused(onResume) {
  const resume = action(button("Resume", "qw-resume qw-primary", onResume));
  const section = h("section", { cls: "qw-paused" }, [
    h("p", { cls: "qw-paused-text", text: "Paused. The clock is stopped and the question is hidden." }),
    resume,
  ]);
  return { section, handles: { focusables: [resume] } };
}
