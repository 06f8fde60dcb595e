"""The two sanitizers the package can take, nh3 and the pure-Python one used where nh3 has no wheel (JupyterLite's
Pyodide), give a learner the same question: benign rich text comes out as the same HTML on both paths."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from quiz_widgets.exam import load_exam
from quiz_widgets.richtext import render
from tests.richtext_checks import parse, sanitizer_path
from tests.test_richtext import png_bytes

REPO = Path(__file__).resolve().parents[1]
EXAMS = [
    *sorted((REPO / "quiz_widgets" / "exam" / "samples").iterdir()),
    REPO / "tests" / "fixtures" / "exams" / "extended.yaml",
    REPO / "tests" / "fixtures" / "exams" / "extensions.yaml",
]
BENIGN = [
    "Some *emphasis*, **strong**, ~~struck~~ and `code` with a [link](https://example.org/a?b=1&c=2).",
    "The derivative of $\\sin x$ is $\\cos x$; $\\frac{d}{dx} x^2 = 2x$.",
    "$$\\sum_{i=1}^{n} i = \\frac{n(n+1)}{2}$$",
    "$\\color{red}{x} + \\text{a < b} + \\sqrt[3]{y}$ and $\\begin{pmatrix} 1 & 0 \\\\ 0 & 1 \\end{pmatrix}$",
    "```python\ndef f(x):\n    return x ** 2  # squared\n```",
    "```\n\nstarts with a blank line\n```",
    "| Service | Cost |\n|:--|--:|\n| EC2 | $5 |\n| S3 | **$1** |",
    "- one\n- two\n\n1. first\n2. second\n\n> quoted\n\n---\n\n### A heading",
    "**Non\u00a0breaking** & <angle> \"quotes\" 'single'",
    "Mail [us](mailto:a@example.org) or read ![a figure](fig.png)",
]
BENIGN_HTML = [
    '<p>An <b>[html]</b> item with <sub>2</sub>, <sup>3</sup>, <abbr title="a<b> &amp; c">HTML</abbr>.</p>',
    '<table><tr><th colspan="2">x</th></tr><tr><td>1</td><td>2</td></tr></table><img src="fig.png" alt="f">',
    '<ol start="3"><li>three</li></ol><pre class="qw-code"><code>x &lt; 1</code></pre>',
]


def _exam_texts() -> list[str]:
    texts = []
    for path in EXAMS:
        for q in load_exam(path).questions:
            texts += [q.text, *(str(o) for o in q.options or ()), q.explanation or ""]
    return [t for t in texts if t]


@pytest.fixture
def course(tmp_path: Path) -> Path:
    (tmp_path / "fig.png").write_bytes(png_bytes(2, 2))
    return tmp_path


def _both(text: str, fmt: str, base: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    out = {}
    for which in ("nh3", "pure"):
        with monkeypatch.context() as mp, sanitizer_path(which, mp):
            out[which] = render(text, fmt=fmt, base_dir=base)
    return out


@pytest.mark.parametrize(
    ("text", "fmt"),
    [*((t, "markdown") for t in BENIGN), *((t, "html") for t in BENIGN_HTML)],
    ids=lambda v: v[:30] if isinstance(v, str) and len(v) > 8 else v,
)
def test_benign_rich_text_is_the_same_html_on_both_paths(
    text: str, fmt: str, course: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _both(text, fmt, course, monkeypatch)
    assert out["pure"] == out["nh3"]
    # Not two empty strings agreeing: the rich parts are there.
    assert parse(out["nh3"]).elements


def test_every_sample_and_fixture_exam_text_is_the_same_on_both_paths(
    course: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = _exam_texts()
    assert len(texts) > 50
    differ = [t for t in texts if (o := _both(t, "markdown", course, monkeypatch))["pure"] != o["nh3"]]
    assert differ == []


def _fresh(code: str, blocked: tuple[str, ...]) -> dict:
    # A fresh interpreter where importing each blocked module fails, as in a Pyodide without its wheel.
    prelude = "import sys\n" + "".join(f"sys.modules[{name!r}] = None\n" for name in blocked)
    done = subprocess.run(
        [sys.executable, "-c", prelude + code], capture_output=True, text=True, cwd=REPO, check=True
    )
    return json.loads(done.stdout)


def test_without_nh3_math_and_code_still_render_sanitized() -> None:
    result = _fresh(
        "import json, warnings\n"
        "from quiz_widgets.richtext import render\n"
        "from quiz_widgets.richtext.sanitize import backend\n"
        "with warnings.catch_warnings(record=True) as caught:\n"
        "    warnings.simplefilter('always')\n"
        "    outs = [render(t) for t in ('$\\\\frac{1}{2}$ **b**', '```python\\nx = 1\\n```',"
        " '<img src=x onerror=alert(1)>')]\n"
        "    outs.append(render('<b onclick=\"x()\">b</b><script>alert(1)</script>', fmt='html'))\n"
        "print(json.dumps({'outs': outs, 'backend': backend(), 'warnings': [str(w.message) for w in caught]}))\n",
        ("nh3",),
    )
    assert result["backend"] == "pure" and result["warnings"] == []
    math, code, raw, html = result["outs"]
    assert "<math" in math and "<mfrac>" in math and "<strong>b</strong>" in math
    assert '<span class="qw-hl-' in code
    assert raw == "&lt;img src=x onerror=alert(1)&gt;"
    assert html == "<b>b</b>"
