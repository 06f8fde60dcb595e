// continued.js: the note a quiz shows when it continues an earlier attempt (re-running its cell), with the
// "Start a new attempt" button, and the compact look of a short quiz.
//
// Part of the QuizWidget's ES module, joined in Python (quiz_widgets/ui/assets.py: esm()) and never loaded
// on its own: it holds top-level declarations only and exports nothing.

// A quiz of this many questions or fewer is a check inside a lesson: a small header, no clock.
const COMPACT_MAX_QUESTIONS = 5;

/** The note; `update(get)` shows the kernel's `continued` text, hidden when empty or on the finish screen. */
function continuedNote(startNew) {
  const text = h("span", { cls: "qw-continued-text" });
  const restart = action(button("Start a new attempt", "qw-new-attempt", startNew));
  const node = h("div", { cls: "qw-continued", attrs: { role: "status" } }, [text, restart]);

  function update(get) {
    const note = str(get("continued"));
    text.textContent = note;
    node.hidden = !note || str(get("phase")) === "finished";
  }

  return { node, update };
}

/** True for a quiz short enough to read as part of the lesson (see COMPACT_MAX_QUESTIONS). */
function isCompact(get) {
  const total = num(get("total"));
  return total > 0 && total <= COMPACT_MAX_QUESTIONS;
}
