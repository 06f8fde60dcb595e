"""repeat_while(): a step every few seconds on the kernel's asyncio loop, for as long as its owner lives.

The one pattern behind every periodic task of the package: the autosave heartbeat (writer.py), the view
expiry watch (loop_tasks.py) and ClassView's refresh (ui/class_view.py). The task holds its owner through a
weak reference while it sleeps, so a widget the notebook forgot can still be garbage-collected, and the task
then ends by itself. Without a running loop (plain Python, a script) there is no task and no error.
"""

from __future__ import annotations

import asyncio
import inspect
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")


def repeat_while(
    owner: T,
    step: Callable[[T], Any],
    *,
    every: float | Callable[[T], float],
    alive: Callable[[T], bool] = lambda _owner: True,
    name: str,
) -> asyncio.Task[None] | None:
    """Call ``step(owner)`` (awaited when it returns an awaitable) every ``every`` seconds on the running
    loop, while ``owner`` exists and ``alive(owner)`` holds; no running loop: None.

    ``every`` may be a function of the owner, read before each sleep (a refresh period that can change).
    The owner is held weakly while the task sleeps and strongly only during ``alive`` and ``step``.
    """
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return None
    ref = weakref.ref(owner)

    async def run() -> None:
        while True:
            target = ref()
            if target is None or not alive(target):
                return
            delay = every(target) if callable(every) else every
            del target
            await asyncio.sleep(delay)
            target = ref()
            if target is None or not alive(target):
                return
            done = step(target)
            if inspect.isawaitable(done):
                await done
            del target, done

    return loop.create_task(run(), name=name)
