"""ClassView: the instructor's live view of a class store (who started and finished each quiz, the hardest
questions so far), refreshed while it is on screen.

The numbers come from ``teaching.live.LiveClass`` over the store the quizzes collect into, kept for the
widget's life: a refresh lists the store and reads only the files that are new or changed. The store is
read in a worker thread (an object store may take seconds), never in the kernel's loop; the traits are set
back on the loop. Like the quiz's clock, the refresh runs only while some view of the widget reports that it
is seen (and repeats that report as a beat): a view scrolled away, in a background tab or closed costs the
store nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import re
import time
import warnings
from collections.abc import Callable, Mapping
from typing import Any

import anywidget
from traitlets import Dict, Float, Unicode

from quiz_widgets.errors import shown
from quiz_widgets.i18n import Words, say, translations, view_messages
from quiz_widgets.kernel.periodic import repeat_while
from quiz_widgets.kernel.protocol import check_request_id, page_language, reply
from quiz_widgets.kernel.static_page import static_text, with_static_text
from quiz_widgets.teaching.live import LiveClass
from quiz_widgets.ui.assets import esm, stylesheet
from quiz_widgets.ui.home_thread import HomeThread

__all__ = ["CLASS_VIEW_PARTS", "MIN_REFRESH", "ClassView"]

CLASS_VIEW_PARTS = ("dom.js", "protocol.js", "visibility.js", "class_view.js")
# A store read every second by a few instructors' views is still cheap; faster would only load it.
MIN_REFRESH = 1.0
# As the quiz's controller.VIEW_TIMEOUT: three missed 10 s beats and a view counts as gone.
VIEW_TIMEOUT = 35.0
MESSAGE_TYPES = ("visibility", "closing", "refresh", "page_lang")
_VIEW_RE = re.compile(r"[A-Za-z0-9-]{1,64}")


def _label(source: str) -> str:
    # A URL may carry credentials (https://user:secret@host/...): the page never shows them.
    return re.sub(r"(://)[^/@]*@", r"\1", source)


class ClassView(anywidget.AnyWidget):
    """Live counts of a class store: ``ClassView("s3://bucket/cs101", refresh=30)``."""

    _esm = esm(*CLASS_VIEW_PARTS)
    _css = stylesheet("class_view.css")

    source = Unicode("", help="The class store shown (a folder or URL, without credentials).").tag(sync=True)
    snapshot = Dict(
        help="learners, quizzes [{exam, started, finished, attempts}], hardest [{exam, question_id, "
        "question, answers, correct_share}], skipped, updated"
    ).tag(sync=True)
    refresh = Float(30.0, help="Seconds between reads of the store while the view is on screen.").tag(
        sync=True
    )
    error = Unicode(
        "", help="Why the last read failed (the last good numbers stay shown); empty when fine."
    ).tag(sync=True)
    messages = Dict(
        help="The view's words in the chosen language (quiz_widgets.i18n.view_messages); English without."
    ).tag(sync=True)

    def __init__(
        self,
        source: str | os.PathLike[str],
        *,
        storage_options: Mapping[str, Any] | None = None,
        refresh: float = 30.0,
        now: Callable[[], float] = time.monotonic,
        lang: str | None = None,
        **kwargs: Any,
    ) -> None:
        if isinstance(refresh, bool) or not isinstance(refresh, (int, float)) or not math.isfinite(refresh):
            raise ValueError(f"ClassView refresh: found {shown(refresh)}; expected seconds (a number)")
        if refresh < MIN_REFRESH:
            raise ValueError(
                f"ClassView refresh: found {refresh!r}; expected at least {MIN_REFRESH:g} seconds"
            )
        self._source = os.fspath(source)
        self._options = dict(storage_options or {})
        # What was read stays known: each refresh lists the store and reads only what changed.
        self._live = LiveClass(self._source, self._options)
        # Read before the comm opens: a missing folder or a refused store raises here, in the cell.
        first = self._live.snapshot()
        # lang: the view's words ("de"); None: the page's language, else English. The class's data stays as is.
        self._lang = lang
        self._error: str = ""  # the error line as made (Words), said again when the page's language arrives
        super().__init__(messages=view_messages(lang), **kwargs)
        self._now = now
        self._seen: dict[str, float] = {}  # view id -> monotonic time of its last "visible" report
        self._task: asyncio.Task[None] | None = None
        self.reads = 1  # store reads so far (the tests and the curious can see the refresh stop)
        self._warned: set[tuple[str, str]] = set()
        self._warn_skipped(first)
        with self.hold_sync():
            self.source = _label(self._source)
            self.refresh = float(refresh)
            self.snapshot = first
        self.on_msg(HomeThread().wrap(self._on_page_message))

    # -- Python API ------------------------------------------------------------------------------------
    def refresh_now(self) -> dict[str, Any]:
        """Read the store now (in this thread) and show it; returns the snapshot."""
        self._show(self._read())
        return dict(self.snapshot)

    @property
    def on_screen(self) -> bool:
        """True while some view reported it is seen within the last VIEW_TIMEOUT seconds."""
        now = self._now()
        return any(now - seen <= VIEW_TIMEOUT for seen in self._seen.values())

    def close(self) -> None:
        if "_task" in self.__dict__ and self._task is not None:
            self._task.cancel()
            self._task = None
        super().close()

    # -- reading ---------------------------------------------------------------------------------------
    def _read(self) -> dict[str, Any] | BaseException:
        try:
            return self._live.snapshot()
        except Exception as exc:  # shown in the view; the last good numbers stay
            return exc
        finally:
            self.reads += 1

    def _show(self, result: dict[str, Any] | BaseException) -> None:
        if self.comm is None:
            return
        with self.hold_sync():
            if isinstance(result, BaseException):
                self._error = Words(
                    "Could not read {source}: {error}",
                    source=str(self.source),
                    error=": ".join((type(result).__name__, str(result))),
                )
            else:
                self._error = ""
            self.error = say(self._error, translations(self.messages.get("", {}).get("lang")))
            if not isinstance(result, BaseException):
                self.snapshot = result
        if not isinstance(result, BaseException):
            self._warn_skipped(result)

    def _warn_skipped(self, snapshot: Mapping[str, Any]) -> None:
        # Once per file and reason, not once per refresh: a view re-reads every few seconds.
        for entry in snapshot.get("skipped_files", []):
            key = (str(entry.get("file")), str(entry.get("why")))
            if key not in self._warned:
                self._warned.add(key)
                warnings.warn(f"class view: skipped {key[0]}: {key[1]}", UserWarning, stacklevel=3)

    async def _read_in_thread(self) -> None:
        loop = asyncio.get_running_loop()
        self._show(await loop.run_in_executor(None, self._read))

    def _ensure_refreshing(self) -> None:
        if self._task is not None and not self._task.done():
            return
        # Every `refresh` seconds while some view is seen; the next "visible" report starts a new loop.
        self._task = repeat_while(
            self,
            ClassView._read_in_thread,
            every=lambda widget: widget.refresh,
            alive=lambda widget: widget.comm is not None and widget.on_screen,
            name="quiz_widgets-class-view",
        )

    # -- the page --------------------------------------------------------------------------------------
    def _repr_mimebundle_(self, **kwargs: Any) -> Any:
        # Beside the widget view: what a static page (nbconvert, Jupyter Book) shows in its place.
        # In the language of lang= (a static page has no view to tell the page's); English without.
        words = translations(self._lang)
        _ = words.gettext
        snap = self.snapshot or {}
        learners, quizzes = snap.get("learners", 0), len(snap.get("quizzes", []))
        facts = [
            words.ngettext("{n} learner", "{n} learners", learners).format(n=learners)
            + ", "
            + words.ngettext(
                "{n} quiz when the notebook ran", "{n} quizzes when the notebook ran", quizzes
            ).format(n=quizzes)
        ]
        note = _("This view runs in Jupyter: open this notebook in Jupyter to see the class's live counts.")
        bundle = super()._repr_mimebundle_(**kwargs)
        return with_static_text(bundle, static_text(_("Class view"), "", facts, note))

    def _on_page_message(self, _widget: Any, content: Any, _buffers: Any) -> None:
        error = ""
        try:
            kind = self._handle(content)
        except ValueError as exc:
            error, kind = str(exc), None
        answer = reply(content, error)
        if kind == "refresh" and error == "":
            # Reply after the read is on screen, as every reply follows the state it changed.
            with contextlib.suppress(RuntimeError):
                asyncio.get_running_loop().create_task(self._refresh_then_reply(answer))
                return
            self._show(self._read())
        if answer is not None:
            self.send(answer)

    async def _refresh_then_reply(self, answer: dict[str, Any] | None) -> None:
        try:
            await self._read_in_thread()
        finally:
            if answer is not None and self.comm is not None:
                self.send(answer)

    def _handle(self, content: object) -> str:
        if not isinstance(content, Mapping):
            raise ValueError(f"class view message: found {shown(content)}; expected an object")
        check_request_id(content)
        kind = content.get("type")
        if kind not in MESSAGE_TYPES:
            raise ValueError(
                f"class view message: type {shown(kind)}; expected one of {', '.join(MESSAGE_TYPES)}"
            )
        if kind == "refresh":
            return kind
        if kind == "page_lang":
            if self._lang is None:
                self.messages = view_messages(page_language(content))
                self.error = say(self._error, translations(self.messages.get("", {}).get("lang")))
            return kind
        view = content.get("view", "page")
        if not isinstance(view, str) or not _VIEW_RE.fullmatch(view):
            raise ValueError(f"class view message: 'view' is {shown(view)}; expected a short id")
        if kind == "closing":
            self._seen.pop(view, None)
            return kind
        visible = content.get("visible")
        if not isinstance(visible, bool):
            raise ValueError(f"class view message: 'visible' is {shown(visible)}; expected true or false")
        if visible:
            was_seen = self.on_screen
            self._seen[view] = self._now()
            if not was_seen:
                # Back on screen after a while: the numbers may be old, read now rather than a period later.
                with contextlib.suppress(RuntimeError):
                    asyncio.get_running_loop().create_task(self._read_in_thread())
            self._ensure_refreshing()
        else:
            self._seen.pop(view, None)
        return kind
