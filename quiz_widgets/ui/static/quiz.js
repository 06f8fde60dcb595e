// quiz_widgets: the QuizWidget view.
//
// A hand-written ES module for anywidget (no bundler, no network). The kernel owns the quiz: this
// view only shows the synced traits and sends the page messages described in docs/architecture.md
// ("view_model.py and the page protocol"). It never grades an answer.
//
// Exam text is untrusted: every string from the kernel goes into the page through textContent or
// text nodes only.

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

const CHOICE_KINDS = new Set(["singleChoice", "trueFalse"]);
// The kernel answers every message with a reply naming its request id; the controls come back on that
// reply. This timeout only covers a kernel that never answers (busy in a long cell, or dead).
const PENDING_TIMEOUT_MS = 5000;
// While the quiz is on screen the view repeats its "visible" report this often: the kernel drops a view
// that stays silent for a while (a crashed browser never says "closing"), see controller.VIEW_TIMEOUT.
const BEAT_MS = 10000;
// Keys the quiz hands on with Ctrl/Cmd: saving the notebook and opening the command palette. Every other
// chord stays in the widget (Ctrl+Enter runs the cell, Ctrl+Backspace merges cells, ...); the browser's
// own actions (copy, paste, reload, zoom) are default actions and happen either way.
const HANDED_ON_CHORDS = new Set(["KeyS", "Shift+KeyS", "Shift+KeyC"]);

/** Whether a keydown is one the quiz lets reach the page (JupyterLab) on purpose. */
export function handsOn(event) {
  const key = event.key;
  if (key === "Tab") return true; // focus moves on
  if (/^F([1-9]|1[0-9]|2[0-4])$/.test(key)) return true; // F5, F11, F12: the browser's
  if ((event.ctrlKey || event.metaKey) && !event.altKey) {
    return HANDED_ON_CHORDS.has(`${event.shiftKey ? "Shift+" : ""}${event.code}`);
  }
  return false;
}

/** Seconds -> "h:mm:ss". */
export function formatClock(seconds) {
  const total = Math.max(0, Math.floor(Number(seconds) || 0));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${h}:${String(m).padStart(2, "0")}:${String(s).padStart(2, "0")}`;
}

function str(value) {
  if (value === null || value === undefined) return "";
  return String(value);
}

function num(value, fallback = 0) {
  const n = Number(value);
  return Number.isFinite(n) ? n : fallback;
}

function obj(value) {
  return value && typeof value === "object" && !Array.isArray(value) ? value : {};
}

function list(value) {
  return Array.isArray(value) ? value : [];
}

/** Create an element with classes, attributes and text (text always as a text node). */
function h(tag, opts = {}, children = []) {
  const node = document.createElement(tag);
  if (opts.cls) node.className = opts.cls;
  if (opts.text !== undefined) node.textContent = str(opts.text);
  if (opts.attrs) {
    for (const [name, value] of Object.entries(opts.attrs)) {
      if (value !== undefined && value !== null && value !== false) node.setAttribute(name, str(value));
    }
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

function button(label, cls, onClick) {
  const b = h("button", { cls: `qw-button ${cls || ""}`.trim(), text: label, attrs: { type: "button" } });
  b.addEventListener("click", onClick);
  return b;
}

function render({ model, el }) {
  const get = (name) => model.get(name);

  // ---- local (view-only) state -------------------------------------------------------------
  // One id per view: the kernel runs the clock while any view of the quiz is on screen (a notebook open
  // in two tabs, or a quiz shown in two cells), and a reply names the request id of this view's message.
  const viewId = globalThis.crypto?.randomUUID?.() ?? `v${Math.random().toString(36).slice(2)}`;
  let requests = 0;
  let pending = null; // the request id of this view's message the kernel has not answered yet
  let pendingTimer = null;
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
  const stats = h("div", { cls: "qw-stats" }, [scoreText, timerText]);
  const header = h("div", { cls: "qw-header" }, [
    title,
    h("div", { cls: "qw-progress-row" }, [progressText, stats]),
    progressBar,
  ]);

  const main = h("div", { cls: "qw-main" });
  // Feedback is announced: the live region stays in the page and only its content changes.
  const live = h("div", { cls: "qw-feedback-region", attrs: { "aria-live": "polite" } });
  const hint = h("div", { cls: "qw-hint", attrs: { "aria-live": "polite" } });
  const afterFeedback = h("div", { cls: "qw-after-feedback" }); // holds Next, below the feedback

  const pauseButton = button("Pause", "qw-pause", () => sendAction({ type: "pause" }));
  const finishButton = button("Finish", "qw-finish", () => {
    confirmingFinish = true;
    focusWanted = true;
    updateControls();
    confirmNo.focus();
  });
  const confirmYes = button("Yes, finish", "qw-confirm-yes qw-danger", () => {
    confirmingFinish = false;
    sendAction({ type: "finish" });
  });
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

  root.append(readOnlyBanner, warningBanner, header, main, live, afterFeedback, hint, footer);
  el.appendChild(root);

  // ---- sending -----------------------------------------------------------------------------
  function setPending(request) {
    pending = request;
    if (pendingTimer !== null) {
      clearTimeout(pendingTimer);
      pendingTimer = null;
    }
    if (request !== null) {
      pendingTimer = setTimeout(() => {
        pendingTimer = null;
        pending = null;
        updateDisabled();
      }, PENDING_TIMEOUT_MS);
    }
    updateDisabled();
  }

  /** Send one page message with a fresh request id (see "the page protocol"); returns that id. */
  function send(msg) {
    requests += 1;
    const request = `${viewId}-${requests}`;
    model.send({ ...msg, request });
    return request;
  }

  function sendAction(msg) {
    if (pending !== null || get("read_only")) return false;
    focusWanted = focusWanted || root.contains(document.activeElement);
    setHint("");
    setPending(send(msg));
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
  function currentSeconds() {
    const base = num(get("elapsed"));
    if (!get("clock_running")) return base;
    return base + (performance.now() - lastSync) / 1000;
  }

  function updateTimer() {
    const text = formatClock(currentSeconds());
    if (timerText.textContent !== text) timerText.textContent = text;
  }

  function updateHeader() {
    const total = Math.max(0, Math.floor(num(get("total"))));
    const index = Math.min(total, Math.max(0, Math.floor(num(get("index")))));
    const phase = str(get("phase"));
    const question = obj(get("question"));
    title.textContent = str(get("exam_title")) || "Quiz";

    let shown = num(question.number, index + 1);
    if (phase === "finished" || !Object.keys(question).length) shown = Math.min(index + 1, total);
    shown = Math.min(Math.max(shown, total ? 1 : 0), total);
    progressText.textContent = phase === "finished" ? `${index} of ${total} answered` : `Question ${shown} of ${total}`;

    progressBar.setAttribute("aria-valuemax", String(total));
    progressBar.setAttribute("aria-valuenow", String(index));
    progressBar.setAttribute("aria-valuetext", `${index} of ${total} answered`);
    progressFill.style.width = `${total ? (index / total) * 100 : 0}%`;

    scoreText.textContent = `Score: ${num(get("score"))} / ${num(get("answered"))}`;
    updateTimer();
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
    const busy = pending !== null;
    const off = busy || Boolean(get("read_only"));
    root.classList.toggle("qw-pending", busy);
    root.setAttribute("aria-busy", busy ? "true" : "false");
    for (const node of root.querySelectorAll("[data-qw-action]")) node.disabled = off;
  }

  // Mark an element as something that talks to the kernel (disabled while pending / read-only).
  function action(node) {
    node.setAttribute("data-qw-action", "");
    return node;
  }
  action(pauseButton);
  action(finishButton);
  action(confirmYes);

  // ---- main area -----------------------------------------------------------------------------
  function optionLabel(key, text) {
    return [h("span", { cls: "qw-key", text: key }), " ", h("span", { cls: "qw-option-text", text })];
  }

  function buildQuestion(question, feedback, phase) {
    const kind = str(question.kind);
    const options = list(question.options).map((o) => obj(o));
    const inFeedback = phase === "feedback";
    const chosen = new Set(list(feedback.chosen).map(str));
    const correctKeys = new Set(list(feedback.correct_keys).map(str));
    const questionId = `qw-q-${Math.random().toString(36).slice(2)}`;

    const section = h("section", { cls: "qw-question", attrs: { "aria-labelledby": questionId } });
    const meta = [];
    if (str(question.topic)) meta.push(h("span", { cls: "qw-topic", text: question.topic }));
    if (meta.length) section.appendChild(h("div", { cls: "qw-meta" }, meta));
    section.appendChild(h("p", { cls: "qw-question-text", text: question.text, attrs: { id: questionId } }));

    const handles = { kind, options, focusables: [], checkboxes: [], input: null, submit: null };

    const marker = (key) => {
      if (!inFeedback) return null;
      const parts = [];
      if (correctKeys.has(key)) parts.push("correct answer");
      if (chosen.has(key)) parts.push("your answer");
      return parts.length ? h("span", { cls: "qw-marker", text: ` (${parts.join(", ")})` }) : null;
    };
    const markClasses = (node, key) => {
      if (!inFeedback) return;
      if (chosen.has(key)) node.classList.add("qw-chosen");
      if (correctKeys.has(key)) node.classList.add("qw-correct");
      if (chosen.has(key) && !correctKeys.has(key)) node.classList.add("qw-wrong");
    };

    if (CHOICE_KINDS.has(kind) || (kind !== "multiChoice" && kind !== "numeric" && kind !== "text" && options.length)) {
      const group = h("div", { cls: "qw-options", attrs: { role: "group", "aria-labelledby": questionId } });
      options.forEach((opt, i) => {
        const key = str(opt.key) || String.fromCharCode(65 + i);
        const b = h("button", { cls: "qw-option", attrs: { type: "button" } }, [...optionLabel(key, opt.text), marker(key)]);
        markClasses(b, key);
        if (inFeedback) {
          b.disabled = true;
          b.setAttribute("aria-pressed", chosen.has(key) ? "true" : "false");
        } else {
          action(b);
          b.addEventListener("click", () => sendAnswer(i));
        }
        group.appendChild(b);
        handles.focusables.push(b);
      });
      section.appendChild(group);
    } else if (kind === "multiChoice") {
      const choose = Math.max(1, Math.floor(num(question.choose, 1)));
      const hintId = `${questionId}-choose`;
      section.appendChild(h("p", { cls: "qw-choose", text: `Choose ${choose}`, attrs: { id: hintId } }));
      const group = h("div", {
        cls: "qw-options qw-options-multi",
        attrs: { role: "group", "aria-labelledby": questionId, "aria-describedby": hintId },
      });
      options.forEach((opt, i) => {
        const key = str(opt.key) || String.fromCharCode(65 + i);
        const box = h("input", { cls: "qw-checkbox", attrs: { type: "checkbox", value: String(i) } });
        const label = h("label", { cls: "qw-option qw-option-multi" }, [box, " ", ...optionLabel(key, opt.text), marker(key)]);
        markClasses(label, key);
        if (inFeedback) {
          box.checked = chosen.has(key);
          box.disabled = true;
        } else {
          action(box);
          box.addEventListener("change", () => label.classList.toggle("qw-selected", box.checked));
        }
        group.appendChild(label);
        handles.checkboxes.push(box);
        handles.focusables.push(box);
      });
      section.appendChild(group);
      if (!inFeedback) {
        handles.submit = action(button("Submit", "qw-submit qw-primary", () => submit()));
        section.appendChild(h("div", { cls: "qw-submit-row" }, [handles.submit]));
      }
    } else if (kind === "numeric" || kind === "text") {
      if (!inFeedback) {
        const inputId = `${questionId}-input`;
        const input = h("input", {
          cls: "qw-input",
          attrs: {
            id: inputId,
            type: kind === "numeric" ? "number" : "text",
            step: kind === "numeric" ? "any" : undefined,
            inputmode: kind === "numeric" ? "decimal" : undefined,
            maxlength: kind === "text" ? "1000" : undefined,
            autocomplete: "off",
            spellcheck: "false",
            "aria-describedby": questionId,
          },
        });
        action(input);
        const label = h("label", {
          cls: "qw-input-label",
          text: kind === "numeric" ? "Your answer (a number)" : "Your answer (text)",
          attrs: { for: inputId },
        });
        handles.input = input;
        handles.focusables.push(input);
        handles.submit = action(button("Submit", "qw-submit qw-primary", () => submit()));
        section.appendChild(h("div", { cls: "qw-input-row" }, [label, input, handles.submit]));
      }
    }

    if (inFeedback) {
      handles.next = action(button("Next", "qw-next qw-primary", () => sendAction({ type: "next" })));
      handles.after = h("div", { cls: "qw-submit-row" }, [handles.next]);
    }
    return { section, handles };
  }

  function buildFeedback(feedback) {
    const correct = Boolean(feedback.correct);
    const box = h("div", { cls: `qw-feedback ${correct ? "qw-feedback-correct" : "qw-feedback-wrong"}` });
    box.appendChild(h("p", { cls: "qw-verdict", text: correct ? "✓ Correct" : "✗ Incorrect" }));
    const rows = h("dl", { cls: "qw-answers" }, [
      h("dt", { text: "Your answer" }),
      h("dd", { text: str(feedback.your_answer) || "—" }),
      h("dt", { text: "Correct answer" }),
      h("dd", { text: str(feedback.correct_answer) || "—" }),
    ]);
    box.appendChild(rows);
    if (str(feedback.explanation)) {
      box.appendChild(h("p", { cls: "qw-explanation" }, [h("strong", { text: "Explanation: " }), str(feedback.explanation)]));
    }
    const perOption = obj(feedback.option_feedback);
    const keys = Object.keys(perOption).filter((k) => str(perOption[k])).sort();
    if (keys.length) {
      const ul = h("ul", { cls: "qw-option-feedback" });
      for (const key of keys) ul.appendChild(h("li", {}, [h("span", { cls: "qw-key", text: key }), " ", str(perOption[key])]));
      box.appendChild(ul);
    }
    return box;
  }

  function buildPaused() {
    const resume = action(button("Resume", "qw-resume qw-primary", () => sendAction({ type: "unpause" })));
    const section = h("section", { cls: "qw-paused" }, [
      h("p", { cls: "qw-paused-text", text: "Paused. The clock is stopped and the question is hidden." }),
      resume,
    ]);
    return { section, handles: { focusables: [resume] } };
  }

  function buildFinished(summary) {
    const score = num(summary.score, num(get("score")));
    const answered = num(summary.answered, num(get("answered")));
    const total = num(summary.total, num(get("total")));
    let accuracy;
    if (answered > 0) accuracy = (score / answered) * 100;
    else accuracy = num(summary.accuracy, 0);
    const completed = Boolean(summary.completed);
    const heading = completed ? "Exam complete" : summary.quit_by_user ? "Exam finished early" : "Exam finished";

    const section = h("section", { cls: "qw-finished", attrs: { "aria-label": "Results" } });
    section.appendChild(h("div", { cls: "qw-finished-title", text: heading, attrs: { role: "heading", "aria-level": "3" } }));
    const facts = h("div", { cls: "qw-facts" }, [
      h("div", { cls: "qw-fact" }, [h("span", { cls: "qw-fact-label", text: "Score" }), h("span", { cls: "qw-fact-value", text: `${score} / ${answered}` })]),
      h("div", { cls: "qw-fact" }, [
        h("span", { cls: "qw-fact-label", text: "Accuracy" }),
        h("span", { cls: "qw-fact-value", text: `${Math.round(accuracy * 10) / 10}%` }),
      ]),
      h("div", { cls: "qw-fact" }, [
        h("span", { cls: "qw-fact-label", text: "Time" }),
        h("span", { cls: "qw-fact-value", text: formatClock(num(summary.elapsed, num(get("elapsed")))) }),
      ]),
      h("div", { cls: "qw-fact" }, [h("span", { cls: "qw-fact-label", text: "Answered" }), h("span", { cls: "qw-fact-value", text: `${answered} of ${total}` })]),
    ]);
    section.appendChild(facts);

    const topics = list(summary.topics).map((t) => obj(t));
    if (topics.length) {
      section.appendChild(h("div", { cls: "qw-subtitle", text: "By topic", attrs: { role: "heading", "aria-level": "4" } }));
      const chart = h("ul", { cls: "qw-chart", attrs: { "aria-label": "Results by topic" } });
      for (const t of topics) {
        const correct = num(t.correct);
        const count = num(t.total);
        const pct = count > 0 ? Math.min(100, Math.max(0, (correct / count) * 100)) : 0;
        const fill = h("div", { cls: "qw-bar-fill" });
        fill.style.width = `${pct}%`;
        if (pct >= 70) fill.classList.add("qw-bar-good");
        else if (pct < 50) fill.classList.add("qw-bar-bad");
        chart.appendChild(
          h("li", { cls: "qw-chart-row" }, [
            h("span", { cls: "qw-bar-label", text: `${str(t.topic) || "Other"} ${correct}/${count}` }),
            h("div", { cls: "qw-bar", attrs: { "aria-hidden": "true" } }, [fill]),
          ]),
        );
      }
      section.appendChild(chart);
    }

    const wrong = list(summary.wrong).map((w) => obj(w));
    const focusables = [];
    if (wrong.length) {
      section.appendChild(
        h("div", { cls: "qw-subtitle", text: `Wrong answers (${wrong.length})`, attrs: { role: "heading", "aria-level": "4" } }),
      );
      const ol = h("ol", { cls: "qw-wrong-list" });
      for (const w of wrong) {
        const q = str(w.number) ? `Question ${str(w.number)}: ` : "";
        ol.appendChild(
          h("li", { cls: "qw-wrong-item" }, [
            h("p", { cls: "qw-wrong-question" }, [h("strong", { text: q }), str(w.question)]),
            h("p", { cls: "qw-wrong-yours" }, [h("span", { cls: "qw-fact-label", text: "Your answer: " }), str(w.your_answer) || "—"]),
            h("p", { cls: "qw-wrong-correct" }, [
              h("span", { cls: "qw-fact-label", text: "Correct answer: " }),
              str(w.correct_answer) || "—",
            ]),
          ]),
        );
      }
      section.appendChild(ol);
      const study = action(button("Study wrong answers", "qw-study qw-primary", () => sendAction({ type: "study" })));
      section.appendChild(h("div", { cls: "qw-submit-row" }, [study]));
      focusables.push(study);
    } else if (answered > 0) {
      section.appendChild(h("p", { cls: "qw-all-right", text: "No wrong answers." }));
    }
    return { section, handles: { focusables } };
  }

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
    if (phase === "paused") built = buildPaused();
    else if (phase === "finished") built = buildFinished(summary);
    else if (Object.keys(question).length) built = buildQuestion(question, feedback, phase);
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
    // reply hands it on (onCustom).
    focusWanted = hadFocus && pending !== null;
    if (hadFocus) {
      if (pending === null) focusCurrent();
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

  function update() {
    renderQueued = false;
    if (disposed) return;
    updateBanners();
    updateHeader();
    const rebuilt = rebuildMain();
    updateControls();
    if (!rebuilt && focusWanted && pending === null) {
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
    if (!c || c.phase !== "question" || pending !== null || get("read_only")) return;
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
    if (!c || c.phase !== "question" || pending !== null || get("read_only")) return;
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

  /** The option a key picks: 1-9 by position, a letter by the option's own key (A-Z, beyond E too). */
  function optionIndexForKey(key) {
    const c = currentControls;
    if (!c || !c.options || key.length !== 1) return -1;
    if (key >= "1" && key <= "9") return Number(key) - 1;
    const wanted = key.toUpperCase();
    if (wanted < "A" || wanted > "Z") return -1;
    return c.options.findIndex((o, i) => (str(o.key) || String.fromCharCode(65 + i)).toUpperCase() === wanted);
  }

  // ONE keydown listener for the whole widget. Every key stops here, handled or not, except the few the
  // quiz hands on on purpose (handsOn): a plain "m", "y", "x", "c", "v", "z", "0 0" or Shift+Enter from a
  // focused quiz button would otherwise edit or re-run the notebook in JupyterLab's command mode.
  function onKeydown(event) {
    if (handsOn(event)) return;
    event.stopPropagation();
    const target = event.target;
    const typing = target instanceof HTMLInputElement && (target.type === "text" || target.type === "number");
    const key = event.key;
    const chord = event.ctrlKey || event.metaKey || event.altKey;
    const phase = currentControls ? currentControls.phase : str(get("phase"));

    if (key === "Enter") {
      // Any Enter (Shift, Ctrl, Alt: the notebook's "run" keys) does what Enter does in the quiz.
      const onButton = target instanceof HTMLButtonElement;
      if (onButton && !chord && !event.shiftKey) return; // the button's own click does the job
      event.preventDefault();
      if (onButton) {
        if (!target.disabled) target.click();
      } else if (phase === "question") submit();
      else if (phase === "feedback") sendAction({ type: "next" });
      return;
    }
    if (typing || chord) return; // typed into the answer box, or the browser's own chord
    if (key === "Escape" && confirmingFinish) {
      confirmNo.click();
      return;
    }
    if (phase === "feedback" && (key === "ArrowRight" || key === "n" || key === "N")) {
      event.preventDefault();
      sendAction({ type: "next" });
      return;
    }
    if (phase === "question") {
      const i = optionIndexForKey(key);
      if (i >= 0) {
        event.preventDefault();
        chooseByIndex(i);
      }
    }
  }
  root.addEventListener("keydown", onKeydown);

  // ---- model events --------------------------------------------------------------------------
  // Trait changes redraw; only the reply to this view's own message re-enables its controls.
  const onTrait = (name) => () => {
    if (name === "elapsed" || name === "clock_running") lastSync = performance.now();
    scheduleUpdate();
  };
  const traitHandlers = TRAITS.map((name) => [`change:${name}`, onTrait(name)]);
  for (const [event, handler] of traitHandlers) model.on(event, handler);

  const onCustom = (msg) => {
    if (!msg || msg.type !== "reply" || msg.request !== pending) return; // another view's, or too late
    setPending(null);
    if (focusWanted) {
      const active = document.activeElement;
      if (!root.contains(active) || active === root || (active instanceof HTMLElement && active.disabled)) {
        focusCurrent();
      }
      focusWanted = false;
    }
  };
  model.on("msg:custom", onCustom);

  const ticker = setInterval(() => {
    if (get("clock_running")) updateTimer();
  }, 250);

  // ---- page lifecycle ------------------------------------------------------------------------
  // The quiz counts time only while someone can see it: this view is in the viewport (not scrolled
  // away, not in a background JupyterLab tab, which is display:none) and the browser tab is shown.
  // While visible the report repeats as a beat, so the kernel can tell a crashed page from a quiet one.
  let onScreen = typeof IntersectionObserver !== "function"; // no observer: trust document.hidden only
  let reported = null;
  function report(force) {
    if (disposed) return;
    const visible = onScreen && !document.hidden;
    if (!force && visible === reported) return;
    reported = visible;
    send({ type: "visibility", visible, view: viewId });
  }
  const observer = onScreen
    ? null
    : new IntersectionObserver((entries) => {
        for (const entry of entries) {
          const area = entry.intersectionRect.width * entry.intersectionRect.height;
          onScreen = entry.isIntersecting && area > 0;
        }
        report(false);
      });
  if (observer) observer.observe(root);
  const beat = setInterval(() => {
    if (reported) report(true);
  }, BEAT_MS);
  const onVisibility = () => report(false);
  const onPageHide = () => {
    reported = null; // a page restored from the back-forward cache reports again
    send({ type: "closing", view: viewId });
  };
  const onPageShow = () => report(false);
  document.addEventListener("visibilitychange", onVisibility);
  window.addEventListener("pagehide", onPageHide);
  window.addEventListener("pageshow", onPageShow);

  update();
  if (!observer) report(false); // else the observer's first callback reports

  return () => {
    for (const [event, handler] of traitHandlers) model.off(event, handler);
    model.off("msg:custom", onCustom);
    clearInterval(ticker);
    clearInterval(beat);
    if (observer) observer.disconnect();
    if (pendingTimer !== null) clearTimeout(pendingTimer);
    pendingTimer = null;
    root.removeEventListener("keydown", onKeydown);
    document.removeEventListener("visibilitychange", onVisibility);
    window.removeEventListener("pagehide", onPageHide);
    window.removeEventListener("pageshow", onPageShow);
    root.remove();
    // The view is gone (output cleared, cell deleted): it no longer keeps the clock running. The comm may
    // already be closed when the whole widget goes, and then there is nobody to tell.
    try {
      send({ type: "closing", view: viewId });
    } catch {
      // nothing to do: the kernel side is closing too
    }
    disposed = true;
  };
}

export default { render };
