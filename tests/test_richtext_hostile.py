"""Every hostile payload, through render() in every format and by every sanitizer the package can take (nh3,
and the pure-Python one used where nh3 has no wheel, as in JupyterLite), leaves HTML that cannot run, fetch or
restyle."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from quiz_widgets.richtext import ALLOWED_TAGS, FORMATS, render
from tests.richtext_checks import parse, problems, sanitizer_path

FIXTURE = Path(__file__).parent / "fixtures" / "hostile_payloads.yaml"
DATA = yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))
PAYLOADS = DATA["payloads"]
# Never allowed whatever the allow-list says (a guard against the list itself growing a hole).
NEVER = frozenset(
    [
        "script",
        "style",
        "iframe",
        "frame",
        "frameset",
        "object",
        "embed",
        "applet",
        "base",
        "meta",
        "link",
        "form",
        "input",
        "button",
        "textarea",
        "select",
        "option",
        "svg",
        "template",
        "noscript",
        "title",
        "maction",
        "annotation-xml",
        "annotation",
        "semantics",
        "mglyph",
        "video",
        "audio",
        "source",
        "track",
        "marquee",
        "details",
        "summary",
        "body",
        "html",
        "head",
    ]
)


def test_fixture_is_large_and_covers_every_kind() -> None:
    names = [p["name"] for p in PAYLOADS]
    assert len(PAYLOADS) >= 40
    assert len(set(names)) == len(names)
    assert {p["category"] for p in PAYLOADS} >= {
        "script", "event-handler", "url", "svg-mathml", "mxss", "encoding", "css", "embed", "tex", "code",
    }  # fmt: skip
    # Each payload is armed: it names the canary, a dialog or the request host, or is a scheme/CSS trick.
    for p in PAYLOADS:
        assert isinstance(p["text"], str) and p["text"].strip(), p["name"]


def test_allow_list_excludes_dangerous_elements() -> None:
    assert not (ALLOWED_TAGS & NEVER)


@pytest.fixture(params=["nh3", "pure"])
def sanitizer(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with sanitizer_path(request.param, monkeypatch):
        yield request.param


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("payload", PAYLOADS, ids=lambda p: p["name"])
def test_payload_is_inert(payload: dict, fmt: str, tmp_path: Path, sanitizer: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # refused images warn; that is not what is tested here
        out = render(payload["text"], fmt=fmt, base_dir=tmp_path)
    assert problems(out, ALLOWED_TAGS) == []
    tags = {el.tag for el in parse(out).elements}
    assert not (tags & NEVER)
    if fmt == "plain":
        assert tags <= {"br"}
    # The canary name may only survive as visible text, never inside markup. A formula's alttext is its
    # TeX source as text (what a screen reader reads instead of the MathML), never parsed as markup.
    for el in parse(out).elements:
        attrs = {k: v for k, v in el.attrs.items() if not (el.tag == "math" and k == "alttext")}
        assert "qwPwned" not in " ".join(f"{k}={v}" for k, v in attrs.items())


def test_payloads_render_some_visible_text_in_plain() -> None:
    # The plain format shows the payload as text, so an instructor sees what was written.
    for p in PAYLOADS:
        out = render(p["text"], fmt="plain")
        assert "<script" not in out.lower()
        if "<script>" in p["text"]:
            assert "&lt;script&gt;" in out


@pytest.mark.parametrize(
    "bad",
    [
        "<script>x</script>",
        '<img src="x.png" onerror="x">',
        '<a href="javascript:x">a</a>',
        '<a href="java\tscript:x">a</a>',
        '<img src="data:image/svg+xml;base64,PHN2Zz4=">',
        '<img src="https://attacker.invalid/x.png">',
        '<p style="color:red">x</p>',
        '<span class="jp-Dialog">x</span>',
        '<math><mi xlink:href="https://attacker.invalid/">x</mi></math>',
        '<p id="qwPwned">x</p>',
    ],
)
def test_checker_catches_what_it_looks_for(bad: str) -> None:
    # The inertness checks above are only as good as this reader: it must flag each of these.
    assert problems(bad, ALLOWED_TAGS)
