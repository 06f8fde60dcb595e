"""trueFalse: a single choice between two fixed options, True and False (kept in that order)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from quiz_widgets.exam.kinds.base import MISSING
from quiz_widgets.exam.kinds.choice import SingleChoice, bool_key

__all__ = ["TrueFalse"]


class TrueFalse(SingleChoice):
    name = "trueFalse"
    shuffles_options = False  # shuffling two fixed words only confuses (Moodle keeps True first)
    allow_bool = True

    def default_options(self) -> tuple | None:
        return (("A", "True"), ("B", "False"))

    def option_count(self) -> int | None:
        return 2

    def check_answer(self, checker: Any, raw: Mapping, where: str | None, options: tuple) -> Any:
        value = raw.get("answer", MISSING)
        keys = [o.key for o in options]
        if isinstance(value, bool):
            return (bool_key(options, value),)
        if isinstance(value, str):
            s = value.strip()
            if s.upper() in keys:
                return (s.upper(),)
            if s.casefold() in ("true", "false"):
                return (bool_key(options, s.casefold() == "true"),)
        checker.bad(
            where, "answer", value, f"true/false, 'True'/'False' or an option letter ({', '.join(keys)})"
        )
        return None
