// header.js: the quiz's header: the exam title, "Question 3 of 10", the progress bar, the score and the clock.
//
// Part of the QuizWidget's ES module, joined in Python (quiz_widgets/ui/assets.py: esm()) and never loaded
// on its own: it holds top-level declarations only and exports nothing.

/** Seconds -> "h:mm:ss". */
function formatClock(seconds) {
  const total = Math.max(0, Math.floor(Number(seconds) || 0));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const secs = total % 60;
  return `${hours}:${String(minutes).padStart(2, "0")}:${String(secs).padStart(2, "0")}`;
}

/**
 * Build the header; `update(get, seconds)` redraws it from the traits, `showTime(seconds)` only the clock.
 * `extra` nodes (exam mode's countdown) go beside the score and the clock.
 */
function quizHeader(extra = []) {
  const title = h("div", { cls: "qw-title", attrs: { role: "heading", "aria-level": "2" } });
  const progressText = h("div", { cls: "qw-progress-text" });
  const progressFill = h("div", { cls: "qw-progress-fill" });
  const progressBar = h(
    "div",
    { cls: "qw-progress", attrs: { role: "progressbar", "aria-label": "Quiz progress", "aria-valuemin": "0" } },
    [progressFill],
  );
  const scoreText = h("span", { cls: "qw-score", attrs: { "aria-live": "off" } });
  const timerText = h("span", {
    cls: "qw-timer",
    attrs: { role: "timer", "aria-label": "Elapsed time", "aria-live": "off" },
  });
  const stats = h("div", { cls: "qw-stats" }, [scoreText, timerText, ...extra]);
  const node = h("div", { cls: "qw-header" }, [
    title,
    h("div", { cls: "qw-progress-row" }, [progressText, stats]),
    progressBar,
  ]);

  // The clock ticks four times a second: setText touches the text node only when the shown time changes.
  function showTime(seconds) {
    setText(timerText, formatClock(seconds));
  }

  function update(get, seconds) {
    const total = Math.max(0, Math.floor(num(get("total"))));
    const index = Math.min(total, Math.max(0, Math.floor(num(get("index")))));
    // Questions may be answered in any order: progress counts answers, not the place on screen.
    const answered = Math.min(total, Math.max(0, Math.floor(num(get("answered")))));
    const phase = str(get("phase"));
    const question = obj(get("question"));
    setText(title, shownTitle(get("exam_title")) || t("Quiz"));
    // Set at each update: the language may arrive after the header was built.
    progressBar.setAttribute("aria-label", t("Quiz progress"));
    timerText.setAttribute("aria-label", t("Elapsed time"));

    // The feedback keeps showing the answered question's number; the finish screen counts answers.
    let shown = num(question.number, index + 1);
    if (phase === "finished" || !Object.keys(question).length) shown = Math.min(index + 1, total);
    shown = Math.min(Math.max(shown, total ? 1 : 0), total);
    const over = phase === "finished" || phase === "review";
    const answeredWords = t("{answered} of {total} answered", { answered, total });
    setText(progressText, over ? answeredWords : t("Question {number} of {total}", { number: shown, total }));

    progressBar.setAttribute("aria-valuemax", String(total));
    progressBar.setAttribute("aria-valuenow", String(answered));
    progressBar.setAttribute("aria-valuetext", answeredWords);
    progressFill.style.transform = `scaleX(${total ? answered / total : 0})`;

    // Once over, out of what the finish screen counts (a submitted exam's unanswered questions too).
    const summary = over ? obj(get("summary")) : {};
    const outOf = num(summary.out_of, num(get("answered")));
    // Partial credit: the points beside the score, as the quiz runs (the `points` trait: more than the
    // score only when an answer earned part of its points) and at the end (the finish screen's).
    const rawPoints = over ? num(summary.points) : num(get("points"));
    const partial = over ? Boolean(summary.partial_credit) : rawPoints - num(get("score")) > 1e-6;
    const points = Math.round(rawPoints * 100) / 100;
    const score = t("Score: {score} / {out_of}", { score: num(get("score")), out_of: outOf });
    setText(scoreText, partial ? `${score} ${tn("({n} point)", "({n} points)", points)}` : score);

    // Exam mode: no score before submit (the kernel sends 0; showing it would say something false).
    // An exam left without submitting is never graded: no score on its finish screen either.
    setHidden(scoreText, str(get("mode")) === "exam" && !(over && summary.submitted));
    showTime(seconds);
  }

  return { node, update, showTime };
}
