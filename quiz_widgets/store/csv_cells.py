"""CSV text a spreadsheet opens as data: every CSV the project writes goes through ``csv_text``.

Cells hold text learners typed (answers, names, exam titles). A spreadsheet runs a cell that begins with
``=``, ``+``, ``-`` or ``@`` as a formula (``=HYPERLINK(...)`` sends whatever it is given to any site), and
a leading tab or carriage return can hide such a start from a check. OWASP's rule: such a text cell gets
a leading ``'``, which spreadsheets show as text and do not display. Numbers the project computed (a
negative discrimination) are ints and floats, not text, and stay numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

__all__ = ["FORMULA_STARTS", "csv_text", "safe_cell"]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """*value* as a CSV cell that no spreadsheet runs: text starting like a formula gets a leading ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """The whole CSV (header row first, RFC 4180's ``\\r\\n`` line ends), every cell through ``safe_cell``."""
    buffer = io.StringIO()
    # The csv module quotes a cell holding a character of the line terminator, and only those: with "\n"
    # alone, a carriage return typed into an answer went out unquoted and split the row in a spreadsheet.
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return buffer.getvalue()
