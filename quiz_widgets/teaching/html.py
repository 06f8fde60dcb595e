"""The class report as one self-contained HTML file: tables plus plots drawn here as inline SVG.

Nothing is loaded from the network (no script at all, no fonts, no images by URL; a Content Security
Policy says so to the browser too), and every text from the results files - learner names, exam titles,
question texts, answers - is escaped: results files are as untrusted as the exams they came from.

The report's own words (headings, column names, notes, the flags) come from the message catalogue in the
language asked for (``lang=``, English by default); the class's data is shown as it is.
"""

from __future__ import annotations

import gettext
import html
import math
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from quiz_widgets.i18n import Words, resolve, say, translations

if TYPE_CHECKING:
    from quiz_widgets.teaching.report import ClassReport

__all__ = ["bar_chart", "histogram", "render_report", "sparkline"]

_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:70rem;color:#1f2933;
padding:0 1rem}
h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2.2rem;border-bottom:1px solid #d9e2ec}
table{border-collapse:collapse;font-size:.85rem;margin:.5rem 0}
th,td{border:1px solid #d9e2ec;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f0f4f8}td.n{text-align:right;font-variant-numeric:tabular-nums}
.summary span{display:inline-block;margin-right:2rem}.summary b{font-size:1.3rem}
svg text{font-family:inherit;font-size:11px;fill:#1f2933}.note{color:#52606d;font-size:.85rem}
"""
_BAR = "#3b82c4"
_LOW = "#d9534f"


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


_ENGLISH = gettext.NullTranslations()


def _pct(value: float | None, words: gettext.NullTranslations = _ENGLISH) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    # "42 %" in German, Spanish and French: the sign's spacing is the language's, so it is a msgid.
    return words.gettext("{percent}%").format(percent=f"{100 * value:.0f}")


def _num(value: Any, digits: int = 2, words: gettext.NullTranslations = _ENGLISH) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    if isinstance(value, float):
        # i18n: the decimal separator of numbers in the report ("," in German, Spanish and French)
        separator = words.gettext(".")
        return f"{value:.{digits}f}".replace(".", separator)
    return str(value)


def _heading(text: str) -> str:
    return f"<h2>{_e(text)}</h2>"


def _note(text: str) -> str:
    return f'<p class="note">{_e(text)}</p>'


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def bar_chart(
    rows: list[tuple[str, float]],
    *,
    label: str,
    width: int = 640,
    scale_max: float = 1.0,
    words: gettext.NullTranslations = _ENGLISH,
) -> str:
    """Horizontal bars, one per (label, value in 0..scale_max); values shown as percentages."""
    if not rows:
        return _note(words.gettext("No data."))
    left, bar_h, gap = 260, 16, 6
    height = len(rows) * (bar_h + gap) + 10
    span = width - left - 60
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{_e(label)}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">'
    ]
    for i, (name, value) in enumerate(rows):
        y = 5 + i * (bar_h + gap)
        v = 0.0 if math.isnan(value) else max(0.0, min(value, scale_max))
        w = span * v / scale_max if scale_max else 0
        parts.append(
            f'<text x="{left - 6}" y="{y + bar_h - 4}" text-anchor="end">{_e(_cut(name, 40))}</text>'
        )
        parts.append(
            f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{_BAR}"><title>'
            f"{_e(name)}: {_e(_pct(value, words))}</title></rect>"
        )
        parts.append(f'<text x="{left + w + 4:.1f}" y="{y + bar_h - 4}">{_e(_pct(value, words))}</text>')
    parts.append("</svg>")
    return "".join(parts)


def signed_bar_chart(
    rows: list[tuple[str, float]], *, label: str, width: int = 640, words: gettext.NullTranslations = _ENGLISH
) -> str:
    """Bars for values in -1..1 around a zero line (discrimination)."""
    if not rows:
        note = words.gettext("No question has a discrimination value yet (it needs answers that differ).")
        return f'<p class="note">{_e(note)}</p>'
    left, bar_h, gap = 260, 16, 6
    height = len(rows) * (bar_h + gap) + 10
    half = (width - left - 50) / 2
    zero = left + half
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{_e(label)}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
        f'<line x1="{zero:.1f}" y1="0" x2="{zero:.1f}" y2="{height}" stroke="#9aa5b1"/>',
    ]
    for i, (name, value) in enumerate(rows):
        y = 5 + i * (bar_h + gap)
        v = max(-1.0, min(1.0, value))
        w = abs(v) * half
        x = zero if v >= 0 else zero - w
        colour = _BAR if v >= 0.2 else _LOW
        shown = _num(v, 2, words)
        parts.append(
            f'<text x="{left - 6}" y="{y + bar_h - 4}" text-anchor="end">{_e(_cut(name, 40))}</text>'
        )
        parts.append(
            f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="{colour}"><title>'
            f"{_e(name)}: {shown}</title></rect>"
        )
        parts.append(f'<text x="{zero + (w if v >= 0 else 0) + 4:.1f}" y="{y + bar_h - 4}">{shown}</text>')
    parts.append("</svg>")
    return "".join(parts)


def histogram(
    values: list[float],
    *,
    label: str,
    bins: int = 10,
    width: int = 640,
    height: int = 220,
    words: gettext.NullTranslations = _ENGLISH,
) -> str:
    """Counts of values in 0..1 in *bins* equal bins (1.0 falls in the last bin)."""
    values = [v for v in values if not math.isnan(v)]
    if not values:
        return _note(words.gettext("No attempts."))
    counts = [0] * bins
    for v in values:
        counts[min(int(max(v, 0.0) * bins), bins - 1)] += 1
    top = max(counts)
    left, bottom, plot_h = 40, 30, height - 50
    bar_w = (width - left - 10) / bins
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{_e(label)}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 10}" y2="{height - bottom}" stroke="#9aa5b1"/>',
    ]
    for i, c in enumerate(counts):
        h = plot_h * c / top
        x = left + i * bar_w
        y = height - bottom - h
        lo, hi = i / bins, (i + 1) / bins
        parts.append(
            f'<rect x="{x + 1:.1f}" y="{y:.1f}" width="{bar_w - 2:.1f}" height="{h:.1f}" fill="{_BAR}">'
            f"<title>{_e(_pct(lo, words))}-{_e(_pct(hi, words))}: {c}</title></rect>"
        )
        if c:
            parts.append(f'<text x="{x + bar_w / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle">{c}</text>')
        parts.append(
            f'<text x="{x + bar_w / 2:.1f}" y="{height - bottom + 14}" text-anchor="middle">'
            f"{_e(_pct(lo, words))}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def sparkline(points: list[float], *, label: str, width: int = 160, height: int = 36) -> str:
    """A learner's accuracy (0..1) over their attempts, oldest first."""
    pts = [p for p in points if not math.isnan(p)]
    if not pts:
        return ""
    step = (width - 8) / max(len(pts) - 1, 1)
    coords = [(4 + i * step, height - 4 - (height - 8) * p) for i, p in enumerate(pts)]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    dots = "".join(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="{_BAR}"/>' for x, y in coords)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{_e(label)}" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}"><polyline points="{line}" fill="none" '
        f'stroke="{_BAR}" stroke-width="1.5"/>{dots}</svg>'
    )


def _table(columns: list[tuple[str, str]], rows: list[dict[str, Any]], numeric: set[str]) -> str:
    head = "".join(f"<th>{_e(title)}</th>" for _, title in columns)
    body = []
    for row in rows:
        cells = []
        for key, _ in columns:
            value = row.get(key)
            if key in numeric:
                cells.append(f'<td class="n">{value}</td>')  # pre-formatted by the caller, already safe
            else:
                cells.append(f"<td>{_e(value)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _question_label(row: dict[str, Any]) -> str:
    text = row.get("question") or ""
    return f"{row['exam']} #{row['question_id']}" + (f": {text}" if text else "")


def _items_section(report: ClassReport, words: gettext.NullTranslations) -> str:
    """Moodle's item statistics of the questions a reviewer should look at (item_stats.py's flags),
    and Cronbach's alpha per exam; on each learner's first attempt."""
    _ = words.gettext
    flagged = [
        {
            **r,
            "facility": _pct(r["facility"], words),
            "discrimination_index": _num(r["discrimination_index"], 2, words),
            "discriminative_efficiency": _pct(r["discriminative_efficiency"], words),
            "point_biserial": _num(r["point_biserial"], 2, words),
            "question": _cut(r["question"] or "", 120),
            "look_at": say(r["look_at"], words),
        }
        for r in report.item_rows()
        if r["look_at"]
    ]
    alphas = ", ".join(
        _e(r["exam"])
        + ": "
        + _e(
            words.ngettext("{alpha} ({n} attempt)", "{alpha} ({n} attempts)", r["attempts"]).format(
                alpha=_num(r["alpha"], 2, words), n=r["attempts"]
            )
        )
        for r in report.reliability_rows()
    )
    note = _(
        "Moodle's item statistics on each learner's first attempt: negative discrimination, facility near 0 "
        "or 1, an option nobody picks, a wrong answer strong learners pick. Cronbach's alpha: {alphas}."
    )
    parts = [
        _heading(_("Items to look at")),
        # The alphas are escaped already (the exam titles) and hold no markup of the catalogue's.
        f'<p class="note">{_e(note).replace("{alphas}", alphas or "-")}</p>',
    ]
    if flagged:
        parts.append(
            _table(
                [
                    ("exam", _("Exam")),
                    ("question_id", _("Id")),
                    ("question", _("Question")),
                    ("facility", _("Facility")),
                    ("discrimination_index", _("Discrimination (27%)")),
                    ("point_biserial", _("Point-biserial")),
                    ("discriminative_efficiency", _("Efficiency")),
                    ("look_at", _("Why")),
                ],
                flagged,
                {"facility", "discrimination_index", "point_biserial", "discriminative_efficiency"},
            )
        )
    else:
        parts.append(_note(_("No question flagged.")))
    return "\n".join(parts)


def render_report(
    report: ClassReport,
    *,
    title: str | None = None,
    lang: str | None = None,
    words: gettext.NullTranslations | None = None,
) -> str:
    """The whole HTML document as a string, its own words in ``lang`` (English by default; ``words``, a
    catalogue, wins over ``lang``). ``title`` defaults to "Class report" in that language."""
    if words is None:
        words = translations(lang)
    _ = words.gettext
    title = _("Class report") if title is None else title
    attempts = report.attempt_rows()
    questions = report.question_rows()
    topics = report.topic_rows()
    learners = report.learner_rows()

    hardest = sorted(questions, key=lambda r: (r["correct_share"], -r["attempts"]))[:10]
    with_d = [r for r in questions if not math.isnan(r["discrimination"])]
    least = sorted(with_d, key=lambda r: r["discrimination"])[:10]
    per_learner: dict[str, list[float]] = defaultdict(list)
    for a in attempts:
        per_learner[a["learner"]].append(a["accuracy"])

    learner_rows = [
        {
            **r,
            "mean_accuracy": _pct(r["mean_accuracy"], words),
            "best_accuracy": _pct(r["best_accuracy"], words),
            "last_accuracy": _pct(r["last_accuracy"], words),
            "trend": sparkline(
                per_learner[r["learner"]], label=_("scores of {learner}").format(learner=r["learner"])
            ),
        }
        for r in learners
    ]
    question_rows = [
        {
            **r,
            "correct_share": _pct(r["correct_share"], words),
            "discrimination": _num(r["discrimination"], 2, words),
            "mean_seconds": _num(r["mean_seconds"], 1, words),
            "question": _cut(r["question"] or "", 120),
            # A learner's answer is shown as given; only a generated question's "0.001 times the key" is words.
            "most_chosen_wrong": say(r["most_chosen_wrong"], words)
            if isinstance(r["most_chosen_wrong"], Words)
            else r["most_chosen_wrong"],
        }
        for r in questions
    ]
    attempt_rows = [
        {**r, "accuracy": _pct(r["accuracy"], words), "elapsed_seconds": _num(r["elapsed_seconds"], 0)}
        for r in attempts
    ]
    skipped = "".join(f"<li>{_e(name)}: {_e(why)}</li>" for name, why in report.skipped)
    mean_acc = [a["accuracy"] for a in attempts if not math.isnan(a["accuracy"])]
    exams = len({a["exam"] for a in attempts})

    def figure(text: str, n: int) -> str:
        # "<b>12</b> attempts": the number is bold, the word around it is the language's.
        return "<span>" + _e(text).replace("{n}", f"<b>{n}</b>") + "</span>"

    mean_text = _pct(sum(mean_acc) / len(mean_acc), words) if mean_acc else "-"
    learner_table = _table(
        [
            ("learner", _("Learner")),
            ("attempts", _("Attempts")),
            ("exams", _("Exams")),
            ("mean_accuracy", _("Mean")),
            ("best_accuracy", _("Best")),
            ("last_accuracy", _("Last")),
            ("trend", _("Scores over attempts")),
        ],
        learner_rows,
        {"attempts", "exams", "mean_accuracy", "best_accuracy", "last_accuracy", "trend"},
    )
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{resolve(lang)}"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        '<p class="summary">'
        + figure(words.ngettext("{n} attempt", "{n} attempts", len(attempts)), len(attempts))
        + figure(words.ngettext("{n} learner", "{n} learners", len(learners)), len(learners))
        + figure(words.ngettext("{n} exam", "{n} exams", exams), exams)
        + "<span>"
        + _e(_("{mean} mean accuracy")).replace("{mean}", f"<b>{_e(mean_text)}</b>")
        + "</span></p>",
        _heading(_("Score distribution")),
        histogram(
            [a["accuracy"] for a in attempts], label=_("number of attempts per accuracy band"), words=words
        ),
        _heading(_("Accuracy per topic")),
        bar_chart([(t["topic"], t["accuracy"]) for t in topics], label=_("accuracy per topic"), words=words),
        _heading(_("Hardest questions")),
        _note(_("Lowest share of right answers.")),
        bar_chart(
            [(_question_label(r), r["correct_share"]) for r in hardest],
            label=_("hardest questions"),
            words=words,
        ),
        _heading(_("Least discriminating questions")),
        '<p class="note">'
        + _e(
            _(
                "Point-biserial correlation of the question with the rest of the score: near zero or "
                "negative means strong learners miss it as often as weak ones (a question to check)."
            )
        )
        + "</p>",
        signed_bar_chart(
            [(_question_label(r), r["discrimination"]) for r in least],
            label=_("least discriminating questions"),
            words=words,
        ),
        _heading(_("Learners")),
        learner_table,
        _heading(_("Questions")),
        _table(
            [
                ("exam", _("Exam")),
                ("question_id", _("Id")),
                ("question", _("Question")),
                ("topic", _("Topic")),
                ("attempts", _("Attempts")),
                ("correct_share", _("Right")),
                ("discrimination", _("Discrimination")),
                ("most_chosen_wrong", _("Most chosen wrong answer")),
                ("mean_seconds", _("Mean seconds")),
            ],
            question_rows,
            {"attempts", "correct_share", "discrimination", "mean_seconds"},
        ),
        _items_section(report, words),
        _heading(_("Attempts")),
        _table(
            [
                ("learner", _("Learner")),
                ("exam", _("Exam")),
                ("date", _("Date")),
                ("score", _("Score")),
                ("total", _("Total")),
                ("accuracy", _("Accuracy")),
                ("elapsed_seconds", _("Seconds")),
            ],
            attempt_rows,
            {"score", "total", "accuracy", "elapsed_seconds"},
        ),
    ]
    if skipped:
        parts += [_heading(_("Files skipped")), f"<ul>{skipped}</ul>"]
    parts.append("</body></html>")
    return "\n".join(parts)
