"""Write the project's notebooks from their source cells, then execute them in place.

Notebooks are outputs of this script so their text stays reviewable here; strict nbval then checks that
running them still gives the outputs stored in them. Run: .venv/bin/python scripts/make_notebooks.py [NAME...]
(NAME: only those notebooks, e.g. resume.ipynb). With --check it only compares each notebook's cells with
the ones written here (exit 1 on a difference).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"

QUICKSTART = [
    new_markdown_cell(
        "# Cloud Concepts practice exam\n\n"
        "Run the next two cells and take the exam below. Every answer is saved the moment you give it, "
        "so you can close this tab, restart the kernel or shut the laptop: nothing is lost.\n\n"
        "Keys: **1-5** or **A-E** pick an option; a question with one right answer is answered the moment you "
        "pick it, by key or click. On a question where you choose several, the keys tick options and **Enter** "
        "submits them, as it does a typed answer. **N** or **→** goes to the next question."
    ),
    new_code_cell("from quiz_widgets import QuizWidget"),
    new_code_cell(
        '# "cloud-basics" is a sample exam shipped with quiz_widgets; pass a path for your own exam file.\n'
        '# base_dir="..": sessions, study quizzes and results go to data/ and results/ in the clone\'s root\n'
        "# (where the original app keeps them; git ignores both).\n"
        'quiz = QuizWidget("cloud-basics", base_dir="..")\n'
        "quiz"
    ),
    # A printed "where you are" line went stale at the first answer while it stayed on the page.
    new_markdown_cell(
        "The widget and Python share one quiz: in a new cell, `quiz.total_answered`, `quiz.score` or "
        "`quiz.wrong_answers` say where you are at that moment."
    ),
    new_markdown_cell(
        "## Coming back later\n\n"
        "Every earlier session is in the **Previous Sessions** browser "
        "(see `previous-sessions.ipynb`), or resume one file directly:\n\n"
        "```python\n"
        'QuizWidget.resume("../data/sessions/session_20241101_200508.json")\n'
        "```"
    ),
    new_markdown_cell(
        "## Questions due for review\n\n"
        "Every answer you give is remembered: `ReviewDeck` schedules each question you answered with FSRS "
        "(a miss comes back the next day, a question you know later and later). The finish screen above says "
        "how many are due and offers **Review now**; from Python:"
    ),
    # Its output depends on what was answered under the clone's root before: nbval runs it, compares nothing.
    # It prints the count only: a sentence saying when the next question is due went stale at the first answer.
    new_code_cell(
        "from quiz_widgets import ReviewDeck\n\n"
        'deck = ReviewDeck(base_dir="..")  # every session and results file in the clone\'s data/ and results/\n'
        "due = deck.due()  # [(exam title, question id), ...], most overdue first\n"
        'print(f"Due for review: {len(due)}")\n'
        "deck.quiz(limit=20) if due else None  # a quiz of them; each answer reschedules it",
        metadata={"tags": ["nbval-ignore-output"]},
    ),
]

# The demo notebooks work in a scratch folder and never delete it: a last cell that did emptied every
# widget above it on Run All (a closed quiz shows nothing). The system's temp folder is cleaned as usual.
_KEPT = (
    "The demo's files stay in a scratch folder of your system's temporary folder (`{folder}`), so "
    "{what}; nothing here deletes them while you use them."
)

RESUME = [
    new_markdown_cell(
        "# Resuming a session\n\n"
        "A session file holds everything needed to go on: the score, every answer, the time spent and "
        "where you stopped. This notebook makes an earlier session in a scratch folder, then resumes it "
        "the way you would resume your own."
    ),
    new_code_cell(
        "import json\n"
        "import shutil\n"
        "import tempfile\n"
        "from pathlib import Path\n\n"
        "from quiz_widgets import QuizWidget, SessionManager, load_exam\n\n"
        'base = Path(tempfile.mkdtemp(prefix="quiz-resume-"))\n'
        "# A copy of the sample exam where the original app keeps exams, so its sessions find it by title.\n"
        '(base / "data" / "exams").mkdir(parents=True)\n'
        '_ = shutil.copy(load_exam("cloud-basics").source, base / "data" / "exams")'
    ),
    new_markdown_cell("Yesterday: three questions answered, then the tab was closed."),
    new_code_cell(
        'earlier = QuizWidget(base / "data/exams/cloud-basics.json", base_dir=base)\n'
        'for letter in ["C", "B", "A"]:\n'
        "    earlier.answer(letter)\n"
        "earlier.close()\n"
        "path = earlier.session_path\n"
        "print(earlier)"
    ),
    new_markdown_cell("Today: resume from the file. The quiz goes on at question 4, in the same file."),
    new_code_cell("quiz = QuizWidget.resume(path)\nquiz"),
    new_code_cell(
        'print(f"question {quiz.index + 1} of {quiz.total}, score {quiz.score}")\n'
        'print("same file:", quiz.session_path == path)'
    ),
    new_markdown_cell(
        "## Sessions from the original desktop app\n\n"
        "Its files record only the exam title and how many questions were answered. The exam is found by "
        "title in `exams/` or `data/exams/`, and the quiz resumes at the next unanswered question."
    ),
    new_code_cell(
        "desktop_session = {\n"
        '    "session_date": "2024-11-01T20:05:08.123456",\n'
        '    "exam_title": "Cloud Concepts Practice Exam",\n'
        '    "total_questions": 24,\n'
        '    "quiz_mode": {"score": 4, "total_answered": 5, "wrong_answers": []},\n'
        '    "timer_data": {\n'
        '        "elapsed_seconds": 300, "completed": False, "auto_saved": True, "emergency_saved": False,\n'
        "    },\n"
        "}\n"
        "old_path = SessionManager(base).save_session(desktop_session)\n"
        "old = QuizWidget.resume(old_path)\n"
        'print(f"question {old.index + 1}, score {old.score}, at least {int(old.elapsed_seconds)} s")\n'
        "old"
    ),
    new_markdown_cell(_KEPT.format(folder="base", what="the quizzes above keep working")),
]


# The class comes from notebooks/demo_class.py (quiz_widgets' internals, kept out of the notebook);
# tests/test_report_notebook.py runs the first cell again and checks the figures shown against its files.
INSTRUCTOR_REPORT = [
    new_markdown_cell(
        "# A class report\n\n"
        "Quizzes made with `QuizWidget(exam, collect_to=...)` send each completed attempt to a class folder "
        "or bucket, one folder per learner. This notebook reads such a folder with `ClassReport`. So that "
        "it runs anywhere, the first cell makes up a class of 20 learners (a fixed seed: the same numbers on "
        "every run) in a temporary folder; for your course, pass your folder or URL instead, e.g. "
        '`ClassReport.load("s3://course-bucket/cs101")`.'
    ),
    new_code_cell(
        "# demo_class.py, beside this notebook, writes results files as 20 learners' quizzes would.\n"
        "from demo_class import make_class\n\n"
        "from quiz_widgets import ClassReport\n\n"
        "folder = make_class()"
    ),
    new_markdown_cell(
        "## Attempts\n\nOne row per completed attempt: `accuracy` is right answers over answered questions "
        "(0-1), `elapsed_seconds` the time the quiz was on screen."
    ),
    new_code_cell(
        "report = ClassReport.load(folder)\n"
        "print(report)\n"
        "attempts = report.attempts\n"
        'print(f"mean score {attempts.score.mean():.3f} of {attempts.total.max()}, "\n'
        '      f"mean accuracy {attempts.accuracy.mean():.3f}")\n'
        'print(attempts[["learner", "date", "score", "accuracy", "elapsed_seconds"]].head(6).to_string(index=False))'
    ),
    new_markdown_cell(
        "## Questions\n\n`correct_share` is the share of attempts that got it right; `discrimination` the "
        "correlation of getting it right with the rest of the score (near 0 or below: the question does not "
        "tell strong learners from weak ones); `most_chosen_wrong` the wrong option chosen most often."
    ),
    new_code_cell(
        'columns = ["question_id", "attempts", "correct_share", "discrimination", "mean_seconds", '
        '"most_chosen_wrong"]\n'
        'print(report.questions[columns].to_string(index=False, float_format="{:.3f}".format))'
    ),
    new_markdown_cell("## Topics and learners"),
    new_code_cell(
        'print(report.topics.to_string(index=False, float_format="{:.3f}".format))\n'
        "print()\n"
        'learners = report.learners[["learner", "attempts", "mean_accuracy", "best_accuracy", "last_accuracy"]]\n'
        'print(learners.head(6).to_string(index=False, float_format="{:.3f}".format))'
    ),
    new_markdown_cell(
        "## The HTML report\n\n"
        "One self-contained file (plots as inline SVG, nothing loaded from the network) to share with "
        "colleagues; `quiz-widgets report FOLDER_OR_URL --html report.html --csv DIR` writes the same from "
        "a terminal."
    ),
    new_code_cell(
        "from html import escape\n\n"
        "from IPython.display import HTML\n\n"
        'html = report.to_html(folder / "report.html", title="Cloud basics check").read_text(encoding="utf-8")\n'
        'print("plots:", html.count("<svg"), "| scripts:", html.count("<script"), '
        "\"| network addresses:\", html.count('src=\"http') + html.count('href=\"http'))\n"
        "# The report as your colleagues see it (scroll inside the frame); no scripts run in it.\n"
        'HTML(f\'<div><iframe title="Class report" sandbox="allow-same-origin" srcdoc="{escape(html)}" \'\n'
        "     'style=\"width: 100%; height: 640px; border: 1px solid #bbb; background: white\"></iframe></div>')"
    ),
    new_markdown_cell(
        "## Items to look at\n\n"
        "Moodle's item statistics, on each learner's first attempt: `facility` is the share right, "
        "`discrimination_index` the top 27% of learners (by score) minus the bottom 27%, `point_biserial` the "
        "correlation with the rest of the score, `discriminative_efficiency` how much of the largest possible "
        "correlation the question reaches. `look_at` names what a reviewer should check; the HTML report "
        "lists the same questions. `reliability` is Cronbach's alpha per exam."
    ),
    new_code_cell(
        'print(report.reliability.to_string(index=False, float_format="{:.3f}".format))\n'
        "print()\n"
        "items = report.items\n"
        'columns = ["question_id", "facility", "discrimination_index", "point_biserial", "look_at"]\n'
        'print(items[items["look_at"] != ""][columns].to_string(index=False, float_format="{:.3f}".format))'
    ),
    new_markdown_cell(
        "## The gradebook\n\n"
        "What Canvas imports (Gradebook > Import): one row per learner, one column per exam, the best "
        "attempt's score out of the exam's questions, and a Points Possible row. "
        '`to_gradebook("moodle", ...)` writes Moodle\'s grade import; `roster="roster.csv"` maps quiz names '
        "to the LMS's ids and sections and lists who is missing on either side; `report.regrade(exam)` "
        "scores every attempt again against a corrected exam first. From a terminal: "
        "`quiz-widgets report FOLDER_OR_URL --gradebook canvas -o grades.csv`."
    ),
    new_code_cell(
        'book = report.to_gradebook("canvas", folder / "grades.csv")\n'
        'print("\\n".join(book.path.read_text(encoding="utf-8").splitlines()[:5]))'
    ),
    new_markdown_cell(
        _KEPT.format(folder="folder", what="you can open its `report.html` or load the class again")
    ),
]


# A generated question (a function of a random.Random), shown in instructor.ipynb and question-kinds.ipynb.
OHMS_LAW = (
    "def ohms_law(rng):\n"
    "    volts, ohms = rng.randint(5, 24), rng.choice([100, 220, 470])\n"
    "    return {\n"
    '        "question": f"A {volts} V source drives a {ohms} Ω resistor. The current, in mA?",\n'
    '        "type": "numeric",\n'
    '        "answer": round(1000 * volts / ohms, 3),\n'
    '        "tolerance": 0.5,\n'
    "    }\n"
)

INSTRUCTOR = [
    new_markdown_cell(
        "# Week 3: rates of change\n\n"
        "A course notebook with short quizzes between its lessons. Each quiz is written in the notebook "
        "itself (a `%%quiz` cell of YAML, or `QuizWidget.from_questions`), or read from a question bank you "
        "already have (Moodle GIFT, jupyterquiz). Re-running a cell continues the learner's attempt.\n\n"
        "Sessions go to `data/sessions` under `base_dir`. This demo uses a scratch folder so every run starts "
        "fresh; in a course, leave `base_dir` out and they go next to the notebook."
    ),
    new_code_cell(
        "import tempfile\n"
        "import warnings\n\n"
        "from quiz_widgets import QuizWidget, load_exam\n\n"
        "%load_ext quiz_widgets\n"
        'base = tempfile.mkdtemp(prefix="course-")'
    ),
    new_markdown_cell(
        "## The derivative\n\n"
        "The derivative of $f$ at $x$ is the limit of the difference quotient:\n\n"
        "$$f'(x) = \\lim_{h \\to 0} \\frac{f(x + h) - f(x)}{h}$$\n\n"
        "For $f(x) = x^2$ it is $2x$. Numerically, a small $h$ gets close:"
    ),
    new_code_cell(
        "def slope(f, x, h=1e-6):\n"
        "    return (f(x + h) - f(x)) / h\n\n"
        "print(round(slope(lambda x: x**2, 3.0), 3))"
    ),
    new_markdown_cell(
        "### Check your understanding\n\n"
        "A `%%quiz` cell: the title on the first line, options such as `--attempt new` after it, and the "
        "questions as YAML. Question, option, explanation and feedback text may use Markdown, `$math$` "
        "and fenced code."
    ),
    new_code_cell(
        "%%quiz Check: derivatives --base_dir {base}\n"
        "- question: What is the derivative of $x^3$?\n"
        "  options: [$3x^2$, $x^2$, $3x$]\n"
        "  answer: A\n"
        "  explanation: The power rule, $\\frac{d}{dx} x^n = n x^{n-1}$.\n"
        "- question: |\n"
        "    What does this print?\n"
        "    ```python\n"
        "    print(round(slope(lambda x: 5 * x, 1.0)))\n"
        "    ```\n"
        "  type: numeric\n"
        "  answer: 5\n"
        "  explanation: A straight line has the same slope everywhere.\n"
        "- question: The derivative of a constant is zero.\n"
        "  type: trueFalse\n"
        "  answer: A"
    ),
    new_markdown_cell(
        "The same from Python, with partial credit (weights) and a numeric range with its own feedback:"
    ),
    new_code_cell(
        "questions = [\n"
        "    {\n"
        '        "question": "Which functions are their own derivative? (Choose all)",\n'
        '        "type": "multiChoice",\n'
        '        "options": ["$e^x$", "$0$", "$x$", "$\\\\sin x$"],\n'
        '        "weights": {"A": 50, "B": 50, "C": -100, "D": -100},\n'
        '        "answer": ["A", "B"],\n'
        "    },\n"
        "    {\n"
        '        "question": "Estimate $\\\\frac{d}{dx} \\\\sqrt{x}$ at $x = 4$.",\n'
        '        "type": "numeric",\n'
        '        "answers": [\n'
        '            {"value": 0.25, "tolerance": 0.005},\n'
        '            {"min": 0.2, "max": 0.3, "credit": 50, "feedback": "Close: compute $\\\\frac{1}{2\\\\sqrt{4}}$."},\n'
        "        ],\n"
        "    },\n"
        "]\n"
        'practice = QuizWidget.from_questions(questions, title="Practice: special functions", base_dir=base)\n'
        "practice"
    ),
    new_markdown_cell(
        "## Numbers that differ per learner\n\n"
        "A question may be a function: it takes a `random.Random` and returns a question dict. Each learner "
        "gets their own variant (seeded from their name, the exam and the attempt), kept in their session, so "
        "running the cell again shows the same numbers and a new attempt new ones. Files never carry code: "
        "generators come from a notebook cell or a module only."
    ),
    new_code_cell(
        OHMS_LAW + "\n"
        'resistance = {"question": "The unit of resistance?", "type": "text", "answer": ["ohm", "Ω"]}\n'
        'circuits = QuizWidget.from_questions([ohms_law, resistance], title="Circuits", base_dir=base)\n'
        "circuits"
    ),
    new_markdown_cell(
        "Two learners of this course (named here for the demo; in a course the learner is the hub user) see "
        "two variants of question 1, under one id for the class report. `seed=` gives everyone the same one."
    ),
    new_code_cell(
        'for name in ("ada", "bob"):\n'
        "    quiz = QuizWidget.from_questions(\n"
        '        [ohms_law, resistance], title="Circuits", base_dir=base, learner=name, attempt="new"\n'
        "    )\n"
        "    print(f\"{name}: question id {quiz.question['id']}: {quiz.question['text']}\")"
    ),
    new_markdown_cell(
        "## Re-running continues\n\n"
        "A learner answers one question, then runs the cell again (or restarts the kernel and runs it): "
        "the quiz goes on in the same file, at the same question, with the same time, and offers "
        '"Start a new attempt". `attempt="new"` always starts afresh. Here a quiz of its own plays the '
        "first run, so the one above stays yours (an older widget of a re-run cell says where its quiz went "
        "on and takes no more answers)."
    ),
    new_code_cell(
        'first = QuizWidget.from_questions(questions, title="Practice: run twice", base_dir=base)\n'
        'first.answer(["A", "B"])  # the first run: one question answered\n'
        'again = QuizWidget.from_questions(questions, title="Practice: run twice", base_dir=base)\n'
        'print(f"same file: {again.session_path == first.session_path}, "\n'
        '      f"{again.total_answered} answered, on question {again.index + 1}")\n'
        "again"
    ),
    new_markdown_cell(
        "## A question bank from Moodle\n\n"
        "`banks/networking.gift` is a GIFT export. Items quiz_widgets cannot ask (essays, descriptions) are "
        "skipped with a warning naming their line; everything else keeps its feedback, weights and ranges. "
        "A GIFT file has no title (load_exam names the exam after the file), so the quiz is given one."
    ),
    new_code_cell(
        "with warnings.catch_warnings(record=True) as skipped:\n"
        '    warnings.simplefilter("always")\n'
        '    bank = load_exam("banks/networking.gift")\n'
        "for warning in skipped:\n"
        '    print("skipped:", warning.message)\n'
        'print(f"{len(bank)} questions:", ", ".join(sorted({q.kind for q in bank})))\n'
        'QuizWidget.from_questions(bank.to_dict(), title="Networking: addresses and protocols", base_dir=base)'
    ),
    new_markdown_cell(
        "The command line converts a bank to the YAML exam format and back to GIFT for Moodle:\n\n"
        "```\n"
        "quiz-widgets import banks/networking.gift -o networking.yaml\n"
        "quiz-widgets export networking.yaml --to gift -o networking.gift\n"
        "```"
    ),
    new_markdown_cell(_KEPT.format(folder="base", what="the quizzes above keep working")),
]


KINDS = [
    new_markdown_cell(
        "# Every kind of question\n\n"
        "A quiz asks nine kinds of question: a single choice, several choices, true or false, a number, a "
        "short text, **matching** (each item matched to a right-hand choice, some of which match nothing), "
        "**ordering** (items put in order), **cloze** (blanks in the text, in Moodle's syntax) and **code** (a "
        "function the learner writes, run against cases). Each is answered by mouse or keyboard in the widget, "
        "or from Python with `quiz.answer(...)`."
    ),
    new_code_cell(
        'import tempfile\n\nfrom quiz_widgets import QuizWidget\n\nbase = tempfile.mkdtemp(prefix="kinds-")'
    ),
    new_code_cell(
        "questions = [\n"
        '    {"question": "Which planet is largest?", "options": ["Mars", "Jupiter", "Venus"], "answer": "B"},\n'
        '    {"question": "Which are prime? (Choose all that apply)", "type": "multiChoice",\n'
        '     "options": ["2", "4", "5"], "answer": ["A", "C"]},\n'
        '    {"question": "Water boils at 100 °C at sea level.", "type": "trueFalse", "answer": True},\n'
        '    {"question": "$\\\\pi$ to two decimals?", "type": "numeric", "answer": 3.14, "tolerance": 0.005},\n'
        '    {"question": "The capital of France?", "type": "text", "answer": "Paris"},\n'
        '    {"question": "Match each service to its kind of storage.", "type": "matching",\n'
        '     "pairs": {"S3": "Object storage", "EBS": "Block storage", "EFS": "File storage"},\n'
        '     "distractors": ["Tape storage"]},\n'
        '    {"question": "Order the steps of a TCP handshake.", "type": "ordering",\n'
        '     "items": ["`SYN`", "`SYN-ACK`", "`ACK`"]},\n'
        '    {"question": "The capital of Italy is {1:SHORTANSWER:=Rome}, 3 + 4 = {1:NUMERICAL:=7:0} and Rome "\n'
        '                 "lies in {1:MULTICHOICE_H:Asia~=Europe~Africa}.", "type": "cloze"},\n'
        '    {"question": "Write `area(r)`: the area of a circle of radius r.", "type": "code",\n'
        '     "function": "area", "cases": [[[1], 3.14159], [[2], 12.56637]], "tolerance": 1e-3,\n'
        '     "starter": "def area(r):\\n    ..."},\n'
        "]\n"
        'quiz = QuizWidget.from_questions(questions, title="Every kind of question", base_dir=base, seed=1)\n'
        "quiz"
    ),
    new_markdown_cell(
        "**Matching**: a list per item; its choices are shown shuffled (from the attempt's seed, kept in the "
        "session, so a resumed quiz shows them in the same order). Credit is the share of right pairs, as in "
        "Moodle.\n\n"
        "**Ordering**: the items are shown shuffled; move one with its **Move up** / **Move down** buttons "
        "(Tab reaches them), with **Alt+↑** / **Alt+↓**, or drag it. Credit is the share of items in their "
        "right place.\n\n"
        "**Cloze**: the blanks sit in the text, written in Moodle's Cloze syntax: a box to type in, or radio "
        "buttons for `MULTICHOICE_H` (in a row) and `MULTICHOICE_V` (one per line; the arrows choose within "
        "them, Tab leaves). **Submit** sends every blank; credit is each blank's share, weighted by its mark.\n\n"
        "**Code**: the editor starts with the question's starter code (Tab indents, Shift+Tab dedents, Escape "
        "then Tab leaves it); **Run and submit** runs the function in this kernel against each case, 2 s per "
        "case, and the feedback lists each call, the expected value and what came back (or the error, or "
        "*stopped after 2 s*). It is practice in your own kernel, not a sandbox. Credit is the share of cases "
        "passed.\n\n"
        "From Python, an answer is what the learner sees: option letters or texts, a number, a text, "
        "`{item: choice}` for matching and the item texts in order for ordering. `answer()` is True only when "
        "fully right; `quiz.points` adds the partial credit."
    ),
    new_code_cell(
        'drill = QuizWidget.from_questions(questions, title="Every kind, from Python", base_dir=base, seed=1)\n'
        'given = ["Jupiter", ["2", "5"], True, 3.14, "paris",\n'
        '         {"S3": "Object storage", "EBS": "Block storage", "EFS": "Tape storage"},\n'
        '         ["`SYN`", "`ACK`", "`SYN-ACK`"], ["Rome", 7, "Europe"],\n'
        '         "import math\\ndef area(r):\\n    return math.pi * r * r"]\n'
        "for value in given:\n"
        "    print(drill.answer(value), round(drill.points, 3))\n"
        'print(f"{drill.score} fully right, {drill.points:.2f} points of {drill.total}")'
    ),
    new_markdown_cell(
        "## Generated questions\n\n"
        "Any of these kinds may also be made by a function that takes a `random.Random` and returns the "
        "question dict: each learner gets their own variant (seeded from their name, the exam and the "
        "attempt), kept in their session, so the cell run again shows the same numbers and a new attempt new "
        "ones. `seed=` gives everyone the same variant. Files never carry code: generators come from Python."
    ),
    new_code_cell(
        OHMS_LAW + "\n\n"
        "def squares(rng):\n"
        "    numbers = rng.sample(range(2, 13), 3)\n"
        '    return {"question": "Match each number to its square.", "type": "matching",\n'
        '            "pairs": {str(n): str(n * n) for n in numbers}}\n\n\n'
        'for name in ("ada", "bob"):  # two learners (named for the demo; in a course, the hub\'s user)\n'
        '    variant = QuizWidget.from_questions([ohms_law, squares], title="Variants", base_dir=base,\n'
        '                                        learner=name, attempt="new")\n'
        "    asked = variant.state.exam.questions\n"
        "    print(f\"{name}: {asked[0].text} | pairs {sorted(asked[1].raw['pairs'])}\")"
    ),
    new_markdown_cell(_KEPT.format(folder="base", what="the quizzes above keep working")),
]


GENERATED = {
    "quickstart.ipynb": QUICKSTART,
    "resume.ipynb": RESUME,
    "instructor.ipynb": INSTRUCTOR,
    "instructor-report.ipynb": INSTRUCTOR_REPORT,
    "question-kinds.ipynb": KINDS,
}


def differences() -> list[str]:
    """Notebooks whose cells (type and source) are not the ones this script writes."""
    found = []
    for name, cells in GENERATED.items():
        path = NOTEBOOKS / name
        if not path.exists():
            found.append(f"{name}: missing")
            continue
        stored = [(c.cell_type, c.source) for c in nbformat.read(path, as_version=4).cells]
        if stored != [(c.cell_type, c.source) for c in cells]:
            found.append(f"{name}: its cells differ from scripts/make_notebooks.py")
    return found


def write(name: str, cells: list) -> Path:
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = NOTEBOOKS / name
    nbformat.write(nb, path)
    return path


def main() -> None:
    if sys.argv[1:] == ["--check"]:
        found = differences()
        print("\n".join(found) or "notebooks match scripts/make_notebooks.py")
        sys.exit(1 if found else 0)
    NOTEBOOKS.mkdir(exist_ok=True)
    # previous-sessions.ipynb is edited as a notebook; it is only re-run here.
    wanted = set(sys.argv[1:]) or {*GENERATED, "previous-sessions.ipynb"}
    paths = [write(name, cells) for name, cells in GENERATED.items() if name in wanted]
    if "previous-sessions.ipynb" in wanted:
        paths.append(NOTEBOOKS / "previous-sessions.ipynb")
    for path in paths:
        subprocess.run(
            [
                sys.executable,
                "-m",
                "jupyter",
                "nbconvert",
                "--to",
                "notebook",
                "--execute",
                "--inplace",
                str(path),
            ],
            check=True,
            cwd=NOTEBOOKS,
        )
        # Widget state saved by nbconvert belongs to one run's models; it would only churn the diff.
        nb = nbformat.read(path, as_version=4)
        nb.metadata.pop("widgets", None)
        nbformat.write(nb, path)


if __name__ == "__main__":
    main()
