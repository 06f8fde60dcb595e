// protocol.js: one view's side of the page protocol, shared by both views.
//
// Part of the views' ES modules, joined in Python (quiz_widgets/ui/assets.py: esm()) and never loaded on
// its own: it holds top-level declarations only and exports nothing.
//
// The protocol (docs/architecture.md, "One protocol for both views"): every page message carries a request
// id "<view id>-<n>"; the kernel handles it, publishes the state it changed and then replies
// {type: "reply", request, ok, error}. A view waits for the reply to its own message before its controls
// work again: trait changes (a heartbeat's elapsed, another view's click) redraw but never re-enable.

// The reply re-enables the controls; this timeout only covers a kernel that never answers (busy in a long
// cell, or dead).
const PENDING_TIMEOUT_MS = 5000;

/**
 * Start one view's protocol: `onBusy()` runs whenever the view starts or stops waiting (to disable or
 * re-enable its controls), `onReply(msg)` after the reply to the message it waited on has re-enabled them,
 * `onLost()` once when the kernel behind the view is gone (see `lost()`). Call `dispose()` when the view
 * goes: it stops listening and drops the timeout.
 */
function pageProtocol(model, { onBusy, onReply, onLost = () => {} }) {
  // One id per view: request ids stay unique among the views of one model (a notebook open in two tabs,
  // a widget shown in two cells), and a view knows the reply to its own message from another view's.
  const viewId = globalThis.crypto?.randomUUID?.() ?? `v${Math.random().toString(36).slice(2)}`;
  let requests = 0;
  let pending = null; // the request id of this view's message the kernel has not answered yet
  let pendingTimer = null;
  let lost = false;

  function markLost() {
    if (lost) return;
    lost = true;
    setPending(null);
    onLost();
  }

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
        onBusy();
      }, PENDING_TIMEOUT_MS);
    }
    onBusy();
  }

  /** Send one page message with a fresh request id and wait for nothing; returns that id (null: not sent). */
  function post(msg) {
    if (lost) return null;
    requests += 1;
    const request = `${viewId}-${requests}`;
    try {
      model.send({ ...msg, request });
    } catch (error) {
      // JupyterLab throws "Cannot send" on a comm whose kernel was restarted or died.
      console.warn("quiz_widgets: the kernel is gone, the view stops sending", error);
      markLost();
      return null;
    }
    return request;
  }

  /** Send a message the view waits on: busy until its reply (or the timeout). Refused while busy. */
  function request(msg) {
    if (pending !== null || lost) return null;
    const id = post(msg);
    if (id !== null) setPending(id);
    return id;
  }

  // ipywidgets' manager sets every model's comm_live to false when the kernel restarts and fires this
  // event; the old models are never connected again (the new kernel has no widgets). anywidget passes the
  // event on but not the flag: it is read from the view the listener is bound to, where there is one.
  function onCommLive() {
    const view = this;
    if (view && view.model && view.model.comm_live === true) return;
    markLost();
  }
  model.on("comm_live_update", onCommLive);

  const onCustom = (msg) => {
    if (!msg || msg.type !== "reply" || msg.request !== pending) return; // another view's, or too late
    setPending(null);
    onReply(msg);
  };
  model.on("msg:custom", onCustom);

  return {
    viewId,
    post,
    request,
    busy: () => pending !== null,
    lost: () => lost,
    dispose() {
      model.off("msg:custom", onCustom);
      model.off("comm_live_update", onCommLive);
      if (pendingTimer !== null) clearTimeout(pendingTimer);
      pendingTimer = null;
    },
  };
}

/** Redraw on each synced trait: `handlerFor(name)` gives the listener of change:<name>. Returns the undo. */
function watchTraits(model, names, handlerFor) {
  const handlers = names.map((name) => [`change:${name}`, handlerFor(name)]);
  for (const [event, handler] of handlers) model.on(event, handler);
  return () => {
    for (const [event, handler] of handlers) model.off(event, handler);
  };
}

/** Mark a control that talks to the kernel: the quiz disables these while it waits or is read-only. */
function action(node) {
  node.setAttribute("data-qw-action", "");
  return node;
}
