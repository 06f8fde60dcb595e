"""The kinds of question, one module each, and their registry: type name -> Kind (kinds/base.py says what a
kind does). Imports only errors and i18n; exam's model, grading and checks, quiz's arrangement and the kernel's page
protocol ask the registry instead of testing type names.

Adding a kind: docs/architecture.md, "Adding a kind".
"""

from __future__ import annotations

from quiz_widgets.exam.kinds.base import Kind
from quiz_widgets.exam.kinds.choice import MultiChoice, SingleChoice
from quiz_widgets.exam.kinds.cloze import ClozeKind
from quiz_widgets.exam.kinds.code import Code
from quiz_widgets.exam.kinds.matching import Matching
from quiz_widgets.exam.kinds.numeric import Numeric
from quiz_widgets.exam.kinds.ordering import Ordering
from quiz_widgets.exam.kinds.text import Text
from quiz_widgets.exam.kinds.true_false import TrueFalse

__all__ = ["KINDS", "REGISTRY", "Kind", "get", "owners"]

# In the order the JSON Schema and error messages list them.
REGISTRY: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        SingleChoice(),
        MultiChoice(),
        TrueFalse(),
        Numeric(),
        Text(),
        Matching(),
        Ordering(),
        ClozeKind(),
        Code(),
    )
}
KINDS: tuple[str, ...] = tuple(REGISTRY)


def get(name: str) -> Kind:
    """The kind of a question's ``type`` (KeyError for an unknown name: the checks refuse those first)."""
    return REGISTRY[name]


def owners(key: str) -> str:
    """The kinds that accept a key only they have, for a message: "numeric", "singleChoice or trueFalse"."""
    return " or ".join(name for name, kind in REGISTRY.items() if key in kind.own_keys)
