// exam_view.js: what exam mode adds to the quiz: the countdown of a timed exam and the words of the
// "Submit exam" confirmation (how many questions are unanswered and flagged).
//
// Part of the QuizWidget's ES module, joined in Python (quiz_widgets/ui/assets.py: esm()) and never loaded
// on its own: it holds top-level declarations only and exports nothing.
//
// The kernel owns the time limit: it syncs `time_left` now and then and submits the attempt at zero,
// page or no page. Between syncs the page counts down from the last value while `countdown_running`; the
// countdown never pauses (a timed exam has no Pause), and at zero it waits for what the kernel sends.

// The countdown turns to its warning look for the last five minutes, or the last fifth of a short limit.
const COUNTDOWN_WARN_SECONDS = 300;
// Said once in the live region when the time left passes each of these (seconds).
const COUNTDOWN_ANNOUNCE_AT = [300, 60];

/** Seconds left -> "44:59", or "1:04:59" from an hour up. */
function formatCountdown(seconds) {
  const total = Math.max(0, Math.ceil(Number(seconds) || 0));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const secs = String(total % 60).padStart(2, "0");
  return hours ? `${hours}:${String(minutes).padStart(2, "0")}:${secs}` : `${minutes}:${secs}`;
}

/**
 * The countdown: `update(get)` takes the kernel's `time_left` as the new base, `show(say)` redraws it
 * from the base and the time since (called by the quiz's ticker), `say(text)` announces a threshold.
 */
function examCountdown() {
  const value = h("span", { cls: "qw-countdown-value" });
  const label = h("span", { cls: "qw-countdown-label" });
  const node = h("span", { cls: "qw-countdown", attrs: { role: "timer", "aria-live": "off" } }, [label, value]);
  let base = 0;
  let syncedAt = performance.now();
  let running = false;
  let limit = 0;
  let lastShown = null;

  function left() {
    if (!running) return base;
    return Math.max(0, base - (performance.now() - syncedAt) / 1000);
  }

  function update(get) {
    limit = Math.max(0, num(get("time_limit")));
    base = Math.max(0, num(get("time_left")));
    running = Boolean(get("countdown_running"));
    syncedAt = performance.now();
    setHidden(node, !(limit > 0));
  }

  function show(say) {
    if (!(limit > 0)) return;
    // Here, not at build: the learner's language may arrive after the countdown was built.
    const words = t("Time left");
    if (label.textContent !== `${words} `) {
      label.textContent = `${words} `;
      node.setAttribute("aria-label", words);
    }
    const seconds = left();
    setText(value, formatCountdown(seconds));
    const warnFrom = Math.min(COUNTDOWN_WARN_SECONDS, limit / 5);
    node.classList.toggle("qw-countdown-warn", seconds <= warnFrom);
    if (lastShown !== null && running) {
      for (const mark of COUNTDOWN_ANNOUNCE_AT) {
        if (lastShown > mark && seconds <= mark && mark < limit) say(tn("{n} minute left", "{n} minutes left", mark / 60));
      }
    }
    lastShown = seconds;
  }

  return { node, update, show, running: () => running && limit > 0 };
}

/**
 * How the attempt ends, by mode: an exam is submitted (graded) after a confirmation that counts what is
 * left to do; practice and study are finished early. `rows` is the question map.
 */
function endAttemptTexts(mode, rows) {
  if (mode !== "exam") {
    return {
      button: t("Finish"),
      group: t("Confirm finish"),
      question: t("Finish the quiz now? Unanswered questions will not count."),
      yes: t("Yes, finish"),
      message: { type: "finish" },
    };
  }
  const unanswered = rows.filter((row) => row.status === "unanswered").length;
  const flagged = rows.filter((row) => row.flagged).length;
  const counts = [
    tn("{n} question unanswered", "{n} questions unanswered", unanswered),
    tn("{n} flagged", "{n} flagged", flagged),
  ].join(", ");
  return {
    button: t("Submit exam"),
    group: t("Confirm submit"),
    question: t("Submit the exam now? {counts}. Answers cannot be changed after submitting.", { counts }),
    yes: t("Yes, submit"),
    message: { type: "submit" },
  };
}

/**
 * The Finish / Submit exam button and its confirmation inside the widget (no browser dialog). `texts()` gives
 * endAttemptTexts() for what is on screen now; `on.opened()` and `on.closed()` let the quiz redraw its
 * controls, `on.send(msg)` sends the confirmed message. `update(phase)` shows the words and what is open.
 */
function endConfirmation(texts, on) {
  let open = false;
  const start = action(
    button("", "qw-finish", () => {
      open = true;
      on.opened();
      no.focus();
    }),
  );
  const yes = action(
    button("", "qw-confirm-yes qw-danger", () => {
      open = false;
      on.send(texts().message);
    }),
  );
  const no = button("", "qw-confirm-no", () => {
    open = false;
    on.closed();
    start.focus();
  });
  const text = h("span", { cls: "qw-confirm-text" });
  const box = h("div", { cls: "qw-confirm", attrs: { role: "group" } }, [text, yes, no]);

  function update(phase) {
    const over = phase === "finished" || phase === "review";
    if (over) open = false;
    const words = texts();
    setText(start, words.button);
    setText(text, words.question);
    setText(yes, words.yes);
    setText(no, t("Cancel"));
    box.setAttribute("aria-label", words.group);

    setHidden(start, over || open);
    setHidden(box, !open);
  }

  return { button: start, box, isOpen: () => open, cancel: () => no.click(), update };
}
