// kind_matching.js: the page's part of the matching kind (exam/kinds/matching.py): a native <select> per
// left item, labelled by the left item's text, offering the right-hand choices in their shuffled order;
// sent with Submit as one choice index per left item. Mouse, keyboard and screen readers get the
// browser's own select.
//
// Part of the QuizWidget's ES module (ui/assets.py: esm()): top-level declarations only.

const matchingView = {
  build(ctx) {
    const { question, options, inFeedback, carried, questionId, section, handles, on, submitLabel } = ctx;
    if (inFeedback || carried) return;
    const given = obj(obj(question.given).value);
    const rows = h("div", { cls: "qw-matching", attrs: { role: "group", "aria-labelledby": questionId } });
    handles.selects = [];
    list(question.left).forEach((item, i) => {
      const left = obj(item);
      const labelId = `${questionId}-left-${i}`;
      const select = h("select", { cls: "qw-match-select", attrs: { "aria-labelledby": labelId } }, [
        h("option", { text: t("Choose…"), attrs: { value: "" } }),
        ...options.map((opt, j) => h("option", { text: str(opt.text), attrs: { value: String(j) } })),
      ]);
      const wanted = str(given[str(left.text)]);
      const at = options.findIndex((opt) => str(opt.text) === wanted);
      if (wanted && at >= 0) select.value = String(at);
      action(select);
      handles.selects.push(select);
      handles.focusables.push(select);
      rows.appendChild(
        h("div", { cls: "qw-match-row" }, [rich("span", "qw-match-left", left.html, left.text, { id: labelId }), select]),
      );
    });
    section.appendChild(rows);
    handles.options = []; // letter keys pick no option here: the selects take their own keys
    handles.submit = action(button(submitLabel, "qw-submit qw-primary", () => on.submit()));
    section.appendChild(h("div", { cls: "qw-submit-row" }, [handles.submit]));
  },
  read(c, submitLabel) {
    const selects = c.selects || [];
    if (!selects.length) return null;
    const empty = selects.find((s) => s.value === "");
    if (empty) {
      empty.focus();
      return { hint: t("Choose a match for every item, then {button}.", { button: submitLabel }) };
    }
    return { value: selects.map((s) => Number(s.value)) };
  },
  choose() {},
};
