// Test harness: mounts a widget's view into #app with a FakeModel. Used by tests/test_view_harness.py only.
// /widget/*.js and /widget/*.css are served by that test from QuizWidget._esm/_css and
// SessionListView._esm/_css: the very strings the widgets hand to anywidget, joined from static/.
import quizView from "/widget/quiz.js";
import listView from "/widget/browser.js";
import { FakeModel } from "./fake_model.js";

// Count live timers so a test can check that cleanup stops them.
const liveIntervals = new Set();
const realSetInterval = window.setInterval.bind(window);
const realClearInterval = window.clearInterval.bind(window);
window.setInterval = (fn, ms, ...rest) => {
  const id = realSetInterval(fn, ms, ...rest);
  liveIntervals.add(id);
  return id;
};
window.clearInterval = (id) => {
  liveIntervals.delete(id);
  realClearInterval(id);
};
window.liveIntervalCount = () => liveIntervals.size;

window.sent = [];
window.model = null;
window.cleanup = null;

window.setTheme = (theme) => {
  document.body.dataset.jpThemeLight = theme === "dark" ? "false" : "true";
};

const VIEWS = { quiz: quizView, list: listView };

// Mount the quiz (default) or the session list ("list") with these traits, replacing what was there.
window.mount = (traits, view = "quiz") => {
  if (window.cleanup) window.unmount();
  window.sent = [];
  window.model = new FakeModel(traits);
  const el = document.getElementById("app");
  window.cleanup = VIEWS[view].render({ model: window.model, el });
  return true;
};

window.unmount = () => {
  if (window.cleanup) window.cleanup();
  window.cleanup = null;
};

window.setTraits = (values) => window.model.update(values);

// The kernel's reply to a page message (the page protocol): by default to the last one sent.
window.reply = (error = "", request = undefined) => {
  const last = [...window.sent].reverse().find((m) => typeof m.request === "string");
  const id = request === undefined ? last && last.request : request;
  window.model.emit("msg:custom", { type: "reply", request: id, ok: !error, error }, []);
  return id;
};

window.harnessReady = true;
