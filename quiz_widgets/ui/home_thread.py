"""HomeThread: the views' messages are handled on the thread that owns the quiz.

JupyterLab 4.4 and later send widget messages to a kernel subshell when the kernel has them (ipykernel 7,
JupyterLab's "commsOverSubshells" setting, one subshell per comm target by default), and ipykernel
handles a subshell's messages in a thread of its own while a cell may be running in the main thread. The
quiz state, its session writer (locks, the registry of live files) and its asyncio tasks all belong to
the main thread and its event loop; a page message handled beside a running cell raced with it (seen: a
re-run quiz cell that continued the session while the old view's "closing" saved it, and both writers
lost the file). So a handler called on another thread hands the message to the home loop and returns:
it runs there once that loop is free, after the running cell, in the order the messages came. That is
how every message was handled before subshells; only the quiz's own code is affected.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from typing import Any

__all__ = ["HomeThread"]


class HomeThread:
    """The thread (and running event loop, if any) a widget was made on; ``call`` runs code there."""

    def __init__(self) -> None:
        self._thread = threading.get_ident()
        try:
            self._loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
        except RuntimeError:
            self._loop = None  # plain Python: no loop to hand anything to, and no subshells either

    def call(self, fn: Callable[..., Any], *args: Any) -> None:
        """Run ``fn(*args)`` now when on the home thread (or when there is no running home loop), else
        queue it on the home loop."""
        loop = self._loop
        if threading.get_ident() == self._thread or loop is None or loop.is_closed() or not loop.is_running():
            fn(*args)
            return
        try:
            loop.call_soon_threadsafe(fn, *args)
        except RuntimeError:  # the loop closed between the check and the call: nothing else will run it
            fn(*args)

    def wrap(self, handler: Callable[..., Any]) -> Callable[..., None]:
        """``handler`` as a callback (for ``on_msg``) that always runs on the home thread."""
        return lambda *args: self.call(handler, *args)
