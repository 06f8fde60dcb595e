"""QTI 1.2 as Canvas exports and imports it: ``read_qti`` (assessment XML), ``read_qti_zip`` (a Canvas quiz
export), ``write_qti`` / ``write_qti_zip`` (what Canvas's "QTI .zip file" import takes).

How Canvas's question types map (the item's ``question_type`` metadata; without it, the response kind):
- multiple_choice_question -> singleChoice (several right answers: any of them, weights of 100 each);
  multiple_answers_question -> multiChoice (the exact set, as Canvas's all-or-nothing condition says);
  true_false_question -> trueFalse; short_answer_question (fill in the blank) -> text with the accepted
  answers (Canvas compares them case-insensitively, without wildcards); numerical_question -> numeric: an
  exact answer, an answer with a margin (value +- tolerance) or a range (min/max), as Canvas writes them.
- Feedback: ``general_fb`` is the explanation, ``general_incorrect_fb`` the incorrect feedback, ``<answer
  ident>_fb`` the option's feedback.
- matching, multiple dropdowns and fill in multiple blanks are skipped with a warning until those kinds land;
  essay, file upload and text-only items are skipped (nothing to grade here).
- HTML text (texttype text/html) stays HTML (sanitized when shown); ``$IMS-CC-FILEBASE$/...`` images are
  taken from the export's web_resources/ (raster, capped); a zip with several quizzes gives each quiz's
  questions its title as their topic.
A zip is untrusted: nothing is extracted, member count, sizes and packing ratio are capped, names that climb
out of it are refused; XML goes through xml_tree.parse_xml (no entities, no external references).
"""

from quiz_widgets.exam.formats.qti.reader import read_qti, read_qti_zip
from quiz_widgets.exam.formats.qti.writer import write_qti, write_qti_zip

__all__ = ["read_qti", "read_qti_zip", "write_qti", "write_qti_zip"]
