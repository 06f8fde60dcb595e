"""Section 4, fuzzing with hypothesis: session files, exam files and messages from the page.

Each property body catches everything and counts it, so one run reports every crash instead of stopping
at the first; hypothesis only generates.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import traceback
import warnings
from collections import Counter
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from quiz_widgets.kernel.controller import VIEW_TRAITS
from quiz_widgets.quiz.codec import from_session, to_session
from stress.common import Report, any_answer, make_exam

SECTION = "4 fuzzing"

json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=5), st.dictionaries(st.text(max_size=10), inner, max_size=5)
    ),
    max_leaves=20,
)


def _settings(n: int):
    return settings(
        max_examples=n,
        deadline=None,
        database=None,
        derandomize=False,
        phases=(Phase.generate,),
        suppress_health_check=list(HealthCheck),
    )


def _paths(value: Any, prefix=()) -> list[tuple]:
    """Every path to a value inside nested dicts/lists."""
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*prefix, i))
    return out


@st.composite
def mutated(draw, doc: Any) -> Any:
    """*doc* with 1-3 values replaced by random JSON, or keys deleted."""
    doc = json.loads(json.dumps(doc))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(doc)))
        new = draw(json_values)
        if not path:
            doc = new
            continue
        parent = doc
        for key in path[:-1]:
            parent = parent[key]
        if draw(st.booleans()) or not isinstance(parent, dict):
            parent[path[-1]] = new
        else:
            del parent[path[-1]]
    return doc


class Tally:
    def __init__(self) -> None:
        self.cases = 0
        self.crashes: list[str] = []
        self.changes: list[str] = []
        self.unclear: list[str] = []
        self.kinds: Counter[str] = Counter()


def _crash(t: Tally, what: Any, exc: BaseException) -> None:
    t.crashes.append(
        f"{type(exc).__name__}: {exc} <- {what!r:.200}\n" + "".join(traceback.format_exception(exc)[-3:])
    )


# -- session files ---------------------------------------------------------------------------------------
def fuzz_sessions(n: int, root: Path) -> Tally:
    from quiz_widgets import QuizWidget, SessionError, SessionManager
    from quiz_widgets.exam import load_exam

    exam = load_exam(make_exam(10))
    mgr = SessionManager(root / "sess")
    widget = QuizWidget(exam, base_dir=root / "seed", autosave_interval=0)
    for k in range(4):
        widget.answer(any_answer(widget.state.current_question, k))
        widget.next()
    seed_bytes = Path(widget.session_path).read_bytes()
    seed = json.loads(seed_bytes)
    widget.close()
    target = mgr.sessions_dir / "session_20240101_000000.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    t = Tally()

    raw = st.one_of(
        st.binary(max_size=300).map(lambda b: ("binary", b)),
        st.integers(0, len(seed_bytes)).map(lambda i: ("truncated", seed_bytes[:i])),
        json_values.map(lambda v: ("json value", json.dumps(v).encode())),
        mutated(seed).map(lambda d: ("mutated", json.dumps(d).encode())),
        st.tuples(st.integers(0, len(seed_bytes) - 1), st.binary(min_size=1, max_size=8)).map(
            lambda p: ("bytes flipped", seed_bytes[: p[0]] + p[1] + seed_bytes[p[0] + len(p[1]) :])
        ),
    )

    @_settings(n)
    @given(raw)
    def prop(case) -> None:
        kind, payload = case
        t.cases += 1
        t.kinds[kind] += 1
        target.write_bytes(payload)
        try:
            data = mgr.load_session(target)
        except (SessionError, FileNotFoundError) as exc:
            if not str(exc).strip():
                t.unclear.append(f"empty SessionError for {payload[:80]!r}")
            return
        except BaseException as exc:
            _crash(t, payload[:200], exc)
            return
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                state = from_session(data, exam)
            json.dumps(to_session(state), allow_nan=False)  # a resumed state must save again
        except SessionError as exc:
            if not str(exc).strip():
                t.unclear.append(f"empty SessionError for {payload[:80]!r}")
        except BaseException as exc:
            _crash(t, payload[:200], exc)

    prop()
    return t


# -- exam files ------------------------------------------------------------------------------------------
def fuzz_exams(n: int, root: Path) -> Tally:
    import yaml

    from quiz_widgets.errors import ExamError
    from quiz_widgets.exam import load_exam

    seed = make_exam(6)
    t = Tally()
    folder = root / "exams"
    folder.mkdir(parents=True, exist_ok=True)

    cases = st.one_of(
        mutated(seed).map(lambda d: ("mutated dict", d)),
        # A top-level string is a path, not exam data: missing paths raise FileNotFoundError by design.
        json_values.filter(lambda v: not isinstance(v, str)).map(lambda v: ("json value", v)),
        mutated(seed).map(lambda d: ("mutated .json", json.dumps(d))),
        mutated(seed).map(lambda d: ("mutated .yaml", yaml.safe_dump(d))),
        st.text(max_size=300).map(lambda s: ("text .yaml", s)),
        st.binary(max_size=200).map(lambda b: ("bytes .json", b)),
        st.integers(0, 2000).map(lambda i: ("truncated .json", json.dumps(seed)[:i])),
        st.integers(0, 2000).map(lambda i: ("truncated .yaml", yaml.safe_dump(seed)[:i])),
    )

    @_settings(n)
    @given(cases)
    def prop(case) -> None:
        kind, payload = case
        t.cases += 1
        t.kinds[kind] += 1
        source: Any = payload
        if kind.endswith(".json") or kind.endswith(".yaml"):
            source = folder / ("exam" + kind[-5:])
            if isinstance(payload, bytes):
                source.write_bytes(payload)
            else:
                source.write_text(payload, encoding="utf-8", errors="surrogatepass")
        try:
            load_exam(source)
        except ExamError as exc:
            if not str(exc).strip():
                t.unclear.append(f"empty ExamError for {payload!r:.80}")
        except UnicodeEncodeError:
            pass  # our own write of a lone surrogate, not the loader
        except FileNotFoundError as exc:
            if not isinstance(source, str):  # a str source is a path; a missing one may say so
                _crash(t, payload, exc)
        except BaseException as exc:
            _crash(t, payload, exc)

    prop()
    return t


# -- messages from the page ------------------------------------------------------------------------------
# Everything the page sees but the clock and the refusal text (a refusal is meant to change that).
SYNCED = tuple(name for name in VIEW_TRAITS if name not in ("elapsed", "error"))


def _view(widget) -> dict:
    return {name: json.dumps(getattr(widget, name), sort_keys=True, default=str) for name in SYNCED}


def _oracle(widget, content: Any) -> bool:
    """Independent reading of the page protocol (docs/architecture.md): should this message be accepted?"""
    from quiz_widgets.errors import ExamError

    if not isinstance(content, dict):
        return False
    kind = content.get("type")
    ctl = widget._ctl
    request = content.get("request", "absent")  # the page protocol's request id: optional, but well formed
    if not (
        isinstance(request, str)
        and 0 < len(request) <= 80
        and all(c.isascii() and (c.isalnum() or c == "-") for c in request)
    ):
        return False
    state = ctl.state
    if kind in ("next", "previous", "summary", "pause", "unpause", "finish", "submit"):
        return True
    if kind == "review":
        return state.finished
    if kind == "show_answer":
        return (
            state.mode == "study"
            and ctl.phase in ("question", "feedback")
            and state.current_question is not None
            and not state.finished
        )
    total = len(state.order)

    def number_ok(v):
        return isinstance(v, int) and not isinstance(v, bool) and 1 <= v <= total

    if kind == "goto":
        return number_ok(content.get("number")) and ctl.phase != "paused" and not state.finished
    if kind == "flag":
        if not isinstance(content.get("flagged", True), bool):
            return False
        if content.get("number") is not None:
            return number_ok(content["number"])
        return ctl.phase == "feedback" or state.current_question is not None
    view = content.get("view", "page")  # an optional view id: 1-64 letters, digits or dashes
    view_ok = (
        isinstance(view, str)
        and 0 < len(view) <= 64
        and all(c.isascii() and (c.isalnum() or c == "-") for c in view)
    )
    if kind == "closing":
        return view_ok
    if kind == "visibility":
        return view_ok and isinstance(content.get("visible"), bool)
    if kind == "study":
        return ctl.phase in ("finished", "review") and bool(ctl.state.wrong_answers)
    if kind != "answer" or "value" not in content or ctl.phase != "question":
        return False
    q = ctl.state.current_question
    if q is None:
        return False
    value = content["value"]

    def index_ok(v):
        return isinstance(v, int) and not isinstance(v, bool) and 0 <= v < len(q.options)

    if q.kind in ("singleChoice", "trueFalse"):
        return index_ok(value)
    if q.kind == "multiChoice":
        if not (
            isinstance(value, list) and 0 < len(value) <= len(q.options) and all(index_ok(v) for v in value)
        ):
            return False
        return len(set(value)) == len(value)
    if q.kind == "numeric":
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            return False
        if isinstance(value, str) and len(value) > 64:
            return False
    elif not isinstance(value, str) or len(value) > 1000:
        return False
    try:
        q.normalize(value)
    except ExamError:
        return False
    return True


def _readable(text: str) -> bool:
    """A sentence a person can act on: some words, one screenful, no traceback or bare exception repr."""
    return isinstance(text, str) and 10 <= len(text) <= 600 and " " in text and "Traceback" not in text


def fuzz_messages(n: int, root: Path) -> Tally:
    from quiz_widgets import QuizWidget
    from quiz_widgets.kernel.protocol import MESSAGE_TYPES

    t = Tally()
    holder: dict[str, Any] = {"widget": None, "made": 0, "uses": 0}

    def fresh():
        if holder["widget"] is not None:
            holder["widget"].close()
        holder["made"] += 1
        holder["uses"] = 0
        # Each mode in turn; study mode with shuffled questions and options (indexes count as shown).
        mode = ("practice", "exam", "study")[holder["made"] % 3]
        shuffled = (
            {"shuffle": True, "shuffle_options": True, "seed": holder["made"]} if mode == "study" else {}
        )
        holder["widget"] = QuizWidget(
            make_exam(25), base_dir=root / f"msg{holder['made']}", autosave_interval=0, mode=mode, **shuffled
        )
        # A new quiz's file appears at its first answer; the oracle compares the file before and after.
        holder["widget"].save()
        return holder["widget"]

    types = st.one_of(st.sampled_from(MESSAGE_TYPES), json_values)
    value = st.one_of(
        json_values,
        st.integers(-2, 6),
        st.lists(st.integers(-1, 5), max_size=6),
        st.sampled_from(["Paris", " paris ", "4", "1e3", "nan", "inf", "", " ", "A", "x" * 1001]),
    )
    structured = st.fixed_dictionaries(
        {"type": types},
        optional={
            "value": value,
            "visible": json_values | st.booleans(),
            "number": json_values | st.integers(-1, 30),
            "flagged": json_values | st.booleans(),
            "view": json_values | st.sampled_from(["tab-1", "", "a/b", "x" * 65]),
            "request": json_values | st.sampled_from(["v1-1", "", "a b", "x" * 81]),
            "extra": json_values,
        },
    )
    answer_msgs = st.fixed_dictionaries({"type": st.just("answer"), "value": value})
    messages = st.one_of(structured, answer_msgs, answer_msgs, json_values)

    @_settings(n)
    @given(messages)
    def prop(content) -> None:
        widget = holder["widget"]
        if widget is None or holder["uses"] >= 40 or (widget.phase == "finished" and t.cases % 3 == 0):
            widget = fresh()
        holder["uses"] += 1
        t.cases += 1
        t.kinds[str(content.get("type"))[:12] if isinstance(content, dict) else type(content).__name__] += 1
        expected = _oracle(widget, content)
        path = Path(widget.session_path)
        before_view, before_bytes = _view(widget), path.read_bytes()
        before_answers = widget.total_answered
        try:
            widget._on_page_message(widget, content, [])  # the widget's registered custom-message handler
        except BaseException as exc:
            _crash(t, content, exc)
            holder["widget"] = None
            return
        error = widget.error
        t.kinds["(accepted)" if expected else "(refused)"] += 1
        if expected:
            if error:
                t.changes.append(f"refused a valid message {content!r:.120}: {error}")
            return
        if not error:
            t.unclear.append(f"no error for refused {content!r:.120}")
        elif not _readable(error):
            t.unclear.append(f"unreadable error {error!r:.200} for {content!r:.80}")
        if (
            _view(widget) != before_view
            or path.read_bytes() != before_bytes
            or widget.total_answered != before_answers
        ):
            changed = [k for k in SYNCED if _view(widget)[k] != before_view[k]]
            t.changes.append(f"refused {content!r:.120} changed {changed or 'the file'}")

    try:
        prop()
    finally:
        if holder["widget"] is not None:
            holder["widget"].close()
    return t


def run(short: bool, report: Report) -> None:
    n = 200 if short else 1000
    root = Path(tempfile.mkdtemp(prefix="stress-fuzz-"))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            tallies = [
                ("session files (load_session + from_session)", fuzz_sessions(n, root)),
                ("exam files and dicts (load_exam)", fuzz_exams(n, root)),
                ("messages from the page (custom msg handler)", fuzz_messages(n, root)),
            ]
    finally:
        shutil.rmtree(root, ignore_errors=True)
    for name, t in tallies:
        report.goal(SECTION, f"{name}: cases", t.cases, f">= {int(n * 0.9)}", t.cases >= int(n * 0.9))
        report.goal(SECTION, f"{name}: crashes", len(t.crashes), "0", not t.crashes)
        if name.startswith("messages"):
            report.goal(SECTION, f"{name}: unintended changes", len(t.changes), "0", not t.changes)
        report.goal(SECTION, f"{name}: unclear refusals", len(t.unclear), "0", not t.unclear)
        print(f"    case mix: {dict(t.kinds.most_common(8))}", flush=True)
        for problem in (t.crashes + t.changes + t.unclear)[:4]:
            print("    problem:", problem[:600], flush=True)
