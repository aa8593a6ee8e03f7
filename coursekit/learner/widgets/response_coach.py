"""ResponseCoach: the learner types a reply to a customer's message and sees, as they type, the
interaction score, each component, the phrases that earned or cost points, and which facts of the
transaction the reply kept.

The widget has no scoring rules: it calls :func:`coursekit.interaction.score_response`.

A coach for a bundled case (:meth:`ResponseCoach.for_pair`) keeps the learner's reply: each change is
written to ``response_coach.json`` in the notebook's folder, and a coach for the same case (the cell
run again, the notebook reopened, *Restart and Run All*) starts from it.  Creating a coach only reads
that file, so a notebook run without a browser (nbgrader autograde) neither needs it nor writes it.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import ipywidgets as w

from coursekit.analysis.data import load
from coursekit.errors import DataError
from coursekit.files import write_text
from coursekit.learner.widgets.guard import WidgetGuard
from coursekit.analysis.interaction import PASS_MARK, InteractionScore, score_response

PROMPT = "Type your reply to the customer to see its score."
#: where a coach keeps the learner's replies (case id -> reply), in the notebook's folder
FILENAME = "response_coach.json"


class ResponseCoach(w.VBox):
    """``display(ResponseCoach(customer_message=..., facts=...))`` in a notebook.

    ``.result`` is the :class:`~coursekit.interaction.InteractionScore` of the reply (None while the
    reply is empty) and ``.summary_text`` is what the coach shows, as text.  ``threshold``: the score
    the coach calls good (the module's exercise asks for it).  ``keep_as``: a name under which the
    learner's reply is kept in ``folder/response_coach.json`` (default folder: the current one, in
    Jupyter the notebook's) and given back to the next coach of that name; None keeps nothing.
    """

    def __init__(self, customer_message: str = "", facts=None, reply: str = "", rubric=None,
                 threshold: float = PASS_MARK, keep_as: str | None = None, folder=None):
        self.rubric, self.threshold, self.keep_as = rubric, threshold, keep_as
        self.path = Path(folder or Path.cwd()) / FILENAME
        if keep_as is not None:
            reply = self._kept().get(keep_as, reply)
        wide = w.Layout(width="640px")
        style = {"description_width": "120px"}
        self.message = w.Textarea(customer_message, description="Customer wrote", rows=3, layout=wide, style=style)
        facts_text = facts if isinstance(facts, str) else "; ".join(facts or [])
        self.facts = w.Text(facts_text, description="Facts to keep", placeholder="e.g. $20; May 5; ticket 123",
                            layout=wide, style=style)
        self.reply = w.Textarea(reply, description="Your reply", rows=6, layout=wide, style=style,
                                continuous_update=True, placeholder=PROMPT)
        self.out = w.HTML()
        self.result: InteractionScore | None = None
        self.summary_text = ""
        super().__init__([self.message, self.facts, self.reply, self.out, WidgetGuard()])
        for box in (self.message, self.facts, self.reply):
            box.observe(self._update, names="value")
        if keep_as is not None:
            self.reply.observe(self._keep, names="value")
        self._update()

    @classmethod
    def for_pair(cls, pair_id: str, start_with: str = "transactional", **options) -> "ResponseCoach":
        """A coach for one customer message of the bundled labelled replies (``load("responses")``),
        starting from its ``start_with`` reply ("transactional", "interaction", "blaming" or "" for none)."""
        rows = load("responses")
        rows = rows[rows["pair_id"] == pair_id]
        if rows.empty:
            raise DataError(f"no pair {pair_id!r} in the bundled responses (P001 to P060)")
        first = rows.iloc[0]
        chosen = rows.loc[rows["style"] == start_with, "reply"]
        options.setdefault("keep_as", pair_id)
        return cls(first["customer_message"], first["facts"], chosen.iloc[0] if len(chosen) else "", **options)

    def _kept(self) -> dict:
        """The replies kept so far (an unreadable file counts as none: the next change replaces it)."""
        try:
            kept = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return {k: v for k, v in kept.items() if isinstance(v, str)} if isinstance(kept, dict) else {}

    def _keep(self, change) -> None:
        kept = self._kept()
        kept[self.keep_as] = change["new"]
        try:
            write_text(self.path, json.dumps(kept, indent=1, ensure_ascii=False) + "\n")
        except OSError:  # a read-only folder: the coach still scores, it just cannot keep the reply
            pass

    def _update(self, *_):
        text = self.reply.value
        if not text.strip():
            self.result = None
            self.summary_text = PROMPT
            self.out.value = f"<p><i>{PROMPT}</i></p>"
            return
        self.result = score_response(text, customer_message=self.message.value.strip() or None,
                                     facts=self.facts.value if self.facts.value.strip() else None,
                                     rubric=self.rubric)
        advice = self.advice()
        self.summary_text = f"{self.result}\n{advice}"
        self.out.value = self.result._repr_html_() + f"<p><b>{html.escape(advice)}</b></p>"

    def advice(self) -> str:
        """One next step: a missing fact first, then blaming words, then the weakest component's tip."""
        r = self.result
        if r is None:
            return PROMPT
        if r.missing_facts:
            return f"Next step: keep the fact {r.missing_facts[0]!r} - the customer needs it."
        if r.components.get("negative_language", 0) < 0:
            return "Next step: " + r.tips.get("negative_language", "remove the blaming words.")
        if r.total >= self.threshold:
            return f"Good: {r.total:g} points, at least {self.threshold:g}, and every fact kept."
        return "Next step: " + r.tips[r.weakest(1)[0]]
