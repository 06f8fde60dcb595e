// keys.js: the quiz's keyboard. Which keys it handles, which it stops, which it hands on to the page.
//
// Part of the QuizWidget's ES module, joined in Python (quiz_widgets/ui/assets.py: esm()) and never loaded
// on its own: it holds top-level declarations only and exports nothing.
//
// The quiz has ONE keydown listener (quizKeydown). Every key stops there, handled or not, except the few
// handsOn() (dom.js, shared with the session list) lets through on purpose: a plain "m", "y", "x", "c", "v", "z", "0 0" or Shift+Enter from a
// focused quiz button would otherwise edit or re-run the notebook in JupyterLab's command mode.

/** The option a key picks: 1-9 by position, a letter by the option's own key (A-Z, beyond E too); else -1. */
function optionIndexForKey(options, key) {
  if (!options || key.length !== 1) return -1;
  if (key >= "1" && key <= "9") return Number(key) - 1;
  const wanted = key.toUpperCase();
  if (wanted < "A" || wanted > "Z") return -1;
  return options.findIndex((o, i) => (str(o.key) || String.fromCharCode(65 + i)).toUpperCase() === wanted);
}

// Inside an option group (question_view.js: rovingGroup) the arrows move between the options, wrapping
// around, as WAI-ARIA's radio group does; Home and End go to the first and the last.
const ROVING_STEPS = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 };

/** Move the focus within the option group `event` came from; true when the key was such a move. */
function rovingKeydown(event) {
  const target = event.target;
  if (!(target instanceof HTMLElement) || !target.hasAttribute("data-qw-roving-item")) return false;
  const group = target.closest("[data-qw-roving]");
  if (!group) return false;
  const items = [...group.querySelectorAll("[data-qw-roving-item]")].filter((n) => !n.disabled);
  const i = items.indexOf(target);
  if (i < 0 || !items.length) return false;
  let to;
  if (Object.hasOwn(ROVING_STEPS, event.key)) to = (i + ROVING_STEPS[event.key] + items.length) % items.length;
  else if (event.key === "Home") to = 0;
  else if (event.key === "End") to = items.length - 1;
  else return false;
  items[to].focus(); // the group's focusin makes it the group's tab stop
  return true;
}

// Moving around a question on screen (phase "question" or "feedback"): key -> what `quiz` does. A letter
// that is also an option's letter on screen picks the option instead (questions of 6+ options); the
// arrows move between questions everywhere but inside the option group (rovingKeydown).
const NAVIGATION_KEYS = {
  ArrowRight: "next",
  n: "next",
  ArrowLeft: "previous",
  p: "previous",
  f: "flag",
  h: "showAnswer",
  m: "focusMap",
  s: "openSubmit",
};

/**
 * The quiz's keydown listener. `quiz` tells it what is on screen and does what a key asks:
 * phase() ("question" | "feedback" | ...), options() (the options on screen, or null), submit(), next(),
 * choose(index), confirming() (the Finish / Submit confirmation is open), cancelFinish(), and the
 * navigation: previous(), flag(), showAnswer(), focusMap(), openSubmit(), mapKeydown(event) (true when
 * an arrow moved the focus along the question map).
 *
 * Enter in any form (Shift, Ctrl, Alt: the notebook's "run" keys) does what Enter does in the quiz: on a
 * button it clicks it, else it submits the answer or goes to the next question. N or ArrowRight goes to
 * the next question, P or ArrowLeft to the previous one, F flags, H shows the answer (study mode), M
 * focuses the map (arrows, Home and End move along it), S opens the Submit (or Finish) confirmation; 1-9
 * and A-Z pick an option, Shift+1/2/3 say how sure (a quiz made with confidence=), Escape cancels the
 * confirmation. Inside the options the arrows, Home and End
 * move between them and Space chooses (a button's or a checkbox's own Space). Typing into the answer box
 * and the browser's own chords do their default action, but still stop here.
 */
function quizKeydown(quiz) {
  return function onKeydown(event) {
    if (handsOn(event)) return;
    event.stopPropagation();
    const target = event.target;
    // A select (matching) takes its own letters and arrows, as an answer box takes typing; so does a code
    // question's editor (kind_code.js handles its own Tab, Enter and Escape).
    const typing =
      (target instanceof HTMLInputElement && (target.type === "text" || target.type === "number")) ||
      target instanceof HTMLSelectElement ||
      target instanceof HTMLTextAreaElement;
    const key = event.key;
    const chord = event.ctrlKey || event.metaKey || event.altKey;
    const phase = quiz.phase();

    if (key === "Enter") {
      const onButton = target instanceof HTMLButtonElement;
      if (onButton && !chord && !event.shiftKey) return; // the button's own click does the job
      event.preventDefault();
      if (onButton) {
        if (!target.disabled) target.click();
      } else if (phase === "question") quiz.submit();
      else if (phase === "feedback") quiz.next();
      return;
    }
    if (typing || chord) return; // typed into the answer box, or the browser's own chord
    // A cloze's radio blank (kind_cloze.js) is native: its arrows move and check within its group.
    if (target instanceof HTMLInputElement && target.type === "radio" && key.startsWith("Arrow")) return;
    if (key === "Escape" && quiz.confirming()) {
      quiz.cancelFinish();
      return;
    }
    if (rovingKeydown(event) || quiz.mapKeydown(event)) {
      event.preventDefault();
      return;
    }
    // Shift+1, Shift+2, Shift+3: how sure (confidence.js), when the quiz asks it.
    const level = phase === "question" && quiz.pickConfidence ? confidenceLevelForKey(event) : 0;
    if (level) {
      event.preventDefault();
      quiz.pickConfidence(level);
      return;
    }
    if (phase === "question") {
      const i = optionIndexForKey(quiz.options(), key); // -1 for a letter no option has: it falls through
      if (i >= 0) {
        event.preventDefault();
        quiz.choose(i);
        return;
      }
    }
    const command = NAVIGATION_KEYS[key.length === 1 ? key.toLowerCase() : key];
    if (command && (phase === "question" || phase === "feedback")) {
      event.preventDefault();
      quiz[command]();
    }
  };
}
