"""How deep JSON text nests, found without decoding it and without recursion.

JSON decoders recurse once per level on the C stack: CPython raises RecursionError near 1,000 levels, but
Pyodide runs out of JavaScript stack near 10,000 and the kernel dies for good (3,000 was fine). So every
reader of JSON it did not write (session and results files in store/, exam files and question banks in
exam/) checks the bytes here before a decoder sees them. It imports only errors.
"""

from __future__ import annotations

import re
from itertools import accumulate

from quiz_widgets.errors import ExamError

__all__ = ["NESTING_LIMIT", "refuse_deep_json", "too_deep", "too_deep_in_text"]

# Real files nest about 5 levels; far below what any decoder survives.
NESTING_LIMIT = 1_000

# A JSON string as the decoder reads it: an escape pairs a backslash with the next byte.
_STRING_OR_BRACKET = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}]', re.DOTALL)
# Only escaped quotes and backslashes can hide where a string ends; other escapes hold no quote or bracket.
_ESCAPE = re.compile(rb'\\[\\"]')
_NOT_STRUCTURE = bytes(b for b in range(256) if b not in b'"[]{}')
_STEP = {ord("["): 1, ord("{"): 1, ord("]"): -1, ord("}"): -1}
_PEEL_STEPS = 16  # real files nest about 5 levels


def too_deep(raw: bytes, limit: int = NESTING_LIMIT) -> tuple[int, int] | None:
    """(byte offset, level) of the first bracket in *raw* that opens more than *limit* arrays/objects
    inside one another outside strings, or None.

    No recursion and no decoding, so any bytes are safe to check. Everything but the last step runs in C:
    escaped quotes and backslashes dropped, only quotes and brackets kept (a session's 1-2%), strings
    without brackets dropped as adjacent quote pairs, innermost pairs peeled; only bytes that still look
    deep get a running sum, and only bytes that fail it are walked in Python, to find the offset. Invalid
    JSON may be over-counted; the decoder stops at its first error, so it never nests deeper than counted.
    """
    text = _ESCAPE.sub(b"", raw) if b"\\" in raw else raw
    shape = text.translate(None, _NOT_STRUCTURE)
    if shape.count(b"[") + shape.count(b"{") <= limit:
        return None
    # Dropping two adjacent quotes changes no other quote's parity: what is left inside a string stays so.
    shape = shape.replace(b'""', b"")
    if b'"' in shape:  # strings holding brackets: the even pieces are outside strings
        shape = b"".join(shape.split(b'"')[::2])
    # Each replace removes innermost pairs, at most one level: bytes gone after k of them are <= k deep.
    peeled = shape
    for _ in range(min(_PEEL_STEPS, limit) // 2):
        peeled = peeled.replace(b"[]", b"").replace(b"{}", b"")
        if not peeled:
            return None
    if max(accumulate(map(_STEP.__getitem__, shape)), default=0) <= limit:
        return None
    depth = 0
    for match in _STRING_OR_BRACKET.finditer(raw):
        char = raw[match.start()]
        if char == 0x22:  # a whole string: nothing in it counts
            continue
        depth += _STEP[char]
        if depth > limit:
            return match.start(), depth
    return None


def too_deep_in_text(text: str, limit: int = NESTING_LIMIT) -> str | None:
    """Where JSON *text* first nests more than *limit* levels ("line 3 column 12 opens level 1,001"), or None."""
    raw = text.encode("utf-8", "surrogatepass")
    found = too_deep(raw, limit)
    if found is None:
        return None
    offset, depth = found
    line_start = raw.rfind(b"\n", 0, offset) + 1
    column = len(raw[line_start:offset].decode("utf-8", "replace")) + 1
    line = raw.count(b"\n", 0, offset) + 1
    return f"line {line:,} column {column:,} opens level {depth:,}"


def refuse_deep_json(text: str, source: str) -> None:
    """ExamError naming *source* and the place, if an exam's or question bank's JSON nests too deeply."""
    where = too_deep_in_text(text)
    if where is not None:
        raise ExamError(
            f"{source}: {where}: the JSON is nested too deeply; an exam is at most {NESTING_LIMIT:,} levels "
            "deep (not decoded)",
            source=source,
        )
