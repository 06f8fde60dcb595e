"""Read-only JSON containers: what SessionManager's listings return.

A listing entry is built once, when its file is (re)read, and handed out as is on every later call, so a
repeat listing costs a scandir, a stat per file and a sort - no copy. FrozenDict and FrozenList are plain
``dict`` and ``list`` subclasses (``json.dumps``, ``==``, ``isinstance`` and reading work as usual) whose
mutating methods raise TypeError. ``copy.copy``, ``copy.deepcopy`` and pickle give plain, mutable
``dict``/``list`` (copy.copy: the top level only, the nested values stay frozen; deepcopy and pickle:
all the way down).
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any, NoReturn

__all__ = ["READ_ONLY_MESSAGE", "FrozenDict", "FrozenList", "as_mapping", "freeze", "thaw"]

READ_ONLY_MESSAGE = (
    "listing entries are read-only; use SessionManager.load_session(entry['_filepath']) "
    "for a dict you can change"
)


def _refuse(self: object, *args: object, **kwargs: object) -> NoReturn:
    raise TypeError(READ_ONLY_MESSAGE)


class FrozenDict(dict):
    """A dict whose contents cannot change (see the module docstring). Build it with ``freeze``."""

    __slots__ = ()
    __setitem__ = __delitem__ = __ior__ = _refuse
    update = pop = popitem = clear = setdefault = _refuse

    def __copy__(self) -> dict:
        return dict(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> dict:
        return thaw(self, memo)

    def __reduce__(self) -> tuple:
        return (dict, (dict(self),))  # pickles (and unpickles) as a plain dict; nested values likewise


class FrozenList(list):
    """A list whose contents cannot change (see the module docstring). Build it with ``freeze``."""

    __slots__ = ()
    __setitem__ = __delitem__ = __iadd__ = __imul__ = _refuse
    append = extend = insert = remove = pop = clear = sort = reverse = _refuse

    def __copy__(self) -> list:
        return list(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> list:
        return thaw(self, memo)

    def __reduce__(self) -> tuple:
        return (list, (list(self),))


def freeze(value: Any, depth: int = 64) -> Any:
    """*value* (a parsed JSON tree the caller owns: it is consumed) as FrozenDict/FrozenList all the way
    down. Raises ValueError for a tree nested more than *depth* levels, which keeps the recursion safe."""
    kind = type(value)
    if kind is not dict and kind is not list:
        return value
    if depth <= 0:
        raise ValueError("nested too deeply; expected a flat JSON object")
    if kind is dict:
        for key, item in value.items():  # values replaced in place: the size never changes
            if type(item) is dict or type(item) is list:
                value[key] = freeze(item, depth - 1)
        return FrozenDict(value)
    return FrozenList([freeze(x, depth - 1) if type(x) is dict or type(x) is list else x for x in value])


def thaw(value: Any, memo: dict[int, Any] | None = None) -> Any:
    """A plain, mutable deep copy of *value* (what ``copy.deepcopy`` of a frozen container gives)."""
    if memo is None:
        memo = {}
    if isinstance(value, dict):
        out: dict = {}
        memo[id(value)] = out
        for key, item in dict.items(value):
            out[key] = copy.deepcopy(item, memo)
        return out
    if isinstance(value, list):
        items: list = []
        memo[id(value)] = items
        items.extend(copy.deepcopy(x, memo) for x in value)
        return items
    return copy.deepcopy(value, memo)


def as_mapping(value: object) -> Mapping[str, Any]:
    # Listed files are parsed JSON: dicts, read-only dict subclasses from a listing (a dict check is much
    # cheaper than the ABC's).
    return value if isinstance(value, (dict, Mapping)) else {}
