"""What a learner may see, and what a learner's notebook may leave behind.

Feedback never shows hidden tests; a graded notebook never keeps megabytes of printed output.

nbgrader restores hidden tests into the autograded notebook and, by default, its feedback HTML
shows them (nbgrader issues #917, #1363), both in the test cell's code and in the traceback of a
failing hidden assertion.  :class:`HideHiddenTests` is added to ``GenerateFeedback.preprocessors``
in every course root's ``nbgrader_config.py``; it removes the hidden-test region from each test
cell and reduces a test cell's error output to its one-line message (``AssertionError``,
``NameError: name 'x' is not defined``), which names no hidden code.
"""

from __future__ import annotations

import nbformat
from nbconvert.preprocessors import Preprocessor
from nbgrader import utils
from nbgrader.preprocessors import ClearHiddenTests, OverwriteCells
from traitlets import Bool, Integer


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


class LimitOutputSize(Preprocessor):
    """Cap the text a cell may leave in a graded notebook (nbgrader's LimitOutput counts lines only,
    so one 50 MB line would pass).  Streams, plain-text results and tracebacks are cut to
    ``max_chars`` characters per cell with a note saying so; images over the cap are dropped."""

    max_chars = Integer(20_000, help="characters of output kept per cell").tag(config=True)
    enabled = Bool(True)

    def preprocess_cell(self, cell, resources, cell_index):
        if cell.cell_type != "code":
            return cell, resources
        budget = self.max_chars
        kept = []
        for output in cell.get("outputs", []):
            size = _output_size(output)
            if size <= budget:
                kept.append(output)
                budget -= size
                continue
            note = f"\n[output cut: this cell printed more than {self.max_chars:,} characters]\n"
            if output.get("output_type") == "stream":
                output["text"] = output["text"][: max(budget, 0)] + note
                kept.append(output)
            elif output.get("output_type") == "error":
                output["traceback"] = [line[:2000] for line in output.get("traceback", [])[-5:]]
                kept.append(output)
            else:
                kept.append({"output_type": "stream", "name": "stdout", "text": note})
            budget = 0
        cell["outputs"] = [nbformat.from_dict(o) for o in kept]
        return cell, resources


def _output_size(output) -> int:
    if output.get("output_type") == "stream":
        return len(output.get("text", ""))
    if output.get("output_type") == "error":
        return sum(len(t) for t in output.get("traceback", []))
    return sum(len(v) if isinstance(v, str) else len(str(v)) for v in output.get("data", {}).values())


class RestoreMissingCells(OverwriteCells):
    """nbgrader's OverwriteCells, with deleted test cells put back in the right place.

    nbgrader 0.9 re-inserts a deleted grade cell after "the previous solution/grade cell" and fails
    with a ``KeyError`` when the cell before it is a read-only cell (our self-check cells are).  Here
    each missing grade cell goes after the nearest earlier source cell still in the notebook (any
    cell with a grade id), or first when there is none.
    """

    def add_missing_grade_cells(self, nb, resources):
        source_nb = self.gradebook.find_notebook(self.notebook_id, self.assignment_id)
        source_cells = source_nb.source_cells
        order = [cell.name for cell in source_cells]
        solution_ids = {cell.name for cell in source_nb.solution_cells}
        for grade_cell in source_nb.grade_cells:
            present = [c.get("metadata", {}).get("nbgrader", {}).get("grade_id") for c in nb.cells]
            if grade_cell.name in present:
                continue
            self.log.warning("Missing grade cell %s encountered, adding to notebook", grade_cell.name)
            position = order.index(grade_cell.name)
            cell = self.missing_cell_transform(source_cells[position], grade_cell.max_score,
                                               is_solution=grade_cell.name in solution_ids)
            before = [i for i, gid in enumerate(present) if gid in order[:position]]
            nb.cells.insert(before[-1] + 1 if before else 0, cell)
        return nb, resources
