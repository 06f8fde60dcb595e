"""The exam: what a quiz asks and how one answer is graded, and reading exams from files.

model.py (Option, Question, Exam: no I/O), kinds/ (one module per kind of question: its fields, checks,
grading, page and file forms; the registry), grading.py (one answer for one question), checks.py (raw exam
data checked in one pass, every problem named), loading.py (load_exam(): files, samples by name, the JSON
Schema), formats/ (readers of other tools' files: the original app's Markdown, Moodle GIFT, jupyterquiz),
samples/ and schema/ (package data).

Imports: quiz_widgets.errors, quiz_widgets.nesting and quiz_widgets.richtext only. The model never imports
the loaders.
"""

from quiz_widgets.exam.checks import validate_exam
from quiz_widgets.exam.loading import exam_schema, load_exam
from quiz_widgets.exam.model import FORMATS, KINDS, Exam, NumericEntry, Option, Question, TextEntry

__all__ = [
    "FORMATS",
    "KINDS",
    "Exam",
    "NumericEntry",
    "Option",
    "Question",
    "TextEntry",
    "exam_schema",
    "load_exam",
    "validate_exam",
]
