"""Real ipykernel processes for tests (jupyter_client), and the ways a kernel can end.

The kernel runs this venv's python (``sys.executable``) with the caller's environment, so the
editable install of quiz_widgets is what the kernel imports. Its cwd is a temporary folder.

    km, kc = start_kernel(tmp_path)
    stdout, data, error = execute(kc, "print(1); 2")   # ("1\n", {"text/plain": "2"}, None)
    shutdown_graceful(km, kc)                             # or restart / sigterm / sigkill / interrupt

Most tests use the ``kernel`` / ``kernel_factory`` fixtures (tests/conftest.py), which return a
:class:`RunningKernel` wrapping these helpers and clean up whatever is left.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import queue
import re
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jupyter_client import BlockingKernelClient, KernelManager
from jupyter_client.kernelspec import KernelSpecManager

KERNEL_NAME = "quiz-widgets-test"
_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def strip_ansi(text: str) -> str:
    return _ANSI.sub("", text)


# --------------------------------------------------------------------------------------------------
# results


@dataclass
class ExecResult:
    """What one execute request produced. Unpacks as ``stdout, data, error``."""

    stdout: str = ""
    data: dict | None = None  # mime bundle of the execute_result (the cell's value), None if none
    error: dict | None = None  # {"ename", "evalue", "traceback"} (ANSI stripped), None if fine
    stderr: str = ""
    displays: list[dict] = field(default_factory=list)  # display_data / update_display_data contents
    reply: dict | None = None  # shell execute_reply content
    messages: list[dict] = field(default_factory=list)  # every iopub message of the request

    def __iter__(self):
        return iter((self.stdout, self.data, self.error))

    @property
    def text(self) -> str | None:
        """text/plain of the cell's value (None if the cell had no value)."""
        return None if self.data is None else self.data.get("text/plain")


class KernelTimeout(AssertionError):
    pass


# --------------------------------------------------------------------------------------------------
# start


_SCRATCH: Path | None = None


def _scratch_dir() -> Path:
    global _SCRATCH
    if _SCRATCH is None:
        _SCRATCH = Path(tempfile.mkdtemp(prefix="quiz-widgets-kernels-"))
        # Kernelspecs, kernel logs and sockets: of no use once the tests' process ends (each run made one).
        atexit.register(shutil.rmtree, _SCRATCH, ignore_errors=True)
    return _SCRATCH


def _write_kernelspec(kernels_dir: Path, python: str) -> None:
    spec_dir = kernels_dir / KERNEL_NAME
    spec_dir.mkdir(parents=True, exist_ok=True)
    spec = {
        # No IPython history database: concurrent test kernels must not share one sqlite file.
        "argv": [
            python,
            "-m",
            "ipykernel_launcher",
            "-f",
            "{connection_file}",
            "--HistoryManager.enabled=False",
        ],
        "display_name": "quiz_widgets test kernel",
        "language": "python",
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec))


def start_kernel(
    cwd: str | os.PathLike,
    *,
    env: dict[str, str] | None = None,
    extra_env: dict[str, str] | None = None,
    python: str | None = None,
    startup_timeout: float = 60,
    log_path: str | os.PathLike | None = None,
) -> tuple[KernelManager, BlockingKernelClient]:
    """Start a kernel with cwd ``cwd``; returns (manager, ready client with channels started).

    ``env`` defaults to a copy of os.environ (PYTHONPATH unchanged); ``extra_env`` is added on top.
    The kernel's own stdout/stderr (not cell output) go to ``log_path`` (default: a temp file);
    read them with :func:`kernel_log`.
    """
    cwd = Path(cwd)
    cwd.mkdir(parents=True, exist_ok=True)
    # The kernelspec and the log live outside cwd, so cwd holds only what the kernel wrote.
    spec_root = _scratch_dir() / f"kernels-{abs(hash(python or sys.executable))}"
    _write_kernelspec(spec_root, python or sys.executable)
    ksm = KernelSpecManager(kernel_dirs=[str(spec_root)], ensure_native_kernel=False)
    # Unix sockets, not TCP ports: a TCP port picked here can be taken before the kernel binds it (by a
    # kernel or a connection of the tests running beside these), and the kernel dies (lab_utils.start_lab).
    # The socket files go in the scratch folder, so cwd holds only what the kernel wrote.
    ipc = tempfile.mkdtemp(prefix="ipc-", dir=_scratch_dir())
    km = KernelManager(
        kernel_name=KERNEL_NAME, kernel_spec_manager=ksm, transport="ipc", ip=os.path.join(ipc, "k")
    )

    kernel_env = dict(os.environ if env is None else env)
    kernel_env.update(extra_env or {})
    kernel_env.pop("JPY_PARENT_PID", None)
    if log_path is None:
        fd, name = tempfile.mkstemp(prefix="kernel-", suffix=".log", dir=_scratch_dir())
        os.close(fd)
        log_path = name
    log_path = Path(log_path)
    log = open(log_path, "ab")  # noqa: SIM115 - inherited by the kernel process, closed in shutdown
    km._qw_log = log  # type: ignore[attr-defined]
    km._qw_log_path = log_path  # type: ignore[attr-defined]
    km.start_kernel(cwd=str(cwd), env=kernel_env, stdout=log, stderr=log)
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=startup_timeout)
    except RuntimeError as exc:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
        raise AssertionError(f"kernel did not start: {exc}\n--- kernel log ---\n{kernel_log(km)}") from exc
    return km, kc


def kernel_log(km: KernelManager) -> str:
    """The kernel process's own stdout/stderr so far (not cell output)."""
    path = getattr(km, "_qw_log_path", None)
    if path is None or not Path(path).exists():
        return ""
    return Path(path).read_text(errors="replace")


def kernel_pid(km: KernelManager) -> int:
    prov = km.provisioner
    pid = getattr(prov, "pid", None) or getattr(getattr(prov, "process", None), "pid", None)
    if pid is None:
        raise AssertionError("kernel has no process")
    return int(pid)


# --------------------------------------------------------------------------------------------------
# execute


def execute_async(kc: BlockingKernelClient, code: str, **kw: Any) -> str:
    """Send an execute request without waiting; returns its msg_id (collect it with :func:`collect`)."""
    return kc.execute(code, allow_stdin=False, **kw)


def collect(
    kc: BlockingKernelClient,
    msg_id: str,
    *,
    timeout: float = 30,
    code: str = "",
    allow_error: bool = False,
) -> ExecResult:
    """Collect iopub output of request ``msg_id`` until the kernel is idle again, then its reply.

    Raises AssertionError with the (ANSI-stripped) traceback if the cell raised and not ``allow_error``;
    :class:`KernelTimeout` (an AssertionError) with what was seen so far after ``timeout`` seconds.
    """
    res = ExecResult()
    deadline = time.monotonic() + timeout
    idle = False
    while not idle:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise KernelTimeout(
                f"kernel did not finish within {timeout}s running:\n{code}\n"
                f"--- stdout so far ---\n{res.stdout}\n--- stderr so far ---\n{res.stderr}"
            )
        try:
            msg = kc.get_iopub_msg(timeout=min(remaining, 1.0))
        except queue.Empty:
            continue
        if msg.get("parent_header", {}).get("msg_id") != msg_id:
            continue
        res.messages.append(msg)
        mtype, content = msg["msg_type"], msg["content"]
        if mtype == "stream":
            if content.get("name") == "stderr":
                res.stderr += content.get("text", "")
            else:
                res.stdout += content.get("text", "")
        elif mtype == "execute_result":
            res.data = content.get("data", {})
        elif mtype in ("display_data", "update_display_data"):
            res.displays.append(content)
        elif mtype == "error":
            res.error = {
                "ename": content.get("ename"),
                "evalue": content.get("evalue"),
                "traceback": [strip_ansi(line) for line in content.get("traceback", [])],
            }
        elif mtype == "status" and content.get("execution_state") == "idle":
            idle = True

    # The reply follows (or preceded) the idle status; other requests' replies are skipped.
    while True:
        remaining = max(deadline - time.monotonic(), 5.0)
        try:
            reply = kc.get_shell_msg(timeout=remaining)
        except queue.Empty as exc:
            raise KernelTimeout(f"no execute_reply for:\n{code}") from exc
        if reply.get("parent_header", {}).get("msg_id") == msg_id:
            res.reply = reply["content"]
            break

    if res.error is None and res.reply and res.reply.get("status") == "error":
        res.error = {
            "ename": res.reply.get("ename"),
            "evalue": res.reply.get("evalue"),
            "traceback": [strip_ansi(line) for line in res.reply.get("traceback", [])],
        }
    if res.error is not None and not allow_error:
        raise AssertionError(
            "cell raised in the kernel:\n"
            + "\n".join(f"    {line}" for line in code.strip().splitlines())
            + "\n--- traceback ---\n"
            + "\n".join(res.error["traceback"] or [f"{res.error['ename']}: {res.error['evalue']}"])
            + (f"\n--- stdout ---\n{res.stdout}" if res.stdout else "")
            + (f"\n--- stderr ---\n{res.stderr}" if res.stderr else "")
        )
    return res


def execute(
    kc: BlockingKernelClient, code: str, timeout: float = 30, *, allow_error: bool = False
) -> ExecResult:
    """Run ``code``; returns ExecResult, which unpacks as ``(stdout, data, error)``.

    ``data`` is the execute_result mime bundle (``data["text/plain"]``) or None. ``error`` is None
    unless ``allow_error=True`` (otherwise an error raises AssertionError with the traceback).
    """
    return collect(kc, execute_async(kc, code), timeout=timeout, code=code, allow_error=allow_error)


def drain_iopub(kc: BlockingKernelClient) -> list[dict]:
    msgs = []
    while True:
        try:
            msgs.append(kc.get_iopub_msg(timeout=0.05))
        except queue.Empty:
            return msgs


# --------------------------------------------------------------------------------------------------
# the ways a kernel ends


def wait_for_exit(km: KernelManager, timeout: float = 15) -> int | None:
    """Wait until the kernel process has exited; returns its exit code (negative = signal).

    Raises AssertionError if it is still alive after ``timeout`` seconds.
    """
    proc = getattr(km.provisioner, "process", None)
    if proc is None:
        return None
    try:
        return proc.wait(timeout=timeout)
    except Exception as exc:  # subprocess.TimeoutExpired
        raise AssertionError(f"kernel pid {proc.pid} still alive after {timeout}s") from exc


def _finish(km: KernelManager, kc: BlockingKernelClient | None) -> None:
    if kc is not None:
        kc.stop_channels()
    with contextlib.suppress(Exception):
        km.cleanup_resources()
    log = getattr(km, "_qw_log", None)
    if log is not None and not log.closed:
        log.close()


def shutdown_graceful(km: KernelManager, kc: BlockingKernelClient | None = None) -> int | None:
    """``km.shutdown_kernel(now=False)``: what JupyterLab's Shut Down, the REST API and nbclient do.

    jupyter_client sends SIGINT, a shutdown_request, waits ~2.5 s, then SIGTERM, ~2.5 s, SIGKILL.
    atexit runs (if fast). Returns the exit code.
    """
    proc = getattr(km.provisioner, "process", None)
    if kc is not None:
        kc.stop_channels()
    km.shutdown_kernel(now=False)
    code = proc.returncode if proc is not None else None
    _finish(km, None)
    return code


def shutdown_now(km: KernelManager, kc: BlockingKernelClient | None = None) -> None:
    """``km.shutdown_kernel(now=True)``: SIGKILL of the process group (what nbval does)."""
    if kc is not None:
        kc.stop_channels()
    km.shutdown_kernel(now=True)
    _finish(km, None)


def restart(km: KernelManager, kc: BlockingKernelClient, *, now: bool = False, timeout: float = 60) -> None:
    """``km.restart_kernel(now=...)`` (graceful by default, like JupyterLab's Restart), then wait ready.

    The same client keeps working (same ports); stale iopub messages are dropped.
    """
    km.restart_kernel(now=now)
    kc.wait_for_ready(timeout=timeout)
    drain_iopub(kc)


def send_signal(km: KernelManager, signum: int) -> None:
    """Send ``signum`` to the kernel process only (not its process group)."""
    os.kill(kernel_pid(km), signum)


def sigterm(km: KernelManager, kc: BlockingKernelClient | None = None, *, timeout: float = 15) -> int | None:
    """SIGTERM to the kernel pid, wait for the exit; returns the exit code.

    ipykernel leaves SIGTERM at the default (death without atexit) unless our chained handler is installed.
    """
    send_signal(km, signal.SIGTERM)
    code = wait_for_exit(km, timeout)
    _finish(km, kc)
    return code


def sigkill(km: KernelManager, kc: BlockingKernelClient | None = None, *, timeout: float = 15) -> int | None:
    """SIGKILL to the kernel pid (the machine dies): nothing runs. Returns the exit code (-9)."""
    send_signal(km, signal.SIGKILL)
    code = wait_for_exit(km, timeout)
    _finish(km, kc)
    return code


def interrupt(km: KernelManager) -> None:
    """``km.interrupt_kernel()`` (SIGINT): the running cell gets KeyboardInterrupt, the kernel lives."""
    km.interrupt_kernel()


# --------------------------------------------------------------------------------------------------
# convenience wrapper used by the fixtures


@dataclass
class RunningKernel:
    km: KernelManager
    kc: BlockingKernelClient
    cwd: Path
    ended: bool = False

    @property
    def pid(self) -> int:
        return kernel_pid(self.km)

    def execute(self, code: str, timeout: float = 30, *, allow_error: bool = False) -> ExecResult:
        return execute(self.kc, code, timeout, allow_error=allow_error)

    def execute_async(self, code: str) -> str:
        return execute_async(self.kc, code)

    def collect(self, msg_id: str, *, timeout: float = 30, allow_error: bool = False) -> ExecResult:
        return collect(self.kc, msg_id, timeout=timeout, allow_error=allow_error)

    def is_alive(self) -> bool:
        return not self.ended and self.km.is_alive()

    def log(self) -> str:
        return kernel_log(self.km)

    def shutdown(self) -> int | None:
        self.ended = True
        return shutdown_graceful(self.km, self.kc)

    def shutdown_now(self) -> None:
        self.ended = True
        shutdown_now(self.km, self.kc)

    def restart(self, *, now: bool = False) -> None:
        restart(self.km, self.kc, now=now)

    def sigterm(self, timeout: float = 15) -> int | None:
        self.ended = True
        return sigterm(self.km, self.kc, timeout=timeout)

    def sigkill(self, timeout: float = 15) -> int | None:
        self.ended = True
        return sigkill(self.km, self.kc, timeout=timeout)

    def interrupt(self) -> None:
        interrupt(self.km)

    def close(self) -> None:
        """Fixture teardown: kill whatever is still running (fast; not a lifecycle test)."""
        if self.ended:
            return
        self.ended = True
        try:
            shutdown_now(self.km, self.kc)
        except Exception:
            _finish(self.km, self.kc)
