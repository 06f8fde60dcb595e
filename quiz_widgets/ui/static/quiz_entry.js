// quiz_entry.js: QuizWidget's entry, the last part of its ES module (quiz_widgets/ui/assets.py): the quiz
// view of quiz.js, exported. SessionBrowser's module joins the same parts and ends with browser.js instead.

function render(args) {
  return renderQuiz(args);
}

export default { render };
