"""Readers and writers of other tools' question files: the original desktop app's Markdown exams
(app_markdown.py), Moodle GIFT (gift/), Moodle XML (moodle_xml/), Canvas QTI 1.2 (qti/) and jupyterquiz
(jupyterquiz.py); xml_tree.py reads untrusted XML (defusedxml), embedded.py turns a bank's images into data URIs.

Each produces or consumes exam dicts in quiz_widgets' exam format (docs/architecture.md, "the extended exam
format"); loading.py calls them. Imports: quiz_widgets.errors and quiz_widgets.nesting only, so they never
depend on the model.
"""
