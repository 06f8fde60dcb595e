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
  if (!attempts.length) return null;
  const count = num(progress.count, attempts.length);
  const section = h("div", { cls: "qw-own-progress", attrs: { role: "group", "aria-label": "Your progress" } });
  section.appendChild(
    h("div", {
      cls: "qw-subtitle",
      text: `Your progress (${count} ${count === 1 ? "attempt" : "attempts"})`,
      attrs: { role: "heading", "aria-level": "4" },
    }),
  );
  const scores = h("ol", { cls: "qw-chart qw-own-progress-attempts", attrs: { "aria-label": "Scores over attempts" } });
  for (const a of attempts) {
    const answered = num(a.answered);
    const pct = answered > 0 ? (num(a.score) / answered) * 100 : 0;
    const day = str(a.date).slice(0, 10);
    scores.appendChild(barRow(`${day} ${num(a.score)}/${answered} (${Math.round(pct)}%)`, pct));
  }
  section.appendChild(scores);
  const topics = list(progress.topics).map((t) => obj(t));
  if (topics.length) {
    const chart = h("ul", { cls: "qw-chart qw-own-progress-topics", attrs: { "aria-label": "Accuracy per topic over your attempts" } });
    for (const t of topics) {
      const answered = num(t.answered);
      const pct = answered > 0 ? (num(t.correct) / answered) * 100 : 0;
      chart.appendChild(barRow(`${str(t.topic) || "Other"} ${num(t.correct)}/${answered}`, pct));
    }
    section.appendChild(chart);
  }
  return section;
}

/**
 * The finish screen from the `summary` trait; a number the summary lacks comes from the other traits
 * (`get`). `onStudy` sends the study intent. Returns {section, handles} as the question view does.
 */
function buildFinished(summary, get, onStudy) {
  const score = num(summary.score, num(get("score")));
  const answered = num(summary.answered, num(get("answered")));
  const total = num(summary.total, num(get("total")));
  // Recomputed from the counts on screen, so the percentage always agrees with "score / answered".
  let accuracy;
  if (answered > 0) accuracy = (score / answered) * 100;
  else accuracy = num(summary.accuracy, 0);
  const completed = Boolean(summary.completed);
  const heading = completed ? "Exam complete" : summary.quit_by_user ? "Exam finished early" : "Exam finished";

  const section = h("section", { cls: "qw-finished", attrs: { "aria-label": "Results" } });
  section.appendChild(h("div", { cls: "qw-finished-title", text: heading, attrs: { role: "heading", "aria-level": "3" } }));
  const facts = h("div", { cls: "qw-facts" }, [
    fact("Score", `${score} / ${answered}`),
    fact("Accuracy", `${Math.round(accuracy * 10) / 10}%`),
    fact("Time", formatClock(num(summary.elapsed, num(get("elapsed"))))),
    fact("Answered", `${answered} of ${total}`),
  ]);
  section.appendChild(facts);
  // Whether the result reached the class folder (collect_to); updated in place as delivery goes on.
  const delivery = h("p", { cls: "qw-delivery", text: str(get("delivery")), attrs: { role: "status" } });
  delivery.hidden = !str(get("delivery"));
  section.appendChild(delivery);

  const topics = list(summary.topics).map((t) => obj(t));
  if (topics.length) {
    section.appendChild(h("div", { cls: "qw-subtitle", text: "By topic", attrs: { role: "heading", "aria-level": "4" } }));
    const chart = h("ul", { cls: "qw-chart", attrs: { "aria-label": "Results by topic" } });
    for (const t of topics) {
      const correct = num(t.correct);
      const count = num(t.total);
      const pct = count > 0 ? Math.min(100, Math.max(0, (correct / count) * 100)) : 0;
      const fill = h("div", { cls: "qw-bar-fill" });
      fill.style.width = `${pct}%`;
      if (pct >= 70) fill.classList.add("qw-bar-good");
      else if (pct < 50) fill.classList.add("qw-bar-bad");
      chart.appendChild(
        h("li", { cls: "qw-chart-row" }, [
          h("span", { cls: "qw-bar-label", text: `${str(t.topic) || "Other"} ${correct}/${count}` }),
          h("div", { cls: "qw-bar", attrs: { "aria-hidden": "true" } }, [fill]),
        ]),
      );
    }
    section.appendChild(chart);
  }
  const progress = progressSection(obj(get("progress")));
  if (progress) section.appendChild(progress);

  const wrong = list(summary.wrong).map((w) => obj(w));
  const focusables = [];
  if (wrong.length) {
    section.appendChild(
      h("div", { cls: "qw-subtitle", text: `Wrong answers (${wrong.length})`, attrs: { role: "heading", "aria-level": "4" } }),
    );
    const ol = h("ol", { cls: "qw-wrong-list" });
    for (const w of wrong) {
      const q = str(w.number) ? `Question ${str(w.number)}: ` : "";
      ol.appendChild(
        h("li", { cls: "qw-wrong-item" }, [
          h("p", { cls: "qw-wrong-question" }, [h("strong", { text: q }), str(w.question)]),
          h("p", { cls: "qw-wrong-yours" }, [h("span", { cls: "qw-fact-label", text: "Your answer: " }), str(w.your_answer) || "—"]),
          h("p", { cls: "qw-wrong-correct" }, [
            h("span", { cls: "qw-fact-label", text: "Correct answer: " }),
            str(w.correct_answer) || "—",
          ]),
        ]),
      );
    }
    section.appendChild(ol);
    const study = action(button("Study wrong answers", "qw-study qw-primary", onStudy));
    section.appendChild(h("div", { cls: "qw-submit-row" }, [study]));
    focusables.push(study);
  } else if (answered > 0) {
    section.appendChild(h("p", { cls: "qw-all-right", text: "No wrong answers." }));
  }
  return { section, handles: { focusables, delivery } };
}
