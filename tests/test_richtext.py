"""Rich text in the kernel: Markdown, math, code and images rendered, plain text left as it was."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import zlib
from pathlib import Path

import pytest

from quiz_widgets.errors import ExamError
from quiz_widgets.exam import load_exam
from quiz_widgets.richtext import (
    ALLOWED_TAGS,
    IMAGE_MAX_BYTES,
    cache_info,
    clear_cache,
    is_plain,
    render,
    stylesheet,
)
from tests.richtext_checks import parse, problems, visible_text

REPO = Path(__file__).resolve().parents[1]
COMPAT = REPO.parent / "shared" / "compat" / "quizpython"


def png_bytes(width: int = 1, height: int = 1, extra: int = 0) -> bytes:
    """A real PNG (grey pixels); *extra* bytes of an ignored ancillary chunk make it as big as needed."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    out = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
    if extra:
        out += chunk(b"teXt", b"pad\x00" + b"x" * extra)
    return out + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    clear_cache()


def elements(html: str, tag: str) -> list:
    return [el for el in parse(html).elements if el.tag == tag]


# --- the good paths -------------------------------------------------------------------------------


def test_table_with_alignment_uses_classes_not_styles() -> None:
    out = render("| Service | Cost |\n|:--|--:|\n| EC2 | $5 |\n| S3 | **$1** |")
    assert [el.tag for el in parse(out).elements].count("td") == 4
    cells = elements(out, "td")
    assert cells[0].attrs["class"] == "qw-align-left" and cells[1].attrs["class"] == "qw-align-right"
    assert "style" not in out
    assert "EC2" in visible_text(out) and "$1" in visible_text(out)
    assert problems(out, ALLOWED_TAGS) == []


def test_strikethrough_and_emphasis() -> None:
    out = render("~~old~~ **new** and *this*")
    assert elements(out, "s") and elements(out, "strong") and elements(out, "em")
    assert visible_text(out) == "old new and this"


def test_inline_and_display_math_become_mathml() -> None:
    out = render("Solve $x^2 = 4$ for $x$:\n\n$$x = \\pm\\sqrt{4}$$")
    maths = elements(out, "math")
    assert [m.attrs.get("display") for m in maths] == ["inline", "inline", "block"]
    assert elements(out, "msup") and elements(out, "msqrt")
    assert "$" not in visible_text(out)


def test_display_math_inline_double_dollars_is_block() -> None:
    out = render("Euler: $$e^{i\\pi} + 1 = 0$$ is famous")
    assert [m.attrs.get("display") for m in elements(out, "math")] == ["block"]


def test_bad_or_link_making_tex_is_shown_as_source_code() -> None:
    out = render("Broken $\\frac{1}{$ and linked $\\href{https://example.com}{x}$ and $\\unknownmacro$")
    codes = [el for el in parse(out).elements if el.tag == "code"]
    assert len(codes) == 3 and not elements(out, "a") and not elements(out, "math")
    text = visible_text(out)
    assert "$\\frac{1}{$" in text and "$\\href{https://example.com}{x}$" in text and "\\unknownmacro" in text


def test_text_in_tex_stays_text() -> None:
    out = render("$\\text{<b>not bold</b>}$")
    assert not elements(out, "b")
    assert "<b>not bold</b>" in visible_text(out).replace("\xa0", " ")


def test_dollar_amounts_stay_text() -> None:
    text = "Cost: $5 per month and $10 per year"
    assert is_plain(text)
    out = render(text)
    assert not elements(out, "math")
    assert visible_text(out) == text


def test_python_fence_is_coloured_with_prefixed_classes() -> None:
    out = render("```python\ndef area(r):\n    return 3.14 * r ** 2  # circle\n```")
    pre = elements(out, "pre")
    assert len(pre) == 1 and pre[0].attrs["class"] == "qw-code"
    classes = {el.attrs.get("class") for el in elements(out, "span")}
    assert {"qw-hl-k", "qw-hl-nf", "qw-hl-mf", "qw-hl-c1"} <= classes
    assert "def area(r):" in visible_text(out)


def test_unknown_language_fence_is_plain_code() -> None:
    out = render("```no-such-language\nx = 1\n```")
    assert elements(out, "pre") and not elements(out, "span")
    assert visible_text(out) == "x = 1"


def test_stylesheet_colours_token_classes_with_jupyterlab_variables() -> None:
    css = stylesheet()
    for var in ("keyword", "comment", "string", "number", "def", "operator"):
        assert f"var(--jp-mirror-editor-{var}-color" in css
    assert ".qw-hl-k" in css and ".qw-align-right" in css


def test_link_gets_rel_and_target() -> None:
    out = render("See [the docs](https://docs.aws.amazon.com) or <mailto:help@example.com>.")
    links = elements(out, "a")
    assert [a.attrs["href"] for a in links] == ["https://docs.aws.amazon.com", "mailto:help@example.com"]
    for a in links:
        assert a.attrs["rel"] == "noopener noreferrer" and a.attrs["target"] == "_blank"


def test_relative_link_loses_its_href() -> None:
    out = render("[next page](other.html) and [top](#top)")
    assert all("href" not in a.attrs for a in elements(out, "a"))
    assert visible_text(out) == "next page and top"


def test_raw_html_in_markdown_is_shown_as_text() -> None:
    out = render("Use **`<b>`** like <b>this</b>")
    assert not elements(out, "b")
    assert "<b>this</b>" in visible_text(out)


def test_html_format_keeps_harmless_markup() -> None:
    out = render('<p>Pick <b>one</b><br>of <a href="https://example.com">these</a></p>', fmt="html")
    assert elements(out, "b") and elements(out, "br")
    assert elements(out, "a")[0].attrs["target"] == "_blank"


def test_plain_format_escapes_and_keeps_line_breaks() -> None:
    text = "Line one <b>\nLine *two* & $x$"
    out = render(text, fmt="plain")
    assert [el.tag for el in parse(out).elements] == ["br"]
    assert visible_text(out) == text


# --- images ---------------------------------------------------------------------------------------


def test_image_next_to_the_exam_is_embedded(tmp_path: Path) -> None:
    (tmp_path / "figs").mkdir()
    (tmp_path / "figs" / "chart one.png").write_bytes(png_bytes(2, 2))
    out = render('![a chart](figs/chart%20one.png "Chart")', base_dir=tmp_path)
    (img,) = elements(out, "img")
    assert img.attrs["src"].startswith("data:image/png;base64,iVBORw0KGgo")
    assert img.attrs["alt"] == "a chart" and img.attrs["title"] == "Chart"


@pytest.mark.parametrize(
    ("name", "data", "mime"),
    [
        ("photo.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 32, "image/jpeg"),
        ("anim.gif", b"GIF89a" + b"\x00" * 32, "image/gif"),
        ("pic.webp", b"RIFF\x20\x00\x00\x00WEBPVP8 " + b"\x00" * 32, "image/webp"),
        ("misnamed.txt", png_bytes(), "image/png"),  # the bytes decide, not the name
    ],
)
def test_raster_types_detected_by_magic_bytes(tmp_path: Path, name: str, data: bytes, mime: str) -> None:
    (tmp_path / name).write_bytes(data)
    (img,) = elements(render(f"![x]({name})", base_dir=tmp_path), "img")
    assert img.attrs["src"].startswith(f"data:{mime};base64,")


def _refused(tmp_path: Path, text: str, base_dir: Path | None) -> str:
    with pytest.warns(UserWarning, match="not shown") as caught:
        out = render(text, base_dir=base_dir)
    assert not elements(out, "img")
    return str(caught[0].message)


def test_image_outside_the_exam_folder_is_not_shown(tmp_path: Path) -> None:
    exam_dir = tmp_path / "exam"
    exam_dir.mkdir()
    (tmp_path / "secret.png").write_bytes(png_bytes())
    (exam_dir / "link.png").symlink_to(tmp_path / "secret.png")
    assert "outside" in _refused(tmp_path, "![up](../secret.png)", exam_dir)
    assert "outside" in _refused(tmp_path, "![link](link.png)", exam_dir)
    absolute = _refused(tmp_path, f"![abs]({tmp_path / 'secret.png'})", exam_dir)
    assert "relative" in absolute
    with pytest.warns(UserWarning, match="outside"):
        out = render("![the alt text](../secret.png)", base_dir=exam_dir)
    assert visible_text(out) == "the alt text"


def test_svg_image_is_not_shown_even_when_named_png(tmp_path: Path) -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
    (tmp_path / "drawing.svg").write_bytes(svg)
    (tmp_path / "drawing.png").write_bytes(svg)
    assert "PNG, JPEG, GIF or WebP" in _refused(tmp_path, "![d](drawing.svg)", tmp_path)
    assert "PNG, JPEG, GIF or WebP" in _refused(tmp_path, "![d](drawing.png)", tmp_path)


def test_too_big_image_is_not_shown(tmp_path: Path) -> None:
    (tmp_path / "big.png").write_bytes(png_bytes(extra=IMAGE_MAX_BYTES))
    (tmp_path / "fits.png").write_bytes(png_bytes(extra=IMAGE_MAX_BYTES - 1000))
    assert "limit" in _refused(tmp_path, "![big](big.png)", tmp_path)
    assert elements(render("![fits](fits.png)", base_dir=tmp_path), "img")


def test_remote_and_missing_images_are_not_fetched(tmp_path: Path) -> None:
    assert "network" in _refused(tmp_path, "![r](https://example.com/x.png)", tmp_path)
    assert "not found" in _refused(tmp_path, "![m](missing.png)", tmp_path)
    assert "no folder" in _refused(tmp_path, "![n](x.png)", None)


def test_html_image_next_to_the_exam_is_embedded(tmp_path: Path) -> None:
    (tmp_path / "fig.png").write_bytes(png_bytes())
    out = render(
        '<p><img src="fig.png" alt="fig"> <a href="fig.png">open</a></p>', fmt="html", base_dir=tmp_path
    )
    (img,) = elements(out, "img")
    assert img.attrs["src"].startswith("data:image/png;base64,")
    assert "href" not in elements(out, "a")[0].attrs


def test_author_data_uri_must_really_be_raster() -> None:
    import base64

    good = "data:image/png;base64," + base64.b64encode(png_bytes()).decode()
    fake = "data:image/png;base64," + base64.b64encode(b"<svg onload=alert(1)>").decode()
    assert elements(render(f"<img src='{good}'>", fmt="html"), "img")[0].attrs.get("src") == good
    with pytest.warns(UserWarning):
        assert "src" not in elements(render(f"<img src='{fake}'>", fmt="html"), "img")[0].attrs


# --- plain text stays plain -----------------------------------------------------------------------

ORIGINAL_LIKE = [
    "Which AWS service should be used to send notifications to users? (Choose TWO)",
    "Cost: $5 per month and $10 per year",
    "a_b_c",
    "2*3*4",
    "What does the * wildcard match in an S3 policy ARN like arn:aws:s3:::bucket/*?",
    "Amazon EC2 (Elastic Compute Cloud) - pay as you go; <= 1 hour billing",
    "AWS Snowball Edge Storage Optimized.\nIt moves up to 80 TB.",
    "C:\\Program Files\\AWS & friends",
    "Reserved Instances: 1-year or 3-year term, up to 72% off",
]


@pytest.mark.parametrize("text", ORIGINAL_LIKE)
def test_original_app_text_is_plain_and_reads_the_same(text: str) -> None:
    assert is_plain(text)
    out = render(text)
    assert out == render(text, fmt="plain")
    assert visible_text(out) == text


@pytest.mark.parametrize(
    "text",
    ["**bold**", "use `code`", "$x^2$", "- one\n- two", "1. first", "[a](https://x.y)", "# Title", "~~x~~",
     "```\ncode\n```", "| a | b |\n|---|---|\n| 1 | 2 |"],
)  # fmt: skip
def test_deliberate_markdown_is_not_plain(text: str) -> None:
    assert not is_plain(text)


@pytest.mark.compat
@pytest.mark.skipif(not COMPAT.is_dir(), reason=f"original app files not found at {COMPAT}")
def test_every_original_exam_text_renders_as_today() -> None:
    texts = []
    for path in sorted((COMPAT / "exams").glob("*.json")):
        for q in json.loads(path.read_text(encoding="utf-8"))["questions"]:
            options = q.get("options") or {}
            texts += [q["question"], *(options.values() if isinstance(options, dict) else options)]
            texts += [q[k] for k in ("explanation",) if isinstance(q.get(k), str)]
    md_exam = load_exam(COMPAT / "exams-markdown" / "exam_1.md")
    for q in md_exam.questions:
        texts += [q.text, *(o.text for o in q.options)]
    assert len(texts) > 100
    changed = [t for t in texts if visible_text(render(t)) != t.strip()]
    assert changed == []


# --- caching, errors, fallback ---------------------------------------------------------------------


def test_repeated_render_comes_from_the_cache() -> None:
    text = "A **question** with $x$"
    first = render(text)
    before = cache_info()
    assert render(text) is first
    after = cache_info()
    assert after["hits"] == before["hits"] + 1 and after["misses"] == before["misses"]
    render(text, fmt="html")  # another format is another entry
    assert cache_info()["entries"] == 2


def test_changed_image_is_read_again(tmp_path: Path) -> None:
    fig = tmp_path / "fig.png"
    fig.write_bytes(png_bytes(1, 1))
    first = render("![f](fig.png)", base_dir=tmp_path)
    fig.write_bytes(png_bytes(3, 3))
    st = fig.stat()
    os.utime(fig, ns=(st.st_atime_ns, st.st_mtime_ns + 10_000_000))
    second = render("![f](fig.png)", base_dir=tmp_path)
    assert second != first and elements(second, "img")


@pytest.mark.parametrize(("text", "fmt", "words"), [(3, "markdown", "found 3"), ("x", "rst", "found 'rst'")])
def test_bad_arguments_raise_exam_error(text: object, fmt: str, words: str) -> None:
    with pytest.raises(ExamError, match=words):
        render(text, fmt=fmt)  # type: ignore[arg-type]


def test_without_any_sanitizer_everything_is_escaped_plain_text() -> None:
    # A fresh interpreter where neither nh3 nor the pure-Python justhtml imports (test_richtext_paths.py has
    # the one where only nh3 is missing, as in JupyterLite).
    code = """
import sys, warnings, json
sys.modules["nh3"] = None
sys.modules["justhtml"] = None
from quiz_widgets.richtext import render, sanitizer_available
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    outs = [render(t, fmt=f) for t in ("**b** <img src=x onerror=alert(1)>", "$x$") for f in ("markdown", "html")]
    outs.append(render("a\\nb", fmt="plain"))
print(json.dumps({"outs": outs, "available": sanitizer_available(),
                  "warnings": [str(w.message) for w in caught]}))
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, check=True)
    result = json.loads(done.stdout)
    assert result["available"] is False
    assert result["outs"] == [
        "**b** &lt;img src=x onerror=alert(1)&gt;",
        "**b** &lt;img src=x onerror=alert(1)&gt;",
        "$x$",
        "$x$",
        "a<br>\nb",
    ]
    assert len(result["warnings"]) == 1 and "neither nh3 nor justhtml is installed" in result["warnings"][0]
