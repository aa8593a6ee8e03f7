"""The one place that builds coursekit's grading pipeline on an nbgrader configuration.

Every way of grading a coursekit course goes through :func:`configure`: ``coursekit build``,
``autograde`` and ``feedback`` (through the course root's ``nbgrader_config.py``, which calls it),
the repository's own root ``nbgrader_config.py``, the JupyterHub deployment's formgrader, and
``nbgrader autograde`` run by hand inside a course root.  The pipeline, in nbgrader's own terms:

- sanitize: nbgrader's steps, with :class:`coursekit.sanitize.RestoreMissingCells` in place of
  ``OverwriteCells`` (deleted test cells go back where they were);
- autograde: :class:`coursekit.warmkernel.GradingExecute` in place of ``Execute`` (each notebook in a
  fresh kernel, fenced by :mod:`coursekit.fence`, forked warm when a zygote runs), then
  :class:`coursekit.verdict.VerifyAnswers` (the verdict reached outside the kernel), then
  :class:`coursekit.sanitize.LimitOutputSize` and the rest of nbgrader's steps;
- feedback: hidden tests removed (:class:`coursekit.sanitize.HideHiddenTests`).

Limits are options of the step they configure (``c.GradingExecute.memory_mb = 4096``,
``c.GradingExecute.fence = False``), with help text there.
"""

from __future__ import annotations

#: seconds a learner's notebook may run per cell when graded
CELL_TIMEOUT_S = 120
CODE_STUB = {"python": "# YOUR ANSWER HERE\nraise NotImplementedError()"}


def configure(c, fence: bool | None = None, **limits) -> None:
    """Put coursekit's grading pipeline on the traitlets config ``c`` (see the module docstring).

    ``fence=False`` grades without the fence (the outcome is marked unfenced); ``limits`` are
    :class:`coursekit.warmkernel.GradingExecute` options (``memory_mb``, ``cpu_s``, ``file_mb``, ``disk_mb``)."""
    from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
    from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, ClearOutput, DeduplicateIds,
                                        GetGrades, IgnorePattern, LimitOutput, OverwriteKernelspec,
                                        SaveAutoGrades)

    from coursekit.course.sanitize import HideHiddenTests, LimitOutputSize, RestoreMissingCells
    from coursekit.course.verdict import VerifyAnswers
    from coursekit.course.warmkernel import GradingExecute

    c.Execute.timeout = CELL_TIMEOUT_S
    c.OverwriteCells.add_missing_cells = True
    c.ClearSolutions.code_stub = dict(CODE_STUB)
    c.Autograde.sanitize_preprocessors = [ClearOutput, DeduplicateIds, OverwriteKernelspec, RestoreMissingCells,
                                          CheckCellMetadata]
    c.Autograde.autograde_preprocessors = [GradingExecute, VerifyAnswers, LimitOutputSize, IgnorePattern,
                                           ClearMetadataPreprocessor, LimitOutput, SaveAutoGrades,
                                           AssignLatePenalties, CheckCellMetadata]
    c.GenerateFeedback.preprocessors = [GetGrades, HideHiddenTests, CSSHTMLHeaderPreprocessor]
    if fence is not None:
        c.GradingExecute.fence = bool(fence)
    for name, value in limits.items():
        if value is not None:
            setattr(c.GradingExecute, name, value)
