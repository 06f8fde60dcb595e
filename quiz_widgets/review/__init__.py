"""Spaced review across sessions: every answer on disk as a review history, each question an FSRS card.

history.py reads session and results files (ours and the original app's) into reviews, deck.py keeps the
cards and their JSON state under ``<base_dir>/data/review/``, forecast.py turns recall probabilities into a
predicted score. It imports errors, exam, quiz, store and teaching (the learner name check), and the ``fsrs`` package; never kernel/ or ui/:
the QuizWidget glue (ReviewDeck.quiz) lives in ui/review_deck.py.
"""
