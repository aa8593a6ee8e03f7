"""SelfAssessment: the learner rates each competency (1–5, with behavioural anchors a new hire can answer)
and guesses their score out of 100 in module 05's skills quiz (kept under ``percentiles``); **Save** writes the answers to ``self_assessment.json`` in the notebook's folder,
so they are handed in with the notebook and come back when the notebook is opened again.

Module 00 asks before the course (``phase="pre"``), module 05 after it (``phase="post"``); module 05's
form finds the module 00 answers in ``../00-orientation/self_assessment.json`` and shows them as
"before".  Checking, saving and reading are done by :mod:`coursekit.selfassess`; this widget only shows
them.  Creating the widget only reads files, so a notebook run without a browser (nbgrader autograde)
neither needs the file nor writes one.
"""

from __future__ import annotations

import html
from pathlib import Path

import ipywidgets as w
import pandas as pd

from coursekit.analysis import selfassess
from coursekit.errors import DataError
from coursekit.learner.widgets.guard import WidgetGuard
from coursekit.palette import box, tone



class SelfAssessment(w.VBox):
    """``SelfAssessment(phase="pre")`` in module 00, ``SelfAssessment(phase="post")`` in module 05.

    ``folder``: where ``self_assessment.json`` is kept (default: the current folder, which in Jupyter is
    the notebook's folder).  ``earlier``: another module's file to take the other phase from (default
    for ``post``: ``../00-orientation/self_assessment.json``).  ``.message`` is the text of the last
    note shown under the form.
    """

    def __init__(self, phase: str = "pre", folder=None, earlier=None):
        if phase not in selfassess.PHASES:
            raise DataError(f"unknown phase {phase!r}; use 'pre' (module 00) or 'post' (module 05)")
        self.phase = phase
        self.path = Path(folder or Path.cwd()) / selfassess.FILENAME
        if earlier is None and phase == "post":
            earlier = self.path.parent.parent / "00-orientation" / selfassess.FILENAME
        self.earlier_path = Path(earlier) if earlier else None
        notes = []
        self.record = self._read_own(notes)
        self.earlier = self._read_earlier(notes)
        saved = self.record["phases"].get(phase, {})
        before = self._saved("pre") if phase == "post" else None

        style = {"description_width": "150px"}
        self.rating_inputs, self.percentile_inputs, rows = {}, {}, []
        for c in selfassess.COMPETENCIES:
            options = [(f"{k} – {selfassess.anchor(c, k)}", k) for k in range(1, 6)]
            rating = w.Dropdown(options=options, value=saved.get("ratings", {}).get(c), description=c.capitalize(),
                                style=style, layout=w.Layout(width="720px"))  # the level's words fit
            percentile = w.Text(value=str(saved.get("percentiles", {}).get(c, "")), placeholder="0–100",
                                description="my guess", style={"description_width": "70px"},
                                layout=w.Layout(width="150px"))
            self.rating_inputs[c], self.percentile_inputs[c] = rating, percentile
            row = w.HBox([rating, percentile])
            if before:  # under the row, beside the choices: a third column would not fit next to the level's words
                row = w.VBox([row, w.HTML(f"<i>before: {before['ratings'][c]}, guess {before['percentiles'][c]}</i>",
                                          layout=w.Layout(margin="-6px 0 4px 158px"))])
            rows.append(row)
        self.share = w.Checkbox(value=self.record["share_with_supervisor"], indent=False,
                                description="Share my ratings with my supervisor", layout=w.Layout(width="auto"))
        share_note = w.HTML("<i>Your supervisor sees nothing of this form unless you tick the box.</i>")
        self.save_button = w.Button(description="Save my ratings", button_style="primary", icon="save",
                                    layout=w.Layout(width="auto", align_self="flex-start"))  # its words always fit
        self.save_button.on_click(self.save)
        self.status = w.HTML()
        intro = w.HTML("<b>Rate yourself honestly</b>: 1–5 for each skill (the words say what each level "
                       "looks like), and <b>my guess</b>: the score out of 100 you expect in the short skills "
                       "quiz of module 05 for that skill (50 = about half right).")
        # WidgetGuard: arrows choose a level, Space ticks the box, Enter saves (the notebook keeps out);
        # a line to run the cell again when the notebook is reopened without its kernel
        super().__init__([intro, *rows, w.VBox([self.share, share_note]), self.save_button, self.status,
                          WidgetGuard()])
        self._note(" ".join(notes) or "Fill in all six competencies, then press Save.", ok=True)

    # ------------------------------------------------------------------ reading

    def _read_own(self, notes: list[str]) -> dict:
        try:
            record = selfassess.read_answers(self.path)
        except DataError as exc:
            notes.append(f"Your saved file could not be read ({exc}); saving will replace it.")
            return selfassess.empty_record()
        if self.phase in record["phases"]:
            notes.append(f"Your ratings saved on {record['phases'][self.phase]['saved_at']} are filled in; "
                         "change them and save again whenever you like.")
        return record

    def _read_earlier(self, notes: list[str]) -> dict:
        if self.earlier_path is None:
            return selfassess.empty_record()
        if not self.earlier_path.exists():
            if "pre" not in self.record["phases"]:
                notes.append(f"No ratings from before the course were found ({self.earlier_path} is not there). "
                             "That is fine: rate yourself now; the before-and-after comparison is left out.")
            return selfassess.empty_record()
        try:
            earlier = selfassess.read_answers(self.earlier_path)
        except DataError as exc:
            notes.append(f"Your ratings from before the course could not be read ({exc}); "
                         "the before-and-after comparison is left out.")
            return selfassess.empty_record()
        if "pre" in earlier["phases"] and "pre" not in self.record["phases"]:
            notes.append("Your ratings from before the course (module 00) were found: they are shown as 'before'.")
        return earlier

    # ------------------------------------------------------------------ saving

    def _note(self, text: str, ok: bool) -> None:
        self.message = text
        self.status.value = box(html.escape(text), tone(ok))

    def save(self, _button=None) -> bool:
        """Check and save the form (what the Save button does); returns whether it was saved.

        Invalid answers are refused with a one-line note naming the competency, the value and the
        allowed range, and the file is left as it was.
        """
        ratings = {c: box.value for c, box in self.rating_inputs.items()}
        percentiles = {c: box.value for c, box in self.percentile_inputs.items()}
        try:
            self.record = selfassess.save_answers(self.path, self.phase, ratings, percentiles,
                                                  share=bool(self.share.value), earlier=self.earlier)
        except DataError as exc:
            self._note(f"Not saved: {exc}.", ok=False)
            return False
        except OSError as exc:
            self._note(f"Not saved: {self.path} cannot be written ({exc.strerror or exc}).", ok=False)
            return False
        shared = "shared with your supervisor" if self.share.value else "not shared with anyone"
        self._note(f"Saved in {self.path.name} ({shared}). It is handed in with this notebook.", ok=True)
        return True

    # ------------------------------------------------------------------ for the notebook

    def saved_ratings(self, phase: str | None = None) -> pd.Series | None:
        """The saved 1–5 ratings of a phase (default: this form's) as competency → rating, or None."""
        answers = self._saved(phase)
        return None if answers is None else pd.Series(answers["ratings"], name="self_rating")

    def saved_percentiles(self, phase: str | None = None) -> pd.Series | None:
        """The saved guesses (0–100: the quiz score the learner expects) of a phase as competency →
        guess, or None."""
        answers = self._saved(phase)
        return None if answers is None else pd.Series(answers["percentiles"], name="self_percentile")

    def _saved(self, phase: str | None):
        phase = phase or self.phase
        return self.record["phases"].get(phase) or self.earlier["phases"].get(phase)
