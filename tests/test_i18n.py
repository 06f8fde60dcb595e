"""The learner's language: the message catalogues, lang= and the page's language, and no English left out.

The catalogues are checked as files (the .pot matches the code, every shipped language translates every
msgid with the same placeholders); the widget in Python (lang= wins, else the page's language, else
English); the views in Chromium against a fake model (tests/test_view_harness.py's harness): with a
pseudo-locale built from the .pot, every word on the question, feedback, paused and finish screens must
come from the catalogue, and with lang="de" those screens are German while the exam text is unchanged.
"""

from __future__ import annotations

import gettext
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from test_view_harness import (  # noqa: F401  (browser, page, server: the harness's fixtures)
    FEEDBACK_WRONG,
    REVIEW_ROWS,
    SUMMARY,
    browser,
    list_traits,
    page,
    question,
    review_rows,
    server,
    traits,
)
from widget_utils import page_message

from quiz_widgets.cli import main as cli_main
from quiz_widgets.errors import AnswerError, SessionError
from quiz_widgets.i18n import (
    LOCALE_DIR,
    PluralWords,
    Words,
    resolve,
    say,
    shipped_languages,
    view_messages,
)
from quiz_widgets.kernel.screen import shown_warning
from quiz_widgets.store.manager import SessionManager
from quiz_widgets.teaching import html as html_report
from quiz_widgets.teaching.report import ClassReport
from quiz_widgets.ui.class_view import ClassView
from quiz_widgets.ui.quiz_widget import QuizWidget
from quiz_widgets.ui.session_browser import SessionBrowser

ROOT = Path(__file__).resolve().parents[1]
POT = LOCALE_DIR / "quiz_widgets.pot"
PLACEHOLDER = re.compile(r"\{\w+\}")
EXAM = {
    "title": "Erdkunde",
    "questions": [
        {
            "id": 1,
            "question": "Which river flows through Paris?",
            "options": ["Seine", "Rhine"],
            "answer": "A",
        },
        {
            "id": 2,
            "question": "Pick two",
            "type": "multiChoice",
            "options": ["a", "b", "c"],
            "answer": ["A", "C"],
        },
    ],
}


def quiz_of(base: Path, exam: dict = EXAM, **options) -> QuizWidget:
    """A quiz on ``exam`` saving under ``base``, without the autosave heartbeat."""
    return QuizWidget(exam, base_dir=base, autosave_interval=0, **options)


@pytest.fixture
def german(tmp_path: Path, recording_comms) -> Iterator[QuizWidget]:
    """The learner's language set by the author: lang="de" (sessions in tmp_path), closed after the test."""
    quiz = quiz_of(tmp_path, lang="de")
    yield quiz
    quiz.close()


def catalogue(lang: str):
    with (LOCALE_DIR / lang / "LC_MESSAGES" / "quiz_widgets.po").open("rb") as handle:
        return read_po(handle, locale=lang)


# ---------------------------------------------------------------------------------------- the files
def test_the_pot_and_every_catalogue_match_the_code() -> None:
    # A msgid added to a view without running the script fails here, naming the file to regenerate.
    proc = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "i18n.py"), "--check"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr


def test_shipped_languages_translate_every_msgid_with_its_placeholders() -> None:
    assert shipped_languages() == ["de", "en", "es", "fr"]
    with POT.open("rb") as handle:
        msgids = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}
    assert len(msgids) > 50
    for lang in ("de", "es", "fr"):
        entries = {m.id if isinstance(m.id, str) else m.id[0]: m for m in catalogue(lang) if m.id}
        assert set(entries) == msgids, lang
        for msgid, message in entries.items():
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            assert all(strings) and not message.fuzzy, f"{lang}: {msgid!r} is not translated"
            wanted = set(PLACEHOLDER.findall(" ".join(ids)))
            for text in strings:
                # {n} may be left out of a singular ("1 Versuch" reads better as words); no other may.
                assert set(PLACEHOLDER.findall(text)) | ({"{n}"} & wanted) >= wanted, f"{lang}: {text!r}"
                assert set(PLACEHOLDER.findall(text)) <= wanted, (
                    f"{lang}: {text!r} has an unknown placeholder"
                )


def test_plural_forms_and_language_tags() -> None:
    assert resolve("de-AT") == "de" and resolve("fr_CA.UTF-8") == "fr" and resolve("ES") == "es"
    assert resolve("nl") == "en" and resolve(None) == "en" and resolve("") == "en"
    de, fr = view_messages("de"), view_messages("fr")
    assert de[""] == {"lang": "de", "plural": "(n != 1)"}
    assert fr[""]["plural"] == "(n > 1)"  # French: "0 tentative", "2 tentatives"
    assert de["Your progress ({n} attempt)"] == [
        "Dein Fortschritt ({n} Versuch)",
        "Dein Fortschritt ({n} Versuche)",
    ]
    assert view_messages("nl") == {"": {"lang": "en", "plural": "n != 1"}}


# ------------------------------------------------------------------------------- the widget in Python
def test_lang_wins_else_the_page_language_else_english(tmp_path: Path, german: QuizWidget) -> None:
    page_message(german, {"type": "page_lang", "lang": "fr-FR", "request": "v-1"})
    assert german.messages["Submit"] == "Absenden"  # the author's lang= stays
    assert german.error == ""

    quiz = quiz_of(tmp_path / "b")
    assert quiz.messages == {"": {"lang": "en", "plural": "n != 1"}}
    page_message(quiz, {"type": "page_lang", "lang": "es-MX", "request": "v-1"})
    assert quiz.messages["Submit"] == "Enviar"
    page_message(quiz, {"type": "page_lang", "lang": "<script>", "request": "v-2"})
    assert quiz.messages[""]["lang"] == "en"  # no language a page could mean: English
    # Exam text is the author's: never translated.
    assert quiz.question["text"] == "Which river flows through Paris?"
    quiz.close()


# ---------------------------------------------------------------------------------- the views, Chromium
def pseudo_messages() -> dict:
    """Every msgid of the .pot as ⟦its English⟧: a word the views show without the catalogue stays bare."""
    with POT.open("rb") as handle:
        pot = read_po(handle)
    messages: dict = {"": {"lang": "pseudo", "plural": "(n != 1)"}}
    for m in pot:
        if not m.id:
            continue
        if isinstance(m.id, tuple):
            messages[m.id[0]] = [f"⟦{form}⟧" for form in m.id]
        else:
            messages[m.id] = f"⟦{m.id}⟧"
    return messages


class PseudoCatalogue(gettext.NullTranslations):
    """The .pot's msgids as ⟦their English⟧; a sentence the code shows without a msgid stays bare."""

    def __init__(self) -> None:
        super().__init__()
        with POT.open("rb") as handle:
            pot = read_po(handle)
        self.known = {m.id[0] if isinstance(m.id, tuple) else m.id for m in pot if m.id}

    def gettext(self, message: str) -> str:
        return f"⟦{message}⟧" if message in self.known else message

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return f"⟦{singular if n == 1 else plural}⟧" if singular in self.known else (singular, plural)[n != 1]


PSEUDO = PseudoCatalogue()
NUMERIC_EXAM = {
    "title": "Zahlen",
    "questions": [{"id": 1, "question": "How many?", "type": "numeric", "answer": 3}],
}


def data_values(text: Words | str) -> list[str]:
    """The values a sentence was filled with that are data, not words (paths, a system's error text)."""
    if not isinstance(text, Words):
        return []
    found: list[str] = []
    for value in text.values.values():
        found += data_values(value) if isinstance(value, Words) else [str(value)]
    return sorted(set(found), key=len, reverse=True)


def exam_strings(*values) -> list[str]:
    found: list[str] = []

    def walk(value):
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for value in values:
        walk(value)
    return sorted({s for s in found if s.strip()}, key=len, reverse=True)


# Visible text nodes, and the names a screen reader reads (aria-label, title, placeholder), under `sel`.
VISIBLE_TEXTS = """sel => {
  const out = [];
  for (const root of document.querySelectorAll(sel)) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const el = node.parentElement;
      if (!node.textContent.trim() || !el || !el.checkVisibility()) continue;
      if (el.closest(".qw-html")) continue; // the exam's own text as the kernel rendered it (rich.js)
      out.push(node.textContent);
    }
    for (const el of [root, ...root.querySelectorAll("*")]) {
      for (const name of ["aria-label", "title", "placeholder"]) {
        if (el.getAttribute(name) && (el.checkVisibility() || name === "aria-label")) out.push(el.getAttribute(name));
      }
    }
  }
  return out;
}"""
SCREEN_PARTS = ".qw-root"


def bare_words(texts: list[str], exam: list[str]) -> list[str]:
    """The texts with words left once the catalogue's ⟦…⟧ and the exam's own text are taken out."""
    bare = []
    for text in texts:
        rest = text
        while re.search(r"⟦[^⟦⟧]*⟧", rest):  # innermost first: a message may hold another ({status})
            rest = re.sub(r"⟦[^⟦⟧]*⟧", " ", rest)
        for s in exam:
            rest = re.sub(rf"(?<!\w){re.escape(s)}(?!\w)", " ", rest)
        if re.search(r"[^\W\d_]", rest):
            bare.append(text)
    return bare


SCREENS = {
    "question": {"question": question()},
    "multi choice": {"question": question("multiChoice")},
    "numeric": {"question": question("numeric")},
    "carried": {"question": question(carried=True)},
    "feedback": {"phase": "feedback", "feedback": FEEDBACK_WRONG},
    "partly right": {"phase": "feedback", "feedback": {**FEEDBACK_WRONG, "partial": True, "credit": 50}},
    "paused": {"phase": "paused"},
    "read only": {"read_only": True},
    "finished": {
        "phase": "finished",
        "summary": {
            **SUMMARY,
            "partial_credit": True,
            "points": 7.5,
            "partial": [{"number": 4, "question": "Which are storage?", "credit": 50}],
            "unanswered": [{"number": 6, "question": "What is IAM?"}],
            "not_recorded": 2,
        },
        "progress": {
            "count": 2,
            "attempts": [
                {"date": "2026-01-01T10:00", "score": 5, "answered": 10},
                {"date": "2026-01-02T10:00", "score": 7, "answered": 10},
            ],
            "topics": [{"topic": "Storage", "correct": 6, "answered": 8}],
        },
    },
    "exam timed out": {
        "phase": "finished",
        "mode": "exam",
        "summary": {
            **SUMMARY,
            "mode": "exam",
            "submitted": True,
            "timed_out": True,
            "unanswered": [{"number": 1, "question": "Q?"}],
        },
    },
    "review": {"phase": "review", "question": {}, "summary": SUMMARY, "review_rows": REVIEW_ROWS},
    "review, finished early": {
        "phase": "review",
        "question": {},
        "summary": {**SUMMARY, "completed": False, "quit_by_user": True},
        "review_rows": review_rows(6, answered=(1,)),
    },
    "review, nothing flagged": {
        "phase": "review",
        "question": {},
        "summary": {},
        "review_rows": [],
        "can_go_back": True,
    },
    "map, study mode": {
        "mode": "study",
        "points": 1.5,
        "question_map": [
            {"number": 1, "status": "right", "flagged": True},
            {"number": 2, "status": "wrong"},
            {"number": 3, "status": "unanswered", "current": True},
        ],
    },
    "continued, confirm": {"continued": "Continued from 2026-01-01", "_click": ".qw-new-attempt"},
    "exam, confirm submit": {
        "mode": "exam",
        "time_limit": 600,
        "time_left": 300,
        "countdown_running": True,
        "question_map": [
            {"number": 1, "status": "answered"},
            {"number": 2, "status": "unanswered", "current": True},
        ],
        "_click": ".qw-finish",
    },
    "practice, confirm finish": {"_click": ".qw-finish"},
    "exam not submitted": {
        "phase": "finished",
        "mode": "exam",
        "summary": {**SUMMARY, "mode": "exam", "submitted": False},
    },
    # Confidence (QuizWidget(exam, confidence="cbm")): the question with an option chosen and the level asked,
    # the feedback's level and mark, the finish screen's CBM score and calibration table, the review's level.
    "confidence, option chosen": {"confidence": "cbm", "_click": ".qw-option >> nth=0"},
    "confidence, feedback": {
        "phase": "feedback",
        "confidence": "cbm",
        "feedback": {**FEEDBACK_WRONG, "confidence": 3, "cbm_mark": -6.0},
    },
    "confidence, finished": {
        "phase": "finished",
        "confidence": "cbm",
        "summary": {
            **SUMMARY,
            "cbm_score": -2.0,
            "calibration": [
                {"topic": topic, "levels": [{"level": lv, "answered": n, "right": r} for lv, n, r in counts]}
                for topic, counts in (
                    ("Storage", ((3, 2, 1), (2, 0, 0), (1, 1, 1))),
                    ("Compute", ((3, 1, 1),)),
                )
            ],
        },
    },
    "confidence, review": {
        "phase": "review",
        "question": {},
        "confidence": "levels",
        "summary": SUMMARY,
        "review_rows": [{**row, "confidence": 2} for row in REVIEW_ROWS],
    },
}


@pytest.mark.browser
@pytest.mark.parametrize("screen", list(SCREENS))
def test_every_word_of_the_question_and_finish_screens_is_from_the_catalogue(page, screen) -> None:  # noqa: F811
    screen_state = dict(SCREENS[screen])
    click = screen_state.pop("_click", None)
    state = traits(**screen_state, messages=pseudo_messages())
    page.evaluate("t => window.mount(t)", state)
    if click:
        page.locator(click).click()
    texts = page.evaluate(VISIBLE_TEXTS, SCREEN_PARTS)
    assert any("⟦" in text for text in texts), texts  # the screen was drawn, with the catalogue's words
    exam = exam_strings(
        state["exam_title"],
        state.get("continued", ""),
        state["question"],
        state["feedback"],
        state["summary"],
        state.get("progress", {}),
        state.get("review_rows", []),
    )
    assert bare_words(texts, exam) == []


@pytest.mark.browser
def test_lang_de_shows_german_and_leaves_the_exam_text_alone(page) -> None:  # noqa: F811
    de = view_messages("de")
    page.evaluate("t => window.mount(t)", traits(question=question("multiChoice"), messages=de))
    main = page.locator("#app .qw-main")
    assert (
        main.locator(".qw-choose").inner_text() == "Kreuze jede gewählte Option an und wähle dann „Absenden“."
    )
    assert page.get_by_role("button", name="Absenden").is_visible()
    assert page.get_by_role("button", name="Pause").is_visible()
    # The exam's words as written.
    assert main.get_by_text("Which are storage services? (Choose TWO)").is_visible()
    assert page.get_by_role("checkbox", name="Amazon S3").count() == 1

    page.evaluate(
        "v => window.setTraits(v)", {"phase": "feedback", "question": question(), "feedback": FEEDBACK_WRONG}
    )
    live = page.locator("#app .qw-feedback-region")
    assert live.locator(".qw-verdict").inner_text() == "✗ Falsch"
    assert live.get_by_text("Deine Antwort", exact=True).is_visible()
    assert live.get_by_text("S3 is object storage; EC2 is compute.").is_visible()
    assert page.get_by_role("button", name="Weiter").is_visible()

    page.evaluate("v => window.setTraits(v)", {"phase": "finished", "summary": SUMMARY})
    assert main.locator(".qw-finished-title").inner_text() == "Quiz abgeschlossen"
    facts = main.locator(".qw-facts").inner_text()
    assert "Punktzahl" in facts and "Trefferquote" in facts and "10 von 10" in facts
    assert main.get_by_text("Falsche Antworten (3)").is_visible()
    assert main.get_by_text("Which service runs containers?").is_visible()
    assert page.get_by_role("button", name="Falsche Antworten üben").is_visible()


@pytest.mark.browser
def test_the_titles_the_package_makes_are_shown_in_the_learner_language(page) -> None:  # noqa: F811
    # They stay English in the files (the original app and the deck read them back); the exam's own part of
    # a title is exam text, kept as written.
    de = view_messages("de")
    shown = {
        "Networking - Study Wrong Answers": "Networking – Falsche Antworten üben",  # noqa: RUF001 (German's dash)
        "Study Wrong Answers (2 exams)": "Falsche Antworten üben (2 Prüfungen)",
        "Spaced review": "Verteilte Wiederholung",
        "Networking - Study Wrong Answers (draft)": "Networking - Study Wrong Answers (draft)",
    }
    for title, expected in shown.items():
        page.evaluate("t => window.mount(t)", traits(exam_title=title, messages=de))
        assert page.locator("#app .qw-title").inner_text() == expected


@pytest.mark.browser
def test_the_view_reports_the_page_language_and_redraws_in_it(page) -> None:  # noqa: F811
    page.evaluate("document.documentElement.lang = 'fr-FR'")
    page.evaluate("t => window.mount(t)", traits(question=question("numeric")))
    assert page.get_by_role("button", name="Submit").is_visible()
    reports = [m for m in page.evaluate("window.sent") if m.get("type") == "page_lang"]
    assert [m["lang"] for m in reports] == ["fr-FR"]
    # The kernel answers with the French catalogue: the screen drawn already changes its words.
    page.evaluate("v => window.setTraits(v)", {"messages": view_messages("fr")})
    assert page.get_by_role("button", name="Valider").is_visible()
    assert page.get_by_role("button", name="Pause").is_visible()
    assert page.get_by_text("How many availability zones at least?").is_visible()


ASKED = Words(
    "Delete the session \u201c{title}\u201d from {date} ({progress} answered)? This cannot be undone.",
    title="Cloud Practitioner Practice",
    date="2025-11-20 09:15",
    progress="3/10",
)
NOTICE = PluralWords("Deleted {n} saved session.", "Deleted {n} saved sessions.", 2, n=2)
LIST_SCREENS = {
    "sessions": {},
    # The kernel's question, notice and refusal as the list's catalogue says them (kernel tests above).
    "sessions, confirm": {"confirm": {"action": "delete", "id": "s1", "text": say(ASKED, PSEUDO)}},
    "sessions, notice and error": {
        "notice": say(NOTICE, PSEUDO),
        "error": say(Words("there is nothing to confirm"), PSEUDO),
    },
    "an exam not graded": {
        "sessions": [
            {
                "id": "s1",
                "title": "Final exam",
                "date": "2025-11-20 09:15",
                "progress": "3/10",
                "score": "not graded",
                "time": "0:04:10",
                "state": "quit",
            }
        ]
    },
    "no sessions": {"sessions": []},
    "results": {
        "tab": "results",
        "results": [
            {
                "id": "r1",
                "title": "Cloud Practitioner Practice",
                "date": "2025-11-20 09:15",
                "score": "7/10",
                "wrong": 3,
            }
        ],
    },
    "no results": {"tab": "results"},
}


@pytest.mark.browser
@pytest.mark.parametrize("screen", list(LIST_SCREENS))
def test_every_word_of_the_session_list_is_from_the_catalogue(page, screen) -> None:  # noqa: F811
    state = list_traits(**LIST_SCREENS[screen], messages=pseudo_messages())
    page.evaluate("t => window.mount(t, 'list')", state)
    texts = page.evaluate(VISIBLE_TEXTS, ".qw-browser")
    assert any("⟦" in text for text in texts), texts
    # The rows' titles, dates and numbers are the learner's data; their state and "not graded" are words.
    rows = [{k: v for k, v in row.items() if k != "state" and v != "not graded"} for row in state["sessions"]]
    data = exam_strings(rows, state["results"]) + data_values(ASKED)
    assert bare_words(texts, data) == []


def test_session_browser_lang_reaches_its_list_and_its_quiz(tmp_path: Path, recording_comms) -> None:
    listing = SessionBrowser(tmp_path, lang="fr")
    assert listing.messages["Previous Sessions"] == "Sessions précédentes"
    assert listing._embedded.messages["Submit"] == "Valider"
    page_message(listing, {"type": "page_lang", "lang": "de", "request": "v-1"})
    assert listing.messages[""]["lang"] == "fr"  # lang= wins over the page's
    listing.close()

    listing = SessionBrowser(tmp_path / "b")
    assert listing.messages[""]["lang"] == "en"
    page_message(listing, {"type": "page_lang", "lang": "de-CH", "request": "v-1"})
    assert listing.messages["Previous Sessions"] == "Frühere Sitzungen"
    assert listing.quiz_state["messages"]["Submit"] == "Absenden"  # the quiz it opens, in the same language
    assert listing.error == ""
    listing.close()


def test_the_continued_note_speaks_the_learner_language(tmp_path: Path, recording_comms) -> None:
    first = quiz_of(tmp_path)
    first.answer("A")
    first.close()
    # The cell now asks for a timed exam: the note says the attempt keeps its own settings, in German.
    again = quiz_of(tmp_path, lang="de", mode="exam", time_limit=600)
    try:
        assert again.continued.startswith("Du setzt deinen Versuch vom ")
        assert "1 von 2 beantwortet." in again.continued
        assert "verlangt jetzt den Prüfungsmodus, ein Zeitlimit von 10 Minuten: Starte" in again.continued
    finally:
        again.close()
    # Without lang=, the note follows the page's language when the view reports it.
    third = quiz_of(tmp_path)
    try:
        assert third.continued.startswith("Continuing your attempt of ")
        page_message(third, {"type": "page_lang", "lang": "fr", "request": "v-1"})
        assert third.continued.startswith("Vous reprenez votre tentative du ")
        assert "1 sur 2 répondues." in third.continued
    finally:
        third.close()


def test_a_static_page_says_in_the_quiz_language_where_it_runs(tmp_path: Path, german: QuizWidget) -> None:
    english = quiz_of(tmp_path / "en")
    try:
        plain = german._repr_mimebundle_()[0]["text/plain"]
        assert "Quiz: Erdkunde" in plain and "2 Fragen, 0 beantwortet" in plain
        assert "Dieses Quiz läuft in Jupyter" in plain
        assert "2 questions, 0 answered" in english._repr_mimebundle_()[0]["text/plain"]
    finally:
        english.close()


def test_an_error_the_learner_causes_is_shown_in_their_language(german: QuizWidget) -> None:
    german.pause()
    # A click that raced the pause (the view disables its options, a second view may not have yet).
    page_message(german, {"type": "answer", "value": 0, "request": "v-1"})
    assert german.error == "Das Quiz ist pausiert: Setze es fort, bevor du antwortest"
    assert german.total_answered == 0
    # The notebook's Python call is the author's: English, as raised.
    with pytest.raises(SessionError, match="the quiz is paused"):
        german.answer("A")
    german.unpause()
    page_message(german, {"type": "answer", "value": 0, "request": "v-2"})
    assert german.error == "" and german.phase == "feedback"
    page_message(german, {"type": "answer", "value": 1, "request": "v-3"})  # a double click
    assert german.error == "Jetzt kann nicht geantwortet werden: Das Quiz zeigt gerade keine Frage"
    assert german.total_answered == 1


def test_class_view_lang_and_the_page_language(tmp_path: Path, recording_comms) -> None:
    spanish = ClassView(tmp_path, lang="es")
    assert spanish.messages["Refresh now"] == "Actualizar ahora"
    assert spanish.messages["{n} learner, updated {updated}"][1] == "{n} estudiantes, actualizado {updated}"
    page_message(spanish, {"type": "page_lang", "lang": "de", "request": "v-1"})
    assert spanish.messages[""]["lang"] == "es"
    spanish.close()
    view = ClassView(tmp_path)
    page_message(view, {"type": "page_lang", "lang": "de-DE", "request": "v-1"})
    assert view.messages["Hardest questions so far"] == "Bisher schwierigste Fragen"
    assert view.error == ""
    view.close()


# ------------------------------------------------------------------- the kernel's sentences in the view
def kernel_sentences(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Words | str]:
    """What the quiz view shows from the kernel (warning, error, delivery) in every situation that says
    something, as the controller made it (Words, before the view's language is applied)."""
    monkeypatch.setattr(QuizWidget, "_words", lambda self: PSEUDO)
    said: dict[str, Words | str] = {}

    def seen(name: str, quiz: QuizWidget, trait: str) -> None:
        value = {
            "warning": lambda: shown_warning(quiz._live.controller),
            "error": lambda: quiz._live.controller.error,
        }.get(trait, lambda: quiz._live.link.message)()
        assert getattr(quiz, trait), (name, trait)
        assert getattr(quiz, trait) == say(value, PSEUDO), (
            name
        )  # what the view shows is said by the catalogue
        said[name] = value

    first = quiz_of(tmp_path / "a")
    first.answer("A")
    first.next()
    second = quiz_of(tmp_path / "a")  # the cell ran again
    first._publish()
    seen("handed over", first, "warning")
    page_message(first, {"type": "answer", "value": [0], "request": "v-1"})
    seen("answer refused after the handover", first, "error")
    assert isinstance(first._live.controller.error, Words)
    second.close()
    first.close()

    quiz = quiz_of(tmp_path / "b", NUMERIC_EXAM)
    page_message(quiz, {"type": "answer", "value": "many", "request": "v-1"})
    seen("not a number", quiz, "error")
    with monkeypatch.context() as patch:
        patch.setattr(
            SessionManager, "save_session", lambda *a, **k: (_ for _ in ()).throw(OSError("disk full"))
        )
        quiz.answer(3)
    seen("save failed", quiz, "warning")
    quiz.close()

    exam = quiz_of(tmp_path / "c", mode="exam", time_limit=600)
    page_message(exam, {"type": "new_attempt", "request": "v-1"})
    seen("new attempt refused", exam, "error")
    page_message(exam, {"type": "pause", "request": "v-2"})
    seen("a timed exam is not paused", exam, "error")
    exam.close()

    sent = quiz_of(tmp_path / "d", learner="ada", collect_to=tmp_path)
    sent.answer("A")
    sent.next()
    sent.answer("A")
    assert sent._live.link.collector.wait(30)
    sent._show_delivery()
    seen("result sent", sent, "delivery")
    sent.close()

    missing = tmp_path / "no-such-class-folder"
    waiting = quiz_of(tmp_path / "e", learner="ada", collect_to=missing)
    waiting.answer("A")
    waiting.next()
    waiting.answer("A")
    assert waiting._live.link.collector.wait(30)
    waiting._show_delivery()
    seen("result waiting", waiting, "delivery")
    waiting.close()
    return said


def test_every_kernel_sentence_the_quiz_view_shows_is_from_the_catalogue(
    tmp_path: Path, recording_comms, monkeypatch: pytest.MonkeyPatch
) -> None:
    said = kernel_sentences(tmp_path, monkeypatch)
    assert len(said) == 8
    for name, sentence in said.items():
        assert bare_words([say(sentence, PSEUDO)], data_values(sentence)) == [], name


def test_the_kernel_sentences_in_german(tmp_path: Path, recording_comms) -> None:
    first = quiz_of(tmp_path, lang="de")
    first.answer("A")
    first.next()
    second = quiz_of(tmp_path)
    try:
        first._publish()
        assert "Diese Sitzung geht in einem neueren Quiz in diesem Kernel weiter" in first.warning
        assert first.warning.startswith(first.session_path.name + ": ")
        page_message(first, {"type": "answer", "value": [0], "request": "v-1"})
        assert first.error == first.warning and first.total_answered == 1
        # The same sentence raised to the notebook's Python is English.
        with pytest.raises(SessionError, match="this session goes on in a newer quiz"):
            first.answer("B")
    finally:
        second.close()
        first.close()
    numeric = quiz_of(tmp_path / "n", NUMERIC_EXAM, lang="fr")
    try:
        page_message(numeric, {"type": "answer", "value": "beaucoup", "request": "v-1"})
        assert numeric.error == (
            "Question 1 : saisissez un nombre, par exemple 42, 3.5 ou 22/7 (avec un point décimal)."
        )
        with pytest.raises(AnswerError, match="expected a finite number"):
            numeric.answer("beaucoup")
    finally:
        numeric.close()
    sent = quiz_of(tmp_path / "d", learner="ada", collect_to=tmp_path)
    try:
        sent.answer("A")
        sent.next()
        sent.answer("A")
        assert sent._live.link.collector.wait(30)
        sent._show_delivery()
        assert sent.delivery == "Result sent to the class folder"
        # The page reports Spanish: the line already on screen changes with it.
        page_message(sent, {"type": "page_lang", "lang": "es", "request": "v-1"})
        assert sent.delivery == "Resultado enviado a la carpeta de la clase"
    finally:
        sent.close()


# ---------------------------------------------------------------------------------- the HTML report
class ReportTexts(HTMLParser):
    """The text of every block of the report (a paragraph, a heading, a cell, an SVG label) and the names
    a screen reader reads (aria-label), as a reader sees them; the stylesheet is not text."""

    BLOCKS = frozenset({"title", "h1", "h2", "p", "th", "td", "li", "text"})

    def __init__(self) -> None:
        super().__init__()
        self.open: list[list[str]] = []
        self.texts: list[str] = []
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.in_style = tag == "style"
        self.texts += [value for name, value in attrs if name == "aria-label" and value]
        if tag in self.BLOCKS:
            self.open.append([])

    def handle_endtag(self, tag: str) -> None:
        self.in_style = False
        if tag in self.BLOCKS and self.open:
            self.texts.append("".join(self.open.pop()))

    def handle_data(self, data: str) -> None:
        if not self.in_style:
            for block in self.open:
                block.append(data)


def report_data(report: ClassReport) -> list[str]:
    """The class's own strings as the report may show them (whole, or cut as html.py cuts them)."""
    found: list[str] = []
    rows = report.attempt_rows() + report.question_rows() + report.topic_rows() + report.learner_rows()
    for row in rows + report.item_rows():
        for key, value in row.items():
            if key == "look_at":  # the flags are the catalogue's words; the options they name are data
                found += [v for part in getattr(value, "parts", []) for v in data_values(part)]
            elif isinstance(value, str):
                found += [value, html_report._cut(value, 120)]
        if "question_id" in row and "exam" in row:
            label = html_report._question_label(
                {**row, "question": html_report._cut(row.get("question") or "", 120)}
            )
            found += [label, html_report._cut(label, 40)]
    found += [text for pair in report.skipped for text in pair]  # a file's name and why it was not read
    return sorted({s for s in found if s.strip()}, key=len, reverse=True)


def test_every_word_of_the_html_report_is_from_the_catalogue(tmp_path: Path) -> None:
    from grades_class import class_results

    report = ClassReport.load(class_results())
    assert any(r["look_at"] for r in report.item_rows())  # the flags are shown too
    doc = html_report.render_report(report, words=PSEUDO)
    parser = ReportTexts()
    parser.feed(doc)
    assert sum("⟦" in text for text in parser.texts) > 40, parser.texts
    assert bare_words(parser.texts, report_data(report)) == []
    # An empty class: the notes that stand for the plots.
    empty = html_report.render_report(ClassReport.load([]), words=PSEUDO)
    parser = ReportTexts()
    parser.feed(empty)
    assert bare_words(parser.texts, []) == []


def test_the_html_report_in_german_and_from_the_command_line(tmp_path: Path, capsys) -> None:
    from grades_class import class_results

    report = ClassReport.load(class_results())
    doc = report.to_html(tmp_path / "de.html", lang="de").read_text(encoding="utf-8")
    assert '<html lang="de">' in doc and "<title>Klassenbericht</title>" in doc
    assert "<h2>Verteilung der Ergebnisse</h2>" in doc and "<th>Häufigste falsche Antwort</th>" in doc
    assert "mittlere Trefferquote" in doc and "Fragen zum Überprüfen" in doc
    assert "starke Lernende wählen &#x27;gamma&#x27;" in doc  # the flag in German, the answer as given
    assert re.search(r"<b>\d+</b> Versuche", doc) and re.search(r"\d+ %", doc)
    # The data as it is: the exam's title is not translated.
    assert all(row["exam"] in doc for row in report.attempt_rows())
    english = report.to_html(tmp_path / "en.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in english and "<title>Class report</title>" in english
    assert "strong learners pick &#x27;gamma&#x27;" in english and "Klassenbericht" not in english

    source = tmp_path / "class"
    source.mkdir()
    for i, results in enumerate(class_results()):
        (source / f"r{i}.json").write_text(json.dumps(results), encoding="utf-8")
    assert cli_main(["report", str(source), "--html", str(tmp_path / "fr.html"), "--lang", "fr"]) == 0
    doc = (tmp_path / "fr.html").read_text(encoding="utf-8")
    assert "<title>Rapport de la classe</title>" in doc and "<h2>Répartition des scores</h2>" in doc
    capsys.readouterr()
    assert cli_main(["report", str(source), "--html", str(tmp_path / "nl.html"), "--lang", "nl"]) == 0
    assert "--lang nl: not shipped (de, en, es, fr); the report is in English" in capsys.readouterr().err
    assert "<title>Class report</title>" in (tmp_path / "nl.html").read_text(encoding="utf-8")


# ------------------------------------------------- the session list's and the class view's sentences
def list_sentences(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str, list[str]]]:
    """(situation, what the list shows, the data in it) for every notice, refusal and question the
    session list's kernel sends, said by the pseudo-locale."""
    import quiz_widgets.ui.session_browser as session_browser

    monkeypatch.setattr(session_browser, "translations", lambda lang: PSEUDO)
    shown: list[tuple[str, str, list[str]]] = []

    def look(name: str, listing: SessionBrowser, *traits: str) -> None:
        for trait in traits:
            value = listing.confirm.get("text", "") if trait == "confirm" else getattr(listing, trait)
            said = listing._said[trait]
            made = said.get("text", "") if trait == "confirm" else said
            assert value and value == say(made, PSEUDO), (name, trait)
            shown.append((f"{name}: {trait}", value, data_values(made)))

    first = quiz_of(tmp_path)
    first.answer("A")
    open_quiz = first  # its session is open in a running quiz
    listing = SessionBrowser(tmp_path, lang="de")
    page_message(listing, {"type": "delete", "id": "s1", "request": "v-1"})
    look("delete asks", listing, "confirm")
    page_message(listing, {"type": "confirm", "request": "v-2"})
    look("delete refused: the session is open", listing, "error")
    page_message(listing, {"type": "clear", "request": "v-3"})
    look("clear asks", listing, "confirm")
    page_message(listing, {"type": "cancel", "request": "v-4"})
    page_message(listing, {"type": "confirm", "request": "v-5"})
    look("nothing to confirm", listing, "error")
    page_message(listing, {"type": "study_all", "request": "v-6"})
    look("nothing to study", listing, "error")
    open_quiz.close()
    page_message(listing, {"type": "delete", "id": "s1", "request": "v-7"})
    page_message(listing, {"type": "confirm", "request": "v-8"})
    look("deleted", listing, "notice")
    page_message(listing, {"type": "clear", "request": "v-9"})
    look("nothing to clear", listing, "error")
    for when in ("20240108_000000", "20240109_000000"):
        (tmp_path / "data" / "sessions" / f"session_{when}.json").write_text("{ not json", encoding="utf-8")
        page_message(listing, {"type": "refresh", "request": f"v-{when}"})
        look(f"unreadable files ({when})", listing, "notice")
    listing.close()
    return shown


def test_every_sentence_of_the_session_list_kernel_is_from_the_catalogue(
    tmp_path: Path, recording_comms, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = list_sentences(tmp_path, monkeypatch)
    assert len(shown) == 9
    for name, text, data in shown:
        assert bare_words([text], data) == [], name


def test_the_session_list_asks_and_refuses_in_german(tmp_path: Path, recording_comms) -> None:
    quiz = quiz_of(tmp_path)
    quiz.answer("A")
    listing = SessionBrowser(tmp_path)
    try:
        page_message(listing, {"type": "delete", "id": "s1", "request": "v-1"})
        assert listing.confirm["text"].startswith("Delete the session \u201cErdkunde\u201d from ")
        # The page reports German: the question on screen is asked again in German.
        page_message(listing, {"type": "page_lang", "lang": "de", "request": "v-2"})
        assert listing.confirm["text"].startswith("Die Sitzung \u201eErdkunde\u201c vom ")
        assert listing.confirm["text"].endswith(
            "(1/2 beantwortet) löschen? Das lässt sich nicht rückgängig machen."
        )
        page_message(listing, {"type": "confirm", "request": "v-3"})
        assert listing.error.startswith("1 Sitzungsdatei ist in einem laufenden Quiz geöffnet")
        assert quiz.session_path.exists()
        # The same refusal raised to the notebook's Python is English.
        with pytest.raises(SessionError, match="1 session file is open in a running quiz"):
            listing.delete("s1")
        quiz.close()
        page_message(listing, {"type": "clear", "request": "v-4"})
        assert listing.confirm["text"] == (
            "Die gespeicherte Sitzung löschen? Das lässt sich nicht rückgängig machen."
        )
        page_message(listing, {"type": "confirm", "request": "v-5"})
        assert listing.notice == "1 gespeicherte Sitzung gelöscht."
    finally:
        listing.close()


def test_a_click_in_the_list_quiz_view_with_no_quiz_open_is_refused_in_the_list_language(
    tmp_path: Path, recording_comms
) -> None:
    listing = SessionBrowser(tmp_path, lang="fr")
    try:
        page_message(listing, {"type": "quiz", "message": {"type": "next", "request": "q-1"}})
        replies = [m["data"]["content"] for m in listing.comm.sent if m["data"].get("method") == "custom"]
        assert {
            "type": "reply",
            "request": "q-1",
            "ok": False,
            "error": "Aucun quiz n\u2019est ouvert ici : reprenez d\u2019abord une session",
        } in replies
    finally:
        listing.close()


def test_the_class_view_error_line_in_the_instructor_language(tmp_path: Path, recording_comms) -> None:
    view = ClassView(tmp_path, lang="fr")
    try:
        view._show(OSError("disque plein"))
        assert view.error == f"Impossible de lire {tmp_path} : OSError: disque plein"
    finally:
        view.close()
    view = ClassView(tmp_path)
    try:
        view._show(OSError("disk full"))
        assert view.error == f"Could not read {tmp_path}: OSError: disk full"
        page_message(view, {"type": "page_lang", "lang": "de", "request": "v-1"})
        assert view.error == f"{tmp_path} konnte nicht gelesen werden: OSError: disk full"
        assert bare_words([say(view._error, PSEUDO)], data_values(view._error)) == []
    finally:
        view.close()


def test_the_list_and_class_view_static_text_in_their_language(
    tmp_path: Path, recording_comms, monkeypatch: pytest.MonkeyPatch
) -> None:
    def shown(widget) -> str:  # what a static page shows: the text/html, without its markup
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", widget._repr_mimebundle_()[0]["text/html"]))

    english = SessionBrowser(tmp_path / "en")
    try:
        assert "0 saved sessions, 0 finished quizzes to study" in english._repr_mimebundle_()[0]["text/plain"]
    finally:
        english.close()
    listing, view = SessionBrowser(tmp_path, lang="de"), ClassView(tmp_path, lang="fr")
    try:
        assert "Frühere Quiz-Sitzungen" in shown(listing)
        assert "0 gespeicherte Sitzungen, 0 beendete Quizze zum Üben" in shown(listing)
        assert "Vue de la classe" in shown(view)
        assert "0 apprenant, 0 quiz lors de l\u2019exécution du notebook" in shown(
            view
        )  # French: 0 is singular
        import quiz_widgets.ui.class_view as class_view
        import quiz_widgets.ui.session_browser as session_browser

        for module in (class_view, session_browser):
            monkeypatch.setattr(module, "translations", lambda lang: PSEUDO)
        for widget in (listing, view):
            text = shown(widget)
            assert "⟦" in text and bare_words([text], []) == [], text
    finally:
        listing.close()
        view.close()
