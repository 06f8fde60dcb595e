"""The asyncio tasks a live quiz keeps on the kernel's loop: the autosave heartbeat, the view expiry watch
and the deadline of a timed exam.

A kernel runs its cells on one asyncio loop and stays idle between them, so a task on that loop is how the
kernel acts with nobody typing: it saves every few seconds, notices that a crashed page stopped reporting
(so the clock stops), and submits a timed attempt at zero. Without a running loop (plain Python, a script)
there are no tasks and no errors: the quiz is driven by its method calls alone.

The heartbeat lives in writer.py (it beats for a read-only copy too) and the deadline in deadline.py;
QuizTasks starts and stops them together, and the view watch, for one QuizWidget.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from quiz_widgets.kernel.deadline import start_deadline
from quiz_widgets.kernel.lifecycle import start_heartbeat
from quiz_widgets.kernel.periodic import repeat_while

if TYPE_CHECKING:
    from quiz_widgets.kernel.controller import QuizController

T = TypeVar("T")

# How often the kernel looks for views that stopped reporting (controller.VIEW_TIMEOUT says how long
# silence means gone). A few seconds late is fine: it only bounds how long a crashed page's clock runs on.
VIEW_CHECK_SECONDS = 5.0


class QuizTasks:
    """The tasks of one live quiz: its heartbeat and deadline (one attempt's) and its view watch."""

    def __init__(self) -> None:
        self.heartbeat: asyncio.Task[None] | None = None
        self.deadline: asyncio.Task[None] | None = None
        self.view_watch: asyncio.Task[None] | None = None

    def start_attempt(
        self, controller: QuizController, autosave_interval: float, on_submitted: Callable[[], None]
    ) -> None:
        """Autosave ``controller``'s attempt and, when it is timed, submit it at zero (see deadline.py)."""
        writer = controller.writer
        if writer.read_only:
            return
        self.heartbeat = start_heartbeat(writer, autosave_interval)
        if controller.state.time_limit is not None and not controller.state.finished:
            # The countdown started: its session file exists from now on, so the time left is kept.
            writer.save(create=True)
            self.deadline = start_deadline(controller, on_submitted)

    def stop_attempt(self) -> None:
        """Stop the heartbeat and the deadline (the attempt was replaced, taken over or closed)."""
        for task in (self.heartbeat, self.deadline):
            if task is not None:
                task.cancel()
        self.heartbeat = self.deadline = None

    def watch_views(
        self, owner: T, controller_of: Callable[[T], QuizController | None], publish: Callable[[T], None]
    ) -> None:
        """Expire views that stopped reporting (a crashed page) every VIEW_CHECK_SECONDS, and ``publish``
        when one was dropped. Runs while some view has reported; the next report starts a new watch."""
        if self.view_watch is not None and not self.view_watch.done():
            return

        def watching(target: T) -> bool:
            controller = controller_of(target)
            return controller is not None and controller.watching_views

        def expire(target: T) -> None:
            controller = controller_of(target)
            if controller is not None and controller.expire_views():
                publish(target)

        self.view_watch = repeat_while(
            owner,
            expire,
            every=lambda _owner: VIEW_CHECK_SECONDS,  # read at each sleep (tests shorten it)
            alive=watching,
            name="quiz_widgets-view-watch",
        )

    def stop(self) -> None:
        """Stop every task (the quiz was closed)."""
        if self.view_watch is not None:
            self.view_watch.cancel()
            self.view_watch = None
        self.stop_attempt()
