"""The widgets: QuizWidget, SessionBrowser and the session list view, their assets and static/ (hand-written
ES modules and stylesheets, no bundler).

Only this package imports anywidget/ipywidgets. Imports: every layer below (errors, exam, quiz, store,
richtext, kernel, teaching); nothing imports ui/ but the package's lazy public names and the magics.
"""
