"""ClassReport over a generated class (numbers checked by hand), the original app's files, bad files,
CSV without pandas, the HTML report, the CLI and a learner's own progress."""

from __future__ import annotations

import builtins
import json
import math
import shutil
import warnings
from html.parser import HTMLParser
from pathlib import Path

import pytest
from class_data import EXAM, write_class
from run_flags import COMPAT

from quiz_widgets.cli import main as cli_main
from quiz_widgets.teaching.progress import learner_progress
from quiz_widgets.teaching.report import ClassReport

COMPAT_RESULTS = COMPAT / "results"  # the original app's files: QUIZ_WIDGETS_COMPAT_DIR or ../shared


@pytest.fixture
def class_dir(tmp_path: Path) -> Path:
    return write_class(tmp_path / "cs101")


def _tags(page: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """Every element of the page as the browser's parser sees it (escaped text is not an element)."""
    found: list[tuple[str, list[tuple[str, str | None]]]] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    Collect().feed(page)
    return found


def _by_qid(report: ClassReport) -> dict[str, dict]:
    return {r["question_id"]: r for r in report.question_rows() if r["exam"] == EXAM}


def test_attempts_of_a_generated_class(class_dir: Path) -> None:
    report = ClassReport.load(class_dir)
    rows = {r["learner"]: r for r in report.attempt_rows()}
    assert sorted(rows) == ["ada", "bob", "cy", "dee", "eve"]  # eve from her folder's name
    assert [rows[n]["score"] for n in ("ada", "bob", "cy", "dee", "eve")] == [4, 3, 2, 2, 1]
    assert rows["bob"]["accuracy"] == 0.75 and rows["bob"]["total"] == 4
    assert rows["eve"]["elapsed_seconds"] == 100.0 and rows["eve"]["exam"] == EXAM


def test_question_numbers_checked_by_hand(class_dir: Path) -> None:
    q = _by_qid(ClassReport.load(class_dir))
    # Q1: everyone right (eve's file lists wrong answers only; her attempt is complete, so Q1 was right).
    assert q["1"]["attempts"] == 5 and q["1"]["correct_share"] == 1.0
    assert math.isnan(q["1"]["discrimination"])  # everyone answered alike
    # Q2: x = 1 1 1 0 0, rest = score - x = 3 2 1 2 1; means 0.6 and 1.8;
    # sum dx*dy = .48 + .08 - .32 - .12 + .48 = 0.6; sum dx^2 = 1.2; sum dy^2 = 2.8.
    assert q["2"]["correct_share"] == pytest.approx(0.6)
    assert q["2"]["discrimination"] == pytest.approx(0.6 / math.sqrt(1.2 * 2.8))
    # Q4: x = 1 0 0 0 0, rest = 3 3 2 2 1; means 0.2 and 2.2; sum dx*dy = 0.8, dx^2 = 0.8, dy^2 = 2.8.
    assert q["4"]["correct_share"] == pytest.approx(0.2)
    assert q["4"]["discrimination"] == pytest.approx(0.8 / math.sqrt(0.8 * 2.8))
    # Most chosen wrong answer is the option's text; eve's letters ["B", "D"] stay a joined answer.
    assert q["2"]["most_chosen_wrong"] == "Lyon"
    assert q["4"]["most_chosen_wrong"] == "Nice"
    # Seconds: ada 10, bob 20, cy 30, dee 40 on every question; eve's file has no times.
    assert q["1"]["mean_seconds"] == pytest.approx(25.0)
    assert q["4"]["question"] == "Pick the primes. (Choose TWO)" and q["4"]["topic"] == "math"


def test_topics_and_learners(class_dir: Path) -> None:
    report = ClassReport.load(class_dir)
    topics = {t["topic"]: t for t in report.topic_rows()}
    # ada..dee only (eve's file has no topics): geo 8 answers, 7 right; math 8 answers, 4 right.
    assert (topics["geo"]["answered"], topics["geo"]["correct"]) == (8, 7)
    assert (topics["math"]["answered"], topics["math"]["correct"]) == (8, 4)
    assert topics["math"]["accuracy"] == 0.5 and topics["math"]["learners"] == 4
    learners = {r["learner"]: r for r in report.learner_rows()}
    assert learners["cy"]["attempts"] == 1 and learners["cy"]["mean_accuracy"] == 0.5


def test_dataframes(class_dir: Path) -> None:
    report = ClassReport.load(class_dir)
    attempts = report.attempts
    assert list(attempts.columns[:7]) == [
        "learner", "exam", "date", "score", "total", "accuracy", "elapsed_seconds",
    ]  # fmt: skip
    assert attempts["accuracy"].between(0, 1).all()
    questions = report.questions
    assert list(questions.columns[:7]) == [
        "exam", "question_id", "attempts", "correct_share", "discrimination", "most_chosen_wrong", "mean_seconds",
    ]  # fmt: skip
    assert questions.set_index("question_id").loc["4", "most_chosen_wrong"] == "Nice"


@pytest.mark.compat
def test_original_app_results_load(tmp_path: Path) -> None:
    files = sorted(COMPAT_RESULTS.glob("*.json"))
    assert len(files) == 3
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # none of them may be skipped
        report = ClassReport.load(COMPAT_RESULTS)
    rows = {r["exam"]: r for r in report.attempt_rows()}
    assert rows["Practice Exam 1"]["score"] == 29 and rows["Practice Exam 1"]["accuracy"] == 0.58
    assert rows["Practice Exam 4"]["elapsed_seconds"] == 9445
    assert rows["Practice Exam 1 - Study Wrong Answers"]["total"] == 21
    q = {(r["exam"], r["question_id"]): r for r in report.question_rows()}
    assert q[("Practice Exam 1", "8")]["most_chosen_wrong"] == "A; C"  # a list of letters in the file
    assert (
        q[("Practice Exam 4", "37")]["most_chosen_wrong"]
        == "Deploying an application in multiple Availability Zones."
    )
    # A list of files and a single file work too.
    assert len(ClassReport.load([files[0], files[1]], files[2]).attempt_rows()) == 3


def test_bad_files_are_skipped_with_one_warning_each(class_dir: Path) -> None:
    (class_dir / "ada" / "broken.json").write_text('{"exam_info": ', encoding="utf-8")
    (class_dir / "bob" / "exam.json").write_text('{"title": "not results"}', encoding="utf-8")
    (class_dir / "cy" / "neg.json").write_text(
        json.dumps({"exam_info": {"title": "T"}, "performance": {"score": -1, "total_answered": 2}}),
        encoding="utf-8",
    )
    (class_dir / "dee" / ".tmp-upload.json").write_text("half", encoding="utf-8")  # dot names: not attempts
    (class_dir / "dee" / "session_20250101_000000.json").write_text("{}", encoding="utf-8")
    with pytest.warns(UserWarning) as record:
        report = ClassReport.load(class_dir)
    messages = [str(w.message) for w in record]
    assert len(messages) == 3
    assert any("broken.json" in m and "invalid JSON at line 1" in m for m in messages)
    assert any("exam.json" in m and "'performance'" in m for m in messages)
    assert any("neg.json" in m and "performance.score" in m and "-1" in m for m in messages)
    assert len(report.attempt_rows()) == 5 and len(report.skipped) == 3


def test_csv_without_pandas(class_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_pandas(name: str, *args, **kwargs):
        if name == "pandas" or name.startswith("pandas."):
            raise ImportError("No module named 'pandas'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pandas)
    report = ClassReport.load(class_dir)
    written = report.to_csv(tmp_path / "out")
    assert [p.name for p in written] == ["attempts.csv", "questions.csv", "topics.csv", "learners.csv"]
    lines = (tmp_path / "out" / "questions.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("exam,question_id,attempts,correct_share,discrimination,most_chosen_wrong")
    q1 = next(line for line in lines[1:] if line.startswith(f"{EXAM},1,"))
    assert q1.split(",")[4] == ""  # NaN discrimination: an empty cell
    with pytest.raises(ImportError, match=r"quiz_widgets\[report\]"):
        report.attempts  # noqa: B018


def test_html_report_is_self_contained_and_escaped(class_dir: Path, tmp_path: Path) -> None:
    data = json.loads(next((class_dir / "ada").glob("*.json")).read_text(encoding="utf-8"))
    data["learner"] = "mallory"
    data["exam_info"]["title"] = '<script>alert("x")</script>'
    data["quiz_widgets"]["answers"][3]["question"] = '<img src="https://evil.example/x.png" onerror=alert(1)>'
    (class_dir / "mallory").mkdir()
    (class_dir / "mallory" / "evil.json").write_text(json.dumps(data), encoding="utf-8")
    path = ClassReport.load(class_dir).to_html(tmp_path / "report.html")
    page = path.read_text(encoding="utf-8")
    assert "<script" not in page and "<img" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    # Nothing loaded from anywhere: no src/href attributes, no url(), a CSP forbidding the rest.
    tags = _tags(page)
    assert {t for t, _ in tags} <= {
        "html", "head", "meta", "title", "style", "body", "h1", "h2", "p", "span", "b", "svg", "text", "rect",
        "line", "polyline", "circle", "table", "thead", "tbody", "tr", "th", "td", "ul", "li",
    }  # fmt: skip
    assert not [a for _, attrs in tags for a, _ in attrs if a in ("src", "href") or a.startswith("on")]
    assert "url(" not in page and "@import" not in page
    assert "default-src 'none'" in page
    # The four plots and a sparkline per learner are inline SVG.
    for heading in ("Score distribution", "Accuracy per topic", "Hardest questions", "Least discriminating"):
        assert heading in page
    assert page.count("<svg") >= 4 + 6
    assert 'aria-label="scores of ada"' in page


def test_cli_report(class_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (class_dir / "bob" / "broken.json").write_text("nope", encoding="utf-8")
    code = cli_main(
        ["report", str(class_dir), "--csv", str(tmp_path / "csv"), "--html", str(tmp_path / "r.html")]
    )
    out, err = capsys.readouterr()
    assert code == 0
    assert "5 attempts by 5 learners\nread 6 of 6 files; skipped 1\n" in out
    assert "broken.json" in err
    assert (tmp_path / "csv" / "attempts.csv").read_text(encoding="utf-8").count("\n") == 6
    assert (tmp_path / "r.html").stat().st_size > 1000


@pytest.mark.compat
def test_learner_progress(tmp_path: Path) -> None:
    from class_data import results

    folder = tmp_path / "results"
    folder.mkdir()
    for day, learner in enumerate(("eve", "cy", "ada"), start=1):  # the same learner improving
        data = results(learner, day=day)
        data.pop("learner", None)
        (folder / f"quiz_results_2025030{day}_100000_000000.json").write_text(
            json.dumps(data), encoding="utf-8"
        )
    shutil.copy(next(COMPAT_RESULTS.glob("*111509.json")), folder / "quiz_results_20251031_111509.json")
    progress = learner_progress(tmp_path)
    assert progress["attempts"] == 4
    assert [a["score"] for a in progress["exams"][EXAM]] == [1, 2, 4]
    assert [a["accuracy"] for a in progress["exams"][EXAM]] == [0.25, 0.5, 1.0]
    topics = {t["topic"]: t for t in progress["topics"]}
    assert (topics["geo"]["correct"], topics["geo"]["answered"]) == (4, 4)  # cy 2/2 + ada 2/2
    assert learner_progress(tmp_path / "nobody") == {
        "attempts": 0,
        "exams": {},
        "topics": [],
        "calibration": [],
        "skipped": [],
    }
