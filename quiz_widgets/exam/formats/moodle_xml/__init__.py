"""Moodle XML question banks: ``read_moodle_xml`` (XML -> exam dict) and ``write_moodle_xml`` (exam dict -> XML).

Moodle's importer (question/format/xml/format.php, class qformat_xml) is the reference: a file is read the
way Moodle reads it (``single`` is true unless "false", "0" or empty; ``shuffleanswers`` false unless said;
an answer whose text is blank is not saved; a true/false answer that is not "true" or "false" is an old
localised export, true first), and the checks Moodle makes when it saves a question are made too (a single
answer needs a 100% answer, the positive fractions of a multiple answer add up to 100%, a short answer and a
numerical one need a 100% answer), so a file this accepts is one Moodle accepts.

How it maps:
- multichoice -> singleChoice / multiChoice, fractions as ``weights`` (percent), each answer's feedback as the
  option's, incorrectfeedback as ``incorrect_feedback``; ``shuffleanswers`` and ``answernumbering`` are kept
  under the question's ``moodle`` key, so an export writes them back.
- truefalse -> trueFalse (True/False options, each answer's feedback on its option); shortanswer -> text with
  ``answers`` entries (Moodle's ``*`` wildcard kept), ``usecase`` 1 as ``match_case``, a last 0% ``*`` answer
  as ``incorrect_feedback``; numerical -> numeric (value and tolerance per answer); units are not asked: a
  warning says so.
- description, essay, matching, multianswer (Cloze), ddwtos, gapselect and other types are skipped with a
  warning naming the file, line and question.
- Text formats: html stays HTML, moodle_auto_format becomes HTML with its line breaks as <br>, plain_text
  and markdown stay plain / markdown when the whole question is in that format, else they become HTML. The
  renderer sanitizes HTML as all exam text.
- ``@@PLUGINFILE@@/name`` images are replaced by the data URI of the question's ``<file name=...
  encoding="base64">`` when it is a PNG, JPEG, GIF or WebP within the exam image cap; others are reported.
- A category's last path component is the topic of the questions after it; the name is the title; the
  idnumber is the id when every question has a different one, else ids are 1..n; general feedback is the
  explanation.
Hostile XML (entity declarations, external entities, deep nesting) is refused by xml_tree.parse_xml.
"""

from quiz_widgets.exam.formats.moodle_xml.reader import read_moodle_xml
from quiz_widgets.exam.formats.moodle_xml.writer import write_moodle_xml

__all__ = ["read_moodle_xml", "write_moodle_xml"]
