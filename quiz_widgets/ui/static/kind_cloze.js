// kind_cloze.js: the page's part of the cloze kind (exam/kinds/cloze.py): the question's text with its blanks
// inline, a text box per short-answer or numerical blank, a dropdown per multichoice blank (radio buttons for
// Moodle's MULTICHOICE_V and _H: one per line, or in a row), checkboxes per multiresponse blank, each named
// for screen readers "blank 1 of 3"; one Submit sends every blank. After the answer each blank shows what was
// given, marked right or wrong, and the feedback box (question_view.js) lists under its verdict the right answers and
// the author's feedback per blank.
//
// Part of the QuizWidget's ES module (ui/assets.py: esm()): top-level declarations only.

/** Blank n's accessible name. */
function blankName(row) {
  return t("blank {number} of {count}", { number: num(row.number), count: num(row.of) });
}

// Native radios group by name across the whole document: each radio blank of each view gets a name of its own,
// so two views of one quiz (JupyterLab's "New View for Output") never uncheck each other's choices.
let radioBlankCount = 0;

/**
 * A MULTICHOICE_V / _H blank (and their _S forms) as Moodle shows it: radio buttons inline in the text, one per
 * line (vertical) or in a row (horizontal), in a radio group named by the blank. The radios are native: the
 * arrows move and check within the group, Tab leaves it, Space checks (keys.js lets their arrows through).
 */
function radioBlank(row, givenValue, handles) {
  const vertical = str(row.layout) === "vertical";
  const group = h("span", {
    cls: `qw-blank-group qw-blank-radios ${vertical ? "qw-blank-vertical" : "qw-blank-horizontal"}`,
    attrs: { role: "radiogroup", "aria-label": blankName(row) },
  });
  radioBlankCount += 1;
  const name = `qw-blank-radio-${radioBlankCount}-${Math.random().toString(36).slice(2, 8)}`;
  const radios = [];
  for (const choice of list(row.choices).map((c) => obj(c))) {
    const index = num(choice.index);
    const radio = h("input", { cls: "qw-radio", attrs: { type: "radio", name, value: String(index) } });
    radio.checked = givenValue === index;
    action(radio);
    radios.push(radio);
    handles.focusables.push(radio);
    group.appendChild(h("label", { cls: "qw-blank-choice" }, [radio, " ", h("span", { text: str(choice.text) })]));
  }
  return {
    node: group,
    get: () => {
      const checked = radios.find((r) => r.checked);
      return checked ? Number(checked.value) : null;
    },
  };
}

/** The control of one blank before the answer: {node, get()} (get: the page's value, null when empty). */
function blankControl(row, givenValue, handles) {
  const kind = str(row.kind);
  const name = blankName(row);
  const layout = str(row.layout);
  if (kind === "multichoice" && (layout === "vertical" || layout === "horizontal")) return radioBlank(row, givenValue, handles);
  if (kind === "multichoice") {
    const select = h("select", { cls: "qw-blank-select", attrs: { "aria-label": name } });
    select.appendChild(h("option", { text: "—", attrs: { value: "" } }));
    for (const choice of list(row.choices).map((c) => obj(c))) {
      select.appendChild(h("option", { text: str(choice.text), attrs: { value: String(num(choice.index)) } }));
    }
    if (typeof givenValue === "number") select.value = String(givenValue);
    action(select);
    handles.focusables.push(select);
    return { node: select, get: () => (select.value === "" ? null : Number(select.value)) };
  }
  if (kind === "multiresponse") {
    // Moodle's layout: MULTIRESPONSE one choice per line, MULTIRESPONSE_H in a row.
    const vertical = layout === "vertical" ? " qw-blank-vertical" : "";
    const group = h("span", { cls: `qw-blank-group${vertical}`, attrs: { role: "group", "aria-label": name } });
    const given = new Set(Array.isArray(givenValue) ? givenValue : []);
    const boxes = [];
    for (const choice of list(row.choices).map((c) => obj(c))) {
      const index = num(choice.index);
      const box = h("input", { cls: "qw-checkbox", attrs: { type: "checkbox", value: String(index) } });
      box.checked = given.has(index);
      action(box);
      boxes.push(box);
      handles.focusables.push(box);
      group.appendChild(h("label", { cls: "qw-blank-choice" }, [box, " ", h("span", { text: str(choice.text) })]));
    }
    return {
      node: group,
      get: () => {
        const chosen = boxes.filter((b) => b.checked).map((b) => Number(b.value));
        return chosen.length ? chosen : null;
      },
    };
  }
  const numeric = kind === "numerical";
  const input = h("input", {
    cls: "qw-blank-input",
    attrs: {
      type: "text",
      size: String(num(row.size) || 8),
      maxlength: numeric ? "64" : "1000",
      inputmode: numeric ? "decimal" : undefined,
      autocomplete: "off",
      spellcheck: "false",
      "aria-label": name,
    },
  });
  if (givenValue !== undefined && givenValue !== null) input.value = str(givenValue);
  action(input);
  handles.focusables.push(input);
  if (!handles.input) handles.input = input; // Enter in a blank sends the answer, as in any answer box
  return { node: input, get: () => (input.value.trim() === "" ? null : input.value), numeric, input };
}

/**
 * Keep the punctuation right after a blank's `slot` on the blank's line: a full stop wrapped alone onto the
 * next line (after a wide radio group) reads as a stray mark.
 */
function keepPunctuation(slot) {
  const next = slot.nextSibling;
  if (!next || next.nodeType !== Node.TEXT_NODE) return;
  const found = /^[.,;:!?)\]»”’…]+/.exec(next.data);
  if (!found) return;
  const wrap = h("span", { cls: "qw-blank-nowrap" });
  slot.replaceWith(wrap);
  wrap.append(slot, found[0]);
  next.data = next.data.slice(found[0].length);
}

/** The text with its blanks: the kernel's sanitized `cloze_html`, each slot filled by `fill(row, slot)`. */
function clozeText(ctx, fill) {
  const { question, section } = ctx;
  const textNode = section.querySelector(".qw-question-text");
  if (!textNode || typeof question.cloze_html !== "string") return;
  setRich(textNode, question.cloze_html, question.text);
  const rows = list(question.blanks).map((r) => obj(r));
  for (const slot of textNode.querySelectorAll(".qw-blank-slot")) {
    const row = rows.find((r) => String(num(r.number)) === slot.getAttribute("data-blank"));
    keepPunctuation(slot);
    if (row) fill(row, slot);
  }
}

/** A blank after the answer: what was given, marked ✓ right, ◐ partly right or ✗ wrong (not by colour alone). */
function blankMark(row, result) {
  const right = Boolean(result.correct);
  const partly = !right && num(result.fraction) > 0;
  const sign = right ? "✓" : partly ? "◐" : "✗";
  const verdict = right ? t("right") : partly ? t("partly right") : t("wrong");
  return h("span", {
    cls: `qw-blank-result ${right ? "qw-correct" : "qw-wrong"}`,
    text: `${str(result.given) || "—"} ${sign}`,
    attrs: { "aria-label": `${blankName(row)}: ${str(result.given) || "—"}, ${verdict}` },
  });
}

/**
 * Each blank's result in a list: given, right or wrong, the right answer beside a wrong one, the feedback.
 * `revealed` (study mode's Show answer, nothing given): each blank's right answer alone, never "wrong".
 */
function blankResultList(results, revealed = false) {
  const rows = h("ol", { cls: "qw-blank-feedback", attrs: { "aria-label": t("Each blank") } });
  for (const result of results) {
    if (revealed) {
      rows.appendChild(h("li", { text: t("right answer: {answer}", { answer: str(result.right_answer) }) }));
      continue;
    }
    const parts = [
      h("span", { text: `${str(result.given) || "—"}: ` }),
      h("strong", { text: result.correct ? t("right") : num(result.fraction) > 0 ? t("partly right") : t("wrong") }),
    ];
    if (!result.correct) parts.push(h("span", { text: ` — ${t("right answer: {answer}", { answer: str(result.right_answer) })}` }));
    if (str(result.feedback)) parts.push(h("span", { cls: "qw-blank-note", text: ` — ${str(result.feedback)}` }));
    rows.appendChild(h("li", { cls: result.correct ? "qw-correct" : "qw-wrong" }, parts));
  }
  return rows;
}

/**
 * Review and finish screens: the cloze text `node` (the kernel's text_html, with a slot per blank) filled with
 * each blank's result as the feedback draws it, or an empty line for a question not answered; returns the list
 * of results to put under it (null when not answered).
 */
function fillClozeSlots(node, resultsValue) {
  const slots = [...node.querySelectorAll(".qw-blank-slot")];
  const results = list(resultsValue).map((r) => obj(r));
  for (const slot of slots) {
    const number = Number(slot.getAttribute("data-blank"));
    const row = { number, of: slots.length };
    const result = results.find((r) => num(r.number) === number);
    keepPunctuation(slot);
    if (result) slot.replaceWith(blankMark(row, result));
    else slot.replaceWith(h("span", { cls: "qw-blank-empty", text: "＿＿＿", attrs: { "aria-label": `${blankName(row)}: —` } }));
  }
  return results.length ? blankResultList(results) : null;
}

const clozeView = {
  build(ctx) {
    const { question, inFeedback, carried, section, handles, on, submitLabel, feedback } = ctx;
    const given = list(obj(question.given).value);
    const results = list(obj(feedback).blanks).map((r) => obj(r));
    handles.blanks = [];
    clozeText(ctx, (row, slot) => {
      const index = num(row.number) - 1;
      if (inFeedback) {
        slot.replaceWith(blankMark(row, results[index] || {}));
        return;
      }
      if (carried) return;
      const control = blankControl(row, given[index], handles);
      handles.blanks[index] = control;
      slot.replaceWith(control.node);
    });
    // After the answer the list of blanks is in the feedback box, under its verdict (buildFeedback).
    if (inFeedback || carried) return;
    section.appendChild(h("p", { cls: "qw-choose", text: t("Fill in the blanks, then {button}.", { button: submitLabel }) }));
    handles.submit = action(button(submitLabel, "qw-submit qw-primary", () => on.submit()));
    section.appendChild(h("div", { cls: "qw-submit-row" }, [handles.submit]));
  },
  read(c, submitLabel) {
    const blanks = list(c.blanks);
    if (!blanks.length) return null;
    const value = blanks.map((b) => (b ? b.get() : null));
    if (value.every((v) => v === null)) return { hint: t("Fill in the blanks, then {button}.", { button: submitLabel }) };
    for (let i = 0; i < blanks.length; i += 1) {
      const b = blanks[i];
      if (b && b.numeric && value[i] !== null && !Number.isFinite(Number(String(value[i]).trim().replace(",", ".")))) {
        b.input.focus();
        return { hint: t("Blank {number}: enter a number, then {button}.", { number: i + 1, button: submitLabel }) };
      }
    }
    return { value };
  },
  choose() {},
};
