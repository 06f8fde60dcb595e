// kind_choice.js: the page's part of the choice kinds (exam/kinds/choice.py, true_false.py): singleChoice
// and trueFalse as a radio group that answers on choosing, multiChoice as checkboxes sent with Submit.
//
// Part of the QuizWidget's ES module, joined in Python (quiz_widgets/ui/assets.py: esm()): top-level
// declarations only. A kind's view is {build(ctx), read(controls, submitLabel), choose(controls, i)};
// question_view.js's KIND_VIEWS maps each type name to one.

const singleChoiceView = {
  /** WAI-ARIA's radio group, named by the question: the arrows move between the options, Space or Enter
   * chooses the focused one (which answers it: there is no separate Submit for a single choice). */
  build(ctx) {
    const { options, inFeedback, carried, given, chosen, questionId, section, handles, marker, markClasses, on } = ctx;
    const group = h("div", { cls: "qw-options", attrs: { role: "radiogroup", "aria-labelledby": questionId } });
    const radios = [];
    options.forEach((opt, i) => {
      const key = str(opt.key) || String.fromCharCode(65 + i);
      const b = h("button", { cls: "qw-option", attrs: { type: "button", role: "radio", "aria-checked": "false" } }, [
        ...optionLabel(key, opt),
        marker(key),
      ]);
      markClasses(b, key);
      if (!inFeedback && given.has(key)) {
        // Exam mode: the answer given so far, to keep or change before submit.
        b.classList.add("qw-selected");
        b.setAttribute("aria-checked", "true");
      }
      radios.push(b);
      if (inFeedback) {
        b.disabled = true;
        b.setAttribute("aria-checked", chosen.has(key) ? "true" : "false");
      } else if (carried) {
        b.disabled = true;
      } else {
        action(b);
        b.addEventListener("click", () => on.answer(i));
      }
      group.appendChild(b);
      if (!carried) handles.focusables.push(b);
    });
    const checked = radios.findIndex((b) => b.getAttribute("aria-checked") === "true");
    rovingGroup(group, radios, checked);
    // The focus comes to the group on its checked option, as a radio group's does.
    if (checked > 0 && !carried) handles.focusables.unshift(...handles.focusables.splice(checked, 1));
    section.appendChild(group);
  },
  // Choosing answers at once: Enter on the group has nothing else to send.
  read() {
    return null;
  },
  choose(c, i, send) {
    if (c.focusables[i]) send(i);
  },
};

const multiChoiceView = {
  build(ctx) {
    const { options, inFeedback, carried, given, chosen, questionId, section, handles, marker, markClasses, on, submitLabel } = ctx;
    // No count: the question's own words say how many ("Choose TWO", "Choose all that apply"), a hint
    // must not contradict them, and exam mode keeps even the count in the kernel.
    const hint = carried ? "" : t("Check each option you choose, then {button}.", { button: submitLabel });
    const hintId = `${questionId}-choose`;
    if (hint) section.appendChild(h("p", { cls: "qw-choose", text: hint, attrs: { id: hintId } }));
    const group = h("div", {
      cls: "qw-options qw-options-multi",
      attrs: { role: "group", "aria-labelledby": questionId, "aria-describedby": hint ? hintId : undefined },
    });
    options.forEach((opt, i) => {
      const key = str(opt.key) || String.fromCharCode(65 + i);
      const box = h("input", { cls: "qw-checkbox", attrs: { type: "checkbox", value: String(i) } });
      const label = h("label", { cls: "qw-option qw-option-multi" }, [box, " ", ...optionLabel(key, opt), marker(key)]);
      markClasses(label, key);
      if (inFeedback) {
        box.checked = chosen.has(key);
        box.disabled = true;
      } else if (carried) {
        box.disabled = true;
      } else {
        action(box);
        box.checked = given.has(key);
        label.classList.toggle("qw-selected", box.checked);
        box.addEventListener("change", () => label.classList.toggle("qw-selected", box.checked));
      }
      group.appendChild(label);
      if (!carried) {
        handles.checkboxes.push(box);
        handles.focusables.push(box);
      }
    });
    rovingGroup(group, [...group.querySelectorAll("input.qw-checkbox")]);
    section.appendChild(group);
    if (!inFeedback && !carried) {
      handles.submit = action(button(submitLabel, "qw-submit qw-primary", () => on.submit()));
      section.appendChild(h("div", { cls: "qw-submit-row" }, [handles.submit]));
    }
  },
  /** {value} to send, or {hint} saying what is missing. */
  read(c, submitLabel) {
    const picked = c.checkboxes.map((b, i) => (b.checked ? i : -1)).filter((i) => i >= 0);
    if (!picked.length) return { hint: t("Choose at least one option, then {button}.", { button: submitLabel }) };
    return { value: picked };
  },
  // A letter key toggles its checkbox; Submit sends them.
  choose(c, i) {
    const box = c.checkboxes[i];
    if (!box || box.disabled) return;
    box.checked = !box.checked;
    box.dispatchEvent(new Event("change", { bubbles: true }));
    box.focus();
  },
};
