// browser.js: SessionBrowser's entry: the list ("Previous Sessions" / "Review Incorrect Answers") and, in
// the same view, the quiz a Resume or Study opened (one anywidget: marimo shows no widget containers).
//
// The last part of the browser's ES module: quiz_widgets/ui/assets.py joins the quiz view's parts (quiz.js
// and what it uses) and this file into the one module anywidget loads (no bundler, no network), and only
// this part exports.
//
// The kernel owns the lists and the files: this view shows the synced traits and sends the messages
// described in quiz_widgets/ui/session_list.py ({type: "tab" | "refresh" | "resume" | "delete" | "clear" |
// "confirm" | "cancel" | "study" | "study_all" | "back" | "quiz"}). It sends ids the kernel issued, never
// paths, and never sets a trait. `showing` says which of the two is on screen; the quiz's traits arrive as
// one dict, `quiz_state`, and its messages go back wrapped as {type: "quiz", message}.

const LIST_TRAITS = ["tab", "sessions", "results", "confirm", "notice", "error", "messages"];
// Rows drawn at first; "Show more" adds this many again. Keeps a 2,000-session list quick to draw.
const PAGE_ROWS = 100;

const STATE_CLASS = {
  "in progress": "qw-state-progress",
  completed: "qw-state-completed",
  quit: "qw-state-quit",
  "saved at shutdown": "qw-state-progress", // unfinished, as in progress: a normal stop is no warning
};

// A session's state (store/labels.py's SESSION_STATES) in the learner's language.
const STATE_WORDS = {
  "in progress": () => t("in progress"),
  completed: () => t("completed"),
  quit: () => t("quit"),
  "saved at shutdown": () => t("saved at shutdown"),
};

function renderList({ model, el }) {
  const get = (name) => model.get(name);

  let shownSessions = PAGE_ROWS;
  let shownResults = PAGE_ROWS;
  let disposed = false;
  let renderQueued = false;
  // The control the user clicked: it is disabled while the kernel answers, which drops the focus.
  let sentFromKey = null;
  // The control that opened the confirmation (a row's Delete, Clear all): focus goes back there after.
  let returnFocusKey = null;

  // ---- skeleton ------------------------------------------------------------------------------
  const root = h("div", { cls: "qw-browser" });

  // The skeleton's words are set at each draw (relabel): the learner's language may arrive later.
  const tabSessions = h("button", { cls: "qw-tab", attrs: { type: "button", role: "tab", "data-tab": "sessions" } });
  const tabResults = h("button", { cls: "qw-tab", attrs: { type: "button", role: "tab", "data-tab": "results" } });
  const tabs = [tabSessions, tabResults];
  const tablist = h("div", { cls: "qw-tablist", attrs: { role: "tablist" } }, tabs);
  const refreshButton = button("", "qw-refresh", () => send({ type: "refresh" }));
  const header = h("div", { cls: "qw-browser-header" }, [tablist, refreshButton]);

  const errorBox = h("div", { cls: "qw-error", attrs: { role: "alert" } });
  const noticeBox = h("div", { cls: "qw-notice", attrs: { role: "status" } });

  const confirmText = h("span", { cls: "qw-confirm-text" });
  const confirmYes = button("", "qw-confirm-yes qw-danger", () => send({ type: "confirm" }));
  const confirmNo = button("", "qw-confirm-no", () => send({ type: "cancel" }));
  const confirmBox = h("div", { cls: "qw-confirm", attrs: { role: "group" } }, [
    confirmText,
    confirmYes,
    confirmNo,
  ]);

  const sessionsPanel = h("div", { cls: "qw-panel", attrs: { role: "tabpanel" } });
  const resultsPanel = h("div", { cls: "qw-panel", attrs: { role: "tabpanel" } });

  function relabel() {
    tabSessions.textContent = t("Previous Sessions");
    tabResults.textContent = t("Review Incorrect Answers");
    tablist.setAttribute("aria-label", t("Saved quizzes"));
    refreshButton.textContent = t("Refresh");
    refreshButton.title = t("Read the session and results folders again");
    confirmYes.textContent = t("Confirm");
    confirmNo.textContent = t("Cancel");
    confirmBox.setAttribute("aria-label", t("Confirm"));
    sessionsPanel.setAttribute("aria-label", t("Previous Sessions"));
    resultsPanel.setAttribute("aria-label", t("Review Incorrect Answers"));
  }

  root.append(header, confirmBox, errorBox, noticeBox, sessionsPanel, resultsPanel);
  el.appendChild(root);

  // ---- sending -------------------------------------------------------------------------------
  // Trait changes redraw; only the reply to this view's own message re-enables its buttons (an unchanged
  // Refresh changes no trait, and another view's change is not an answer to ours).
  const protocol = pageProtocol(model, {
    onBusy: () => updateDisabled(),
    onReply: () => scheduleUpdate(), // the redraw puts the focus back on the control that sent the message
    onLost: () => scheduleUpdate(),
  });
  const lostText = () =>
    t("The kernel was restarted (or stopped): this list is no longer connected and takes no clicks. Run its cell again.");

  function send(msg) {
    if (protocol.busy()) return;
    const active = focusedIn(root);
    if (active) sentFromKey = focusKey(active);
    protocol.request(msg);
  }

  function updateDisabled() {
    const busy = protocol.busy();
    root.classList.toggle("qw-pending", busy);
    root.classList.toggle("qw-inactive", protocol.lost());
    for (const b of root.querySelectorAll("button")) {
      if (protocol.lost()) {
        b.disabled = true; // tabs and "Show more" too: the kernel behind them is gone
        continue;
      }
      if (b.getAttribute("role") === "tab") continue;
      if (b.dataset.local === "1") continue;
      b.disabled = busy;
    }
  }

  // ---- drawing -------------------------------------------------------------------------------
  function table(columns, rows, rowCells, caption) {
    const head = h(
      "tr",
      {},
      columns.map((c) => h("th", { text: c, attrs: { scope: "col" } })),
    );
    const body = h("tbody");
    for (const row of rows) body.appendChild(h("tr", { attrs: { "data-id": str(row.id) } }, rowCells(row)));
    return h("table", { cls: "qw-table" }, [h("caption", { cls: "qw-visually-hidden", text: caption }), h("thead", {}, [head]), body]);
  }

  function moreButton(left, onClick) {
    const b = button(t("Show more ({n} more)", { n: left }), "qw-more", onClick);
    b.dataset.local = "1";
    return b;
  }

  function drawSessions() {
    const sessions = list(get("sessions"));
    const hasConfirm = Object.keys(obj(get("confirm"))).length > 0;
    sessionsPanel.replaceChildren();
    if (sessions.length === 0) {
      sessionsPanel.appendChild(
        h("p", { cls: "qw-empty", text: t("No saved sessions yet. Start a quiz and it is saved here as you answer.") }),
      );
      return;
    }
    const shown = sessions.slice(0, shownSessions);
    const tableEl = table(
      [t("Exam"), t("Date"), t("Progress"), t("Score"), t("Time"), t("State"), t("Actions")],
      shown,
      (raw) => {
        const row = obj(raw);
        const id = str(row.id);
        const title = shownTitle(row.title);
        const date = str(row.date);
        const state = str(row.state);
        const resume = button(t("Resume"), "qw-primary qw-resume", () => send({ type: "resume", id }), {
          "aria-label": t("Resume {title}, {date}", { title, date }),
        });
        const del = button(t("Delete"), "qw-delete", () => send({ type: "delete", id }), {
          "aria-label": t("Delete {title}, {date}", { title, date }),
        });
        return [
          h("td", { cls: "qw-col-title", text: title }),
          h("td", { cls: "qw-col-date", text: date }),
          h("td", { cls: "qw-num", text: str(row.progress) }),
          // An exam left before submit has no score: the kernel's row says "not graded" (session_list.py).
          h("td", { cls: "qw-num", text: row.score === "not graded" ? t("not graded") : str(row.score) }),
          h("td", { cls: "qw-num", text: str(row.time) }),
          h("td", {}, [h("span", { cls: `qw-state ${STATE_CLASS[state] || ""}`.trim(), text: STATE_WORDS[state] ? STATE_WORDS[state]() : state })]),
          h("td", {}, [h("div", { cls: "qw-actions" }, [resume, del])]),
        ];
      },
      tn("{n} saved session, newest first", "{n} saved sessions, newest first", sessions.length),
    );
    const footer = h("div", { cls: "qw-list-footer" }, [
      h("span", { cls: "qw-count", text: tn("{n} saved session", "{n} saved sessions", sessions.length) }),
    ]);
    if (sessions.length > shown.length) {
      footer.appendChild(
        moreButton(sessions.length - shown.length, () => {
          shownSessions += PAGE_ROWS;
          draw();
        }),
      );
    }
    const clear = button(t("Clear all"), "qw-clear", () => send({ type: "clear" }), {
      title: t("Delete all saved sessions (asks first)"),
    });
    clear.disabled = hasConfirm;
    footer.appendChild(clear);
    sessionsPanel.append(h("div", { cls: "qw-table-wrap" }, [tableEl]), footer);
  }

  function drawResults() {
    const results = list(get("results"));
    resultsPanel.replaceChildren();
    if (results.length === 0) {
      resultsPanel.appendChild(
        h("p", { cls: "qw-empty", text: t("No incorrect answers to review yet. Finish a quiz to see them here.") }),
      );
      return;
    }
    const shown = results.slice(0, shownResults);
    const tableEl = table(
      [t("Exam"), t("Date"), t("Score"), t("Wrong"), t("Actions")],
      shown,
      (raw) => {
        const row = obj(raw);
        const id = str(row.id);
        const title = shownTitle(row.title);
        const date = str(row.date);
        const study = button(t("Study"), "qw-primary qw-study", () => send({ type: "study", id }), {
          "aria-label": t("Study the wrong answers of {title}, {date}", { title, date }),
        });
        return [
          h("td", { cls: "qw-col-title", text: title }),
          h("td", { cls: "qw-col-date", text: date }),
          h("td", { cls: "qw-num", text: str(row.score) }),
          h("td", { cls: "qw-num", text: str(row.wrong) }),
          h("td", {}, [h("div", { cls: "qw-actions" }, [study])]),
        ];
      },
      tn("{n} finished quiz with wrong answers, newest first", "{n} finished quizzes with wrong answers, newest first", results.length),
    );
    const footer = h("div", { cls: "qw-list-footer" }, [
      h("span", { cls: "qw-count", text: tn("{n} finished quiz with wrong answers", "{n} finished quizzes with wrong answers", results.length) }),
    ]);
    if (results.length > shown.length) {
      footer.appendChild(
        moreButton(results.length - shown.length, () => {
          shownResults += PAGE_ROWS;
          draw();
        }),
      );
    }
    footer.appendChild(
      button(t("Study all"), "qw-study-all", () => send({ type: "study_all" }), {
        title: t("One study quiz of the wrong answers of every finished quiz"),
      }),
    );
    resultsPanel.append(h("div", { cls: "qw-table-wrap" }, [tableEl]), footer);
  }

  function draw() {
    if (disposed) return;
    useMessages(model);
    relabel();
    const active = focusedIn(root);
    const focusedId = active ? focusKey(active) : sentFromKey;
    // Kept until the reply: while this view waits, its buttons are disabled and cannot take the focus.
    if (!protocol.busy()) sentFromKey = null;
    const tab = str(get("tab")) === "results" ? "results" : "sessions";
    for (const tabButton of tabs) {
      const selected = tabButton.dataset.tab === tab;
      tabButton.setAttribute("aria-selected", selected ? "true" : "false");
      tabButton.tabIndex = selected ? 0 : -1;
      tabButton.classList.toggle("qw-tab-selected", selected);
    }
    sessionsPanel.hidden = tab !== "sessions";
    resultsPanel.hidden = tab !== "results";

    const error = protocol.lost() ? lostText() : str(get("error"));
    errorBox.textContent = error;
    errorBox.hidden = !error;
    const notice = str(get("notice"));
    noticeBox.textContent = notice;
    noticeBox.hidden = !notice;

    const confirm = obj(get("confirm"));
    const confirming = Object.keys(confirm).length > 0;
    confirmText.textContent = str(confirm.text);
    confirmBox.hidden = !confirming;

    // Only the tab on screen is drawn: a hidden 2,000-row table would cost as much as a shown one.
    if (tab === "sessions") {
      drawSessions();
      resultsPanel.replaceChildren();
    } else {
      drawResults();
      sessionsPanel.replaceChildren();
    }
    updateDisabled();

    // Whoever was working in the widget keeps the focus in it: on Cancel while confirming (the safe
    // choice), else on the same control as before the redraw.
    const inConfirm = focusedId !== null && focusedId.includes("|qw-confirm-");
    if (confirming && focusedId !== null) {
      if (returnFocusKey === null && !inConfirm) returnFocusKey = focusedId;
      confirmNo.focus();
    } else if (focusedId !== null) {
      restoreFocus(inConfirm && returnFocusKey !== null ? returnFocusKey : focusedId);
    }
    if (!confirming) returnFocusKey = null;
  }

  /** A key that finds "the same" control after a redraw: row id + button class, or the tab. */
  function focusKey(node) {
    if (!(node instanceof HTMLElement)) return "";
    const row = node.closest("tr");
    const cls = [...node.classList].find((c) => c.startsWith("qw-") && c !== "qw-button" && c !== "qw-primary");
    return `${row ? row.dataset.id : ""}|${cls || ""}|${node.dataset.tab || ""}`;
  }

  function restoreFocus(key) {
    for (const node of root.querySelectorAll("button")) {
      if (focusKey(node) === key && node.offsetParent !== null) {
        node.focus();
        return;
      }
    }
    const panel = sessionsPanel.hidden ? resultsPanel : sessionsPanel;
    const first = panel.querySelector("button") || tabs.find((t) => t.tabIndex === 0);
    if (first) first.focus();
  }

  function scheduleUpdate() {
    if (renderQueued) return;
    renderQueued = true;
    queueMicrotask(() => {
      renderQueued = false;
      draw();
    });
  }

  // ---- events --------------------------------------------------------------------------------
  for (const t of tabs) {
    t.addEventListener("click", () => {
      if (t.getAttribute("aria-selected") !== "true") send({ type: "tab", name: t.dataset.tab });
    });
  }

  function onKeydown(event) {
    // Letters, digits, arrows and chords would reach JupyterLab's notebook shortcuts (A/B insert cells,
    // D-D deletes one, Ctrl+Enter runs the cell...): every key stays inside the widget but the few both
    // views hand on (handsOn, dom.js: Tab, F-keys, Ctrl+S...).
    if (handsOn(event)) return;
    event.stopPropagation();
    const key = event.key;
    if (event.target instanceof HTMLElement && event.target.getAttribute("role") === "tab") {
      if (key === "ArrowLeft" || key === "ArrowRight" || key === "Home" || key === "End") {
        event.preventDefault();
        const i = tabs.indexOf(event.target);
        let next = i;
        if (key === "ArrowLeft") next = (i + tabs.length - 1) % tabs.length;
        if (key === "ArrowRight") next = (i + 1) % tabs.length;
        if (key === "Home") next = 0;
        if (key === "End") next = tabs.length - 1;
        tabs[next].focus();
        tabs[next].click();
      }
    }
    if (key === "Escape" && !confirmBox.hidden) {
      event.preventDefault();
      confirmNo.click();
    }
  }
  root.addEventListener("keydown", onKeydown);

  const unwatch = watchTraits(model, LIST_TRAITS, () => () => scheduleUpdate());

  draw();

  return () => {
    disposed = true;
    unwatch();
    protocol.dispose();
    root.removeEventListener("keydown", onKeydown);
    root.remove();
  };
}

/**
 * The model the quiz view (renderQuiz, quiz.js) draws from inside the browser: its traits are the keys of
 * the browser's `quiz_state`, a key's change fires that trait's change event, and what it sends goes to the
 * kernel wrapped as {type: "quiz", message}. Replies and the kernel's state come on the browser's model.
 */
function embeddedQuizModel(model) {
  const listeners = new Map(); // "change:<trait>" -> Set of callbacks
  const state = () => obj(model.get("quiz_state"));
  let seen = {}; // trait -> its JSON at the last change event: a dict update fires only what changed
  const remember = () => {
    seen = {};
    for (const [key, value] of Object.entries(state())) seen[key] = JSON.stringify(value);
  };
  remember();
  const onState = () => {
    const before = seen;
    remember();
    const changed = new Set([...Object.keys(before), ...Object.keys(seen)]);
    for (const key of changed) {
      if (before[key] === seen[key]) continue;
      for (const callback of [...(listeners.get(`change:${key}`) || [])]) callback();
    }
  };
  model.on("change:quiz_state", onState);
  return {
    get: (name) => state()[name],
    on(event, callback) {
      if (!event.startsWith("change:")) return model.on(event, callback);
      if (!listeners.has(event)) listeners.set(event, new Set());
      listeners.get(event).add(callback);
    },
    off(event, callback) {
      if (!event.startsWith("change:")) return model.off(event, callback);
      listeners.get(event)?.delete(callback);
    },
    send: (message) => model.send({ type: "quiz", message }),
    dispose: () => model.off("change:quiz_state", onState),
  };
}

function render({ model, el }) {
  const frame = h("div", { cls: "qw-browser-frame" });
  const listEl = h("div", { cls: "qw-browser-list" });
  const quizEl = h("div", { cls: "qw-browser-quiz" });
  // Back to the list: the kernel saves the quiz and lets go of its file first (SessionBrowser.back).
  const protocol = pageProtocol(model, { onBusy: () => (backButton.disabled = protocol.busy()), onReply: () => {} });
  const backButton = button("", "qw-back-sessions", () => protocol.request({ type: "back" }));
  function relabelBack() {
    useMessages(model);
    backButton.textContent = `\u2190 ${t("Back to sessions")}`;
    backButton.title = t("Save this quiz and go back to the list of sessions");
  }
  const backBar = h("div", { cls: "qw-back-sessions-bar" }, [backButton]);
  frame.append(listEl, backBar, quizEl);
  el.appendChild(frame);

  const disposeList = renderList({ model, el: listEl });
  let quiz = null; // {model, dispose} of the quiz view while a quiz is on screen

  function update() {
    relabelBack();
    const showingQuiz = str(model.get("showing")) === "quiz";
    listEl.hidden = showingQuiz;
    backBar.hidden = !showingQuiz;
    quizEl.hidden = !showingQuiz;
    if (showingQuiz && quiz === null) {
      // A fresh view per opening: its focus, filter and clock start from the attempt now in quiz_state.
      const quizModel = embeddedQuizModel(model);
      quiz = { model: quizModel, dispose: renderQuiz({ model: quizModel, el: quizEl }) };
    } else if (!showingQuiz && quiz !== null) {
      quiz.dispose?.();
      quiz.model.dispose();
      quiz = null;
      quizEl.replaceChildren();
    }
  }
  model.on("change:showing", update);
  model.on("change:messages", update);
  update();
  reportPageLanguage(protocol);

  return () => {
    model.off("change:showing", update);
    model.off("change:messages", update);

    if (quiz !== null) {
      quiz.dispose?.();
      quiz.model.dispose();
    }
    protocol.dispose();
    if (typeof disposeList === "function") disposeList();
    frame.remove();
  };
}

export default { render };
