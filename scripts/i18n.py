"""The message catalogues: extract the msgids, update each language's .po, compile the .mo files.

    python scripts/i18n.py            # quiz_widgets/locale/quiz_widgets.pot from the code, .po updated, .mo compiled
    python scripts/i18n.py --check    # exit 1 if the .pot, a .po or a .mo is out of date (the tests run this)
    python scripts/i18n.py --add nl   # start a new language: quiz_widgets/locale/nl/LC_MESSAGES/quiz_widgets.po

The msgids are the views' t("...") and tn("...", "...", n) calls (quiz_widgets/ui/static/*.js) and the
kernel's _("...") and ngettext(...) calls (quiz_widgets/**/*.py). Needs Babel (the test extra); at run
time the package reads the compiled .mo files with the standard library's gettext only.
"""

from __future__ import annotations

import argparse
import io
import sys
import warnings
from datetime import datetime, timezone
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "quiz_widgets"
LOCALE = PACKAGE / "locale"
DOMAIN = "quiz_widgets"
POT = LOCALE / f"{DOMAIN}.pot"
# Each language's own names: t is a common Python variable, not a translation call there.
SOURCES = [
    ("ui/static/**.js", "javascript", {"t": None, "tn": (1, 2)}),
    (
        "**.py",
        "python",
        {"_": None, "gettext": None, "ngettext": (1, 2), "Words": None, "PluralWords": (1, 2)},
    ),
]


def template() -> Catalog:
    """Every msgid of the code, with the files and lines it comes from."""
    catalog = Catalog(project="quiz-widgets", domain=DOMAIN, charset="utf-8", fuzzy=False)
    found = []
    with warnings.catch_warnings():
        # Babel warns at every f-string of the package, translated or not: the msgids are plain literals.
        warnings.simplefilter("ignore")
        for pattern, method, keywords in SOURCES:
            found += extract_from_dir(
                PACKAGE,
                [(pattern, method)],
                options_map={pattern: {"parse_template_string": True}},
                keywords=keywords,
                comment_tags=("i18n:",),
                strip_comment_tags=True,
            )
    for filename, lineno, message, comments, context in found:
        catalog.add(
            message, None, [(f"quiz_widgets/{filename}", lineno)], auto_comments=comments, context=context
        )
    return catalog


def po_bytes(catalog: Catalog, *, omit_header: bool = False) -> bytes:
    out = io.BytesIO()
    # No dates and no line numbers in the files: the check compares them, and a moved line is no change.
    write_po(out, catalog, width=110, sort_output=True, omit_header=omit_header, include_lineno=False)
    return out.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def stable(catalog: Catalog) -> Catalog:
    catalog.creation_date = catalog.revision_date = datetime(2026, 1, 1, tzinfo=timezone.utc)
    return catalog


def languages() -> list[str]:
    return sorted(p.parents[1].name for p in LOCALE.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def wanted_files() -> dict[Path, bytes]:
    """Each file the catalogues should be: the .pot, every language's updated .po and its .mo."""
    pot = stable(template())
    files = {POT: po_bytes(pot)}
    for lang in languages():
        po_path = LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=lang, domain=DOMAIN)
        catalog.update(pot, update_header_comment=False, no_fuzzy_matching=True)
        catalog.obsolete.clear()  # a msgid the code dropped is not kept as a commented-out entry
        stable(catalog)
        files[po_path] = po_bytes(catalog)
        files[po_path.with_suffix(".mo")] = mo_bytes(catalog)
    return files


def untranslated() -> dict[str, list[str]]:
    """Per language, the msgids without a translation (shown in English)."""
    missing: dict[str, list[str]] = {}
    for lang in languages():
        with (LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as handle:
            catalog = read_po(handle, locale=lang, domain=DOMAIN)
        for message in catalog:
            if not message.id:
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if not all(strings) or message.fuzzy:
                missing.setdefault(lang, []).append(str(message.id))
    return missing


def add_language(lang: str) -> Path:
    po_path = LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if po_path.exists():
        raise SystemExit(f"{po_path} exists already")
    catalog = Catalog(locale=lang, project="quiz-widgets", domain=DOMAIN, charset="utf-8", fuzzy=False)
    catalog.update(template())
    po_path.parent.mkdir(parents=True, exist_ok=True)
    po_path.write_bytes(po_bytes(stable(catalog)))
    return po_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--check", action="store_true", help="exit 1 if a catalogue file is out of date")
    parser.add_argument("--add", metavar="LANG", help="start the catalogue of a new language")
    args = parser.parse_args(argv)
    if args.add:
        print(f"wrote {add_language(args.add)}: translate its msgstr lines, then run this script again")
    stale = [path for path, data in wanted_files().items() if not path.exists() or path.read_bytes() != data]
    if args.check:
        for path in stale:
            print(f"out of date: {path.relative_to(ROOT)} (run python scripts/i18n.py)", file=sys.stderr)
        return 1 if stale else 0
    for path, data in wanted_files().items():
        if path in stale:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            print(f"wrote {path.relative_to(ROOT)}")
    for lang, ids in untranslated().items():
        print(f"{lang}: {len(ids)} untranslated, shown in English", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
