// Test harness: mounts quiz.js into #app with a FakeModel. Used by tests/test_view_harness.py only.
import widget from "../../quiz_widgets/ui/static/quiz.js";
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

window.mount = (traits) => {
  if (window.cleanup) window.unmount();
  window.sent = [];
  window.model = new FakeModel(traits);
  const el = document.getElementById("app");
  window.cleanup = widget.render({ model: window.model, el });
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
