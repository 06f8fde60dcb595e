// quiz.js: the quiz view: renderQuiz() wires the model to the header, the question map and navigation,
// the question view, the finish and review screens, the keyboard and the visibility reports.
//
// Joined by quiz_widgets/ui/assets.py after the parts it uses: QuizWidget's module ends with quiz_entry.js
// (its export), SessionBrowser's with browser.js, which draws this same view inside its own (given a model
// that reads the browser's quiz_state), so one anywidget shows the list and the quiz.
//
// The kernel owns the quiz: this view only shows the synced traits and sends the page messages described
// in docs/architecture.md ("kernel/protocol.py and the page protocol"). It never grades an answer.

const TRAITS = [
  "exam_title",
  "total",
  "index",
  "phase",
  "question",
  "feedback",
  "score",
  "points",
  "answered",
  "elapsed",
  "clock_running",
  "summary",
  "delivery",
  "progress",
  "spaced_review",
  "warning",
  "error",
  "read_only",
  "continued",
  "mode",
  "question_map",
  "time_limit",
  "time_left",
  "countdown_running",
  "review_rows",
  "closed",
  "can_go_back",
  "messages",
  "confidence",
];

function renderQuiz({ model, el }) {
  const get = (name) => model.get(name);

  // ---- local (view-only) state -------------------------------------------------------------
  let lastSync = performance.now();
  let mainKey = null; // what the main area was last built from
  let liveKey = null; // the feedback the live region holds: replaced only when it changes (said once)
  let focusWanted = false; // the user was working inside the widget when a rebuild was asked for
  let renderQueued = false;
  let disposed = false;
  let currentControls = null; // handles into the current main area (see buildQuestion)
  let reviewFilter = "all"; // the review screen's filter: the view's own, nothing is sent
  // "How sure?" (confidence.js): the level and (single choice) the option chosen for the question on
  // screen, kept across redraws of that question; the answer goes once both are chosen.
  let sure = { question: null, level: 0, option: -1 };

  // ---- static skeleton ---------------------------------------------------------------------
  const root = h("div", { cls: "qw-root", attrs: { tabindex: "-1" } });

  const readOnlyBanner = h("div", {
    cls: "qw-banner qw-banner-readonly",
    text: "Read-only: this session is open in another kernel",
    attrs: { role: "status" },
  });
  const warningBanner = h("div", { cls: "qw-banner qw-banner-warning", attrs: { role: "alert" } });
  const lostBanner = h("div", {
    cls: "qw-banner qw-banner-lost",
    text: "The kernel was restarted (or stopped): this quiz is no longer connected and takes no clicks. Run its cell again to go on; your answers so far are saved.",
    attrs: { role: "alert" },
  });
  lostBanner.hidden = true;
  const countdown = examCountdown();
  const header = quizHeader([countdown.node]);
  const nav = quizNavigation({
    goto: (number) => sendAction({ type: "goto", number }),
    previous: () => sendAction({ type: "previous" }),
    next: () => sendAction({ type: "next" }),
    flag: (number, flagged) => sendAction({ type: "flag", number, flagged }),
    showAnswer: () => sendAction({ type: "show_answer" }),
  });
  const continued = continuedNote(() => sendAction({ type: "new_attempt" }));
  // A study quiz made from a finished attempt's wrong answers: the way back to that attempt's results.
  const backToResults = action(
    button("\u2190 Back to results", "qw-back-results", () => sendAction({ type: "back_to_results" }), {
      title: "Save this study quiz and show the finished attempt's results again",
    }),
  );
  const backBar = h("div", { cls: "qw-back-bar" }, [backToResults]);

  const main = h("div", { cls: "qw-main" });
  // Feedback is announced: the live region stays in the page and only its content changes.
  const live = h("div", { cls: "qw-feedback-region", attrs: { "aria-live": "polite" } });
  const hint = h("div", { cls: "qw-hint", attrs: { "aria-live": "polite" } });
  const afterFeedback = h("div", { cls: "qw-after-feedback" }); // holds Next, below the feedback

  const pauseButton = action(button("Pause", "qw-pause", () => sendAction({ type: "pause" })));
  // Finish (practice, study) or Submit exam (exam mode), each confirmed first (exam_view.js).
  const ending = endConfirmation(() => endAttemptTexts(str(get("mode")), nav.rows()), {
    opened: () => {
      focusWanted = true;
      updateControls();
    },
    closed: () => updateControls(),
    send: (msg) => sendAction(msg),
  });
  const errorBox = h("div", { cls: "qw-error", attrs: { role: "alert" } });
  const controls = h("div", { cls: "qw-controls" }, [pauseButton, ending.button, ending.box]);
  const footer = h("div", { cls: "qw-footer" }, [controls, errorBox]);

  // The map under the question and its Previous / Next: the question stays at the top, first in tab order.
  root.append(lostBanner, readOnlyBanner, warningBanner, backBar, continued.node, header.node, main, live, afterFeedback, nav.bar, nav.map, hint, footer, nav.announce);
  el.appendChild(root);

  // ---- sending -----------------------------------------------------------------------------
  // Only the reply to this view's own message re-enables its controls, and then hands the focus on.
  const protocol = pageProtocol(model, {
    onBusy: () => updateDisabled(),
    onReply: () => focusAfterReply(),
    onLost: () => scheduleUpdate(),
  });

  // The view takes no clicks: its kernel is gone, or the kernel says this quiz is read-only or closed
  // (handed over to a newer widget, closed from Python). It then looks inactive too.
  function inactive() {
    return protocol.lost() || Boolean(get("read_only")) || Boolean(get("closed"));
  }

  function sendAction(msg) {
    if (protocol.busy() || inactive()) return false;
    focusWanted = focusWanted || focusedIn(root) !== null;
    setHint("");
    protocol.request(msg);
    return true;
  }

  function sendAnswer(value) {
    if (!confidenceOn()) return sendAction({ type: "answer", value });
    return sendAction({ type: "answer", value, confidence: sure.level });
  }

  function confidenceOn() {
    return Boolean(str(get("confidence")));
  }

  // A single choice answers at once without "how sure?"; with it, the option waits for the level (or the
  // level, chosen first, for the option).
  function answerChoice(i) {
    const c = currentControls;
    if (!confidenceOn() || !c || !c.confidence) return sendAnswer(i);
    if (sure.level) return sendAnswer(i);
    sure.option = i;
    markPendingOption();
    setHint(t("Now choose how sure you are (Shift+1, Shift+2, Shift+3)."));
    c.confidence.focus();
    return false;
  }

  function pickConfidence(level) {
    const c = currentControls;
    if (!c || c.phase !== "question" || !c.confidence || protocol.busy() || inactive()) return;
    sure.level = level;
    c.confidence.set(level);
    if (!c.input && !c.checkboxes.length && c.options.length) {
      const option = sure.option >= 0 ? sure.option : givenOption(c);
      if (option >= 0) {
        sendAnswer(option);
        return;
      }
    }
    c.confidence.focus();
  }

  // Exam mode: the option of the answer saved so far, which a new level keeps.
  function givenOption(c) {
    const keys = list(obj(obj(get("question")).given).keys).map(str);
    return keys.length === 1 ? c.options.findIndex((o) => str(o.key) === keys[0]) : -1;
  }

  function markPendingOption() {
    const radios = [...main.querySelectorAll(".qw-options [role=radio]")];
    radios.forEach((b, i) => {
      b.classList.toggle("qw-selected", i === sure.option);
      b.setAttribute("aria-checked", i === sure.option ? "true" : "false");
    });
  }

  function setHint(text) {
    // The same hint given again is written again, so that a screen reader says it again.
    if (text || hint.textContent) hint.textContent = text;
    setHidden(hint, !text);
  }

  // ---- header, banners, controls ------------------------------------------------------------
  // The kernel syncs `elapsed` now and then; between syncs the page counts on from it while the clock runs.
  function currentSeconds() {
    const base = num(get("elapsed"));
    if (!get("clock_running") || protocol.lost()) return base;
    return base + (performance.now() - lastSync) / 1000;
  }

  function updateBanners() {
    setHidden(lostBanner, !protocol.lost());
    setHidden(readOnlyBanner, !get("read_only") || protocol.lost());
    const warning = str(get("warning"));
    setText(warningBanner, warning);
    setHidden(warningBanner, !warning);
    const error = str(get("error"));
    setText(errorBox, error);
    setHidden(errorBox, !error);
  }

  function updateControls() {
    const phase = str(get("phase"));
    const active = phase === "question" || phase === "feedback";
    ending.update(phase);
    // A timed exam has no Pause: its countdown runs until submit.
    setHidden(pauseButton, !active || ending.isOpen() || num(get("time_limit")) > 0);
    setHidden(footer, (phase === "finished" || phase === "review") && !str(get("error")));
    updateDisabled();
  }

  // The question map is left as it is while a message waits for its reply (a click on it then sends
  // nothing: sendAction): turning every button of a 200-question map off and on again at each answer made
  // it flicker, and restyling it twice was most of the page's work per answer. Only a quiz that takes no
  // more clicks turns it off.
  function updateDisabled() {
    const busy = protocol.busy();
    const gone = inactive();
    const off = busy || gone;
    // The map is off only while the quiz is inactive: the last pass turned it off when the root says so.
    const withMap = gone || root.classList.contains("qw-inactive");
    const focused = off ? focusedIn(root) : null;
    root.classList.toggle("qw-pending", busy);
    root.classList.toggle("qw-inactive", gone);
    root.setAttribute("aria-busy", busy ? "true" : "false");
    for (const node of root.querySelectorAll(withMap ? "[data-qw-action]" : "[data-qw-action]:not(.qw-map-item)")) {
      const disabled = (node.classList.contains("qw-map-item") ? gone : off) || node.hasAttribute("data-qw-unavailable");
      if (node.disabled === disabled) continue;
      // The control with the focus (the option just clicked) hands it to the widget before it goes off.
      // Disabled with the focus, it dropped it on the page, where JupyterLab's focus handlers ran, and
      // taking it back while the feedback was drawn forced a style and layout pass before it showed.
      if (disabled && node === focused) root.focus({ preventScroll: true });
      node.disabled = disabled;
    }
  }

  // ---- main area -----------------------------------------------------------------------------
  const questionActions = {
    answer: (i) => answerChoice(i),
    submit: () => submit(),
    next: () => sendAction({ type: "next" }),
  };

  const reviewActions = {
    filter: (name) => {
      reviewFilter = name;
      focusWanted = true;
      scheduleUpdate();
    },
    study: () => sendAction({ type: "study" }),
    back: () => sendAction({ type: "summary" }),
  };

  function rebuildMain() {
    const phase = str(get("phase"));
    const question = obj(get("question"));
    const feedback = obj(get("feedback"));
    const summary = obj(get("summary"));
    const review = phase === "review" ? [get("review_rows"), summary, reviewFilter] : null;
    const key = JSON.stringify([phase, question, phase === "feedback" ? feedback : null, phase === "finished" ? [summary, get("progress"), get("spaced_review")] : null, review, get("messages"), get("confidence")]);
    if (key === mainKey) return false;
    const hadFocus = focusWanted || focusedIn(root) !== null;
    mainKey = key;
    setHint("");

    let built;
    if (phase === "paused") built = buildPaused(() => sendAction({ type: "unpause" }));
    else if (phase === "finished") {
      built = buildFinished(summary, get, () => sendAction({ type: "study" }));
      addCalibration(built.section, summary);
      addDeckSection(built, obj(get("spaced_review")), () => sendAction({ type: "spaced_review" }));
      built.handles.focusables.unshift(addReviewButton(built.section, () => sendAction({ type: "review" })));
    } else if (phase === "review") built = buildReview(get("review_rows"), summary, reviewFilter, reviewActions);
    else if (Object.keys(question).length) {
      built = buildQuestion(question, feedback, phase, questionActions, submitLabel());
      if (phase === "question") askHowSure(question, built);
    }
    else built = { section: h("p", { cls: "qw-empty", text: t("No question to show.") }), handles: { focusables: [] } };

    main.replaceChildren(built.section);
    afterFeedback.replaceChildren();
    if (built.handles.after) afterFeedback.appendChild(built.handles.after);
    // A redraw of the same feedback (a flag set, a map change) must not make a screen reader say it again.
    const said = phase === "feedback" && Object.keys(feedback).length ? JSON.stringify([feedback, obj(obj(get("messages"))[""]).lang]) : "";
    if (said !== liveKey) {
      liveKey = said;
      live.replaceChildren();
      if (said) {
        const box = buildFeedback(feedback);
        const level = confidenceFeedback(feedback);
        if (level) box.querySelector(".qw-verdict").after(level);
        live.appendChild(box);
      }
    }
    currentControls = { phase, ...built.handles };
    updateDisabled();

    // The user was working in the widget: the focus goes to the new screen's first control. While this
    // view's message is unanswered those controls are disabled, so the widget holds the focus and the
    // reply hands it on (focusAfterReply).
    focusWanted = hadFocus && protocol.busy();
    if (hadFocus) {
      if (!protocol.busy()) focusCurrent();
      else if (activeElementOf(root) !== root) root.focus({ preventScroll: true }); // no forced layout
    }
    return true;
  }

  // The "how sure?" group under the question (not for one answered in an original-app session, which
  // takes no answer). The level chosen so far stays while the same question is on screen.
  function askHowSure(question, built) {
    const which = JSON.stringify([question.id, question.number]);
    if (sure.question !== which) sure = { question: which, level: num(obj(question.given).confidence, 0), option: -1 };
    if (!confidenceOn() || built.handles.kind === "carried") return;
    const picker = confidencePicker(sure.level, str(get("confidence")) === "cbm", (level) => pickConfidence(level));
    const before = built.section.querySelector(":scope > .qw-submit-row");
    built.section.insertBefore(picker.node, before);
    built.handles.confidence = picker;
    built.handles.focusables.push(...picker.radios);
    if (sure.option >= 0) queueMicrotask(markPendingOption);
  }

  function focusCurrent() {
    const c = currentControls || {};
    const target =
      (c.phase === "feedback" && c.next && !c.next.disabled && c.next) ||
      (c.focusables || []).find((n) => !n.disabled) ||
      root;
    target.focus({ preventScroll: false });
  }

  function focusAfterReply() {
    if (!focusWanted) return;
    const active = activeElementOf(root);
    if (!root.contains(active) || active === root || (active instanceof HTMLElement && active.disabled)) {
      focusCurrent();
    }
    focusWanted = false;
  }

  // The words built once with the skeleton, set again when the language arrives or changes.
  function updateWords() {
    setText(readOnlyBanner, t("Read-only: this session is open in another kernel"));
    setText(
      lostBanner,
      t(
        "The kernel was restarted (or stopped): this quiz is no longer connected and takes no clicks. Run its cell again to go on; your answers so far are saved.",
      ),
    );
    setText(pauseButton, t("Pause"));
    setText(backToResults, `\u2190 ${t("Back to results")}`);
    backToResults.title = t("Save this study quiz and show the finished attempt's results again");
  }

  function update() {
    renderQueued = false;
    if (disposed) return;
    useMessages(model);
    updateWords();

    updateBanners();
    continued.update(get);
    setHidden(backBar, !get("can_go_back"));
    root.classList.toggle("qw-compact", isCompact(get));
    header.update(get, currentSeconds());
    countdown.show(nav.say);
    const phase = str(get("phase"));
    if (phase !== "review") reviewFilter = "all";
    nav.update(get, phase);
    const rebuilt = rebuildMain();
    if (currentControls && currentControls.delivery) {
      setText(currentControls.delivery, str(get("delivery")));
      setHidden(currentControls.delivery, !str(get("delivery")));
    }
    updateControls();
    if (!rebuilt && focusWanted && !protocol.busy()) {
      // Nothing was rebuilt: give focus back to the widget if disabling the control that had it dropped
      // it on the page.
      const active = activeElementOf(root);
      if (!active || active === document.body || (active instanceof HTMLElement && active.disabled)) {
        focusCurrent();
      }
      focusWanted = false;
    }
  }

  function scheduleUpdate() {
    if (renderQueued) return;
    renderQueued = true;
    queueMicrotask(update);
  }

  // ---- answering -----------------------------------------------------------------------------
  // In exam mode an answer is only kept (to change until the exam is submitted): "Submit" would read as
  // the end of the exam, which is "Submit exam".
  function submitLabel() {
    return str(get("mode")) === "exam" ? t("Save answer") : t("Submit");
  }

  function submit() {
    const c = currentControls;
    if (!c || c.phase !== "question" || protocol.busy() || inactive()) return;
    // A kind sent with Submit (checkboxes, an answer box) asks how sure first; a single choice asks on choosing.
    if (c.confidence && !sure.level && c.submit) {
      setHint(t("Choose how sure you are, then {button}.", { button: submitLabel() }));
      c.confidence.focus();
      return;
    }
    const read = kindView(c.kind, c.options).read(c, submitLabel());
    if (!read) return;
    if (read.hint) setHint(read.hint);
    else sendAnswer(read.value);
  }

  function chooseByIndex(i) {
    const c = currentControls;
    if (!c || c.phase !== "question" || protocol.busy() || inactive()) return;
    if (i < 0 || i >= c.options.length) return;
    kindView(c.kind, c.options).choose(c, i, answerChoice);
  }

  const onKeydown = quizKeydown({
    phase: () => (currentControls ? currentControls.phase : str(get("phase"))),
    options: () => currentControls && currentControls.options,
    submit,
    next: () => sendAction({ type: "next" }),
    choose: chooseByIndex,
    pickConfidence: (level) => pickConfidence(level),
    confirming: () => ending.isOpen() || continued.isOpen(),
    cancelFinish: () => (continued.isOpen() ? continued.cancel() : ending.cancel()),
    previous: () => sendAction({ type: "previous" }),
    flag: () => nav.toggleFlag(),
    showAnswer: () => {
      if (str(get("mode")) === "study" && str(get("phase")) === "question") sendAction({ type: "show_answer" });
    },
    focusMap: () => nav.focusMap(),
    openSubmit: () => {
      if (!ending.button.hidden && !ending.button.disabled) ending.button.click();
    },
    mapKeydown: (event) => nav.mapKeydown(event),
  });
  root.addEventListener("keydown", onKeydown);

  // ---- model events --------------------------------------------------------------------------
  // Trait changes redraw; only the reply to this view's own message re-enables its controls.
  const unwatch = watchTraits(model, TRAITS, (name) => () => {
    if (name === "elapsed" || name === "clock_running") lastSync = performance.now();
    if (name === "time_left" || name === "time_limit" || name === "countdown_running") countdown.update(get);
    scheduleUpdate();
  });

  const ticker = setInterval(() => {
    if (protocol.lost()) return; // nothing counts any more: the kernel that kept the time is gone
    if (get("clock_running")) header.showTime(currentSeconds());
    if (countdown.running()) countdown.show(nav.say);
  }, 250);

  const seen = visibilityReporter(root, protocol);

  reportPageLanguage(protocol);
  countdown.update(get);
  update();
  seen.start();

  return () => {
    unwatch();
    protocol.dispose();
    clearInterval(ticker);
    seen.stop();
    root.removeEventListener("keydown", onKeydown);
    root.remove();
    // The view is gone (output cleared, cell deleted): it no longer keeps the clock running. The comm may
    // already be closed when the whole widget goes, and then there is nobody to tell.
    try {
      protocol.post({ type: "closing", view: protocol.viewId });
    } catch {
      // nothing to do: the kernel side is closing too
    }
    disposed = true;
  };
}
