// kind_ordering.js: the page's part of the ordering kind (exam/kinds/ordering.py): the items in a list,
// moved by their "Move up"/"Move down" buttons (reached by Tab), by Alt+ArrowUp/Alt+ArrowDown on an item,
// or by dragging (never the only way); sent with Submit as the shown items' indexes in the new order.
//
// Part of the QuizWidget's ES module (ui/assets.py: esm()): top-level declarations only.

const orderingView = {
  build(ctx) {
    const { question, options, inFeedback, carried, questionId, section, handles, on, submitLabel } = ctx;
    if (inFeedback || carried) return;
    const given = list(obj(question.given).value).map(str);
    let order = options.map((_, i) => i);
    if (given.length === options.length) {
      const byText = given.map((text) => options.findIndex((opt) => str(opt.text) === text));
      if (byText.every((i) => i >= 0) && new Set(byText).size === byText.length) order = byText;
    }
    const hintId = `${questionId}-order`;
    section.appendChild(
      h("p", { cls: "qw-choose", attrs: { id: hintId }, text: t("Put the items in order: Move up / Move down, Alt+Arrow keys, or drag.") }),
    );
    const listEl = h("ol", { cls: "qw-ordering", attrs: { "aria-labelledby": questionId, "aria-describedby": hintId } });
    const status = h("p", { cls: "qw-sr-only", attrs: { role: "status", "aria-live": "polite" } });
    const items = options.map((opt, i) => {
      const textId = `${questionId}-item-${i}`;
      const up = button(t("Move up"), "qw-move qw-move-up", () => move(i, -1, up));
      const down = button(t("Move down"), "qw-move qw-move-down", () => move(i, 1, down));
      for (const b of [up, down]) {
        action(b);
        b.setAttribute("aria-describedby", textId);
      }
      const li = h("li", { cls: "qw-order-item", attrs: { draggable: "true", "data-index": String(i) } }, [
        rich("span", "qw-order-text", opt.html, opt.text, { id: textId }),
        h("span", { cls: "qw-move-buttons" }, [up, down]),
      ]);
      li.addEventListener("keydown", (event) => {
        if (!event.altKey || (event.key !== "ArrowUp" && event.key !== "ArrowDown")) return;
        event.preventDefault();
        move(i, event.key === "ArrowUp" ? -1 : 1, event.target);
      });
      li.addEventListener("dragstart", (event) => {
        event.dataTransfer.setData("text/plain", String(i));
        event.dataTransfer.effectAllowed = "move";
      });
      li.addEventListener("dragover", (event) => event.preventDefault());
      li.addEventListener("drop", (event) => {
        event.preventDefault();
        const from = Number(event.dataTransfer.getData("text/plain"));
        if (!Number.isInteger(from) || from === i) return;
        move(from, order.indexOf(i) - order.indexOf(from), null);
      });
      return { li, up, down, text: str(opt.text) };
    });
    function draw() {
      order.forEach((index, position) => {
        const item = items[index];
        listEl.appendChild(item.li);
        item.up.disabled = position === 0;
        item.down.disabled = position === order.length - 1;
      });
    }
    function move(index, by, focusAfter) {
      const from = order.indexOf(index);
      const to = Math.max(0, Math.min(order.length - 1, from + by));
      if (to === from) return;
      order.splice(from, 1);
      order.splice(to, 0, index);
      draw();
      status.textContent = t("{item}: position {position} of {count}", {
        item: items[index].text,
        position: to + 1,
        count: order.length,
      });
      // The focus stays with the item moved, on the same control unless it is now disabled.
      const target = focusAfter && !focusAfter.disabled ? focusAfter : items[index].up.disabled ? items[index].down : items[index].up;
      if (focusAfter !== null) target.focus();
    }
    draw();
    section.append(listEl, status);
    for (const index of order) handles.focusables.push(items[index].up.disabled ? items[index].down : items[index].up);
    handles.options = [];
    handles.order = () => order.slice();
    handles.submit = action(button(submitLabel, "qw-submit qw-primary", () => on.submit()));
    section.appendChild(h("div", { cls: "qw-submit-row" }, [handles.submit]));
  },
  read(c) {
    return c.order ? { value: c.order() } : null;
  },
  choose() {},
};
