# nbgrader configuration for using the repository itself as a course root, e.g.
#   nbgrader generate_assignment 00-orientation   (run from the repository root)
# The learner versions then land in release/, which git ignores.  `coursekit build --course DIR`
# makes a separate course root instead; that is what trainers normally use.  Both get the same
# grading pipeline from coursekit.pipeline.
c = get_config()  # noqa: F821
c.CourseDirectory.course_id = "coursekit"
c.CourseDirectory.source_directory = "notebooks"
from coursekit.pipeline import configure  # noqa: E402

configure(c)
