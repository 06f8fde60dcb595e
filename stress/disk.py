"""Section 2, disk faults: a full disk, a read-only folder, a folder without permission, the sessions
folder deleted. Real faults where this process can make them (root: tmpfs mounts, bind remounts, seteuid),
simulated otherwise (the table says which). The widget must warn, keep its answers, and save them all once
the fault is gone."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import subprocess
import tempfile
import textwrap
import warnings
from collections.abc import Callable
from pathlib import Path

from stress.common import PYTHON, Report, any_answer, make_exam

SECTION = "2 disk faults"


def _mount(*args: str) -> bool:
    return subprocess.run(["mount", *args], capture_output=True).returncode == 0


def _umount(path: Path) -> None:
    for _ in range(3):
        if subprocess.run(["umount", str(path)], capture_output=True).returncode == 0:
            return
        subprocess.run(["umount", "-l", str(path)], capture_output=True)


@contextlib.contextmanager
def _simulated(exc: OSError):
    """Make every session write fail with *exc* (the temp file step, as a real fault would)."""
    import importlib

    # The temp-file step lives in quiz_widgets.store.atomic (older trees: quiz_widgets.store.manager).
    mods = []
    for name in ("quiz_widgets.store.atomic", "quiz_widgets.store.manager"):
        try:
            mod = importlib.import_module(name)
        except ImportError:
            continue
        if hasattr(mod, "_write_temp"):
            mods.append((mod, mod._write_temp))

    def failing(*_a, **_k):
        raise exc

    for mod, _real in mods:
        mod._write_temp = failing
    try:
        yield
    finally:
        for mod, real in mods:
            mod._write_temp = real


def _answer(widget, k: int) -> None:
    widget.answer(any_answer(widget.state.current_question, k))
    widget.next()


def _scenario(
    base: Path, inject: Callable[[object], None], remove: Callable[[], None], expect_warning: bool = True
) -> dict:
    from quiz_widgets import QuizWidget

    result = {"warned": False, "kept": False, "saved_after": False, "warning": "", "problem": ""}
    widget = QuizWidget(make_exam(20), base_dir=base, autosave_interval=0)
    injected = False
    try:
        _answer(widget, 0)
        _answer(widget, 1)
        inject(widget)
        injected = True
        for k in range(2, 5):
            _answer(widget, k)
        result["warning"] = widget.warning
        result["warned"] = bool(widget.warning) if expect_warning else True
        result["kept"] = widget.total_answered == 5 and len(widget.state.answers) == 5
        explicit_raised = False
        if expect_warning:
            try:
                widget.save()
            except OSError:
                explicit_raised = True
            result["warned"] = result["warned"] and explicit_raised
        remove()
        injected = False
        path = widget.save()
        data = json.loads(Path(path).read_text())
        on_disk = data["quiz_mode"]["total_answered"]
        result["saved_after"] = (
            on_disk == 5 and len(data["quiz_widgets"]["answers"]) == 5 and not widget.warning
        )
        if not result["saved_after"]:
            result["problem"] = f"{on_disk} answers on disk, warning {widget.warning!r}"
        _answer(widget, 5)  # and the quiz goes on normally
        data = json.loads(Path(widget.session_path).read_text())
        result["saved_after"] = result["saved_after"] and data["quiz_mode"]["total_answered"] == 6
    except Exception as exc:
        result["problem"] = f"{type(exc).__name__}: {exc}"
    finally:
        if injected:
            with contextlib.suppress(Exception):
                remove()
        with contextlib.suppress(Exception):
            widget.close()
    return result


def _full_disk(root: Path) -> tuple[dict, str]:
    mnt = root / "full"
    mnt.mkdir()
    if not _mount("-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mnt)):
        exc = OSError(errno.ENOSPC, "No space left on device")
        stack = contextlib.ExitStack()
        res = _scenario(root / "full-sim", lambda w: stack.enter_context(_simulated(exc)), stack.close)
        return res, "simulated ENOSPC"
    try:
        filler = mnt / "filler.bin"

        def fill(_w) -> None:
            fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o644)
            try:
                with contextlib.suppress(OSError):
                    while True:
                        os.write(fd, b"\0" * 1024)
            finally:
                os.close(fd)

        return _scenario(mnt, fill, lambda: filler.unlink()), "real (64 kB tmpfs filled)"
    finally:
        _umount(mnt)


def _read_only(root: Path) -> tuple[dict, str]:
    base = root / "ro"
    sessions = base / "data" / "sessions"
    mounted = []

    def inject(_w) -> None:
        # A read-only bind mount over the sessions folder: root cannot write there either.
        if _mount("--bind", str(sessions), str(sessions)):
            mounted.append(sessions)
            if _mount("-o", "remount,bind,ro", str(sessions)):
                return
        raise RuntimeError("no bind mount")

    def remove() -> None:
        while mounted:
            _umount(mounted.pop())

    # Probe once: can this process bind-mount?
    probe = root / "probe"
    probe.mkdir()
    can = _mount("--bind", str(probe), str(probe))
    if can:
        _umount(probe)
        try:
            return _scenario(base, inject, remove), "real (read-only bind mount)"
        finally:
            remove()
    exc = OSError(errno.EROFS, "Read-only file system")
    stack = contextlib.ExitStack()
    return _scenario(
        root / "ro-sim", lambda w: stack.enter_context(_simulated(exc)), stack.close
    ), "simulated EROFS"


def _no_permission(root: Path) -> tuple[dict, str]:
    base = root / "perm"
    sessions = base / "data" / "sessions"
    if os.geteuid() != 0:
        # Not root: chmod alone makes the fault real.
        return _scenario(base, lambda w: sessions.chmod(0o500), lambda: sessions.chmod(0o755)), "real (chmod)"
    # Root ignores permissions: write as "nobody" (seteuid) while the folder is 0o555, then come back.
    state = {"euid": False}

    def inject(_w) -> None:
        sessions.chmod(0o555)
        os.seteuid(65534)
        state["euid"] = True

    def remove() -> None:
        if state["euid"]:
            os.seteuid(0)
            state["euid"] = False
        sessions.chmod(0o755)

    root.chmod(0o755)
    res = _scenario(base, inject, remove)
    if state["euid"]:
        os.seteuid(0)
    return res, "real (root drops to nobody, folder 0o555)"


def _deleted(root: Path, whole_base: bool) -> tuple[dict, str]:
    base = root / ("gone-base" if whole_base else "gone")

    def inject(_w) -> None:
        shutil.rmtree(base if whole_base else base / "data" / "sessions")

    res = _scenario(base, inject, lambda: None, expect_warning=False)
    return res, "real (rmtree " + ("base folder" if whole_base else "sessions folder") + ")"


def _lock_after_delete(root: Path) -> tuple[bool, str]:
    """After the sessions folder is deleted and the quiz saves again, is a second process still kept out?"""
    from quiz_widgets import QuizWidget

    base = root / "lockgone"
    widget = QuizWidget(make_exam(10), base_dir=base, autosave_interval=0)
    try:
        _answer(widget, 0)
        shutil.rmtree(base / "data" / "sessions")
        _answer(widget, 1)  # recreates the folder and the file
        code = textwrap.dedent(
            f"""
            from quiz_widgets.store.manager import SessionLock
            print(SessionLock({str(widget.session_path)!r}).acquire())
            """
        )
        out = subprocess.run([PYTHON, "-c", code], capture_output=True, text=True, timeout=60)
        second_got_lock = out.stdout.strip() == "True"
        return (not second_got_lock), ("second process got the lock" if second_got_lock else "")
    finally:
        widget.close()


def run(short: bool, report: Report) -> None:
    root = Path(tempfile.mkdtemp(prefix="stress-disk-"))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cases = [
                ("full disk (ENOSPC)", _full_disk(root)),
                ("read-only folder (EROFS)", _read_only(root)),
                ("folder without permission (EACCES)", _no_permission(root)),
                ("sessions folder deleted", _deleted(root, False)),
                ("whole base folder deleted", _deleted(root, True)),
            ]
        for name, (res, how) in cases:
            ok = res["warned"] and res["kept"] and res["saved_after"]
            value = (
                f"{how}: warned={'yes' if res['warning'] else 'no (save recreated it)'}, "
                f"kept={res['kept']}, saved after={res['saved_after']}"
            )
            report.goal(SECTION, name, value, "warn, keep, save all", ok)
            if res["problem"]:
                print("    problem:", res["problem"], flush=True)
            if res["warning"]:
                print(f"    warning shown: {res['warning'][:160]}", flush=True)
        held, problem = _lock_after_delete(root)
        report.goal(
            SECTION,
            "session lock still excludes a 2nd process after the folder was deleted",
            "yes" if held else f"no: {problem}",
            "yes",
            held,
        )
    finally:
        shutil.rmtree(root, ignore_errors=True)
