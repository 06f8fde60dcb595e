// map_view.js: moving around the quiz: the question map, Previous / Next, the Flag toggle, study mode's
// "Show answer", and the announcements a screen reader hears when the question or its state changes.
//
// Part of the QuizWidget's ES module, joined in Python (quiz_widgets/ui/assets.py: esm()) and never loaded
// on its own: it holds top-level declarations only and exports nothing.
//
// Everything shown comes from the kernel's `question_map` trait: one row per question {number, status,
// flagged, current}. In exam mode before submit the kernel sends only answered / unanswered, so the map
// cannot tell right from wrong before the key may be shown; the view adds nothing of its own.

// Functions: the words are read in the learner's language when the map is drawn, not when the module loads.
const MAP_STATUS_WORDS = {
  unanswered: () => t("unanswered"),
  answered: () => t("answered"),
  right: () => t("answered, right"),
  wrong: () => t("answered, wrong"),
  partial: () => t("answered, partly right"),
};

/** "answered, flagged": a question's state in the map's words. */
function mapStatusWords(row) {
  const status = MAP_STATUS_WORDS[row.status]();
  return row.flagged ? t("{status}, flagged", { status }) : status;
}

/** Mark a control that has nothing to do now (the first question's Previous): quiz.js keeps it disabled. */
function unavailable(node, yes) {
  if (yes) node.setAttribute("data-qw-unavailable", "");
  else node.removeAttribute("data-qw-unavailable");
  node.disabled = yes;
}

/** The map's rows as the view reads them (numbers from 1, a status it knows). */
function mapRows(get) {
  return list(get("question_map"))
    .map((row) => obj(row))
    .map((row) => ({
      number: Math.floor(num(row.number)),
      status: Object.hasOwn(MAP_STATUS_WORDS, str(row.status)) ? str(row.status) : "unanswered",
      flagged: Boolean(row.flagged),
      current: Boolean(row.current),
    }))
    .filter((row) => row.number > 0);
}

/** "Question 3, answered, flagged": what a map button says to a screen reader. */
function mapRowLabel(row) {
  return t("Question {number}, {status}", { number: row.number, status: mapStatusWords(row) });
}

/**
 * What changed between two maps, in words for the live region: the question now on screen, or a flag
 * set or removed, or an answer saved (exam mode stays on the question list, with no feedback to read).
 */
function mapChangeText(before, after, total) {
  if (!after.length) return "";
  const now = after.find((row) => row.current);
  const was = before.find((row) => row.current);
  const words = [];
  const beforeByNumber = new Map(before.map((row) => [row.number, row]));
  for (const row of after) {
    const old = beforeByNumber.get(row.number);
    if (!old) continue;
    if (old.flagged !== row.flagged) {
      words.push(row.flagged ? t("Question {number} flagged", { number: row.number }) : t("Question {number} unflagged", { number: row.number }));
    }
    if (old.status === "unanswered" && row.status === "answered") words.push(t("Answer to question {number} saved", { number: row.number }));
  }
  if (now && (!was || was.number !== now.number) && before.length) {
    words.push(t("Question {number} of {total}, {status}", { number: now.number, total, status: mapStatusWords(now) }));
  }
  return words.join(". ");
}

/** A map button as its row says: status and flag (class and name), on screen or not (aria-current). Only
 * what differs is set: an attribute set again would be styled again. */
function setMapButton(b, row) {
  const cls = `qw-button qw-map-item qw-map-${row.status}${row.flagged ? " qw-map-flagged" : ""}`;
  if (b.className !== cls) b.className = cls;
  const label = mapRowLabel(row);
  if (b.getAttribute("aria-label") !== label) b.setAttribute("aria-label", label);
  if (row.current !== b.hasAttribute("aria-current")) {
    if (row.current) b.setAttribute("aria-current", "step");
    else b.removeAttribute("aria-current");
  }
  return b;
}

/**
 * The navigation bar (`bar`) and the question map (`map`), both below the question. `on` sends the
 * messages: goto(number), previous(), next(), flag(number, flagged), showAnswer(). `update(get, phase)` redraws from the traits; `focusMap()` puts
 * the focus on the current question's button (the M key); `mapKeydown` moves within the map.
 */
function quizNavigation(on) {
  const announce = h("div", { cls: "qw-sr-only qw-announce", attrs: { role: "status", "aria-live": "polite" } });
  const grid = h("div", { cls: "qw-map-grid" });
  // The words come at each update (the learner's language may arrive later).
  const mapNode = h("nav", { cls: "qw-map" }, [grid]);
  const prev = action(button("", "qw-prev", () => on.previous()));
  const next = action(button("", "qw-nav-next", () => on.next()));
  const flag = action(button("", "qw-flag", () => toggleFlag(), { "aria-pressed": "false" }));
  const show = action(button("", "qw-show-answer", () => on.showAnswer()));
  const bar = h("div", { cls: "qw-nav", attrs: { role: "group" } }, [prev, flag, show, next]);

  let rows = [];
  let current = null; // the row on screen
  let buttons = [];
  let drawn = { key: "", rows: [], lang: undefined }; // what the map's buttons show

  function toggleFlag() {
    if (current) on.flag(current.number, !current.flagged);
  }

  function say(text) {
    // The same words twice in a row (flag, unflag, flag) still get read: the node's text must change.
    if (text) announce.textContent = announce.textContent === text ? `${text}.` : text;
  }

  function update(get, phase) {
    const fresh = mapRows(get);
    const total = Math.max(fresh.length, Math.floor(num(get("total"))));
    const onQuestion = phase === "question" || phase === "feedback";
    say(onQuestion ? mapChangeText(rows, fresh, total) : "");
    rows = fresh;
    current = rows.find((row) => row.current) || null;
    mapNode.hidden = bar.hidden = !onQuestion || rows.length === 0;

    // Set again only when a row changed, so a heartbeat's redraw keeps the focus where it is.
    const lang = obj(obj(get("messages"))[""]).lang;
    const key = JSON.stringify([rows, lang]);
    if (drawn.key !== key) {
      const same = buttons.length === rows.length && rows.every((row, i) => buttons[i].textContent === String(row.number));
      if (same) {
        // The same questions (an answer, a flag or the question on screen changed): only the buttons
        // whose row changed are set again. Made anew, every button of a 200-question map was styled and
        // laid out again after each answer, before its feedback could be drawn.
        rows.forEach((row, i) => {
          const was = drawn.rows[i];
          if (lang !== drawn.lang || row.status !== was.status || row.flagged !== was.flagged || row.current !== was.current) {
            setMapButton(buttons[i], row);
          }
        });
      } else {
        const focused = buttons.indexOf(activeElementOf(grid));
        buttons = rows.map((row) => setMapButton(action(button(String(row.number), "", () => on.goto(row.number))), row));
        grid.replaceChildren(...buttons);
        if (focused >= 0 && buttons[focused]) buttons[focused].focus();
      }
      drawn = { key, rows, lang };
      // The map's one tab stop goes back to the question on screen (the arrows may have moved it).
      rows.forEach((row, i) => {
        const tab = row.current ? 0 : -1;
        if (buttons[i].tabIndex !== tab) buttons[i].tabIndex = tab;
      });
    }
    if (!buttons.some((b) => b.tabIndex === 0) && buttons[0]) buttons[0].tabIndex = 0;

    const number = current ? current.number : 0;
    // Not "disabled" itself: the quiz sets that on every control while it waits for the kernel.
    unavailable(prev, number <= 1);
    setHidden(next, phase !== "question"); // the feedback has its own Next below it
    unavailable(next, !number || number >= rows.length);
    flag.setAttribute("aria-pressed", current && current.flagged ? "true" : "false");
    flag.classList.toggle("qw-flag-on", Boolean(current && current.flagged));
    setHidden(show, !(str(get("mode")) === "study" && phase === "question"));
    // The words are set at each update: the language may arrive after the bar was built.
    mapNode.setAttribute("aria-label", t("Question map"));
    bar.setAttribute("aria-label", t("Navigation"));
    setText(prev, `‹ ${t("Previous")}`);
    prev.setAttribute("aria-label", t("Previous question"));
    setText(next, `${t("Next")} ›`);
    next.setAttribute("aria-label", t("Next question"));
    setText(flag, `⚑ ${t("Flag")}`);
    flag.setAttribute("aria-label", t("Flag for review"));
    flag.title = t("Flag for review (F)");
    setText(show, t("Show answer"));
    show.title = t("Show answer (H)");
  }


  /** Arrow keys, Home and End move the focus along the map (one tab stop: the current question). */
  function mapKeydown(event) {
    const i = buttons.indexOf(event.target);
    if (i < 0) return false;
    const moves = { ArrowRight: i + 1, ArrowDown: i + 1, ArrowLeft: i - 1, ArrowUp: i - 1, Home: 0, End: buttons.length - 1 };
    if (!Object.hasOwn(moves, event.key)) return false;
    const to = Math.min(buttons.length - 1, Math.max(0, moves[event.key]));
    for (const b of buttons) b.tabIndex = -1;
    buttons[to].tabIndex = 0;
    buttons[to].focus();
    return true;
  }

  function focusMap() {
    const target = buttons.find((b) => b.tabIndex === 0) || buttons[0];
    if (target && !mapNode.hidden) target.focus();
    return Boolean(target);
  }

  return {
    map: mapNode,
    announce, // a live region of its own, kept in the page on every screen
    bar,
    update,
    mapKeydown,
    focusMap,
    toggleFlag,
    say,
    rows: () => rows,
    controls: { prev, next, flag, show },
  };
}
