// finish_view.js: the finish screen: score, accuracy and time, the chart by topic, the wrong answers and
// "Study wrong answers".
//
// Part of the QuizWidget's ES module, joined in Python (quiz_widgets/ui/assets.py: esm()) and never loaded
// on its own: it holds top-level declarations only and exports nothing.

function fact(label, value) {
  return h("div", { cls: "qw-fact" }, [h("span", { cls: "qw-fact-label", text: label }), h("span", { cls: "qw-fact-value", text: value })]);
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
  return { section, handles: { focusables } };
}
