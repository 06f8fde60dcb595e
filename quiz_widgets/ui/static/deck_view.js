// deck_view.js: the finish screen's spaced review (ReviewDeck): how many questions are due, with "Review
// now" (the review quiz takes this quiz's place, as "Study wrong answers" does), and the forecast of this
// quiz's exam per topic as of tomorrow (review_offer.py says why): bars drawn here from the kernel's
// numbers (no chart library, nothing fetched).
//
// Part of the QuizWidget's ES module, joined in Python (quiz_widgets/ui/assets.py: esm()) and never loaded
// on its own: it holds top-level declarations only and exports nothing.

function percent(value) {
  return Math.round(Math.min(1, Math.max(0, num(value))) * 100);
}

/** One topic's forecast: the predicted score as a bar, its 90% band drawn over it, the numbers in words. */
function forecastRow(row, withExam) {
  const predicted = percent(row.predicted_score);
  const lower = percent(row.lower);
  const upper = percent(row.upper);
  const fill = h("div", { cls: "qw-bar-fill" });
  fill.style.width = `${predicted}%`;
  if (predicted >= 70) fill.classList.add("qw-bar-good");
  else if (predicted < 50) fill.classList.add("qw-bar-bad");
  const band = h("div", { cls: "qw-forecast-band" });
  band.style.left = `${lower}%`;
  band.style.width = `${Math.max(0, upper - lower)}%`;
  const topic = str(row.topic) || t("Other");
  const label = withExam ? `${str(row.exam)}: ${topic}` : topic;
  const seen = num(row.seen);
  const recall =
    seen > 0 && row.retrievability_now !== null && row.retrievability_now !== undefined
      ? t("{seen} seen; recall tomorrow {now}%, a week later {later}%", {
          seen,
          now: percent(row.retrievability_now),
          later: percent(row.retrievability_7d),
        })
      : t("not seen yet");
  return h("li", { cls: "qw-chart-row qw-forecast-row" }, [
    h("span", { cls: "qw-bar-label", text: t("{topic}: {predicted}% ({lower}-{upper}%)", { topic: label, predicted, lower, upper }) }),
    h("div", { cls: "qw-bar qw-forecast-bar", attrs: { "aria-hidden": "true" } }, [fill, band]),
    h("span", { cls: "qw-forecast-recall", text: recall }),
  ]);
}

/** The spaced review group from the `spaced_review` trait; null when there is nothing to say. */
function deckSection(info, onReview) {
  const due = num(info.due, 0);
  const rows = list(info.forecast).map((row) => obj(row));
  if (due <= 0 && !rows.length) return null;
  const section = h("div", { cls: "qw-deck", attrs: { role: "group", "aria-label": t("Spaced review") } });
  section.appendChild(h("div", { cls: "qw-subtitle", text: t("Spaced review"), attrs: { role: "heading", "aria-level": "4" } }));
  let review = null;
  if (due > 0) {
    review = action(button(t("Review now"), "qw-deck-review", onReview));
    section.appendChild(
      h("div", { cls: "qw-submit-row qw-deck-due-row" }, [
        h("span", { cls: "qw-deck-due", text: tn("{n} question due for review", "{n} questions due for review", due) }),
        review,
      ]),
    );
  }
  // A topic nobody has answered yet has only the prior's guess (about a third, banded 0-100%): a bar for it
  // reads as a verdict on the learner, so such topics are named in one line instead.
  const exams = new Set(rows.map((row) => str(row.exam)));
  const named = (row) => (exams.size > 1 ? `${str(row.exam)}: ` : "") + (str(row.topic) || t("Other"));
  const seen = rows.filter((row) => num(row.seen) > 0);
  const unseen = rows.filter((row) => !(num(row.seen) > 0));
  if (seen.length) {
    section.appendChild(
      h("p", { cls: "qw-own-progress-caption", text: t("If you took the exam tomorrow: predicted score per topic and its 90% band") }),
    );
    const chart = h("ul", { cls: "qw-chart qw-forecast", attrs: { "aria-label": t("Forecast by topic") } });
    for (const row of seen) chart.appendChild(forecastRow(row, exams.size > 1));
    section.appendChild(chart);
  }
  if (unseen.length) {
    section.appendChild(
      h("p", { cls: "qw-own-progress-caption qw-forecast-unseen", text: t("Not seen yet: {topics}", { topics: unseen.map(named).join(", ") }) }),
    );
  }
  return { section, review };
}

/** Adds the spaced review group at the end of a finish screen built by buildFinished. */
function addDeckSection(built, info, onReview) {
  const deck = deckSection(info, onReview);
  if (!deck) return;
  built.section.appendChild(deck.section);
  if (deck.review) built.handles.focusables.push(deck.review);
}
