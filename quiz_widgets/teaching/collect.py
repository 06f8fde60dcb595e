"""Collecting completed attempts into a class store: a local outbox first, then a folder or an fsspec URL.

The flow for one attempt (``Collector.submit``):

1. the record (the results layout plus ``"learner"``) is written atomically to the learner's own disk,
   ``<base_dir>/data/outbox/<destination id>/<name>.json``: from here on it cannot be lost;
2. a delivery pass sends every waiting item to ``<collect_to>/<learner>/<name>.json``: one object PUT for
   an object store (atomic there), a dot-named temp file + rename for a folder (names starting with "."
   are never attempts);
3. an item leaves the outbox only after the store confirmed the write. A crash between the store's answer
   and the unlink re-sends the same bytes to the same key later, which changes nothing: the name is fixed
   when the attempt is queued, so an attempt can never appear twice in the store.

Each item goes to the folder of the learner its record names, not to the sending quiz's learner: one
base_dir may hold quizzes of several learners (a shared lab machine, a teacher trying the quiz as two
learners), and whichever quiz flushes next sends them all. An item whose record names no valid learner
is set aside as ``.undeliverable-<name>.json`` (kept, never sent) with a warning.

Delivery runs in one daemon worker thread per Collector. The caller is a kernel handling a click: it must
not wait for a store that may take seconds (or forever) to answer. A daemon thread never blocks kernel
shutdown, and losing it at shutdown loses nothing, because the outbox already holds the item on disk and
the next save or quiz start (in any kernel of that learner) sends it. ``background=False`` delivers in
the caller instead (the CLI, tests). Timeouts are short and retries few, so one pass ends in seconds even
when the store hangs.

Two kernels of one learner share the outbox: a file lock lets one delivery pass run at a time, and the
pass lists the outbox again until it is empty or the store fails, so items queued meanwhile are not left.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import hashlib
import os
import secrets
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from quiz_widgets.errors import SessionError, shown
from quiz_widgets.i18n import Words
from quiz_widgets.store.atomic import atomic_write_json, dumps_json, parse_json_bytes
from quiz_widgets.teaching.learner import check_learner, resolve_learner

__all__ = [
    "COLLECT_ENV",
    "DELIVERED",
    "Collector",
    "attempt_name",
    "collected_record",
    "default_collect_to",
]

COLLECT_ENV = "QUIZ_WIDGETS_COLLECT"
DELIVERED = "delivered"
SENDING = "sending"
OUTBOX_DIR = Path("data") / "outbox"
_LOCK_NAME = ".delivery.lock"
_MAX_NAME = 200


def default_collect_to() -> str | None:
    """The class store a hub administrator configured (``QUIZ_WIDGETS_COLLECT``), or None."""
    value = os.environ.get(COLLECT_ENV, "").strip()
    return value or None


def attempt_name(stem: str | None = None, *, now: _dt.datetime | None = None) -> str:
    """A collection name no other attempt or kernel will pick: ``<stem>-<6 random hex digits>``.

    *stem* is the results file's stem (``quiz_results_YYYYMMDD_HHMMSS_ffffff``); without one it is made
    from the current time with microseconds. The random part covers two kernels finishing in the same
    microsecond (or clocks that do not tick that finely).
    """
    if stem is None:
        stem = (now or _dt.datetime.now()).strftime("quiz_results_%Y%m%d_%H%M%S_%f")
    return f"{stem}-{secrets.token_hex(3)}"


def check_name(name: object) -> str:
    """*name* if it can be an attempt's file name (without ``.json``), else a SessionError."""
    if not isinstance(name, str) or not name:
        raise SessionError(f"collection name: found {shown(name)}; expected a non-empty string")
    if len(name) > _MAX_NAME:
        raise SessionError(f"collection name: {len(name)} characters; expected at most {_MAX_NAME}")
    # The same rules as a learner's name: one path component, never hidden (hidden names are temp files).
    check_learner(name, where="collection name")
    return name[:-5] if name.endswith(".json") else name


def collected_record(results: Mapping[str, Any], learner: str) -> dict[str, Any]:
    """The record collected for one attempt: the results dict plus a top-level ``"learner"``."""
    if not isinstance(results, Mapping):
        raise SessionError(f"collected record: found {shown(results)}; expected a results dict")
    owner = results.get("learner")
    if owner is not None and owner != learner:
        raise SessionError(
            f"collected record: field 'learner' is {shown(owner)}; expected {learner!r} "
            "(a learner only sends their own attempts)"
        )
    record = {k: v for k, v in results.items() if k != "_filepath"}
    record["learner"] = learner
    return record


def _destination_id(collect_to: str) -> str:
    # One outbox folder per destination: items queued for last term's bucket never go to this term's.
    return hashlib.sha256(collect_to.encode("utf-8")).hexdigest()[:16]


def describe_failure(err: BaseException, timeout: float) -> str:
    """Why a delivery failed, in words a learner can act on (shown after "queued: ")."""
    names = {cls.__name__ for cls in type(err).__mro__}
    if isinstance(err, ImportError):
        return Words("a package this store needs is not installed ({error})", error=str(err))
    if isinstance(err, PermissionError) or "NoCredentialsError" in names:
        return Words("the store refused access (check the credentials and the store's permissions)")
    if isinstance(err, FileNotFoundError):
        return Words("the store's folder or bucket does not exist")
    if isinstance(err, TimeoutError) or any("Timeout" in n for n in names):
        return Words("the store did not answer within {seconds} s", seconds=format(timeout, "g"))
    if isinstance(err, ConnectionError) or any("Connect" in n or "Connection" in n for n in names):
        return Words("cannot reach the store")
    text = str(err) or type(err).__name__
    if len(text) > 120:
        text = text[:117] + "..."
    return Words("the store failed ({error})", error=text)


class Collector:
    """Sends a learner's completed attempts to ``collect_to`` through a local outbox.

    ``collect_to``: a folder path or an fsspec URL (``s3://bucket/course``, ``memory://...``); None means
    ``QUIZ_WIDGETS_COLLECT``; if that is unset too the collector is disabled (``enabled`` False, ``submit``
    returns "" and writes nothing). ``storage_options`` go to fsspec (endpoint, keys...). ``timeout``
    bounds each network wait. ``on_status(status)`` is called (from the worker thread) whenever
    ``status`` changes: "delivered", "sending" or "queued: <why>".
    """

    def __init__(
        self,
        collect_to: str | os.PathLike[str] | None = None,
        *,
        learner: str | None = None,
        base_dir: str | os.PathLike[str] = ".",
        storage_options: Mapping[str, Any] | None = None,
        timeout: float = 5.0,
        background: bool = True,
        on_status: Callable[[str], None] | None = None,
    ) -> None:
        target = os.fspath(collect_to) if collect_to is not None else default_collect_to()
        self.collect_to: str | None = target or None
        self.learner = resolve_learner(learner)
        self.storage_options = dict(storage_options or {})
        self.timeout = float(timeout)
        self.background = background
        self.on_status = on_status
        self.base_dir = Path(base_dir)
        self.outbox = self.base_dir / OUTBOX_DIR / _destination_id(self.collect_to or "")
        self._status = ""
        self.why: str | None = None
        self._fs: Any = None
        self._root = ""
        self._local = False
        self._lock = threading.Lock()
        self._wanted = threading.Event()
        self._idle = threading.Condition()
        self._busy = False
        self._worker: threading.Thread | None = None
        self._closed = False
        if self.collect_to is not None:
            self._check_protocol()

    # -- public ------------------------------------------------------------------------------------

    @property
    def enabled(self) -> bool:
        return self.collect_to is not None

    @property
    def status(self) -> str:
        """ "delivered", "sending", "queued: <why>", or "" before anything was submitted."""
        return self._status

    def pending(self) -> list[str]:
        """Names of the attempts waiting in this destination's outbox, oldest name first."""
        try:
            entries = os.listdir(self.outbox)
        except FileNotFoundError:
            return []
        return sorted(n[:-5] for n in entries if n.endswith(".json") and not n.startswith("."))

    def destination(self, name: str) -> str:
        """Where attempt *name* goes: ``<collect_to>/<learner>/<name>.json``."""
        if self.collect_to is None:
            raise SessionError("collect_to: not set (no collect_to= and no QUIZ_WIDGETS_COLLECT)")
        return f"{self.collect_to.rstrip('/')}/{self.learner}/{check_name(name)}.json"

    def submit(self, results: Mapping[str, Any], name: str | None = None) -> str:
        """Queue one completed attempt (its results dict) and start delivering it; returns ``status``.

        The record is on the learner's disk when this returns; a bad record or name raises SessionError
        and writes nothing. Disabled collectors return "" and do nothing.
        """
        if not self.enabled:
            return ""
        name = check_name(name) if name is not None else attempt_name()
        record = collected_record(results, self.learner)
        dumps_json(record)  # unserializable records fail here, before any file exists
        self.outbox.mkdir(parents=True, exist_ok=True)
        atomic_write_json(self.outbox / f"{name}.json", record)
        return self.flush()

    def flush(self) -> str:
        """Send whatever waits in the outbox: in the worker (returns at once) or here (background=False)."""
        if not self.enabled:
            return ""
        if not self.pending():
            if not self._status:
                return self._status
            self._set_status(DELIVERED)
            return self._status
        if not self.background:
            self._deliver_all(lock_wait=0.0)
            return self._status
        self._set_status(SENDING)
        with self._idle:  # busy and wanted change together, so wait() never sees a gap between passes
            self._busy = True
            self._wanted.set()
        self._ensure_worker()
        return self._status

    def wait(self, timeout: float | None = None) -> bool:
        """Block until no delivery pass is running or wanted; False if *timeout* passed first."""
        with self._idle:
            return self._idle.wait_for(lambda: not self._busy, timeout)

    def close(self) -> None:
        """Stop the worker after its current pass (queued items stay in the outbox)."""
        self._closed = True
        self._wanted.set()

    # -- the store ---------------------------------------------------------------------------------

    def _check_protocol(self) -> None:
        import fsspec.core

        assert self.collect_to is not None
        protocol, _ = fsspec.core.split_protocol(self.collect_to)
        if protocol in (None, "file", "local"):
            return
        try:
            fsspec.get_filesystem_class(protocol)
        except ImportError:
            pass  # said as the queued reason at delivery: the quiz still runs, the outbox keeps the items
        except ValueError as err:
            raise SessionError(
                f"collect_to: {self.collect_to!r} uses the unknown protocol {protocol!r}; "
                "expected a folder or a URL fsspec knows (s3://, gs://, memory://, ...)"
            ) from err

    def _filesystem(self) -> tuple[Any, str]:
        if self._fs is None:
            import fsspec.core

            assert self.collect_to is not None
            options = dict(self.storage_options)
            protocol, _ = fsspec.core.split_protocol(self.collect_to)
            if protocol in ("s3", "s3a"):
                # botocore's defaults wait 60 s per read and retry 4 times: a hanging store would keep one
                # attempt "sending" for minutes. The user's own settings win.
                config = dict(options.get("config_kwargs") or {})
                config.setdefault("connect_timeout", self.timeout)
                config.setdefault("read_timeout", self.timeout)
                config.setdefault("retries", {"total_max_attempts": 1})
                options["config_kwargs"] = config
            # Our own instance: the timeouts set here must not leak into the user's cached filesystems.
            fs, root = fsspec.core.url_to_fs(self.collect_to, skip_instance_cache=True, **options)
            if protocol in ("s3", "s3a"):
                fs.retries = 2  # s3fs's own retry loop on top of botocore's
                # Building the client loads botocore's service models (about a second of CPU, more with
                # several kernels busy): done here, so the bounded PUT below measures only the store.
                fs.connect()
            self._local = "file" in (fs.protocol if isinstance(fs.protocol, tuple) else (fs.protocol,))
            self._fs, self._root = fs, root.rstrip("/")
        return self._fs, self._root

    def _put(self, learner: str, name: str, payload: bytes) -> None:
        fs, root = self._filesystem()
        if self._local:
            self._put_local(Path(root), learner, name, payload)
        else:
            key = f"{root}/{learner}/{name}.json"
            if getattr(fs, "async_impl", False):
                # fsspec's sync() bounds the whole call, retries included: a store that trickles bytes
                # slower than the read timeout could otherwise hold the pass for minutes.
                fs.pipe_file(key, payload, timeout=3 * self.timeout)
            else:
                fs.pipe_file(key, payload)

    def _put_local(self, root: Path, learner: str, name: str, payload: bytes) -> None:
        # The shared folder itself must exist: creating it would "deliver" into a local folder where a
        # network mount is missing. Only the learner's own folder is created.
        if not root.is_dir():
            raise FileNotFoundError(f"the collection folder {root} does not exist")
        folder = root / learner
        folder.mkdir(exist_ok=True)
        target = folder / f"{name}.json"
        tmp = folder / f".{name}.{secrets.token_hex(4)}.tmp"
        try:
            with open(tmp, "xb") as fh:
                fh.write(payload)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, target)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)

    # -- delivery ----------------------------------------------------------------------------------

    def _set_status(self, status: str, why: str | None = None) -> None:
        # why: a queued status's reason as Words, which the learner's view says in their language.
        self.why = why
        if status == self._status:
            return
        self._status = status
        if self.on_status is not None:
            try:
                self.on_status(status)
            except Exception as err:  # the view's callback failing must not stop delivery
                import warnings

                warnings.warn(f"collect: status callback failed: {err!r}", RuntimeWarning, stacklevel=2)

    def _ensure_worker(self) -> None:
        with self._lock:
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(
                    target=self._run, name=f"quiz-widgets-collect-{self.learner}", daemon=True
                )
                self._worker.start()

    def _run(self) -> None:
        while not self._closed:
            self._wanted.wait()
            self._wanted.clear()
            if self._closed:
                break
            try:
                self._deliver_all(lock_wait=self.timeout)
            except Exception as err:  # never let the thread die silently: say it and keep the items
                why = describe_failure(err, self.timeout)
                self._set_status(f"queued: {why}", why)
            finally:
                with self._idle:
                    if not self._wanted.is_set():
                        self._busy = False
                        self._idle.notify_all()
        with self._idle:
            self._busy = False
            self._idle.notify_all()

    def _deliver_all(self, lock_wait: float) -> None:
        import filelock

        self.outbox.mkdir(parents=True, exist_ok=True)
        lock = filelock.FileLock(str(self.outbox / _LOCK_NAME))
        try:
            lock.acquire(timeout=lock_wait)
        except filelock.Timeout:
            if self.pending():
                why = Words("another kernel of this learner is sending")
                self._set_status(f"queued: {why}", why)
            else:
                self._set_status(DELIVERED)
            return
        try:
            while True:
                names = self.pending()
                if not names:
                    self._set_status(DELIVERED)
                    return
                for name in names:
                    path = self.outbox / f"{name}.json"
                    try:
                        payload = path.read_bytes()
                    except FileNotFoundError:
                        continue  # another pass (before the lock was ours) sent it
                    owner = _owner(payload, path)
                    if isinstance(owner, SessionError):
                        _set_aside(path, owner)
                        continue
                    try:
                        self._put(owner, name, payload)
                    except Exception as err:
                        # One failure says the store is down, slow or refusing: stop the pass instead of
                        # paying a timeout per waiting item.
                        waiting = len(self.pending())
                        reason = describe_failure(err, self.timeout)
                        if waiting > 1:
                            reason = Words("{reason} ({n} waiting)", reason=reason, n=waiting)
                        self._set_status(f"queued: {reason}", reason)
                        return
                    _sent(path, payload)
        finally:
            lock.release()


def _sent(path: Path, payload: bytes) -> None:
    """Take a sent item out of the outbox, unless a newer version replaced it meanwhile (a progress record
    is rewritten at each answer under the same name): that one stays, and the pass sends it next."""
    try:
        if path.read_bytes() != payload:
            return
        path.unlink()
    except FileNotFoundError:
        pass


def _owner(payload: bytes, path: Path) -> str | SessionError:
    """The learner an outbox item belongs to: the ``learner`` its record names (collected_record put it)."""
    try:
        record = parse_json_bytes(payload, f"outbox item {path}")
        return check_learner(record.get("learner"), where=f"outbox item {path}: field 'learner'")
    except SessionError as err:
        return err
    except ValueError as err:
        return SessionError(str(err))


def _set_aside(path: Path, why: SessionError) -> None:
    import warnings

    aside = path.with_name(f".undeliverable-{path.name}")
    with contextlib.suppress(FileNotFoundError):
        os.replace(path, aside)
    warnings.warn(f"collect: {why}; kept as {aside}, not sent", RuntimeWarning, stacklevel=2)
