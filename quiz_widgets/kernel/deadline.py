"""The time limit of a timed exam, enforced by the kernel: at zero the attempt is submitted and saved.

An asyncio task on the kernel's loop, like the autosave heartbeat, so it runs with no page open (a closed
tab, a crashed browser). Each intent also checks the time first (QuizController.check_time), so a task that
wakes late never lets an answer in after the limit; this task only makes sure the end happens unasked.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quiz_widgets.kernel.controller import QuizController

log = logging.getLogger(__name__)

# Sleeps at most this long between looks at the time left: a clock that stopped (another kernel took the
# session) and started again is seen within this, and no sleep is ever scheduled for hours.
LONGEST_SLEEP = 30.0


def start_deadline(
    controller: QuizController, on_submitted: Callable[[], None] | None = None
) -> asyncio.Task[None] | None:
    """Submit ``controller``'s attempt when its time runs out. No time limit or no running loop: None.

    The task holds the controller strongly (the attempt must end even if the widget is forgotten) and the
    callback weakly when it is a bound method, so a forgotten widget can still be garbage-collected.
    """
    if controller.state.time_left is None:
        return None
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return None
    callback: Callable[[], Callable[[], None] | None]
    if on_submitted is not None and hasattr(on_submitted, "__self__"):
        callback = weakref.WeakMethod(on_submitted)  # type: ignore[arg-type]
    else:
        callback = lambda: on_submitted  # noqa: E731

    async def run() -> None:
        while not controller.state.finished and not controller.writer.closed:
            left = controller.state.time_left or 0.0
            if left > 0:
                # A hair past zero, so the clock reads zero when we look.
                await asyncio.sleep(min(left + 0.01, LONGEST_SLEEP))
                continue
            try:
                submitted = controller.check_time()
            except Exception:  # never kill the loop; the next intent retries the submit
                log.exception("quiz_widgets: could not submit the timed attempt")
                return
            if submitted:
                tell = callback()
                if tell is not None:
                    tell()
            if not controller.writer.writable:
                return
            await asyncio.sleep(1.0)

    return loop.create_task(run(), name="quiz_widgets-deadline")
