"""FocusAreasForm and SharedGoalsForm: module 07's list answers filled in as a form instead of typed
as a Python list of dicts.

**Save** writes the rows to ``coaching_plan_answers.json`` in the notebook's folder, so they are
handed in with the notebook and come back when it is opened again; ``form.value`` is the same plain
list of dicts a learner would type (``focus_areas = focus_form.value``), which is what the hidden
tests record and the self-check checks.  Reading and saving are done by :mod:`coursekit.plan`; the
widget only shows them.  Creating a form only reads the file, so a notebook run without a browser
(nbgrader autograde) neither needs it nor writes one.
"""

from __future__ import annotations

import html
from pathlib import Path

import ipywidgets as w

from coursekit.errors import DataError
from coursekit.learner import plan
from coursekit.learner.widgets.guard import WidgetGuard
from coursekit.palette import box, tone

#: field -> (label, placeholder)
LABELS = {"area": ("Focus area", "e.g. Listening"),
          "target": ("Measurable target", "e.g. sum up the problem on 9 of 10 calls"),
          "by": ("By (date)", "2027-03-31"),
          "department": ("Department", "e.g. Billing"),
          "goal": ("Shared goal", "e.g. halve the calls about bills customers cannot read")}


#: fields of a fixed width (the rest share what is left of the row)
SIZES = {"by": {"width": "190px", "flex": "0 0 auto"}, "area": {"width": "250px", "flex": "0 0 auto"}}


class _ListForm(w.VBox):
    name = ""       # the answer this form fills in (a key of plan.LIST_ANSWERS)
    rows = 2
    intro = ""

    def __init__(self, folder=None, rows: int | None = None):
        self.path = Path(folder or Path.cwd()) / plan.PLAN_ANSWERS
        self.fields = plan.LIST_ANSWERS[self.name]
        try:
            saved = plan.read_plan_answers(self.path)[self.name]
            note = "Your saved answers are filled in; change them and save again whenever you like." if saved else \
                "Fill in the form, then press Save."
        except DataError as exc:
            saved, note = [], f"Your saved answers could not be read ({exc}); saving will replace them."
        count = max(rows or self.rows, len(saved))
        self.inputs: list[dict[str, w.Text]] = []
        lines = []
        for i in range(count):
            row = saved[i] if i < len(saved) else {}
            # labels as wide as their words, a date box a date fits in, the rest shared: no example cut off
            boxes = {f: w.Text(value=row.get(f, ""), placeholder=LABELS[f][1], description=LABELS[f][0],
                               style={"description_width": "initial"},
                               layout=w.Layout(**SIZES.get(f, {"width": "auto", "flex": "1 1 auto"})))
                     for f in self.fields}
            self.inputs.append(boxes)
            lines.append(w.HBox([w.HTML(f"<b>{i + 1}.</b>"), *boxes.values()]))
        self.save_button = w.Button(description="Save", button_style="primary", icon="save")
        self.save_button.on_click(self.save)
        self.status = w.HTML()
        # WidgetGuard: Enter presses Save (not the notebook's "edit cell"); a line to run the cell again
        # when the notebook is reopened without its kernel
        super().__init__([w.HTML(self.intro), *lines, self.save_button, self.status, WidgetGuard()])
        self._note(note, ok=True)

    @property
    def value(self) -> list[dict]:
        """The rows filled in, as plain dicts (rows left empty are left out)."""
        rows = [{f: plan.answer_text(box.value) for f, box in boxes.items()} for boxes in self.inputs]
        return [row for row in rows if any(row.values())]

    def save(self, _button=None) -> bool:
        """Save the rows (what the Save button does); returns whether they were saved."""
        try:
            saved = plan.save_plan_answers(self.path, self.name, self.value)
        except (DataError, OSError) as exc:
            self._note(f"Not saved: {exc}.", ok=False)
            return False
        problems = self.problems()
        self._note(f"Saved {len(saved)} in {self.path.name}; it is handed in with this notebook."
                   + (f" Still to fix: {problems[0]}." if problems else ""), ok=not problems)
        return True

    def problems(self) -> list[str]:
        return []

    def _note(self, text: str, ok: bool) -> None:
        self.message = text
        self.status.value = box(html.escape(text), tone(ok))


class FocusAreasForm(_ListForm):
    """Two focus areas, each with a measurable target and a date: ``focus_areas = FocusAreasForm().value``."""

    name = "focus_areas"
    rows = plan.FOCUS_AREAS
    intro = ("<b>Your two focus areas</b>, from your own evidence: what, a target with a number, and a date "
             "(year-month-day).")

    def problems(self) -> list[str]:
        found = [f"focus area {i}: {p}" for i, row in enumerate(self.value, 1)
                 for p in plan.FocusArea.from_answer(row).problems()]
        if len(self.value) != plan.FOCUS_AREAS:
            found.insert(0, f"fill in {plan.FOCUS_AREAS} focus areas (now {len(self.value)})")
        return found


class SharedGoalsForm(_ListForm):
    """Goals shared with other departments: ``shared_goals = SharedGoalsForm().value``."""

    name = "shared_goals"
    rows = 2
    intro = "<b>Goals you share with another department</b>: one or two; leave a row empty if you need only one."

    def problems(self) -> list[str]:
        return [f"goal {i} has no department" for i, row in enumerate(self.value, 1) if not row["department"]]
