// review_view.js: the review of a finished attempt (phase "review"): every question with the answer
// given, the right one and the explanation; filters (all, wrong, partly right, flagged, not answered);
// "Study wrong answers".
//
// Part of the QuizWidget's ES module, joined in Python (quiz_widgets/ui/assets.py: esm()) and never loaded
// on its own: it holds top-level declarations only and exports nothing.
//
// The rows come from the kernel's `review_rows` trait, which it fills only once the attempt is over (the
// key may be shown then). The filter is the view's own: switching it sends nothing.

// [name, label, keep, shown only when it keeps some row]; the labels are functions: the words are read in
// the learner's language when the screen is drawn, not when the module loads.
const REVIEW_FILTERS = [
  ["all", () => t("All"), () => true, false],
  ["wrong", () => t("Wrong"), (row) => row.status === "wrong", false],
  ["partial", () => t("Partly right"), (row) => row.status === "partial", true],
  ["flagged", () => t("Flagged"), (row) => Boolean(row.flagged), false],
  ["unanswered", () => t("Not answered"), (row) => row.status === "unanswered", true],
];

const REVIEW_STATUS = {
  right: [() => `✓ ${t("Right")}`, "qw-review-right"],
  wrong: [() => `✗ ${t("Wrong")}`, "qw-review-wrong"],
  partial: [() => `◐ ${t("Partly right")}`, "qw-review-partial"],
  unanswered: [() => `— ${t("Not answered")}`, "qw-review-unanswered"],
  // An original-app session counted it as answered without saying how.
  answered: [() => `• ${t("Answered in an earlier session")}`, "qw-review-answered"],
};

function reviewItem(row) {
  const [verdict, cls] = REVIEW_STATUS[str(row.status)] || REVIEW_STATUS.unanswered;
  const headingId = `qw-review-${Math.random().toString(36).slice(2)}`;
  const flags = [];
  if (row.flagged) flags.push(h("span", { cls: "qw-review-tag", text: `⚑ ${t("Flagged")}` }));
  if (row.revealed) flags.push(h("span", { cls: "qw-review-tag", text: t("Answer was shown") }));
  if (str(row.topic)) flags.push(h("span", { cls: "qw-topic", text: row.topic }));
  const item = h("li", { cls: `qw-review-item ${cls}`, attrs: { "aria-labelledby": headingId } }, [
    h("div", { cls: "qw-review-head" }, [
      h("span", { cls: "qw-review-number", text: t("Question {number}", { number: num(row.number) }), attrs: { id: headingId } }),
      h("span", { cls: "qw-review-verdict", text: verdict() }),
      ...flags,
    ]),
    rich("div", "qw-review-question", row.question_html, row.question),
  ]);
  // A cloze question (kind_cloze.js) shows its blanks filled with the answer given, as its feedback did.
  const blankList = fillClozeSlots(item.querySelector(".qw-review-question"), row.blanks);
  if (blankList) item.appendChild(blankList);
  const notRecorded = row.carried && !str(row.your_answer);
  // A code question (kind_code.js) shows its source and case rows, as its feedback did.
  if (row.code) item.appendChild(buildCodeFeedback(obj(row.code), false));
  const answers = h("dl", { cls: "qw-answers" }, row.code || blankList ? [] : [
    h("dt", { text: t("Your answer") }),
    notRecorded ? h("dd", { cls: "qw-answer-value", text: t("Not recorded (answered in an earlier session)") }) : answerValue("dd", row.your_answer_items, row.your_answer),
    h("dt", { text: t("Correct answer") }),
    answerValue("dd", row.correct_answer_items, row.correct_answer),
  ]);
  // A quiz made with confidence= (confidence.js): how sure the learner said they were.
  if ("confidence" in row && row.answered && !notRecorded) {
    answers.append(h("dt", { text: t("How sure you were") }), h("dd", { text: confidenceName(num(row.confidence, 0)) }));
  }
  // A cloze or code question's answers are above (its blanks, its cases): no empty list of answers.
  if (answers.children.length) item.appendChild(answers);
  if (str(row.explanation)) {
    item.appendChild(
      h("div", { cls: "qw-explanation" }, [
        h("strong", { text: `${t("Explanation:")} ` }),
        rich("div", "qw-explanation-text", row.explanation_html, row.explanation),
      ]),
    );
  }
  return item;
}

/** Question numbers as short ranges: [2, 3, 4, 7] -> "2-4, 7". */
function numberRanges(numbers) {
  const parts = [];
  for (const n of [...numbers].sort((a, b) => a - b)) {
    const last = parts[parts.length - 1];
    if (last && n === last[1] + 1) last[1] = n;
    else parts.push([n, n]);
  }
  return parts.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(", ");
}

/**
 * The review screen. `filter` is the filter on screen ("all", "wrong", "unanswered", ...); `on` does what its
 * controls ask: filter(name) (redraws), study() and back() (to the results). Returns {section, handles}.
 */
function buildReview(rowsValue, summary, filter, on) {
  const rows = list(rowsValue).map((row) => obj(row));
  const section = h("section", { cls: "qw-review", attrs: { "aria-label": t("Review") } });
  section.appendChild(h("div", { cls: "qw-finished-title", text: t("Review"), attrs: { role: "heading", "aria-level": "3" } }));
  const bar = h("div", { cls: "qw-review-filters", attrs: { role: "group", "aria-label": t("Show questions") } });
  const focusables = [];
  const shownFilter = REVIEW_FILTERS.find(([name]) => name === filter) || REVIEW_FILTERS[0];
  for (const entry of REVIEW_FILTERS) {
    const [name, label, keep, onlyWhenSome] = entry;
    const count = rows.filter(keep).length;
    if (onlyWhenSome && !count && entry !== shownFilter) continue;
    const b = button(`${label()} (${count})`, `qw-review-filter qw-review-filter-${name}`, () => on.filter(name), {
      "aria-pressed": entry === shownFilter ? "true" : "false",
    });
    bar.appendChild(b);
    // The filter on screen first: after a switch the focus stays on the button just pressed.
    if (entry === shownFilter) focusables.unshift(b);
    else focusables.push(b);
  }
  section.appendChild(bar);
  let shown = rows.filter(shownFilter[2]);
  // A quiz finished early after a few answers would list every question it never reached, in full (23 of 24
  // rows "Not answered", thousands of pixels): when most are unanswered, "All" names them on one line. A
  // submitted exam keeps them in full: there they count as not right, part of the result being reviewed.
  const skipped = rows.filter((row) => row.status === "unanswered");
  const collapse = shownFilter[0] === "all" && skipped.length * 2 > rows.length && str(summary.mode) !== "exam";
  if (collapse) shown = shown.filter((row) => row.status !== "unanswered");
  const listNode = h("ol", { cls: "qw-review-list", attrs: { "aria-label": t("Questions shown: {filter}", { filter: shownFilter[1]() }) } });
  for (const row of shown) listNode.appendChild(reviewItem(row));
  section.appendChild(listNode);
  if (collapse) {
    const count = skipped.length;
    const showThem = button(t("Show them"), "qw-review-show-skipped", () => on.filter("unanswered"));
    section.appendChild(
      h("p", { cls: "qw-review-skipped" }, [
        h("span", {
          text: `${tn("{n} question not answered: {numbers}", "{n} questions not answered: {numbers}", count, { numbers: numberRanges(skipped.map((row) => num(row.number))) })} `,
        }),
        showThem,
      ]),
    );
    focusables.push(showThem);
  }
  if (!shown.length && !collapse) {
    const none = {
      all: t("No questions."),
      wrong: t("No wrong answers."),
      partial: t("No partly right answers."),
      flagged: t("No flagged questions."),
      unanswered: t("Every question was answered."),
    };
    section.appendChild(h("p", { cls: "qw-review-empty", text: none[shownFilter[0]] }));
  }
  const buttons = [];
  if (list(summary.wrong).length || list(summary.partial).length) buttons.push(action(button(t("Study wrong answers"), "qw-study qw-primary", () => on.study())));
  buttons.push(action(button(t("Back to results"), "qw-review-back", () => on.back())));
  section.appendChild(h("div", { cls: "qw-submit-row" }, buttons));
  focusables.push(...buttons);
  return { section, handles: { focusables } };
}

/**
 * The finish screen's "Review answers" button, placed under the score (the summary's facts). An exam left
 * without submitting has no review (the kernel refuses it: it would show the key): the button stays out of
 * sight and out of reach.
 */
function addReviewButton(section, onReview) {
  const review = action(button(t("Review answers"), "qw-review-open", onReview));

  if (section.getAttribute("data-qw-graded") === "false") {
    unavailable(review, true);
    review.hidden = true;
  }
  const row = h("div", { cls: "qw-submit-row qw-review-row" }, [review]);
  row.hidden = review.hidden;
  const facts = section.querySelector(".qw-facts");
  if (facts) facts.after(row);
  else section.appendChild(row);
  return review;
}
