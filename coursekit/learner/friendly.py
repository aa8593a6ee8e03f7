"""A learner's notebook that runs top to bottom: one friendly line where an exercise is not done yet.

nbgrader's learner version of an exercise is ``# YOUR ANSWER HERE`` and ``raise
NotImplementedError()``: right for grading (an unanswered exercise scores 0), hostile for a new hire.
Run All stops at the first exercise, and stepping through an untouched notebook shows a traceback
for every exercise, then a ``NameError`` for every cell that uses its answer.

:func:`install` adds an IPython input transformer to the learner's own kernel (the self-check does
it when a module's notebook starts).  Before a cell runs it looks at the cell's code:

- an exercise still holding the stub becomes one line: *Exercise 2 (abandoned_today) is not
  answered yet: ...*;
- a cell that uses a name no cell has defined yet (an exercise's answer, or something an unfinished
  exercise would have made) becomes one line saying which exercise to finish first (for a test
  cell: "answer the exercise above first").

Everything else runs unchanged, so a learner's own mistakes still show as Python reports them.
While a notebook is graded (nbgrader sets ``NBGRADER_EXECUTION``) nothing is installed: an
unanswered exercise raises and scores 0, exactly as nbgrader means.
"""

from __future__ import annotations

import ast
import builtins
import os
import re

STUB = "raise NotImplementedError()"
MARKER = "# YOUR ANSWER HERE"


class _Names(ast.NodeVisitor):
    """Names a cell binds anywhere, and the names it reads when it runs, in order of first use (the
    bodies of functions and lambdas run later, so what they read does not count)."""

    def __init__(self):
        self.bound, self.used = set(), []

    def visit_Name(self, node):
        if isinstance(node.ctx, (ast.Store, ast.Del)):
            self.bound.add(node.id)
        elif node.id not in self.used:
            self.used.append(node.id)

    def _function(self, node):
        self.bound.add(node.name)
        for default in node.args.defaults + node.args.kw_defaults:
            if default is not None:
                self.visit(default)
        for decorator in node.decorator_list:
            self.visit(decorator)

    visit_FunctionDef = visit_AsyncFunctionDef = _function

    def visit_Lambda(self, node):
        pass

    def visit_ClassDef(self, node):
        self.bound.add(node.name)
        self.generic_visit(node)

    def visit_Import(self, node):
        self.bound.update((a.asname or a.name).split(".")[0] for a in node.names)

    visit_ImportFrom = visit_Import

    def visit_ExceptHandler(self, node):
        if node.name:
            self.bound.add(node.name)
        self.generic_visit(node)

    def visit_comprehension(self, node):
        self.visit(node.target)
        self.visit(node.iter)
        for condition in node.ifs:
            self.visit(condition)


def _bound_and_used(tree: ast.AST) -> tuple[set[str], list[str]]:
    names = _Names()
    names.visit(tree)
    return names.bound, names.used


def note_for(source: str, namespace: dict, answers) -> str:
    """The friendly line that replaces a cell, or ``""`` when the cell should simply run.

    ``answers`` maps the module's answer names to their exercise numbers (or lists them in exercise
    order, exercise 1 first)."""
    answers = _numbered(answers)
    code = source.strip()
    if MARKER in code and STUB in code:
        after = code.split(STUB, 1)[1]
        shown = [a for a in answers if re.search(rf"\b{re.escape(a)}\b", after)]
        if not shown:  # the cell names no answer: only the one exercise left is surely this one
            left = [a for a in answers if a not in namespace]
            shown = left if len(left) == 1 else []
        which = _exercise(shown[0], answers) if shown else "This exercise"
        return (f"{which} is not answered yet: write your answer where it says YOUR ANSWER HERE "
                "(in place of the raise line), then run the cell again.")
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return ""  # Python's own message says best what is wrong
    bound, used = _bound_and_used(tree)
    missing = [n for n in used if n not in bound and n not in namespace and not hasattr(builtins, n)]
    if not missing:
        return ""
    answer = next((n for n in missing if n in answers), None)
    is_test = any(isinstance(node, ast.Assert) for node in ast.walk(tree))
    if answer and is_test:
        return f"{_exercise(answer, answers)} is not answered yet: answer the exercise above first, then run this test."
    if answer:
        return f"This cell uses {answer}: finish {_exercise(answer, answers).lower()} first, then run it again."
    unanswered = [a for a in answers if a not in namespace]
    if unanswered:
        return (f"This cell needs {missing[0]}, which a cell above makes: run the cells above first (and finish "
                f"{_exercise(unanswered[0], answers).lower()}, which is not answered yet).")
    return ""  # a name nobody defines: a typo, and Python's NameError says so


def _numbered(answers) -> dict[str, int]:
    return dict(answers) if isinstance(answers, dict) else {a: i for i, a in enumerate(answers, 1)}


def _exercise(name: str, answers: dict[str, int]) -> str:
    return f"Exercise {answers[name]} ({name})" if name in answers else f"The exercise for {name}"


def install(answers, shell=None) -> bool:
    """Add the transformer to the running IPython kernel (once); returns whether it is active.
    ``answers``: the module's answer names and their exercise numbers (see :func:`note_for`)."""
    if os.environ.get("NBGRADER_EXECUTION") or os.environ.get("NBGRADER_VALIDATING"):
        return False
    if shell is None:
        try:
            from IPython import get_ipython
        except ImportError:
            return False
        shell = get_ipython()
    if shell is None or not hasattr(shell, "input_transformers_post"):
        return False
    for transformer in shell.input_transformers_post:
        if getattr(transformer, "coursekit_friendly", False):
            transformer.answers = _numbered(answers)
            return True

    def transform(lines: list[str]) -> list[str]:
        note = note_for("".join(lines), shell.user_ns, transform.answers)
        return [f"print({note!r})\n"] if note else lines

    transform.coursekit_friendly = True
    transform.answers = _numbered(answers)
    shell.input_transformers_post.append(transform)
    return True
