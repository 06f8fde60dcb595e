// continued.js: the note a quiz shows when it continues an earlier attempt (re-running its cell), with the
// "Start a new attempt" button, and the compact look of a short quiz.
//
// Part of the QuizWidget's ES module, joined in Python (quiz_widgets/ui/assets.py: esm()) and never loaded
// on its own: it holds top-level declarations only and exports nothing.

// A quiz of this many questions or fewer is a check inside a lesson: a small header, no clock.
const COMPACT_MAX_QUESTIONS = 5;

/**
 * The note; `update(get)` shows the kernel's `continued` text, hidden when empty or once the attempt is over.
 * "Start a new attempt" ends the attempt on screen, so it asks first, as Finish does (the same
 * confirmation inside the widget, Cancel focused, Escape closes it): `startNew()` runs on "Yes".
 */
function continuedNote(startNew) {
  let open = false;
  const text = h("span", { cls: "qw-continued-text" });
  const restart = action(
    button("", "qw-new-attempt", () => {
      open = true;
      show();
      no.focus();
    }),
  );
  const yes = action(
    button("", "qw-confirm-yes qw-danger", () => {
      open = false;
      show();
      startNew();
    }),
  );
  const no = button("", "qw-confirm-no", () => cancel());
  const question = h("span", { cls: "qw-confirm-text" });
  const box = h("div", { cls: "qw-confirm", attrs: { role: "group" } }, [
    question,
    yes,

    no,
  ]);
  const node = h("div", { cls: "qw-continued", attrs: { role: "status" } }, [text, restart, box]);

  function show() {
    setHidden(restart, open);
    setHidden(box, !open);
  }

  function cancel() {
    open = false;
    show();
    restart.focus();
  }

  function update(get) {
    // The words are set at each update: the language may arrive after the note was built.
    setText(restart, t("Start a new attempt"));
    setText(yes, t("Yes, start again"));
    setText(no, t("Cancel"));
    box.setAttribute("aria-label", t("Confirm new attempt"));
    setText(question, t("Start a new attempt? This one ends here: it is saved as quit and its answers stay in its file."));
    const note = str(get("continued"));
    setText(text, note);
    // Only while the attempt runs: a finished attempt's finish and review screens continue nothing.
    setHidden(node, !note || !["question", "feedback", "paused"].includes(str(get("phase"))));
    if (node.hidden) open = false;
    show();
  }

  return { node, update, isOpen: () => open, cancel };
}

/** True for a quiz short enough to read as part of the lesson (see COMPACT_MAX_QUESTIONS). */
function isCompact(get) {
  const total = num(get("total"));
  return total > 0 && total <= COMPACT_MAX_QUESTIONS;
}
