"""The learner's language: the message catalogues the views and the kernel take their words from.

The words are English msgids in the code (``t("...")``/``tn(...)`` in ui/static/*.js); each shipped
language has a gettext catalogue, quiz_widgets/locale/<lang>/LC_MESSAGES/quiz_widgets.po, compiled to the
.mo read here with the standard library alone (JupyterLite needs nothing new). scripts/i18n.py extracts
the msgids into quiz_widgets/locale/quiz_widgets.pot and updates and compiles the catalogues.

The views get their words from the kernel: ``view_messages(lang)`` is the ``messages`` trait. Exam text is
never translated: it is the author's, in the author's language.
"""

from __future__ import annotations

import functools
import gettext
from pathlib import Path
from typing import Any

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "quiz_widgets"
SOURCE_LANGUAGE = "en"


def shipped_languages() -> list[str]:
    """The languages with a compiled catalogue, and English (the msgids' own language)."""
    found = {p.parents[1].name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo")}
    return sorted(found | {SOURCE_LANGUAGE})


def resolve(lang: str | None) -> str:
    """The shipped language for a BCP 47 or POSIX tag ("de-AT", "fr_CA.UTF-8"), else English."""
    if not lang:
        return SOURCE_LANGUAGE
    code = str(lang).strip().replace("-", "_").split(".")[0].split("_")[0].lower()
    return code if code in shipped_languages() else SOURCE_LANGUAGE


@functools.cache
def translations(lang: str | None) -> gettext.NullTranslations:
    """The catalogue of ``lang`` (English, the msgids themselves, for a language not shipped)."""
    code = resolve(lang)
    if code == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, [code], fallback=True)


@functools.cache
def _view_messages(code: str) -> dict[str, Any]:
    catalogue = translations(code)
    plural = "n != 1"
    messages: dict[str, Any] = {}
    if isinstance(catalogue, gettext.GNUTranslations):
        for part in catalogue.info().get("plural-forms", "").split(";"):
            name, _, value = part.partition("=")
            if name.strip() == "plural":
                plural = value.strip()
        # The compiled catalogue as the views need it: a msgid's text, or a plural msgid's forms in order.
        raw: dict[Any, str] = catalogue._catalog  # type: ignore[attr-defined]  # gettext keeps no public view
        forms: dict[str, dict[int, str]] = {}
        for key, text in raw.items():
            if isinstance(key, tuple):
                forms.setdefault(key[0], {})[key[1]] = text
            elif key and text:
                messages[key] = text
        for msgid, by_index in forms.items():
            if any(by_index.values()):
                messages[msgid] = [by_index[i] for i in sorted(by_index)]
    messages[""] = {"lang": code, "plural": plural}
    return messages


def view_messages(lang: str | None) -> dict[str, Any]:
    """The ``messages`` trait for ``lang``: msgid -> text, plural msgid -> forms, "" -> {lang, plural}."""
    return dict(_view_messages(resolve(lang)))


class Words(str):
    """An English sentence a learner or instructor may see, which keeps its msgid and values.

    It is the English text wherever it goes as a str (a log line, an error raised to the notebook's
    Python); a view that knows the reader's language says it in that language with ``say``. The msgid is
    the first argument, a plain literal that scripts/i18n.py extracts; values fill its {placeholders} and
    may be Words themselves (said in the same language).
    """

    msgid: str
    plural: str | None
    n: int | None
    values: dict[str, Any]

    def __new__(cls, msgid: str, /, **values: Any) -> Words:
        return cls._make(msgid, None, None, values)

    @classmethod
    def _make(cls, msgid: str, plural: str | None, n: int | None, values: dict[str, Any]) -> Words:
        english = msgid if plural is None or n == 1 else plural
        self = super().__new__(cls, english.format(**values))
        self.msgid, self.plural, self.n, self.values = msgid, plural, n, values
        return self

    def said(self, catalogue: gettext.NullTranslations) -> str:
        """This sentence in the language of ``catalogue``."""
        if self.plural is None:
            text = catalogue.gettext(self.msgid)
        else:
            text = catalogue.ngettext(self.msgid, self.plural, self.n or 0)
        return text.format(**{k: say(v, catalogue) for k, v in self.values.items()})

    def __reduce__(self) -> Any:
        return (str, (str(self),))  # copied or pickled, it is the English text


class PluralWords(Words):
    """Words with a plural form chosen by ``n`` (gettext's ngettext; ``n`` is not a placeholder itself)."""

    def __new__(cls, singular: str, plural: str, n: int, /, **values: Any) -> PluralWords:  # type: ignore[misc]
        return cls._make(singular, plural, n, values)  # type: ignore[return-value]


class JoinedWords(Words):
    """Several Words joined by ``separator`` ("a; b"): one str in English, each part said in a view's language."""

    def __new__(cls, separator: str, parts: list[str], /) -> JoinedWords:  # type: ignore[misc]
        self = str.__new__(cls, separator.join(parts))
        self.msgid, self.plural, self.n, self.values = "", None, None, {}
        self.separator, self.parts = separator, list(parts)
        return self

    def said(self, catalogue: gettext.NullTranslations) -> str:
        return self.separator.join(say(part, catalogue) for part in self.parts)


def say(text: Any, catalogue: gettext.NullTranslations) -> Any:
    """``text`` in the catalogue's language: Words by their msgid, a plain str when it is a msgid itself
    (an error marked where it is raised), anything else as it is."""
    if isinstance(text, Words):
        return text.said(catalogue)
    if isinstance(text, str) and text:
        return catalogue.gettext(text)
    return text


def words_of(exc: BaseException) -> str:
    """An exception's message, as the Words it was raised with when it was (``str(exc)`` loses them)."""
    first = exc.args[0] if len(exc.args) == 1 else None
    return first if isinstance(first, Words) else str(exc)
