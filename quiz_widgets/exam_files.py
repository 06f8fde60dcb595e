"""Exam files: reading JSON/YAML/Markdown, building the Exam (checked by exam_checks.py), its fingerprint,
and the shipped JSON Schema (exam_schema()) of the exam format.

This module builds the model of exam.py, so it imports exam.py; exam.load_exam() is the entry point
and imports this module when it is called.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

from quiz_widgets.errors import ExamError
from quiz_widgets.errors import shown as found
from quiz_widgets.exam import Exam
from quiz_widgets.exam_checks import check_exam

__all__ = ["MAX_FILE_BYTES", "exam_schema", "read_exam"]

MAX_FILE_BYTES = 64 * 1024 * 1024


def _fingerprint(raw_questions: list) -> str:
    try:
        canonical = json.dumps(
            raw_questions, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
        )
    except (TypeError, ValueError, RecursionError):  # mixed-type keys in extension data
        canonical = repr(raw_questions)
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def _build(data: object, source: str, path: Path | None) -> Exam:
    try:
        built, problems = check_exam(data, source)
    except RecursionError:
        raise ExamError(f"{source}: the data is nested too deeply", source=source) from None
    if built is None:
        raise ExamError(problems, source=source)
    title, description, questions = built
    return Exam(
        title=title.strip(),
        questions=tuple(questions),
        description=description,
        source=path,
        fingerprint=_fingerprint([q.raw for q in questions]),
    )


def _read_text(path: Path, shown: str) -> str:
    try:
        with path.open("rb") as fh:
            blob = fh.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise
    except OSError as exc:
        raise ExamError(f"{shown}: cannot read the file ({exc.strerror or exc})", source=shown) from None
    except ValueError as exc:  # a path with a NUL byte in it
        raise ExamError(f"{shown}: not a usable file path ({exc})", source=shown) from None
    if len(blob) > MAX_FILE_BYTES:
        raise ExamError(f"{shown}: file is larger than {MAX_FILE_BYTES} bytes", source=shown)
    if b"\x00" in blob:
        raise ExamError(f"{shown}: found binary data, expected a UTF-8 text file", source=shown)
    try:
        return blob.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ExamError(
            f"{shown}: found bytes that are not UTF-8 at byte {exc.start}, expected a UTF-8 text file",
            source=shown,
        ) from None


def _parse_json(text: str, shown: str) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        msg = f"{shown}: line {exc.lineno} column {exc.colno}: invalid JSON ({exc.msg})"
    except RecursionError:
        msg = f"{shown}: the JSON is nested too deeply"
    raise ExamError(msg, source=shown)


def _parse_yaml(text: str, shown: str) -> object:
    import yaml

    class _NoAliasLoader(yaml.SafeLoader):
        # Aliases can expand a small file into an enormous structure ("billion laughs").
        def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
            if self.check_event(yaml.AliasEvent):
                event = self.peek_event()
                raise yaml.composer.ComposerError(
                    None, None, "YAML aliases (*name) are not supported in exam files", event.start_mark
                )
            return super().compose_node(parent, index)

    try:
        return yaml.load(text, Loader=_NoAliasLoader)  # a SafeLoader subclass: safe
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1} column {mark.column + 1}: " if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        msg = f"{shown}: {where}invalid YAML ({problem})"
    except RecursionError:
        msg = f"{shown}: the YAML is nested too deeply"
    raise ExamError(msg, source=shown)


def read_exam(source: str | os.PathLike | Mapping) -> Exam:
    """An Exam from a path (.json, .yaml/.yml, .md) or a dict in the exam format (load_exam() adds
    the Exam pass-through and the GC pause)."""
    if isinstance(source, Mapping):
        try:
            data = copy.deepcopy(dict(source))  # the caller may keep editing their dict
        except RecursionError:
            raise ExamError("<dict>: the data is nested too deeply", source="<dict>") from None
        except Exception as exc:  # e.g. a value that refuses to be copied
            raise ExamError(f"<dict>: cannot copy the exam data ({exc})", source="<dict>") from None
        return _build(data, "<dict>", None)
    if not isinstance(source, (str, os.PathLike)):
        raise ExamError(
            f"<exam>: found {found(source)}, expected a path to an exam file, a dict or an Exam",
            source="<exam>",
        )
    shown = os.fspath(source)
    if isinstance(shown, bytes):
        shown = os.fsdecode(shown)
    path = Path(shown).expanduser()
    text = _read_text(path, shown)
    suffix = path.suffix.lower()
    if suffix in (".md", ".markdown"):
        from quiz_widgets.markdown_exam import parse_markdown_exam

        data = parse_markdown_exam(text, shown)
    elif suffix == ".json":
        data = _parse_json(text, shown)
    else:  # .yaml/.yml, and YAML also reads JSON for any other name
        data = _parse_yaml(text, shown)
    return _build(data, shown, path.resolve())


def exam_schema() -> dict:
    """The shipped JSON Schema of the exam format (original app format plus extensions)."""
    text = resources.files("quiz_widgets").joinpath("schema/exam.schema.json").read_text("utf-8")
    return json.loads(text)
