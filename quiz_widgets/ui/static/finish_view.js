// finish_view.js: the finish screen: score, accuracy and time, the chart by topic, the wrong answers and
// "Study wrong answers".
//
// Part of the QuizWidget's ES module, joined in Python (quiz_widgets/ui/assets.py: esm()) and never loaded
// on its own: it holds top-level declarations only and exports nothing.

function fact(label, value) {
  return h("div", { cls: "qw-fact" }, [h("span", { cls: "qw-fact-label", text: label }), h("span", { cls: "qw-fact-value", text: value })]);
}

/** One bar of a chart: `label` beside a bar `pct` percent full, coloured as the chart by topic. */
function barRow(label, pct) {
  const fill = h("div", { cls: "qw-bar-fill" });
  fill.style.width = `${Math.min(100, Math.max(0, pct))}%`;
  if (pct >= 70) fill.classList.add("qw-bar-good");
  else if (pct < 50) fill.classList.add("qw-bar-bad");
  return h("li", { cls: "qw-chart-row" }, [
    h("span", { cls: "qw-bar-label", text: label }),
    h("div", { cls: "qw-bar", attrs: { "aria-hidden": "true" } }, [fill]),
  ]);
}

/**
 * The learner's own progress on this exam from the `progress` trait (computed in the kernel from their
 * results files): the score of each attempt, oldest first, and the accuracy per topic over them all.
 */
function progressSection(progress) {
  const attempts = list(progress.attempts).map((a) => obj(a));
  const count = num(progress.count, attempts.length);
  // One attempt (this one) would only repeat the score and the chart by topic above.
  if (attempts.length < 2 || count < 2) return null;
  const section = h("div", { cls: "qw-own-progress", attrs: { role: "group", "aria-label": t("Your progress") } });
  section.appendChild(
    h("div", {
      cls: "qw-subtitle",
      text: tn("Your progress ({n} attempt)", "Your progress ({n} attempts)", count),
      attrs: { role: "heading", "aria-level": "4" },
    }),
  );
  const scores = h("ol", { cls: "qw-chart qw-own-progress-attempts", attrs: { "aria-label": t("Scores over attempts") } });
  const days = attempts.map((a) => str(a.date).slice(0, 10));
  attempts.forEach((a, i) => {
    const answered = num(a.answered);
    const pct = answered > 0 ? (num(a.score) / answered) * 100 : 0;
    // Two attempts of one day, each by its date alone, read as one row shown twice: those show the time.
    const sameDay = days.filter((day) => day === days[i]).length > 1;
    const when = sameDay ? str(a.date).slice(0, 16).replace("T", " ") : days[i];
    scores.appendChild(barRow(`${when} ${num(a.score)}/${answered} (${Math.round(pct)}%)`, pct));
  });
  section.appendChild(scores);
  const topics = list(progress.topics).map((topic) => obj(topic));
  if (topics.length) {
    section.appendChild(h("p", { cls: "qw-own-progress-caption", text: tn("Accuracy per topic over {n} attempt", "Accuracy per topic over all {n} attempts", count) }));
    const chart = h("ul", { cls: "qw-chart qw-own-progress-topics", attrs: { "aria-label": t("Accuracy per topic over your attempts") } });
    for (const topic of topics) {
      const answered = num(topic.answered);
      const pct = answered > 0 ? (num(topic.correct) / answered) * 100 : 0;
      chart.appendChild(barRow(`${str(topic.topic) || t("Other")} ${num(topic.correct)}/${answered}`, pct));
    }
    section.appendChild(chart);
  }
  return section;
}

/** A number with at most two decimals ("1.5", "2"). */
function decimals(value) {
  return String(Math.round(num(value) * 100) / 100);
}

/** One question of a finish-screen group: its number and text, the answer given and the right one. */
function listedAnswer(w, extra = null) {
  const q = str(w.number) && num(w.number) > 0 ? `${t("Question {number}:", { number: str(w.number) })} ` : "";
  const item = h("li", { cls: "qw-wrong-item" }, [
    h("div", { cls: "qw-wrong-question" }, [h("strong", { text: q }), rich("span", "qw-wrong-question-text", w.question_html, w.question)]),
  ]);
  if (extra) item.appendChild(extra);
  // A cloze question (kind_cloze.js): its blanks filled with the answer given, the right answer beside a wrong one.
  const blankList = fillClozeSlots(item.querySelector(".qw-wrong-question-text"), w.blanks);
  if (blankList) item.appendChild(blankList);
  // A code question (kind_code.js): its source as a block of text, line for line, with its cases and the model
  // solution, as the review screen shows it (never one line, never run or read as markup).
  else if (w.code) item.appendChild(buildCodeFeedback(obj(w.code), false));
  else if ("your_answer" in w) {
    item.appendChild(
      h("div", { cls: "qw-wrong-yours" }, [h("span", { cls: "qw-fact-label", text: `${t("Your answer:")} ` }), answerValue("span", w.your_answer_items, w.your_answer)]),
    );
    item.appendChild(
      h("div", { cls: "qw-wrong-correct" }, [
        h("span", { cls: "qw-fact-label", text: `${t("Correct answer:")} ` }),
        answerValue("span", w.correct_answer_items, w.correct_answer),
      ]),
    );
  }
  return item;
}

/** A titled group of the finish screen ("Wrong answers (3)") and its list. */
function answerGroup(section, title, cls, rows, extra) {
  if (!rows.length) return;
  section.appendChild(h("div", { cls: "qw-subtitle", text: `${title} (${rows.length})`, attrs: { role: "heading", "aria-level": "4" } }));
  // Not an <ol>: its own numbers beside "Question 9:" read as a second numbering ("6. Question 9:").
  section.appendChild(h("ul", { cls: `qw-wrong-list ${cls}` }, rows.map((w) => listedAnswer(w, extra ? extra(w) : null))));
}

/**
 * The finish screen from the `summary` trait; a number the summary lacks comes from the other traits
 * (`get`). `onStudy` sends the study intent. Returns {section, handles} as the question view does.
 *
 * The score is out of `out_of`: every question of a submitted exam (unanswered ones are not right), the
 * answered ones of a quiz finished early. Partly right answers have their own group and their points.
 */
function buildFinished(summary, get, onStudy) {
  const score = num(summary.score, num(get("score")));
  const answered = num(summary.answered, num(get("answered")));
  const total = num(summary.total, num(get("total")));
  const outOf = num(summary.out_of, answered);
  // Recomputed from the counts on screen, so the percentage always agrees with "score / out of".
  let accuracy;
  if (outOf > 0) accuracy = (score / outOf) * 100;
  else accuracy = num(summary.accuracy, 0);
  const completed = Boolean(summary.completed);
  const timedOut = Boolean(summary.timed_out);
  // An exam left without submitting was never graded: the kernel sends no score, and none is shown.
  const graded = !(str(summary.mode) === "exam" && !summary.submitted);
  // Practice and study are quizzes to the learner; only exam mode is an exam (submitted, graded at the end).
  // Whole sentences per noun: in German or French the noun changes the words around it.
  const exam = str(summary.mode || get("mode")) === "exam";
  let heading;
  if (completed) heading = exam ? t("Exam complete") : t("Quiz complete");
  else if (summary.quit_by_user) heading = exam ? t("Exam finished early") : t("Quiz finished early");
  else heading = exam ? t("Exam finished") : t("Quiz finished");
  if (timedOut) heading = t("Time is up");
  else if (!graded) heading = t("Exam left without submitting");

  const section = h("section", { cls: "qw-finished", attrs: { "aria-label": t("Results"), "data-qw-graded": graded ? "true" : "false" } });
  section.appendChild(h("div", { cls: "qw-finished-title", text: heading, attrs: { role: "heading", "aria-level": "3" } }));
  const wrong = list(summary.wrong).map((w) => obj(w));
  const partial = list(summary.partial).map((w) => obj(w));
  const unanswered = list(summary.unanswered).map((w) => obj(w));
  if (timedOut) {
    const left = unanswered.length;
    const words = left
      ? tn(
          "The time ran out and the exam was submitted with {n} question unanswered; it counts as not right.",
          "The time ran out and the exam was submitted with {n} questions unanswered; they count as not right.",
          left,
        )
      : t("The time ran out and the exam was submitted.");
    section.appendChild(h("p", { cls: "qw-timed-out", text: words, attrs: { role: "status" } }));
  }
  const facts = [];
  if (graded) {
    facts.push(fact(t("Score"), `${score} / ${outOf}`));
    if (summary.partial_credit) facts.push(fact(t("Points"), `${decimals(summary.points)} / ${outOf}`));
    facts.push(fact(t("Accuracy"), `${Math.round(accuracy * 10) / 10}%`));
  }
  facts.push(
    fact(t("Time"), formatClock(num(summary.elapsed, num(get("elapsed"))))),
    fact(t("Answered"), t("{answered} of {total}", { answered, total })),
  );
  section.appendChild(h("div", { cls: "qw-facts" }, facts));
  if (!graded) {
    section.appendChild(
      h("p", { cls: "qw-ungraded", text: t("This exam was not submitted, so it is not graded: no score, no right or wrong answers.") }),
    );
  }
  const notRecorded = num(summary.not_recorded, 0);
  if (notRecorded > 0) {
    section.appendChild(
      h("p", {
        cls: "qw-not-recorded",
        text: tn(
          "{n} question was answered in an earlier session that did not record its answer: it counts in the score, not in the lists below.",
          "{n} questions were answered in an earlier session that did not record their answers: they count in the score, not in the lists below.",
          notRecorded,
        ),
      }),
    );
  }
  // Whether the result reached the class folder (collect_to); updated in place as delivery goes on.
  const delivery = h("p", { cls: "qw-delivery", text: str(get("delivery")), attrs: { role: "status" } });
  delivery.hidden = !str(get("delivery"));
  section.appendChild(delivery);

  const topics = list(summary.topics).map((topic) => obj(topic));
  if (topics.length) {
    section.appendChild(h("div", { cls: "qw-subtitle", text: t("By topic"), attrs: { role: "heading", "aria-level": "4" } }));
    const chart = h("ul", { cls: "qw-chart", attrs: { "aria-label": t("Results by topic") } });
    for (const topic of topics) {
      const correct = num(topic.correct);
      const count = num(topic.total);
      chart.appendChild(barRow(`${str(topic.topic) || t("Other")} ${correct}/${count}`, count > 0 ? (correct / count) * 100 : 0));
    }
    section.appendChild(chart);
  }
  const progress = progressSection(obj(get("progress")));
  if (progress) section.appendChild(progress);

  const focusables = [];
  answerGroup(section, t("Wrong answers"), "qw-wrong-group", wrong);
  answerGroup(section, t("Partly right"), "qw-partial-group", partial, (w) =>
    h("p", { cls: "qw-partial-credit", text: t("{percent}% of the points", { percent: decimals(w.credit) }) }),
  );
  answerGroup(section, t("Not answered"), "qw-unanswered-group", unanswered);
  if (wrong.length || partial.length) {
    const study = action(button(t("Study wrong answers"), "qw-study qw-primary", onStudy));
    section.appendChild(h("div", { cls: "qw-submit-row" }, [study]));
    focusables.push(study);
  } else if (graded && answered > 0 && !unanswered.length) {
    section.appendChild(h("p", { cls: "qw-all-right", text: notRecorded ? t("No wrong answers in this session.") : t("No wrong answers.") }));

  }
  return { section, handles: { focusables, delivery } };
}
