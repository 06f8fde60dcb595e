// visibility.js: telling the kernel whether this quiz view is seen, so the clock counts only then.
//
// Part of the QuizWidget's ES module, joined in Python (quiz_widgets/ui/assets.py: esm()) and never loaded
// on its own: it holds top-level declarations only and exports nothing.
//
// A view is seen while it is in the viewport (not scrolled away, not in a background JupyterLab tab, which
// is display:none) and the browser tab is shown. While seen, the report repeats as a beat, so the kernel
// can tell a crashed page from a quiet one (docs/architecture.md, "The clock and visibility").

// The kernel drops a view that stays silent for a while (a crashed browser never says "closing"), see
// controller.VIEW_TIMEOUT: a seen view repeats its "visible" report this often.
const BEAT_MS = 10000;

/**
 * Watch `root` and report {type: "visibility", visible, view} and {type: "closing", view} through
 * `protocol.post`. Call `start()` once the view is drawn and `stop()` when it goes.
 */
function visibilityReporter(root, protocol) {
  const viewId = protocol.viewId;
  let stopped = false;
  let onScreen = typeof IntersectionObserver !== "function"; // no observer: trust document.hidden only
  let reported = null;
  function report(force) {
    if (stopped) return;
    const visible = onScreen && !document.hidden;
    if (!force && visible === reported) return;
    reported = visible;
    protocol.post({ type: "visibility", visible, view: viewId });
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
    protocol.post({ type: "closing", view: viewId });
  };
  const onPageShow = () => report(false);
  document.addEventListener("visibilitychange", onVisibility);
  window.addEventListener("pagehide", onPageHide);
  window.addEventListener("pageshow", onPageShow);

  return {
    start() {
      if (!observer) report(false); // else the observer's first callback reports
    },
    stop() {
      clearInterval(beat);
      if (observer) observer.disconnect();
      document.removeEventListener("visibilitychange", onVisibility);
      window.removeEventListener("pagehide", onPageHide);
      window.removeEventListener("pageshow", onPageShow);
      stopped = true;
    },
  };
}
