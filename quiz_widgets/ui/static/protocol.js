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
 * re-enable its controls), `onReply(msg)` after the reply to the message it waited on has re-enabled them.
 * Call `dispose()` when the view goes: it stops listening and drops the timeout.
 */
function pageProtocol(model, { onBusy, onReply }) {
  // One id per view: request ids stay unique among the views of one model (a notebook open in two tabs,
  // a widget shown in two cells), and a view knows the reply to its own message from another view's.
  const viewId = globalThis.crypto?.randomUUID?.() ?? `v${Math.random().toString(36).slice(2)}`;
  let requests = 0;
  let pending = null; // the request id of this view's message the kernel has not answered yet
  let pendingTimer = null;

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

  /** Send one page message with a fresh request id and wait for nothing; returns that id. */
  function post(msg) {
    requests += 1;
    const request = `${viewId}-${requests}`;
    model.send({ ...msg, request });
    return request;
  }

  /** Send a message the view waits on: busy until its reply (or the timeout). Refused while busy. */
  function request(msg) {
    if (pending !== null) return null;
    const id = post(msg);
    setPending(id);
    return id;
  }

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
    dispose() {
      model.off("msg:custom", onCustom);
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
