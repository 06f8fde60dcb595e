"""Reading QTI 1.2 as Canvas exports it: read_qti(xml) and read_qti_zip(path) -> (exam dict, skipped items).

The files: an assessment's XML, or the assessments of an export zip (capped, never extracted) with its
web_resources/ images; each <item> is read by items.py.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from pathlib import Path, PurePath

from quiz_widgets.errors import ExamError
from quiz_widgets.exam.formats.common import Skipped
from quiz_widgets.exam.formats.embedded import data_uri, why_not
from quiz_widgets.exam.formats.qti.items import FILEBASE, ItemReader
from quiz_widgets.exam.formats.xml_tree import Node, parse_xml, root_name

__all__ = ["FILEBASE", "MAX_MEMBERS", "MAX_XML_BYTES", "MAX_ZIP_BYTES", "read_qti", "read_qti_zip"]

MAX_MEMBERS = 10_000
MAX_XML_BYTES = 64 * 1024 * 1024  # loading.MAX_FILE_BYTES: one assessment file
MAX_ZIP_BYTES = 256 * 1024 * 1024  # everything read from one zip, uncompressed
_MAX_RATIO = 200  # deflate rarely packs real text or images more than this: more is a zip bomb


def _items(root: Node) -> list[tuple[Node, str | None]]:
    """Every item with the title of its assessment."""
    assessments = list(root.iter("assessment"))
    if not assessments:
        return [(item, None) for item in root.iter("item")]
    return [(item, a.attrs.get("title", "").strip() or None) for a in assessments for item in a.iter("item")]


def _read(
    texts: list[tuple[str, str | bytes]], source: str, images: dict[str, str]
) -> tuple[dict, list[Skipped]]:
    reader = ItemReader(source, images)
    files = []
    for name, text in texts:
        root = parse_xml(text, name)
        if root.tag != "questestinterop":
            raise ExamError(
                f"{name}: found <{root.tag}> at the top, expected QTI's <questestinterop>", source=source
            )
        files.append((name, _items(root)))
    # One quiz: its title is the exam's; several (a course export): each quiz's title is its questions' topic.
    titles = list(dict.fromkeys(t for _, items in files for _, t in items if t))
    for name, items in files:
        reader.source = name
        reader.member = name[len(source) + 1 :] if name.startswith(source + "/") else ""
        for item, quiz in items:
            reader.item(item, quiz if len(titles) > 1 else None)
    title = titles[0] if len(titles) == 1 else None
    if reader.problems:
        raise ExamError(reader.problems, source=source)
    if not reader.questions:
        found = "; ".join(s.message(source) for s in reader.skipped) or "no <item>"
        raise ExamError(f"{source}: no question quiz_widgets can use ({found})", source=source)
    ids = [q.pop("_id") for q in reader.questions]
    if all(ids) and len(set(ids)) == len(ids):  # a file write_qti wrote: the exam's own ids
        for q, qid in zip(reader.questions, ids, strict=True):
            q["id"] = int(qid) if re.fullmatch(r"[1-9][0-9]{0,15}", qid) else qid
    name = PurePath(source).stem if source and not source.startswith("<") else ""
    return {"title": title or name or "QTI questions", "questions": reader.questions}, reader.skipped


def read_qti(text: str | bytes, source: str = "<text>") -> tuple[dict, list[Skipped]]:
    """QTI 1.2 XML (a Canvas assessment file) -> (exam dict, items that could not be represented).

    Raises ExamError naming *source* and the line for malformed or hostile XML or when nothing usable is left."""
    return _read([(source, text)], source, {})


def _member_bytes(archive: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int, source: str) -> bytes:
    if info.file_size > cap:
        raise ExamError(
            f"{source}: {info.filename}: {info.file_size:,} bytes, more than the {cap:,} byte limit",
            source=source,
        )
    if info.file_size > 1024 * 1024 and info.file_size > _MAX_RATIO * max(info.compress_size, 1):
        raise ExamError(
            f"{source}: {info.filename}: packed more than {_MAX_RATIO} to 1, refused as a zip bomb",
            source=source,
        )
    try:
        with archive.open(info) as fh:
            data = fh.read(cap + 1)  # the header's size is the sender's word: read no more than the cap
    except (
        zipfile.BadZipFile,
        zlib.error,
        NotImplementedError,
        EOFError,
        RuntimeError,
        OSError,
        UnicodeDecodeError,
    ) as exc:
        # A damaged, encrypted or oddly packed member (RuntimeError: "password required"; UnicodeDecodeError:
        # a local header flagged UTF-8 whose name is not).
        raise ExamError(
            f"{source}: {info.filename}: cannot be read from the zip ({exc})", source=source
        ) from None
    if len(data) > cap:
        raise ExamError(f"{source}: {info.filename}: more than the {cap:,} byte limit", source=source)
    return data


def _safe_name(name: str) -> str | None:
    name = name.replace("\\", "/")
    if name.startswith("/") or re.match(r"[A-Za-z]:", name) or ".." in name.split("/"):
        return None
    return posixpath.normpath(name)


def read_qti_zip(path: str | Path, source: str) -> tuple[dict, list[Skipped]]:
    """A Canvas quiz export (a zip with imsmanifest.xml and QTI 1.2 assessment files) -> (exam dict, skipped).

    Nothing is extracted to disk; member count, sizes and packing ratio are capped and a name that climbs out
    of the archive (../, /abs) is refused, so a hostile zip ends in an ExamError naming the file."""
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError) as exc:
        raise ExamError(f"{source}: not a readable zip file ({exc})", source=source) from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise ExamError(
                f"{source}: {len(infos):,} files in the zip, more than {MAX_MEMBERS:,}", source=source
            )
        members: dict[str, zipfile.ZipInfo] = {}
        skipped: list[Skipped] = []
        for info in infos:
            name = _safe_name(info.filename)
            if name is None:
                skipped.append(
                    Skipped(0, f"the zip member {info.filename!r}", "its name points outside the archive")
                )
            elif not info.is_dir():
                members[name] = info
        budget = [MAX_ZIP_BYTES]

        def read(name: str, cap: int) -> bytes:
            data = _member_bytes(archive, members[name], min(cap, budget[0]), source)
            budget[0] -= len(data)
            return data

        hrefs = _manifest_hrefs(read, members, source) if "imsmanifest.xml" in members else []
        if not hrefs:
            hrefs = [n for n in sorted(members) if n.lower().endswith(".xml") and n != "imsmanifest.xml"]
        texts = []
        for href in hrefs:
            data = read(href, MAX_XML_BYTES)
            if root_name(data[:4096].decode("utf-8", "replace")) == "questestinterop":
                texts.append((f"{source}/{href}", data))
        if not texts:
            raise ExamError(
                f"{source}: found no QTI assessment (<questestinterop>) in the zip", source=source
            )
        images: dict[str, str] = {}
        for name in members:
            if name.startswith("web_resources/") and members[name].file_size <= 2 * 1024 * 1024:
                raw = read(name, 2 * 1024 * 1024)
                if not why_not(raw):
                    images[name.removeprefix("web_resources/")] = data_uri(raw)
    data, more = _read(texts, source, images)
    return data, skipped + more


def _manifest_hrefs(read, members: dict, source: str) -> list[str]:  # type: ignore[no-untyped-def]
    root = parse_xml(read("imsmanifest.xml", MAX_XML_BYTES), f"{source}/imsmanifest.xml")
    hrefs = []
    for resource in root.iter("resource"):
        if not resource.attrs.get("type", "").startswith("imsqti_xmlv1p2"):
            continue
        files = [f.attrs.get("href", "") for f in resource.findall("file")] or [
            resource.attrs.get("href", "")
        ]
        for href in files:
            name = _safe_name(href) if href else None
            if name in members and name not in hrefs:
                hrefs.append(name)
    return hrefs
