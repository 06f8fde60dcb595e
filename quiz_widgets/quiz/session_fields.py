"""Checking a saved session's fields, one at a time: each SessionError names the file, the field, what
was found and what was expected.

Shared by session_record.py (reading a session dict) and restore.py (what needs the exam); state.py
uses field_error() for a question order. Nothing here knows the state.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from quiz_widgets.errors import SessionError, shown

__all__ = [
    "bool_field",
    "count_field",
    "field_error",
    "json_copy",
    "mapping_field",
    "number_field",
    "source_name",
    "wrong_list",
]


def field_error(source: str, field: str, found: object, expected: str) -> SessionError:
    return SessionError(f"{source}: field {field!r}: found {shown(found)}, expected {expected}")


def source_name(data: object) -> str:
    if isinstance(data, Mapping):
        path = data.get("_filepath")
        if isinstance(path, str) and path:
            return path
    return "<dict>"


def mapping_field(data: Mapping[str, Any], key: str, source: str) -> Mapping[str, Any]:
    value = data.get(key)
    if value is None:
        return {}  # the seed tolerates a missing block (some original files have no timer_data)
    if not isinstance(value, Mapping):
        raise field_error(source, key, value, "an object")
    return value


def bool_field(data: Mapping[str, Any], key: str, field: str, source: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise field_error(source, field, value, "true or false")
    return value


def count_field(data: Mapping[str, Any], key: str, field: str, source: str) -> int:
    value = data.get(key, 0)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise field_error(source, field, value, "a whole number >= 0")
    return value


def number_field(
    data: Mapping[str, Any], key: str, field: str, source: str, *, required: bool = False
) -> float:
    if key not in data and not required:
        return 0.0
    value = data.get(key)
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not math.isfinite(value)
        or value < 0
    ):
        raise field_error(source, field, value, "a finite number of seconds >= 0")
    return float(value)


def wrong_list(data: Mapping[str, Any], field: str, source: str) -> list[dict[str, Any]]:
    """Wrong-answer entries as saved (kept verbatim: the original app wrote letters, texts or lists)."""
    wrong = data.get("wrong_answers", [])
    if not isinstance(wrong, list):
        raise field_error(source, field, wrong, "a list of wrong-answer objects")
    result = []
    for i, entry in enumerate(wrong):
        if not isinstance(entry, Mapping):
            raise field_error(source, f"{field}[{i}]", entry, "an object {question_id, question, ...}")
        result.append(json_copy(entry, f"{field}[{i}]", source))
    return result


def json_copy(value: Any, field: str, source: str) -> Any:
    """Deep copy of JSON data, refusing anything json.dumps(allow_nan=False) would reject."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise field_error(source, field, value, "a finite number")
        return value
    if isinstance(value, (list, tuple)):
        return [json_copy(v, f"{field}[{i}]", source) for i, v in enumerate(value)]
    if isinstance(value, Mapping):
        out = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise field_error(source, field, k, "string keys")
            out[k] = json_copy(v, f"{field}.{k}", source)
        return out
    raise field_error(source, field, value, "JSON data (string, number, true/false, null, list or object)")
