"""The course folder in one import, for scripts, notebooks and tests: ``from coursekit import course``.

The parts live by what they are: :mod:`coursekit.modules` (which modules, when due),
:mod:`coursekit.nbgrader_env` (a course folder's configuration, gradebook and API, resolved once as a
:class:`Course`), :mod:`coursekit.build` (making a course folder) and :mod:`coursekit.errors`
(one-line messages).  This module only gathers their public names.
"""

from coursekit.course.build import LEARNER_FILES, build, copy_sources, generate_release, init_course, protect  # noqa: F401
from coursekit.errors import CourseError, one_line, redact  # noqa: F401
from coursekit.course.modules import (DEFAULT_START, MODULE_PATTERN, due_date, list_modules, module_notebooks,  # noqa: F401
                      notebooks_dir, repo_root, resolve_modules)
from coursekit.course.nbgrader_env import (CONFIG_NAME, COURSE_ID, Course, configured_db_url, gradebook, last_error,  # noqa: F401
                           load_config, nbgrader_api, prepare_nbgrader, quiet, require_course)
