# nbgrader configuration for using the repository itself as a course root, e.g.
#   nbgrader generate_assignment 00-orientation   (run from the repository root)
# The learner versions then land in release/, which git ignores.  `coursekit build --course DIR`
# makes a separate course root instead; that is what trainers normally use.
c = get_config()  # noqa: F821
c.CourseDirectory.course_id = "coursekit"
c.CourseDirectory.source_directory = "notebooks"
c.Execute.timeout = 120
c.OverwriteCells.add_missing_cells = True
c.ClearSolutions.code_stub = {"python": "# YOUR ANSWER HERE\nraise NotImplementedError()"}
# Feedback never shows hidden tests (see coursekit.sanitize).
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor  # noqa: E402
from nbgrader.preprocessors import GetGrades  # noqa: E402

from coursekit.sanitize import HideHiddenTests  # noqa: E402

c.GenerateFeedback.preprocessors = [GetGrades, HideHiddenTests, CSSHTMLHeaderPreprocessor]
