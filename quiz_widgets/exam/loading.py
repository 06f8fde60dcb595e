"""Loading exams: load_exam() reads JSON/YAML files, the original app's Markdown, Moodle GIFT and jupyterquiz
banks (formats/), builds the model (model.py) from data checked by checks.py, with its fingerprint; the
shipped sample exams by name, and the JSON Schema of the exam format (exam_schema()).
"""

from __future__ import annotations

import copy
import gc
import hashlib
import json
import os
import re
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

from quiz_widgets.errors import ExamError
from quiz_widgets.errors import shown as found
from quiz_widgets.exam.checks import check_exam
from quiz_widgets.exam.generated import fingerprint_questions, has_generators, take_generators
from quiz_widgets.exam.model import Exam
from quiz_widgets.nesting import refuse_deep_json

__all__ = [
    "MAX_FILE_BYTES",
    "SAMPLES_DIR",
    "exam_schema",
    "load_exam",
    "read_exam",
    "sample_names",
    "sample_path",
]

MAX_FILE_BYTES = 64 * 1024 * 1024


def load_exam(source: str | os.PathLike | Mapping | list | Exam) -> Exam:
    """An Exam from a path (.json, .yaml/.yml, .md, Moodle GIFT .gift/.txt, Moodle XML or QTI 1.2 .xml, a
    Canvas quiz export .zip, or recognised by its content), a sample exam's name, a dict in the exam format, a
    list of jupyterquiz questions (a .json file of them too), or an Exam."""
    if isinstance(source, Exam):
        return source
    # Parsing and building tens of thousands of small objects triggers repeated full GC passes that
    # can double the load time; nothing here creates reference cycles.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return read_exam(source)
    finally:
        if gc_was_enabled:
            gc.enable()


def _stand_in(value: object) -> str:
    # A code question's checker (from Python) by its qualified name: its repr holds an address that
    # differs in every process, and a resumed session would find the exam changed.
    if callable(value):
        name = getattr(value, "__qualname__", None) or type(value).__qualname__
        return f"<callable {name}>"
    return str(value)


def _fingerprint(raw_questions: list) -> str:
    try:
        canonical = json.dumps(
            raw_questions, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_stand_in
        )
    except (TypeError, ValueError, RecursionError):  # mixed-type keys in extension data
        canonical = repr(raw_questions)
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def _build(data: object, source: str, path: Path | None) -> Exam:
    generators: dict = {}
    if has_generators(data):  # only a Python object can hold a callable: no file carries code
        data, generators = take_generators(data, source)  # type: ignore[arg-type]
    try:
        built, problems = check_exam(data, source)
    except RecursionError:
        raise ExamError(f"{source}: the data is nested too deeply", source=source) from None
    if built is None:
        raise ExamError(problems, source=source)
    title, description, questions, text_format = built
    return Exam(
        title=title.strip(),
        questions=tuple(questions),
        description=description,
        source=path,
        fingerprint=_fingerprint(fingerprint_questions([q.raw for q in questions], generators)),
        format=text_format,
        generators=generators,
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
    refuse_deep_json(text, shown)
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


def read_exam(source: str | os.PathLike | Mapping | list) -> Exam:
    """An Exam from a path (.json, .yaml/.yml, .md, .gift/.txt), a dict in the exam format or a list of
    jupyterquiz questions (load_exam() adds the Exam pass-through and the GC pause)."""
    if isinstance(source, (Mapping, list)):
        shown = "<dict>" if isinstance(source, Mapping) else "<list>"
        try:
            data = copy.deepcopy(dict(source) if isinstance(source, Mapping) else source)  # the caller
            # may keep editing their data
        except RecursionError:
            raise ExamError(f"{shown}: the data is nested too deeply", source=shown) from None
        except Exception as exc:  # e.g. a value that refuses to be copied
            raise ExamError(f"{shown}: cannot copy the exam data ({exc})", source=shown) from None
        if isinstance(data, list):
            data = _from_list(data, shown)
        return _build(data, shown, None)
    if not isinstance(source, (str, os.PathLike)):
        raise ExamError(
            f"<exam>: found {found(source)}, expected a path to an exam file, a dict, a list of "
            "jupyterquiz questions or an Exam",
            source="<exam>",
        )
    shown = os.fspath(source)
    if isinstance(shown, bytes):
        shown = os.fsdecode(shown)
    path = Path(shown).expanduser()
    if is_sample_name(shown) and not path.exists():
        path = sample_path(shown)
        shown = str(path)
    suffix = path.suffix.lower()
    if suffix == ".zip":
        data = _read_qti_zip(path, shown)
        return _build(data, shown, path.resolve())
    text = _read_text(path, shown)
    if suffix == ".xml" or (suffix not in _NOT_XML and text.lstrip("\ufeff \t\r\n").startswith("<")):
        return _build(_read_xml_bank(text, shown), shown, path.resolve())
    if suffix in (".md", ".markdown"):
        from quiz_widgets.exam.formats.app_markdown import parse_markdown_exam

        data = parse_markdown_exam(text, shown)
    elif suffix in (".gift", ".txt") or (suffix not in (".json", ".yaml", ".yml") and _looks_like_gift(text)):
        data = _read_gift(text, shown)
    elif suffix == ".json":
        data = _parse_json(text, shown)
        if _is_jupyterquiz(data):
            return _build_jupyterquiz(text, shown, path.resolve())
    else:  # .yaml/.yml, and YAML also reads JSON for any other name
        data = _parse_yaml(text, shown)
        if _is_jupyterquiz(data):
            data = _read_jupyterquiz(data, shown)
    if isinstance(data, list) and any(isinstance(item, Mapping) for item in data):
        # The questions of a %%quiz cell or from_questions, saved as they are: the file's name is the title.
        data = {"title": _title_from_name(path), "questions": data}
    return _build(data, shown, path.resolve())


# Suffixes whose text may start with "<" (a GIFT question in HTML) without being an XML bank.
_NOT_XML = (".json", ".yaml", ".yml", ".md", ".markdown", ".gift", ".txt")


def _title_from_name(path: Path) -> str:
    stem = path.stem.replace("_", " ").replace("-", " ").strip()
    return stem[:1].upper() + stem[1:] if stem else "Quiz"


# GIFT's own marks at the start of a line (a ::title::, a $CATEGORY, a // comment) or an answer block
# ({=...}, {~...}, {#...}, {T}/{F}); a YAML or JSON exam has none of them outside its strings' middles.
_GIFT_MARKS = re.compile(
    r"^\s*(::.*?::|\$CATEGORY:)|\{\s*(=|~|#|T\s*\}|F\s*\}|TRUE\s*\}|FALSE\s*\})", re.MULTILINE
)


def _looks_like_gift(text: str) -> bool:
    stripped = text.lstrip()
    if stripped.startswith(("{", "[", "title:", "---")):
        return False
    return _GIFT_MARKS.search(text) is not None


def _read_gift(text: str, shown: str) -> object:
    try:
        from quiz_widgets.exam.formats.gift import read_gift, warn_skipped
    except ModuleNotFoundError as exc:
        if exc.name != "quiz_widgets.exam.formats.gift":
            raise
        raise ExamError(
            f"{shown}: reading Moodle GIFT files is not available in this build", source=shown
        ) from None
    data, skipped = read_gift(text, shown)
    warn_skipped(skipped, shown)
    return data


def _read_xml_bank(text: str, shown: str) -> dict:
    """Moodle XML (<quiz>) or QTI 1.2 (<questestinterop>, as Canvas exports it), told by the first element."""
    from quiz_widgets.exam.formats.gift import warn_skipped
    from quiz_widgets.exam.formats.xml_tree import root_name

    root = root_name(text)
    if root == "questestinterop":
        from quiz_widgets.exam.formats.qti import read_qti

        data, skipped = read_qti(text, shown)
    elif root == "quiz":
        from quiz_widgets.exam.formats.moodle_xml import read_moodle_xml

        data, skipped = read_moodle_xml(text, shown)
    else:
        found_root = f"<{root}>" if root else "no XML element"
        raise ExamError(
            f"{shown}: found {found_root} at the top, expected Moodle XML (<quiz>) or QTI 1.2 (<questestinterop>)",
            source=shown,
        )
    warn_skipped(skipped, shown)
    return data


def _read_qti_zip(path: Path, shown: str) -> dict:
    from quiz_widgets.exam.formats.gift import warn_skipped
    from quiz_widgets.exam.formats.qti import read_qti_zip

    data, skipped = read_qti_zip(path, shown)
    warn_skipped(skipped, shown)
    return data


def _is_jupyterquiz(data: object) -> bool:
    """A list of jupyterquiz's questions, not of ours: "numeric" is a type in both formats, so an item must
    have one of jupyterquiz's own types (multiple_choice, string, ...) or numeric answers marked `correct`."""
    from quiz_widgets.exam.formats.jupyterquiz import JUPYTERQUIZ_TYPES, looks_like_jupyterquiz

    if not looks_like_jupyterquiz(data):
        return False
    theirs = set(JUPYTERQUIZ_TYPES) - {"numeric"}

    def their_item(item: object) -> bool:
        if not isinstance(item, Mapping):
            return False
        if item.get("type") != "numeric":
            return item.get("type") in theirs or item.get("type") == "match"
        answers = item.get("answers")
        return (
            "answer" not in item
            and isinstance(answers, list)
            and any(
                isinstance(entry, Mapping) and ("correct" in entry or "type" in entry) for entry in answers
            )
        )

    return any(their_item(item) for item in data)  # type: ignore[union-attr]


def _read_jupyterquiz(data: list | str, shown: str) -> dict:
    from quiz_widgets.exam.formats.jupyterquiz import read_jupyterquiz

    return read_jupyterquiz(data, shown)


def _build_jupyterquiz(text: str, shown: str, path: Path) -> Exam:
    from quiz_widgets.exam.formats.jupyterquiz import question_lines, read_jupyterquiz

    data = read_jupyterquiz(text, shown)  # again from the text, so its errors can name the line
    try:
        return _build(data, shown, path)
    except ExamError as err:
        # What only the exam checker sees (an answer no entry lets through, say): add the line too.
        lines = question_lines(text)
        prefix = re.compile(re.escape(shown) + r": question (\d+)\b")

        def with_line(problem: str) -> str:
            match = prefix.match(problem)
            if match is None or not 0 < int(match[1]) <= len(lines):
                return problem
            return f"{shown}: line {lines[int(match[1]) - 1]}: {problem[len(shown) + 2 :]}"

        raise ExamError([with_line(p) for p in err.problems], source=shown) from None


def _from_list(data: list, shown: str) -> dict:
    if _is_jupyterquiz(data):
        return _read_jupyterquiz(data, shown)
    raise ExamError(
        f"{shown}: found {found(data)}, expected a list of jupyterquiz questions (each with a 'type' such as "
        "'multiple_choice'); a list in the exam format goes into {'title': ..., 'questions': [...]} "
        "(or QuizWidget.from_questions)",
        source=shown,
    )


# -- sample exams shipped in the package, opened by name: QuizWidget("cloud-basics") -------------------
SAMPLES_DIR = Path(__file__).resolve().parent / "samples"
_SAMPLE_SUFFIXES = (".json", ".yaml", ".yml", ".md")


def sample_names() -> list[str]:
    """Names of the sample exams shipped with the package, e.g. ["cloud-basics", "python-basics"]."""
    try:
        return sorted(p.stem for p in SAMPLES_DIR.iterdir() if p.suffix in _SAMPLE_SUFFIXES)
    except OSError:
        return []


def is_sample_name(text: str) -> bool:
    """A bare name (no folder, no suffix), which load_exam() reads as a sample when no such file exists."""
    seps = [sep for sep in (os.sep, os.altsep, "/") if sep]
    return (
        bool(text)
        and not any(sep in text for sep in seps)
        and not text.startswith("~")
        and not Path(text).suffix
    )


def sample_path(name: str) -> Path:
    """The file of sample exam ``name``; ExamError listing the samples when there is none."""
    for suffix in _SAMPLE_SUFFIXES:
        path = SAMPLES_DIR / f"{name}{suffix}"
        if path.is_file():
            return path
    names = ", ".join(sample_names()) or "(none installed)"
    raise ExamError(
        f"{name}: found no exam file of that name and no sample exam called {name!r}; expected a path to "
        f"an exam file (.json, .yaml, .md) or a sample name: {names}",
        source=name,
    )


def exam_schema() -> dict:
    """The shipped JSON Schema of the exam format (original app format plus extensions)."""
    text = resources.files("quiz_widgets").joinpath("exam/schema/exam.schema.json").read_text("utf-8")
    return json.loads(text)
