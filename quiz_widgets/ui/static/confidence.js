// confidence.js: "How sure are you?" with each answer (QuizWidget(exam, confidence=True | "cbm")), the
// level in the feedback, and the finish screen's CBM score and calibration table.
//
// Part of the QuizWidget's ES module, joined in Python (quiz_widgets/ui/assets.py: esm()) and never loaded
// on its own: it holds top-level declarations only and exports nothing. quiz.js decides when an answer
// goes (an option and a level both chosen, in either order); this part only draws.

// Ascending, as Shift+1, Shift+2, Shift+3 pick them (keys.js: confidenceLevelForKey).
const CONFIDENCE_LEVELS = [1, 2, 3];

function confidenceName(level) {
  if (level === 3) return t("Sure");
  if (level === 2) return t("Fairly sure");
  if (level === 1) return t("Guessing");
  return t("Not said");
}

/** The level Shift+1, Shift+2 or Shift+3 picks (the digit's key, whatever the layout makes of it), else 0. */
function confidenceLevelForKey(event) {
  if (!event.shiftKey || event.ctrlKey || event.metaKey || event.altKey) return 0;
  const found = /^(?:Digit|Numpad)([1-3])$/.exec(event.code || "");
  return found ? Number(found[1]) : 0;
}

/**
 * The "How sure are you?" group: WAI-ARIA's radio group, as the options are (one tab stop, the arrows move,
 * Space or Enter picks), each level with its shortcut in aria-keyshortcuts. `cbm`: the marks each level
 * risks are said under it. `onPick(level)` is called on a click; set(level) marks one as checked.
 */
function confidencePicker(level, cbm, onPick) {
  const labelId = `qw-conf-${Math.random().toString(36).slice(2)}`;
  const node = h("div", { cls: "qw-confidence" });
  node.appendChild(h("div", { cls: "qw-confidence-label", text: t("How sure are you?"), attrs: { id: labelId } }));
  const group = h("div", { cls: "qw-confidence-levels", attrs: { role: "radiogroup", "aria-labelledby": labelId } });
  const radios = CONFIDENCE_LEVELS.map((lv) => {
    const b = h("button", {
      cls: "qw-confidence-level",
      attrs: { type: "button", role: "radio", "aria-checked": "false", "aria-keyshortcuts": `Shift+${lv}`, "data-qw-level": String(lv) },
    }, [h("span", { cls: "qw-key", text: `\u21e7${lv}`, attrs: { "aria-hidden": "true" } }), " ", h("span", { text: confidenceName(lv) })]);
    action(b);
    b.addEventListener("click", () => onPick(lv));
    group.appendChild(b);
    return b;
  });
  node.appendChild(group);
  if (cbm) {
    node.appendChild(
      h("p", {
        cls: "qw-confidence-marks",
        text: t("Marks if right / wrong: guessing +1 / 0, fairly sure +2 / \u22122, sure +3 / \u22126."),
      }),
    );
  }
  const set = (lv) => {
    radios.forEach((b, i) => {
      const on = CONFIDENCE_LEVELS[i] === lv;
      b.setAttribute("aria-checked", on ? "true" : "false");
      b.classList.toggle("qw-selected", on);
    });
  };
  set(level);
  rovingGroup(group, radios, Math.max(0, CONFIDENCE_LEVELS.indexOf(level)));
  const focus = () => {
    const checked = radios.find((b) => b.getAttribute("aria-checked") === "true");
    (checked || radios[0]).focus();
  };
  return { node, radios, set, focus };
}

/** The feedback's line: how sure the learner said they were, and the answer's CBM mark when scored so. */
function confidenceFeedback(feedback) {
  if (!("confidence" in feedback)) return null;
  const level = num(feedback.confidence, 0);
  const parts = [`${t("You were:")} ${confidenceName(level)}`];
  if ("cbm_mark" in feedback) {
    const mark = num(feedback.cbm_mark);
    parts.push(t("CBM mark: {mark}", { mark: `${mark > 0 ? "+" : ""}${Math.round(mark * 100) / 100}` }));
  }
  return h("p", { cls: "qw-confidence-said", text: parts.join(" \u00b7 ") });
}

/**
 * The finish screen's part: the CBM score among the facts, and a table per topic of how often the learner
 * was right when sure, fairly sure and guessing (a caption, column and row headers for screen readers).
 */
function addCalibration(section, summary) {
  if ("cbm_score" in summary) {
    const facts = section.querySelector(".qw-facts");
    const score = Math.round(num(summary.cbm_score) * 100) / 100;
    if (facts) facts.appendChild(fact(t("CBM score"), String(score)));
  }
  const rows = list(summary.calibration).map((r) => obj(r));
  if (!rows.length) return;
  const table = h("table", { cls: "qw-calibration" });
  table.appendChild(h("caption", { text: t("How often you were right, by how sure you were") }));
  const head = h("tr", {}, [h("th", { text: t("Topic"), attrs: { scope: "col" } })]);
  for (const lv of [3, 2, 1]) head.appendChild(h("th", { text: confidenceName(lv), attrs: { scope: "col" } }));
  table.appendChild(h("thead", {}, [head]));
  const body = h("tbody");
  const cell = (levels, lv) => {
    const found = levels.map((l) => obj(l)).find((l) => num(l.level) === lv) || {};
    const answered = num(found.answered);
    if (!answered) return h("td", { text: "\u2014", attrs: { "aria-label": t("none") } });
    const right = num(found.right);
    return h("td", { text: t("{right} of {answered} ({percent}%)", { right, answered, percent: Math.round((right / answered) * 100) }) });
  };
  const totals = { 1: { level: 1, answered: 0, right: 0 }, 2: { level: 2, answered: 0, right: 0 }, 3: { level: 3, answered: 0, right: 0 } };
  for (const row of rows) {
    const levels = list(row.levels);
    for (const l of levels.map((x) => obj(x))) {
      const bucket = totals[num(l.level)];
      if (bucket) {
        bucket.answered += num(l.answered);
        bucket.right += num(l.right);
      }
    }
    const tr = h("tr", {}, [h("th", { text: str(row.topic) || t("Other"), attrs: { scope: "row" } })]);
    for (const lv of [3, 2, 1]) tr.appendChild(cell(levels, lv));
    body.appendChild(tr);
  }
  if (rows.length > 1) {
    const tr = h("tr", { cls: "qw-calibration-all" }, [h("th", { text: t("All topics"), attrs: { scope: "row" } })]);
    for (const lv of [3, 2, 1]) tr.appendChild(cell(Object.values(totals), lv));
    body.appendChild(tr);
  }
  table.appendChild(body);
  const wrap = h("div", { cls: "qw-calibration-wrap" }, [
    h("div", { cls: "qw-subtitle", text: t("Calibration"), attrs: { role: "heading", "aria-level": "4" } }),
    table,
  ]);
  // Beside the chart by topic it reads as its companion; else after the facts.
  const anchor = section.querySelector(":scope > .qw-chart") || section.querySelector(".qw-facts");
  if (anchor) anchor.after(wrap);
  else section.appendChild(wrap);
}
