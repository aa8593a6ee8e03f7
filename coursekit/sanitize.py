"""What a learner may see: feedback never shows hidden tests.

nbgrader restores hidden tests into the autograded notebook and, by default, its feedback HTML
shows them (nbgrader issues #917, #1363), both in the test cell's code and in the traceback of a
failing hidden assertion.  :class:`HideHiddenTests` is added to ``GenerateFeedback.preprocessors``
in every course root's ``nbgrader_config.py``; it removes the hidden-test region from each test
cell and reduces a test cell's error output to its one-line message (``AssertionError``,
``NameError: name 'x' is not defined``), which names no hidden code.
"""

from __future__ import annotations

from nbgrader import utils
from nbgrader.preprocessors import ClearHiddenTests


class HideHiddenTests(ClearHiddenTests):
    """Remove hidden tests from feedback: from the code and from the error tracebacks."""

    def preprocess_cell(self, cell, resources, cell_index):
        cell, resources = super().preprocess_cell(cell, resources, cell_index)
        if cell.cell_type == "code" and utils.is_grade(cell):
            for output in cell.get("outputs", []):
                if output.get("output_type") == "error":
                    message = f"{output.get('ename', 'Error')}: {output.get('evalue', '')}".rstrip(": ")
                    output["traceback"] = [message + "  (the details of hidden tests are not shown)"]
        return cell, resources
