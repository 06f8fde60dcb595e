"""The kernel side of a live quiz: keeping it on disk and talking to the page.

writer.py (SessionWriter: one live session file; the heartbeat and the atexit/SIGTERM hooks), controller.py
(QuizController: phases and the user's intents, an answer on disk before its feedback), protocol.py (what
the page may see and ask: payloads, page messages, request/reply); what QuizWidget wraps: quiz_start.py (the
exam and the attempt a quiz starts from), live_quiz.py (LiveQuiz: the attempt, its replacements, the class
link), quiz_api.py (the Python API, mixed into the widget), loop_tasks.py (heartbeat, deadline, view watch)
and periodic.py (repeat_while: the weakly held periodic task every loop task uses).

Imports: quiz_widgets.errors, exam, quiz, store, richtext and teaching. Nothing here imports a widget
library: ui/ wraps a controller in a widget.
"""
