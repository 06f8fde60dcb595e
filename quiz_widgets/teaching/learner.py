"""The learner's name: the ``learner=`` argument, else ``JUPYTERHUB_USER``, else the OS user.

The name becomes a folder or key prefix in the class store (``<collect_to>/<learner>/...``), so it must
be one safe path component: a name like ``../bob`` or ``bob/x`` would let one learner write into
another's folder.
"""

from __future__ import annotations

import getpass
import os
import unicodedata

from quiz_widgets.errors import SessionError, shown

__all__ = ["MAX_LEARNER_LENGTH", "check_learner", "resolve_learner"]

MAX_LEARNER_LENGTH = 128
# Separators on any platform, and what Windows or an object store's console refuses in a name.
_FORBIDDEN = set('/\\:*?"<>|')


def check_learner(name: object, *, where: str = "learner") -> str:
    """*name* if it is a safe single path component, else a SessionError naming it and why."""

    def bad(why: str) -> SessionError:
        return SessionError(
            f"{where}: found {shown(name)}, {why}; expected a name usable as one folder name "
            f"(letters, digits, '.', '-', '_', '@'; not starting with '.'; at most {MAX_LEARNER_LENGTH} chars)"
        )

    if not isinstance(name, str):
        raise bad(f"a {type(name).__name__}")
    if not name:
        raise bad("empty")
    if name != name.strip():
        raise bad("leading or trailing spaces")
    if len(name) > MAX_LEARNER_LENGTH:
        raise bad(f"{len(name)} characters long")
    if name.startswith("."):
        # "." and ".." climb the tree; other dot names are hidden files collectors skip.
        raise bad("starts with '.'")
    for ch in name:
        if ch in _FORBIDDEN:
            raise bad(f"contains {ch!r}")
        if unicodedata.category(ch)[0] == "C":  # control, format, surrogate, unassigned
            raise bad(f"contains the control character {ch!r}")
    return name


def resolve_learner(learner: str | None = None) -> str:
    """The learner's name: *learner* if given, else ``JUPYTERHUB_USER``, else the OS user; checked."""
    if learner is not None:
        return check_learner(learner, where="learner argument")
    hub_user = os.environ.get("JUPYTERHUB_USER")
    if hub_user:
        return check_learner(hub_user, where="JUPYTERHUB_USER")
    try:
        user = getpass.getuser()
    except (KeyError, OSError) as err:  # no login name and no passwd entry (some containers)
        raise SessionError(
            "learner: no learner= argument, no JUPYTERHUB_USER and no OS user name "
            f"({err}); expected a learner name"
        ) from err
    return check_learner(user, where="OS user name")
