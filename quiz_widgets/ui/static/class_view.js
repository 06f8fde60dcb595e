// class_view.js: the ClassView's entry: live counts of a class store for the instructor.
//
// The last part of the ClassView's ES module: quiz_widgets/ui/class_view.py joins dom.js, protocol.js,
// visibility.js and this file (quiz_widgets/ui/assets.py: esm()), and only this part exports.
//
// The kernel reads the store; this view shows the `snapshot` trait and says when it is seen (the kernel
// refreshes only then). Exam and question texts are untrusted: text nodes only (dom.js h()).

function percent(share) {
  const n = Number(share);
  return Number.isFinite(n) ? `${Math.round(n * 100)}%` : "-";
}

// The columns' headings are functions: read in the chosen language at each draw.
function table(caption, columns, rows) {
  const head = h("tr", {}, columns.map(([label]) => h("th", { text: label(), attrs: { scope: "col" } })));
  const body = rows.map((row) =>
    h(
      "tr",
      {},
      columns.map(([, read, cls]) => h("td", { cls, text: read(row) })),
    ),
  );
  return h("table", { cls: "qw-class-table" }, [
    h("caption", { text: caption }),
    h("thead", {}, [head]),
    h("tbody", {}, body),
  ]);
}

function render({ model, el }) {
  const root = h("div", { cls: "qw-root qw-class", attrs: { tabindex: "-1" } });
  const title = h("div", { cls: "qw-class-title" });
  const status = h("div", { cls: "qw-class-status", attrs: { "aria-live": "polite" } });
  const errorBanner = h("div", { cls: "qw-class-error", attrs: { role: "alert" } });
  const body = h("div", { cls: "qw-class-body" });
  let refreshButton = null;

  const protocol = pageProtocol(model, {
    onBusy: () => {
      if (refreshButton) refreshButton.disabled = protocol.busy();
    },
    onReply: () => {},
  });
  refreshButton = action(button("", "qw-class-refresh", () => protocol.request({ type: "refresh" })));
  const top = h("div", { cls: "qw-class-top" }, [title, refreshButton]);
  root.append(top, errorBanner, status, body);
  el.appendChild(root);

  function draw() {
    useMessages(model);
    refreshButton.textContent = t("Refresh now");
    const snap = obj(model.get("snapshot"));
    const quizzes = list(snap.quizzes);
    const hardest = list(snap.hardest);
    title.textContent = t("Class: {source}", { source: str(model.get("source")) });
    const skipped = num(snap.skipped);
    status.textContent =
      tn("{n} learner, updated {updated}", "{n} learners, updated {updated}", num(snap.learners), {
        updated: str(snap.updated).replace("T", " "),
      }) +
      t(", refreshed every {seconds} s while on screen", { seconds: num(model.get("refresh")) }) +
      (skipped ? tn("; {n} unreadable file left out", "; {n} unreadable files left out", skipped) : "");
    const error = str(model.get("error"));
    errorBanner.textContent = error;
    errorBanner.hidden = !error;
    const parts = [];
    if (quizzes.length === 0) {
      parts.push(h("p", { cls: "qw-class-empty", text: t("No learner has started a quiz yet.") }));
    } else {
      parts.push(
        table(
          t("Quizzes"),
          [
            [() => t("Quiz"), (r) => str(r.exam), "qw-class-exam"],
            [() => t("Started"), (r) => String(num(r.started)), "qw-class-started"],
            [() => t("Finished"), (r) => String(num(r.finished)), "qw-class-finished"],
            [() => t("Attempts"), (r) => String(num(r.attempts)), "qw-class-attempts"],
          ],
          quizzes.map(obj),
        ),
      );
    }
    if (hardest.length > 0) {
      parts.push(
        table(
          t("Hardest questions so far"),
          [
            [() => t("Quiz"), (r) => str(r.exam), "qw-class-exam"],
            [() => t("Question"), (r) => str(r.question) || `id ${str(r.question_id)}`, "qw-class-question"],
            [() => t("Answers"), (r) => String(num(r.answers)), "qw-class-answers"],
            [() => t("Right"), (r) => percent(r.correct_share), "qw-class-share"],
          ],
          hardest.map(obj),
        ),
      );
    }
    body.replaceChildren(...parts);
  }

  const unwatch = watchTraits(model, ["snapshot", "source", "refresh", "error", "messages"], () => draw);
  draw();
  reportPageLanguage(protocol);

  const visibility = visibilityReporter(root, protocol);
  visibility.start();

  return () => {
    visibility.stop();
    protocol.post({ type: "closing", view: protocol.viewId });
    unwatch();
    protocol.dispose();
  };
}

export default { render };
