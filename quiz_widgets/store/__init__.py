"""Files on disk, as dicts: atomic writes, locks, the session listing and the SessionManager.

atomic.py (temp file, fsync, rename; reading JSON safely), drive.py (JupyterLite's drive, where a file is
written whole in place), locks.py (one live writer per session file),
listing.py and frozen.py (the listing cache of read-only summaries), manager.py (SessionManager: sessions and
results folders, the original app's API), results_files.py (the wrong answers of results files), labels.py
(a session's state label), live.py (deleting sessions without pulling a file from under a running quiz).

Imports: quiz_widgets.errors and quiz_widgets.nesting only. The store handles dicts, never the exam or quiz
models.
"""
