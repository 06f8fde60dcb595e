"""Moodle GIFT question files: ``read_gift`` (GIFT -> exam dict) and ``write_gift`` (exam dict -> GIFT).

Moodle's importer (question/format/gift/format.php, class qformat_gift) is the reference: a hand-written file
is read the way Moodle reads it, quirks included (only the answer block's ``~ = # {}`` are syntax, ``{true}``
is a short answer because only ``T TRUE F FALSE`` make a true/false item, an unescaped ``=`` inside a choice
starts a new right answer). The checks Moodle makes when it saves an imported question (a single-answer item
needs a 100% option, the positive weights of a multi-answer item add up to 100%, a short answer needs a 100%
answer) are made here too, so a file this accepts is one Moodle accepts.

Choices made where quiz_widgets and Moodle differ, so the readers and the model agree on them:
- Text with no format marker, and ``[moodle]``, is Moodle's auto-format: HTML where the author wrote HTML and
  a line break where the author broke a line. It becomes ``format: "html"`` with each line break written as
  ``<br>``; ``[html]``, ``[markdown]`` and ``[plain]`` keep their own format untouched.
- ``$CATEGORY: $course$/top/Biology/Cells`` gives the following questions ``topic: "Cells"`` (the last
  component: the earlier ones are Moodle's course structure, not the subject). ``//`` in a name is a ``/``.
- The exam's title is the file's name, else the first category's last component, else "GIFT questions".
- Question ids are 1..n in file order; a GIFT ``::name::`` is kept as the question's ``title``.
- A simple numerical (one value, full credit, no feedback) or short answer (all answers full credit, no
  feedback) uses the original ``answer`` (+ ``tolerance``); anything richer uses ``answers`` only.
- A last short answer ``*`` with 0% credit (Moodle's "any other answer") and a numerical ``~#feedback`` become
  ``incorrect_feedback``.
Items quiz_widgets cannot ask (essay, matching, description, ...) come back as ``Skipped`` records with their
line; ``warn_skipped`` turns them into one UserWarning each. Malformed text raises ExamError naming the line.
"""

from quiz_widgets.exam.formats.gift.common import BLANK, Skipped, warn_skipped
from quiz_widgets.exam.formats.gift.reader import read_gift
from quiz_widgets.exam.formats.gift.writer import write_gift

__all__ = ["BLANK", "Skipped", "read_gift", "warn_skipped", "write_gift"]
