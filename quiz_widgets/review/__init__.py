"""Spaced review across sessions: every answer on disk as a review history, each question an FSRS card.

history.py reads session and results files (ours and the original app's, read by files.py) into reviews,
build.py keeps them per file and replays the cards (schedule.py), state.py keeps both in the JSON state under
``<base_dir>/data/review/``, exams.py finds the cards' exams, deck.py is the deck's public questions and
forecast.py turns recall probabilities into a predicted score. It imports errors, exam, quiz, store and
teaching (the learner name check), and the ``fsrs`` package; never kernel/ or ui/: the QuizWidget glue
(ReviewDeck.quiz) lives in ui/review_deck.py.
"""
