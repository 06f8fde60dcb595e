"""The quiz as plain Python: a learner's attempt at an exam, and what it leaves behind.

state.py (QuizState: answers, score, time), navigation.py (its base class: the question on screen, goto,
flags, revealed answers), timing.py (Clock, the time limit, seconds per question), codec.py (the session
dict: to_session/from_session, the original app's fields), extension.py (writing our "quiz_widgets" key),
session_record.py (a session dict read into one checked SessionRecord), restore.py (the state built from
a record), session_fields.py (the field checks), changes.py (resuming when the exam changed
since the save), results.py (results files, per-topic breakdown, study exams from wrong answers), study.py
(writing a study exam next to the sessions), finding.py (the exam a saved session belongs to).

Imports: quiz_widgets.errors, quiz_widgets.exam and quiz_widgets.store (files as dicts). Nothing here
knows about widgets, kernels or the event loop, so every rule is testable with a fake clock.
"""
