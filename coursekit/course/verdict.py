"""The verdict of every autograded test cell, reached outside the learner's kernel.

nbgrader decides a test cell's grade by its output: full points unless the cell shows an error
(``nbgrader.utils.determine_grade``).  Everything in that output comes from the learner's kernel,
and learner code runs there first: it can swallow the error of a failing ``assert``
(``get_ipython().set_custom_exc``), rewrite later cells before they run (input transformers), make
a wrong number compare equal to anything, or rebind the names a hidden test computes its expected
value with.  So in a coursekit course no test cell's own output is trusted.

:class:`VerifyAnswers` runs in the grading process, after nbgrader's ``Execute`` and before
``SaveAutoGrades``.  For each autograded test cell it

1. reads which answers the cell grades from the cell's *source* (restored from the gradebook by
   nbgrader's ``OverwriteCells``, so the learner cannot change it): the names passed to
   :func:`coursekit.answers.record_answers`;
2. reads the plain-data record of those answers from the cell's output (a missing, unreadable or
   doubled record fails the cell);
3. checks each answer with the exercise's check function (:func:`coursekit.check.run_check`),
   which computes the expected value here, from the library and the bundled data;
4. replaces the cell's outputs with the verdict: one line saying the answer was right, or an
   error naming what is wrong.  nbgrader then scores that.

A test cell that records nothing it can check (no ``record_answers`` call in its source) scores 0:
every autograded test in a coursekit module must go through this.
"""

from __future__ import annotations

import ast

import nbformat
from nbconvert.preprocessors import Preprocessor
from nbgrader import utils
from traitlets import Bool

from coursekit.learner.answers import read_records
from coursekit.learner.check import run_check

VERDICT_ERROR = "AnswerNotAccepted"


def graded_names(source: str) -> tuple[list[str], list[str]]:
    """The answers a test cell grades and the other answers it records for their checks:
    the string arguments of ``record_answers(...)`` calls and of their ``needs=`` keyword."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return [], []
    graded, needs = [], []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in (
                "record_answers", "_record_answers"):
            graded += [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
            for kw in node.keywords:
                if kw.arg == "needs" and isinstance(kw.value, (ast.Tuple, ast.List)):
                    needs += [e.value for e in kw.value.elts if isinstance(e, ast.Constant)]
    return graded, needs


def verdict(module: str, source: str, outputs) -> tuple[bool, str]:
    """Whether a test cell passes, and why not: its source names the answers, its outputs carry
    their record (see the module docstring)."""
    names, needs = graded_names(source)
    if not names:
        return False, "this test cell does not record an answer for the grader (coursekit.answers.record_answers)"
    records, problem = read_records(outputs)
    if problem:
        return False, problem
    context = {n: records.get(n, {"__missing__": True}) for n in (*names, *needs)}
    for name in names:
        if name not in records:
            return False, f"{name}: no answer reached the grader (the cell stopped before recording it)"
        result = run_check(module, name, records[name], context)
        if not result.ok:
            return False, f"{name}: {result.message}"
    return True, ""


class VerifyAnswers(Preprocessor):
    """Set every autograded test cell's output to the verdict reached here (see the module docstring)."""

    enabled = Bool(True)

    def preprocess(self, nb, resources):
        self.module = resources.get("nbgrader", {}).get("assignment") or ""
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, cell_index):
        if cell.cell_type != "code" or not utils.is_grade(cell) or utils.is_solution(cell):
            return cell, resources
        ok, why = verdict(self.module, cell.source, cell.get("outputs", []))
        if ok:
            out = nbformat.v4.new_output("stream", name="stdout", text="Checked by the grader: right.\n")
        else:
            out = nbformat.v4.new_output("error", ename=VERDICT_ERROR, evalue=why,
                                         traceback=[f"{VERDICT_ERROR}: {why}"])
        cell["outputs"] = [out]
        return cell, resources
