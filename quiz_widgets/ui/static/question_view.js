// question_view.js: the question on screen (options, checkboxes or an answer box), its feedback after the
// answer, and the paused screen that hides it.
//
// Part of the QuizWidget's ES module, joined in Python (quiz_widgets/ui/assets.py: esm()) and never loaded
// on its own: it holds top-level declarations only and exports nothing.
//
// Each build returns {section, handles}: the section goes into the main area, the handles tell the quiz
// what is on screen (options, checkboxes, the answer box, Submit, Next) for the keyboard and the focus.

// Each kind's part of the page (kind_*.js, one per kind of exam/kinds/): type name -> view. A kind the
// page does not know shows its options as a single choice when it has any (an older page, a newer kernel).
const KIND_VIEWS = {
  singleChoice: singleChoiceView,
  trueFalse: singleChoiceView,
  multiChoice: multiChoiceView,
  numeric: numericView,
  text: textView,
  matching: matchingView,
  ordering: orderingView,
  cloze: clozeView,
  code: codeView,
};

function kindView(kind, options = []) {
  if (Object.prototype.hasOwnProperty.call(KIND_VIEWS, kind)) return KIND_VIEWS[kind];
  return options.length ? singleChoiceView : { build() {}, read: () => null, choose() {} };
}

// An option's text is rich text (code, math): the kernel's sanitized `html` beside the plain `text`.
function optionLabel(key, opt) {
  return [h("span", { cls: "qw-key", text: key }), " ", rich("span", "qw-option-text", opt.html, opt.text)];
}

/**
 * An answer as the learner saw it: the options it names (`items`, the kernel's {key, text, html}) as rich
 * text with their letters (an ordering's items with their places, a matching's pairs), one line each when
 * there are several; without items (a typed answer, an
 * original-app file's saved text) the plain `text`, never markup.
 */
function answerValue(tag, items, text) {
  const options = list(items).map((item) => obj(item));
  if (!options.length) return h(tag, { cls: "qw-answer-value", text: str(text) || "—" });
  // An item without a key (a matching pair) is its text alone; an ordering item's key is its place.
  const label = (item) => (str(item.key) ? optionLabel(str(item.key), item) : [rich("span", "qw-option-text", item.html, item.text)]);
  // An ordering's or a matching's answer not wholly right: each part marked right or wrong (sign and words).
  const marked = options.some((item) => item.right === false);
  const mark = (item) =>
    h("span", {
      cls: `qw-item-mark ${item.right ? "qw-correct" : "qw-wrong"}`,
      text: item.right ? "✓" : "✗",
      attrs: { role: "img", "aria-label": item.right ? t("right") : t("wrong") },
    });
  const one = (item, itemTag) => h(itemTag, { cls: "qw-answer-option" }, [...label(item), marked ? mark(item) : null]);
  if (options.length === 1) return h(tag, { cls: "qw-answer-value" }, [one(options[0], "span")]);
  return h(tag, { cls: "qw-answer-value" }, [h("ul", { cls: "qw-answer-list" }, options.map((item) => one(item, "li")))]);
}

/**
 * One tab stop for a group of options (WAI-ARIA's radio group; the same for a checkbox group): the
 * option last focused, else `first`, is the only one Tab reaches; keys.js moves the focus within the
 * group with the arrows (rovingKeydown). Clicks, letter keys and the quiz's own focus keep it in step.
 */
function rovingGroup(group, items, first = 0) {
  group.setAttribute("data-qw-roving", "");
  items.forEach((item, i) => {
    item.setAttribute("data-qw-roving-item", "");
    item.tabIndex = i === Math.max(0, first) ? 0 : -1;
  });
  group.addEventListener("focusin", (event) => {
    if (!items.includes(event.target)) return;
    for (const item of items) item.tabIndex = item === event.target ? 0 : -1;
  });
}

/** The keys of the answer given so far (exam mode sends it to change it before submit). */
function givenKeys(question) {
  return new Set(list(obj(question.given).keys).map(str));
}

/**
 * The question, before its answer (phase "question") or with the feedback's marks (phase "feedback").
 * `on` does what the controls ask: answer(index) for a single choice, submit() for the others, next().
 * `submitLabel` names the button that sends a typed or checked answer ("Save answer" in exam mode, where
 * "Submit exam" ends the attempt).
 */
function buildQuestion(question, feedback, phase, on, submitLabel = t("Submit")) {
  const kind = str(question.kind);
  const options = list(question.options).map((o) => obj(o));
  const inFeedback = phase === "feedback";
  const chosen = new Set(list(feedback.chosen).map(str));
  const correctKeys = new Set(list(feedback.correct_keys).map(str));
  const given = givenKeys(question);
  const questionId = `qw-q-${Math.random().toString(36).slice(2)}`;

  const section = h("section", { cls: "qw-question", attrs: { "aria-labelledby": questionId } });
  const meta = [];
  if (str(question.topic)) meta.push(h("span", { cls: "qw-topic", text: question.topic }));
  if (meta.length) section.appendChild(h("div", { cls: "qw-meta" }, meta));
  section.appendChild(rich("div", "qw-question-text", question.html, question.text, { id: questionId }));

  const handles = { kind, options, focusables: [], checkboxes: [], input: null, submit: null };
  // Answered in an original-app session, whose file kept no answer: nothing here can be chosen or sent.
  const carried = !inFeedback && Boolean(question.carried);
  if (carried) {
    handles.kind = "carried"; // Enter and the option keys have nothing to send
    handles.options = [];
    section.classList.add("qw-carried");
    section.appendChild(
      h("p", {
        cls: "qw-carried-note",
        text: t("This question was answered in an earlier session; its answer was not recorded."),
        attrs: { role: "note" },
      }),
    );
  }

  const marker = (key) => {
    if (!inFeedback) return null;
    const parts = [];
    let words = "";
    if (correctKeys.has(key) && chosen.has(key)) words = t("(correct answer, your answer)");
    else if (correctKeys.has(key)) words = t("(correct answer)");
    else if (chosen.has(key)) words = t("(your answer)");
    return words ? h("span", { cls: "qw-marker", text: ` ${words}` }) : null;
  };
  const markClasses = (node, key) => {
    if (!inFeedback) return;
    if (chosen.has(key)) node.classList.add("qw-chosen");
    if (correctKeys.has(key)) node.classList.add("qw-correct");
    if (chosen.has(key) && !correctKeys.has(key)) node.classList.add("qw-wrong");
  };

  kindView(kind, options).build({
    question, kind, options, inFeedback, carried, given, chosen, questionId, section, handles, marker, markClasses, on, submitLabel, feedback,
  });

  if (inFeedback) {
    // Next is not part of the question: the quiz puts handles.after below the feedback it announces.
    handles.next = action(button(t("Next"), "qw-next qw-primary", () => on.next()));
    handles.after = h("div", { cls: "qw-submit-row" }, [handles.next]);
  }
  return { section, handles };
}

/**
 * The verdict, both answers, the explanation and the feedback, for the live region. Study mode's "Show
 * answer" (feedback.revealed) has no verdict and no answer of the learner's: the right answer and why.
 */
function buildFeedback(feedback) {
  const revealed = Boolean(feedback.revealed);
  const correct = Boolean(feedback.correct);
  const partial = !correct && Boolean(feedback.partial);
  let tone = correct ? "qw-feedback-correct" : "qw-feedback-wrong";
  let verdict = correct ? `✓ ${t("Correct")}` : `✗ ${t("Incorrect")}`;
  if (revealed) [tone, verdict] = ["qw-feedback-revealed", t("Answer shown")];
  else if (partial) [tone, verdict] = ["qw-feedback-partial", `◐ ${t("Partly right ({percent}%)", { percent: num(feedback.credit) })}`];
  const box = h("div", { cls: `qw-feedback ${tone}` });
  box.appendChild(h("p", { cls: "qw-verdict", text: verdict }));
  if (feedback.code) box.appendChild(buildCodeFeedback(obj(feedback.code), revealed));
  else if (Array.isArray(feedback.blanks)) {
    // A cloze question's answers are marked in its text and listed here per blank (kind_cloze.js), not as
    // "⟦1⟧ Paris ⟦2⟧ 4".
    box.appendChild(blankResultList(feedback.blanks.map((r) => obj(r)), revealed));
  } else {
    const rows = h("dl", { cls: "qw-answers" });
    if (!revealed) rows.append(h("dt", { text: t("Your answer") }), answerValue("dd", feedback.your_answer_items, feedback.your_answer));
    rows.append(h("dt", { text: t("Correct answer") }), answerValue("dd", feedback.correct_answer_items, feedback.correct_answer));
    box.appendChild(rows);
  }
  // The feedback written for the answer given (numeric and text entries, GIFT's per-answer comments).
  if (str(feedback.feedback)) box.appendChild(rich("div", "qw-answer-feedback", feedback.feedback_html, feedback.feedback));
  if (str(feedback.explanation)) {
    box.appendChild(
      h("div", { cls: "qw-explanation" }, [
        h("strong", { text: `${t("Explanation:")} ` }),
        rich("div", "qw-explanation-text", feedback.explanation_html, feedback.explanation),
      ]),
    );
  }
  const perOption = obj(feedback.option_feedback);
  const perOptionHtml = obj(feedback.option_feedback_html);
  const keys = Object.keys(perOption).filter((k) => str(perOption[k])).sort();
  if (keys.length) {
    const chosenKeys = new Set(list(feedback.chosen).map(str));
    const ul = h("ul", { cls: "qw-option-feedback", attrs: { "aria-label": t("Feedback on the options") } });
    for (const key of keys) {
      const mine = chosenKeys.has(key);
      ul.appendChild(
        h("li", { cls: mine ? "qw-option-feedback-chosen" : "" }, [
          h("span", { cls: "qw-key", text: key }),
          " ",
          rich("span", "", perOptionHtml[key], perOption[key]),
          mine ? h("span", { cls: "qw-marker", text: ` ${t("(your answer)")}` }) : null,
        ]),
      );
    }
    box.appendChild(ul);
  }
  return box;
}

/** The paused screen: the question is hidden while the clock is stopped. */
function buildPaused(onResume) {
  const resume = action(button(t("Resume"), "qw-resume qw-primary", onResume));
  const section = h("section", { cls: "qw-paused" }, [
    h("p", { cls: "qw-paused-text", text: t("Paused. The clock is stopped and the question is hidden.") }),

    resume,
  ]);
  return { section, handles: { focusables: [resume] } };
}
