// quiz.js: the QuizWidget view's entry: render() wires the model to the header, the question view, the
// finish screen, the keyboard and the visibility reports.
//
// The last part of the QuizWidget's ES module: quiz_widgets/ui/assets.py joins dom.js, protocol.js,
// keys.js, header.js, question_view.js, finish_view.js, visibility.js and this file into the one module
// anywidget loads (no bundler, no network), and only this part exports.
//
// The kernel owns the quiz: this view only shows the synced traits and sends the page messages described
// in docs/architecture.md ("view_model.py and the page protocol"). It never grades an answer.

const TRAITS = [
  "exam_title",
  "total",
  "index",
  "phase",
  "question",
  "feedback",
  "score",
  "answered",
  "elapsed",
  "clock_running",
  "summary",
  "warning",
  "error",
  "read_only",
];

function render({ model, el }) {
  const get = (name) => model.get(name);

  // ---- local (view-only) state -------------------------------------------------------------
  let confirmingFinish = false;
  let lastSync = performance.now();
  let mainKey = null; // what the main area was last built from
  let focusWanted = false; // the user was working inside the widget when a rebuild was asked for
  let renderQueued = false;
  let disposed = false;
  let currentControls = null; // handles into the current main area (see buildQuestion)

  // ---- static skeleton ---------------------------------------------------------------------
  const root = h("div", { cls: "qw-root", attrs: { tabindex: "-1" } });

  const readOnlyBanner = h("div", {
    cls: "qw-banner qw-banner-readonly",
    text: "Read-only: this session is open in another kernel",
    attrs: { role: "status" },
  });
  const warningBanner = h("div", { cls: "qw-banner qw-banner-warning", attrs: { role: "alert" } });
  const header = quizHeader();

  const main = h("div", { cls: "qw-main" });
  // Feedback is announced: the live region stays in the page and only its content changes.
  const live = h("div", { cls: "qw-feedback-region", attrs: { "aria-live": "polite" } });
  const hint = h("div", { cls: "qw-hint", attrs: { "aria-live": "polite" } });
  const afterFeedback = h("div", { cls: "qw-after-feedback" }); // holds Next, below the feedback

  const pauseButton = action(button("Pause", "qw-pause", () => sendAction({ type: "pause" })));
  const finishButton = action(
    button("Finish", "qw-finish", () => {
      confirmingFinish = true;
      focusWanted = true;
      updateControls();
      confirmNo.focus();
    }),
  );
  const confirmYes = action(
    button("Yes, finish", "qw-confirm-yes qw-danger", () => {
      confirmingFinish = false;
      sendAction({ type: "finish" });
    }),
  );
  const confirmNo = button("Cancel", "qw-confirm-no", () => {
    confirmingFinish = false;
    updateControls();
    finishButton.focus();
  });
  const confirmBox = h(
    "div",
    { cls: "qw-confirm", attrs: { role: "group", "aria-label": "Confirm finish" } },
    [
      h("span", { cls: "qw-confirm-text", text: "Finish the exam now? Unanswered questions will not count." }),
      confirmYes,
      confirmNo,
    ],
  );
  const errorBox = h("div", { cls: "qw-error", attrs: { role: "alert" } });
  const controls = h("div", { cls: "qw-controls" }, [pauseButton, finishButton, confirmBox]);
  const footer = h("div", { cls: "qw-footer" }, [controls, errorBox]);

  root.append(readOnlyBanner, warningBanner, header.node, main, live, afterFeedback, hint, footer);
  el.appendChild(root);

  // ---- sending -----------------------------------------------------------------------------
  // Only the reply to this view's own message re-enables its controls, and then hands the focus on.
  const protocol = pageProtocol(model, { onBusy: () => updateDisabled(), onReply: () => focusAfterReply() });

  function sendAction(msg) {
    if (protocol.busy() || get("read_only")) return false;
    focusWanted = focusWanted || root.contains(document.activeElement);
    setHint("");
    protocol.request(msg);
    return true;
  }

  function sendAnswer(value) {
    return sendAction({ type: "answer", value });
  }

  function setHint(text) {
    hint.textContent = text;
    hint.hidden = !text;
  }

  // ---- header, banners, controls ------------------------------------------------------------
  // The kernel syncs `elapsed` now and then; between syncs the page counts on from it while the clock runs.
  function currentSeconds() {
    const base = num(get("elapsed"));
    if (!get("clock_running")) return base;
    return base + (performance.now() - lastSync) / 1000;
  }

  function updateBanners() {
    readOnlyBanner.hidden = !get("read_only");
    const warning = str(get("warning"));
    warningBanner.textContent = warning;
    warningBanner.hidden = !warning;
    const error = str(get("error"));
    errorBox.textContent = error;
    errorBox.hidden = !error;
  }

  function updateControls() {
    const phase = str(get("phase"));
    const active = phase === "question" || phase === "feedback";
    if (phase === "finished") confirmingFinish = false;
    pauseButton.hidden = !active || confirmingFinish;
    finishButton.hidden = phase === "finished" || confirmingFinish;
    confirmBox.hidden = !confirmingFinish;
    footer.hidden = phase === "finished" && !str(get("error"));
    updateDisabled();
  }

  function updateDisabled() {
    const busy = protocol.busy();
    const off = busy || Boolean(get("read_only"));
    root.classList.toggle("qw-pending", busy);
    root.setAttribute("aria-busy", busy ? "true" : "false");
    for (const node of root.querySelectorAll("[data-qw-action]")) node.disabled = off;
  }

  // ---- main area -----------------------------------------------------------------------------
  const questionActions = {
    answer: (i) => sendAnswer(i),
    submit: () => submit(),
    next: () => sendAction({ type: "next" }),
  };

  function rebuildMain() {
    const phase = str(get("phase"));
    const question = obj(get("question"));
    const feedback = obj(get("feedback"));
    const summary = obj(get("summary"));
    const key = JSON.stringify([phase, question, phase === "feedback" ? feedback : null, phase === "finished" ? summary : null]);
    if (key === mainKey) return false;
    const hadFocus = focusWanted || root.contains(document.activeElement);
    mainKey = key;
    setHint("");

    let built;
    if (phase === "paused") built = buildPaused(() => sendAction({ type: "unpause" }));
    else if (phase === "finished") built = buildFinished(summary, get, () => sendAction({ type: "study" }));
    else if (Object.keys(question).length) built = buildQuestion(question, feedback, phase, questionActions);
    else built = { section: h("p", { cls: "qw-empty", text: "No question to show." }), handles: { focusables: [] } };

    main.replaceChildren(built.section);
    afterFeedback.replaceChildren();
    if (built.handles.after) afterFeedback.appendChild(built.handles.after);
    live.replaceChildren();
    if (phase === "feedback" && Object.keys(feedback).length) live.appendChild(buildFeedback(feedback));
    currentControls = { phase, ...built.handles };
    updateDisabled();

    // The user was working in the widget: the focus goes to the new screen's first control. While this
    // view's message is unanswered those controls are disabled, so the widget holds the focus and the
    // reply hands it on (focusAfterReply).
    focusWanted = hadFocus && protocol.busy();
    if (hadFocus) {
      if (!protocol.busy()) focusCurrent();
      else root.focus({ preventScroll: true });
    }
    return true;
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
    const active = document.activeElement;
    if (!root.contains(active) || active === root || (active instanceof HTMLElement && active.disabled)) {
      focusCurrent();
    }
    focusWanted = false;
  }

  function update() {
    renderQueued = false;
    if (disposed) return;
    updateBanners();
    header.update(get, currentSeconds());
    const rebuilt = rebuildMain();
    updateControls();
    if (!rebuilt && focusWanted && !protocol.busy()) {
      // Nothing was rebuilt: give focus back to the widget if disabling the control that had it dropped
      // it on the page.
      const active = document.activeElement;
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
  function submit() {
    const c = currentControls;
    if (!c || c.phase !== "question" || protocol.busy() || get("read_only")) return;
    if (c.kind === "multiChoice") {
      const picked = c.checkboxes.map((b, i) => (b.checked ? i : -1)).filter((i) => i >= 0);
      if (!picked.length) {
        setHint("Choose at least one option, then Submit.");
        return;
      }
      sendAnswer(picked);
    } else if (c.input) {
      const raw = c.input.value;
      if (c.kind === "numeric") {
        const value = c.input.valueAsNumber;
        if (raw.trim() === "" || !Number.isFinite(value)) {
          setHint("Enter a number, then Submit.");
          return;
        }
        sendAnswer(value);
      } else {
        if (!raw.trim()) {
          setHint("Type an answer, then Submit.");
          return;
        }
        sendAnswer(raw);
      }
    }
  }

  function chooseByIndex(i) {
    const c = currentControls;
    if (!c || c.phase !== "question" || protocol.busy() || get("read_only")) return;
    if (i < 0 || i >= c.options.length) return;
    if (c.kind === "multiChoice") {
      const box = c.checkboxes[i];
      if (!box || box.disabled) return;
      box.checked = !box.checked;
      box.dispatchEvent(new Event("change", { bubbles: true }));
      box.focus();
    } else if (c.focusables[i] && !c.input) {
      sendAnswer(i);
    }
  }

  const onKeydown = quizKeydown({
    phase: () => (currentControls ? currentControls.phase : str(get("phase"))),
    options: () => currentControls && currentControls.options,
    submit,
    next: () => sendAction({ type: "next" }),
    choose: chooseByIndex,
    confirming: () => confirmingFinish,
    cancelFinish: () => confirmNo.click(),
  });
  root.addEventListener("keydown", onKeydown);

  // ---- model events --------------------------------------------------------------------------
  // Trait changes redraw; only the reply to this view's own message re-enables its controls.
  const unwatch = watchTraits(model, TRAITS, (name) => () => {
    if (name === "elapsed" || name === "clock_running") lastSync = performance.now();
    scheduleUpdate();
  });

  const ticker = setInterval(() => {
    if (get("clock_running")) header.showTime(currentSeconds());
  }, 250);

  const seen = visibilityReporter(root, protocol);

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

export default { render };
