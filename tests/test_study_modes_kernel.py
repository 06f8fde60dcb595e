"""Study modes in real kernels: a shuffled, drawn, flagged, timed exam survives SIGKILL and resumes exactly in
a new kernel; a time limit that runs out with no page open is submitted by the kernel; and in exam mode the
state the page gets does not depend on the answer key until submit."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from kernel_scenarios import kernel_in

pytestmark = [pytest.mark.kernel, pytest.mark.timeout(240)]

MARK = "QWSTUDY:"

QUESTIONS = [
    {
        "id": i,
        "question": f"Question {i}: pick the option {key}",
        "options": {"A": f"alpha {i}", "B": f"beta {i}", "C": f"gamma {i}", "D": f"delta {i}"},
        "answer": key,
        "topic": "Odd" if i % 2 else "Even",
    }
    for i, key in zip(range(1, 9), "ABCDABCD", strict=True)
]

REPORT = f"""
import json
def _report(**extra):
    st = quiz.state
    out = {{
        "path": str(quiz.session_path),
        "order": st.order,
        "option_orders": {{str(k): list(v) for k, v in st.option_orders.items()}},
        "flags": sorted(quiz.flags),
        "number": quiz.question.get("number"),
        "answers": st.answers,
        "time_left": st.time_left,
        "mode": st.mode,
        "total": quiz.total,
        "shown": [o["text"] for o in quiz.question.get("options", [])],
    }}
    out.update(extra)
    print({MARK!r} + json.dumps(out), flush=True)
"""


def report(k: Any, code: str) -> dict[str, Any]:
    out = k.execute(REPORT + code, timeout=60).stdout
    lines = [line for line in out.splitlines() if line.startswith(MARK)]
    assert lines, out
    return json.loads(lines[-1][len(MARK) :])


def write_exam(folder: Path, questions: list[dict] = QUESTIONS) -> Path:
    path = folder / "exams" / "drill.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"title": "Drill", "questions": questions}), "utf-8")
    return path


def test_shuffled_drawn_flagged_timed_exam_resumes_after_sigkill(tmp_path: Path) -> None:
    exam = write_exam(tmp_path)
    with kernel_in(tmp_path) as k:
        before = report(
            k,
            "from quiz_widgets import QuizWidget\n"
            f"quiz = QuizWidget({str(exam)!r}, base_dir={str(tmp_path)!r}, mode='exam', time_limit=600,\n"
            "                  shuffle=True, shuffle_options=True, draw=5, seed=11, autosave_interval=0.5)\n"
            "quiz.answer('A'); quiz.answer('B'); quiz.flag(1); quiz.flag(4); quiz.goto(3)\n"
            "_report()\n",
        )
        # Let a heartbeat or two record the time left, then kill the kernel without warning.
        time.sleep(1.5)
        saved_before_kill = json.loads(Path(before["path"]).read_text("utf-8"))["quiz_widgets"]["time_left"]
        k.sigkill()
    assert before["total"] == 5 and len(before["order"]) == 5 and before["flags"] == [1, 4]
    assert sorted(before["order"]) != before["order"] or before["option_orders"]  # shuffled at all
    saved = json.loads(Path(before["path"]).read_text("utf-8"))
    ext = saved["quiz_widgets"]
    assert ext["time_left"] == saved_before_kill < 600
    time.sleep(2.0)  # the kernel is dead: none of this may count against the time limit
    with kernel_in(tmp_path) as k:
        after = report(
            k,
            "from quiz_widgets import QuizWidget\n"
            f"quiz = QuizWidget.resume({before['path']!r}, autosave_interval=0)\n"
            "_report()\n",
        )
    for key in ("order", "option_orders", "flags", "number", "answers", "mode", "total", "shown"):
        assert after[key] == before[key], key
    assert ext["time_left"] - 2.0 < after["time_left"] <= ext["time_left"]


def test_time_limit_runs_out_with_no_page_and_the_kernel_submits(tmp_path: Path) -> None:
    exam = write_exam(tmp_path)
    with kernel_in(tmp_path) as k:
        start = report(
            k,
            "from quiz_widgets import QuizWidget\n"
            f"quiz = QuizWidget({str(exam)!r}, base_dir={str(tmp_path)!r}, mode='exam', time_limit=2,\n"
            "                  autosave_interval=30)\n"
            "quiz.answer('A')\n"
            "_report()\n",
        )
        session = Path(start["path"])
        # No cell runs and no page is open: only the kernel's own task can submit now.
        deadline = time.monotonic() + 30
        data: dict[str, Any] = {}
        while time.monotonic() < deadline:
            data = json.loads(session.read_text("utf-8"))
            if data["timer_data"]["completed"]:
                break
            time.sleep(0.25)
        results = sorted((tmp_path / "results").glob("quiz_results_*.json"))
        assert data["timer_data"]["completed"] is True
        assert data["quiz_widgets"]["submitted"] is True and data["quiz_widgets"]["time_left"] == 0.0
        assert data["quiz_mode"]["total_answered"] == 1 and data["quiz_mode"]["score"] == 1
        assert len(results) == 1
        out = json.loads(results[0].read_text("utf-8"))
        assert out["performance"]["score"] == 1 and out["quiz_widgets"]["submitted"] is True
        after = report(k, "_report(phase=quiz.phase, completed=quiz.completed)\n")
        assert after["phase"] == "finished" and after["completed"] is True


# Generated questions (issue 20.5): each question a generator whose variant differs per learner; the two
# exams differ only in their variants' keys (the same generators' names, so the same fingerprint and seed).
GENERATED = f"""
def make(q, flip):
    def gen(rng):
        d = dict(q, question=q["question"] + f" (variant {{rng.randint(1, 999)}})")
        if flip:
            d["answer"] = "D" if q["answer"] != "D" else "A"
        return d
    gen.__qualname__ = gen.__name__ = f"gen{{q['id']}}"
    return gen
quizzes = [QuizWidget.from_questions([make(q, flip) for q in {QUESTIONS!r}], title="Drill",
                                     base_dir=str(Path(p).parent.parent), learner="ada", mode='exam',
                                     autosave_interval=0)
           for p, flip in zip(PATHS, (False, True))]
"""
FROM_FILES = """
quizzes = [QuizWidget(p, base_dir=str(Path(p).parent.parent), mode='exam', autosave_interval=0)
           for p in PATHS]
"""


# matching and ordering (issue 20.2-3): the keys differ in the pairing and in the items' right order, with
# the same texts; the page is shown the same choices and items in the same (seeded) order.
KINDS_ONE = [
    {"id": 9, "type": "matching", "question": "Match", "pairs": {"S3": "Object", "EBS": "Block", "EFS": "File"},
     "distractors": ["Tape"]},
    {"id": 10, "type": "ordering", "question": "Order", "items": ["SYN", "SYN-ACK", "ACK"]},
]  # fmt: skip
KINDS_TWO = [
    {**KINDS_ONE[0], "pairs": {"S3": "Block", "EBS": "File", "EFS": "Object"}},
    {**KINDS_ONE[1], "items": ["ACK", "SYN", "SYN-ACK"]},
]
# cloze (issue 20.4): the keys differ in every blank (a text, a shuffled dropdown's right choice, a number, a
# multiresponse's right set); the page gets the same slots and (seeded) choices, never a key.
# Radio-button blanks too (MULTICHOICE_V, and _HS shuffled): their layout reaches the page, their key never.
CLOZE_ONE = [{"id": 11, "type": "cloze", "question": "Capital {1:SHORTANSWER:=Paris}, colour {2:MULTICHOICE_S:=red~blue~"
              "green}, sum {1:NUMERICAL:=4:0}, set {1:MULTIRESPONSE:=a~=b~c}, size {1:MULTICHOICE_V:=S~M~L}, "
              "go {1:MULTICHOICE_HS:=up~down~left}"}]  # fmt: skip
CLOZE_TWO = [{"id": 11, "type": "cloze", "question": "Capital {1:SHORTANSWER:=Lyon}, colour {2:MULTICHOICE_S:red~=blue~"
              "green}, sum {1:NUMERICAL:=5:1}, set {1:MULTIRESPONSE:=a~b~=c}, size {1:MULTICHOICE_V:S~M~=L}, "
              "go {1:MULTICHOICE_HS:up~=down~left}"}]  # fmt: skip
CLOZE_STEPS = """steps = [("answer", "A"), ("goto", 9), ("answer", ["Paris", "red", 4, ["a"], "S", "up"]), ("goto", 9),
         ("flag", None), ("previous", None), ("next", None),
         ("answer", ["Lyon", "blue", "5", ["b", "c"], "L", "left"]), ("answer", "B")]"""
FROM_FILES_WITH_KINDS = """
quizzes = [QuizWidget(p, base_dir=str(Path(p).parent.parent), mode='exam', autosave_interval=0, seed=7)
           for p in PATHS]
"""
KINDS_STEPS = """steps = [("answer", "A"), ("goto", 9), ("answer", {"S3": "Object", "EBS": "Tape", "EFS": "File"}),
         ("flag", None), ("answer", ["SYN", "ACK", "SYN-ACK"]), ("goto", 9), ("previous", None), ("next", None),
         ("answer", {"S3": "Block", "EBS": "File", "EFS": "Object"})]"""
STEPS = """steps = [("answer", "A"), ("flag", None), ("answer", "C"), ("goto", 1), ("answer", "B"), ("goto", 8),
         ("answer", "D"), ("previous", None), ("next", None)]"""


@pytest.mark.parametrize("made", ["files", "generated", "matching and ordering", "cloze"])
def test_exam_view_state_is_the_same_for_different_keys_until_submit(tmp_path: Path, made: str) -> None:
    other = [dict(q, answer="D" if q["answer"] != "D" else "A") for q in QUESTIONS]
    if made == "matching and ordering":
        first = write_exam(tmp_path / "one", QUESTIONS + KINDS_ONE)
        second = write_exam(tmp_path / "two", other + KINDS_TWO)
    elif made == "cloze":
        first = write_exam(tmp_path / "one", QUESTIONS + CLOZE_ONE)
        second = write_exam(tmp_path / "two", other + CLOZE_TWO)
    else:
        first, second = write_exam(tmp_path / "one"), write_exam(tmp_path / "two", other)
    made_by = {"files": FROM_FILES, "generated": GENERATED, "matching and ordering": FROM_FILES_WITH_KINDS,
               "cloze": FROM_FILES_WITH_KINDS}  # fmt: skip
    steps = {"matching and ordering": KINDS_STEPS, "cloze": CLOZE_STEPS}.get(made, STEPS)
    code = f"""
from quiz_widgets import QuizWidget
PATHS = ({str(first)!r}, {str(second)!r})
{made_by[made]}
# Whatever moves with time or names the widget itself (the layout's model id) is left out.
SKIP = {{"elapsed", "clock_running", "time_left", "layout"}}
def page_state(q):
    return {{k: v for k, v in q.get_state().items() if k not in SKIP}}
same = []
layouts = set()
{steps}
for name, arg in steps:
    for q in quizzes:
        getattr(q, name)() if arg is None else getattr(q, name)(arg)
    same.append(page_state(quizzes[0]) == page_state(quizzes[1]))
    layouts.update(b["layout"] for b in quizzes[0].question.get("blanks", []) if b["kind"] == "multichoice")
for q in quizzes:
    q.submit()
quiz = quizzes[0]
_report(same=same, after=page_state(quizzes[0]) == page_state(quizzes[1]),
        keys=sorted(page_state(quizzes[0])), texts=[q.state.exam.questions[0].text for q in quizzes],
        kinds_answered=[sum(q.state.is_answered(i) for i in (9, 10, 11)) for q in quizzes],
        layouts=sorted(layouts))
"""
    with kernel_in(tmp_path) as k:
        out = report(k, "from pathlib import Path\n" + code)
    if made == "generated":
        assert "(variant " in out["texts"][0] and out["texts"][0] == out["texts"][1]
    assert out["same"] == [True] * 9
    if made == "matching and ordering":
        assert out["kinds_answered"] == [2, 2]  # both kinds answered in each exam, so the check saw them
    if made == "cloze":
        assert out["kinds_answered"] == [1, 1]
        assert out["layouts"] == ["dropdown", "horizontal", "vertical"]  # the radio blanks were on the page
    assert out["after"] is False  # the scores differ once submitted: the comparison can fail
    for trait in ("question", "question_map", "score", "summary", "feedback", "review_rows", "_esm"):
        assert trait in out["keys"]


PAGE = """
import json
from pathlib import Path
from quiz_widgets import QuizWidget
quizzes = [QuizWidget(p, base_dir=str(Path(p).parent.parent), mode='exam', autosave_interval=0)
           for p in PATHS]
def page(i, content):
    quizzes[i]._handle_msg({"content": {"data": {"method": "custom", "content": content}}, "buffers": []})
print(MARK + json.dumps([q.model_id for q in quizzes]), flush=True)
"""
# Whatever moves with the clock; everything else the page gets must not depend on the key.
MOVING = {"elapsed", "clock_running", "time_left"}


def _received(result: Any, model_id: str, base: Path) -> list[Any]:
    """The comm messages a widget sent its page during one request, with what moves with time left out."""

    def clean(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items() if k not in MOVING}
        if isinstance(value, list):
            return [clean(v) for v in value]
        return value.replace(str(base), "<base>") if isinstance(value, str) else value

    return [
        clean(msg["content"]["data"])
        for msg in result.messages
        if msg["msg_type"] == "comm_msg" and msg["content"]["comm_id"] == model_id
    ]


def test_exam_mode_before_submit_a_page_finish_and_review_reveal_nothing(tmp_path: Path) -> None:
    """The page may send finish, then review, study or new_attempt: before submit, the two exams that
    differ only in their keys get the same messages and state, and quiz.answer() says nothing either."""
    other = [dict(q, answer="D" if q["answer"] != "D" else "A") for q in QUESTIONS]
    paths = [write_exam(tmp_path / "one"), write_exam(tmp_path / "two", other)]
    steps = [
        {"type": "answer", "value": 1},
        {"type": "flag"},
        {"type": "finish"},
        {"type": "review"},
        {"type": "study"},
        {"type": "summary"},
        {"type": "new_attempt"},
        {"type": "review"},
    ]
    with kernel_in(tmp_path) as k:
        out = k.execute(f"MARK = {MARK!r}\nPATHS = {[str(p) for p in paths]!r}\n" + PAGE).stdout
        ids = json.loads(out.splitlines()[-1][len(MARK) :])
        given = k.execute("print(json.dumps([q.answer('A') for q in quizzes]))").stdout
        assert json.loads(given) == [None, None]  # not True for one and False for the other
        received: list[list[list[Any]]] = [[], []]
        for n, step in enumerate(steps):
            for i in (0, 1):
                result = k.execute(f"page({i}, {dict(step, request=f'v-{n}')!r})")
                received[i].append(_received(result, ids[i], paths[i].parent.parent))
        state = report(
            k,
            "SKIP = {'elapsed', 'clock_running', 'time_left', 'layout'}\n"
            "def clean(v):\n"
            "    if isinstance(v, dict):\n"
            "        return {k: clean(x) for k, x in v.items() if k not in SKIP}\n"
            "    return [clean(x) for x in v] if isinstance(v, list) else v\n"
            "def page_state(q):\n"
            "    return clean(q.get_state())\n"
            "quiz = quizzes[0]\n"
            "a, b = page_state(quizzes[0]), page_state(quizzes[1])\n"
            "_report(differ=[k for k in a if a[k] != b[k]], phase=quiz.phase,\n"
            "        summary=quiz.summary, error=quiz.error, review_rows=quiz.review_rows)\n",
        )
    for n, step in enumerate(steps):
        assert received[0][n] == received[1][n], step
        replies = [m["content"] for m in received[0][n] if m.get("method") == "custom"]
        assert [r["type"] for r in replies] == ["reply"], step  # each message answered, nothing else sent
    refused = {step["type"]: received[0][n][-1]["content"] for n, step in enumerate(steps)}
    assert refused["finish"]["ok"] is True  # quitting is allowed: it reveals nothing
    for kind in ("review", "study", "new_attempt"):
        assert refused[kind]["ok"] is False and refused[kind]["error"], kind
    assert state["differ"] == [] and state["phase"] == "finished" and state["review_rows"] == []
    assert state["summary"]["wrong"] == [] and state["summary"]["topics"] == []
    assert state["summary"]["answered"] == 2 and state["summary"]["quit_by_user"] is True


def test_matching_and_ordering_resume_after_sigkill_with_their_shuffle(tmp_path: Path) -> None:
    exam = write_exam(tmp_path, KINDS_ONE)
    with kernel_in(tmp_path) as k:
        before = report(
            k,
            "from quiz_widgets import QuizWidget\n"
            f"quiz = QuizWidget({str(exam)!r}, base_dir={str(tmp_path)!r}, autosave_interval=0.5)\n"
            "quiz.answer({'S3': 'Object', 'EBS': 'Tape', 'EFS': 'File'})\n"
            "_report(points=quiz.points)\n",
        )
        k.sigkill()
    assert before["points"] == pytest.approx(2 / 3) and set(before["option_orders"]) == {"9", "10"}
    with kernel_in(tmp_path) as k:
        after = report(
            k,
            "from quiz_widgets import QuizWidget\n"
            f"quiz = QuizWidget.resume({before['path']!r}, autosave_interval=0)\n"
            "on_screen = [o['text'] for o in quiz.question['options']]\n"
            "right = quiz.answer(['SYN', 'SYN-ACK', 'ACK'])\n"
            "_report(points=quiz.points, right=right, on_screen=on_screen)\n",
        )
    assert after["option_orders"] == before["option_orders"]
    # The ordering question's items as the saved shuffle says (A, B, C: the items in the right order).
    text = dict(zip("ABC", ["SYN", "SYN-ACK", "ACK"], strict=True))
    assert after["on_screen"] == [text[key] for key in before["option_orders"]["10"]]
    assert after["answers"][:1] == before["answers"][:1]
    assert after["right"] is True and after["points"] == pytest.approx(1 + 2 / 3)
