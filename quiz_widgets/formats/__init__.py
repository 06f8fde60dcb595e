"""Readers and writers of other tools' question files (Moodle GIFT, jupyterquiz).

Each produces or consumes exam dicts in quiz_widgets' exam format (docs/architecture.md, "the extended exam
format") and imports nothing from the package but quiz_widgets.errors, so the model can call them freely.
"""
