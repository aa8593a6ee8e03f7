"""Whole conversations: a chat or call transcript scored as a whole and per agent turn, so a supervisor
can use the coach on real QA samples.

A transcript is a list of turns, each a speaker (``agent`` or ``customer``; other speakers, such as
the system actions of a chat log, are kept but not scored) and a text.

- Each **agent turn** is scored with what the customer said since the agent last spoke (their words,
  for personalization) and the customer's name.
- The **whole conversation** is scored as one reply: every agent turn in order against everything the
  customer said.  A behaviour counts once per conversation (a rule earns its points once), so a long
  chat does not outscore a short one by repeating "thanks"; one blaming turn costs the conversation.

Files (:func:`read_transcripts`): the JSON of the Action-Based Conversations Dataset (a list of
conversations with ``original`` turns ``[speaker, text]`` and ``scenario.personal.customer_name``),
JSON with ``turns`` (``{"speaker": ..., "text": ...}``), or a CSV export with the columns
``conversation_id``, ``speaker``, ``text`` (one row per turn, in order).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from coursekit.errors import DataError
from coursekit.analysis.interaction.rubric import load_rubric
from coursekit.analysis.interaction.scoring import InteractionScore, score_many, score_response

AGENT, CUSTOMER = "agent", "customer"
_SPEAKERS = {"agent": AGENT, "rep": AGENT, "representative": AGENT, "advisor": AGENT, "adviser": AGENT,
             "employee": AGENT, "staff": AGENT, "operator": AGENT,
             "customer": CUSTOMER, "caller": CUSTOMER, "client": CUSTOMER, "user": CUSTOMER, "member": CUSTOMER}


@dataclass(repr=False)
class ConversationScore:
    """A transcript's scores: ``whole`` (an :class:`InteractionScore` of all agent turns together) and
    ``turns`` (one row per turn: ``turn`` number from 1, ``speaker``, ``text``, and for agent turns
    ``total`` and each component in points)."""

    whole: InteractionScore
    turns: pd.DataFrame
    conversation_id: str = ""

    @property
    def total(self) -> float:
        return self.whole.total

    @property
    def harmful_turns(self) -> pd.DataFrame:
        """The agent turns that cost points, with the phrase: what a QA coach would talk through first."""
        return self.turns[self.turns["harm"] < 0]

    def __str__(self) -> str:
        agent = self.turns[self.turns["speaker"] == AGENT]
        out = [f"Conversation {self.conversation_id}: {len(agent)} agent turns of {len(self.turns)}",
               str(self.whole), "Agent turns:"]
        out += [f"  {r.turn:>3}  {r.total:>5g}  {r.text[:70]}" for r in agent.itertuples()]
        return "\n".join(out)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        return self.whole._repr_html_()


def _speaker(value) -> str:
    """``agent`` or ``customer`` for their common names (rep, caller ...); other speakers as written."""
    key = "" if pd.isna(value) else str(value).strip().lower()
    return _SPEAKERS.get(key, key or "?")


def _turn_list(turns) -> list[tuple[str, str]]:
    """(speaker, text) pairs from pairs, dicts or a DataFrame with ``speaker`` and ``text`` columns."""
    if isinstance(turns, pd.DataFrame):
        missing = {"speaker", "text"} - set(turns.columns)
        if missing:
            raise DataError(f"the transcript needs the column(s) {', '.join(sorted(missing))} "
                            f"(found: {', '.join(map(str, turns.columns))})")
        turns = list(zip(turns["speaker"], turns["text"]))
    out = []
    for i, turn in enumerate(turns, start=1):
        if isinstance(turn, dict):
            if "speaker" not in turn or "text" not in turn:
                raise DataError(f"turn {i} of the transcript needs a speaker and a text (found: {', '.join(turn)})")
            speaker, text = turn["speaker"], turn["text"]
        elif isinstance(turn, (list, tuple)) and len(turn) == 2:
            speaker, text = turn
        else:
            raise DataError(f"turn {i} of the transcript should be [speaker, text], not {turn!r:.60}")
        out.append((_speaker(speaker), "" if pd.isna(text) else str(text)))
    if not any(s == AGENT and t.strip() for s, t in out):
        raise DataError("the transcript has no agent turn with text to score (speakers should be agent and customer)")
    return out


def score_conversation(turns, customer_name: str | None = None, facts=None, rubric=None,
                       conversation_id: str = "") -> ConversationScore:
    """Score a transcript as a whole and per agent turn (see the module docstring).

    ``customer_name``: the customer's name when the transcript has it elsewhere (a CRM field); it
    counts for personalization as if the customer had signed with it.  ``facts``: facts the
    conversation must give the customer (kept when any agent turn has them).
    """
    pairs = _turn_list(turns)
    signed = f" - {customer_name.split()[0].capitalize()}" if customer_name and customer_name.split() else ""
    rows, heard, context = [], [], []
    for i, (speaker, text) in enumerate(pairs, start=1):
        if speaker == CUSTOMER:
            heard.append(text)
        elif speaker == AGENT and text.strip():
            context.append(" ".join(heard) + signed)
            heard = []
        rows.append({"turn": i, "speaker": speaker, "text": text})
    frame = pd.DataFrame(rows)
    agent = frame["speaker"].eq(AGENT) & frame["text"].str.strip().ne("")
    scores = score_many(frame.loc[agent, "text"], customer_messages=context, rubric=rubric)
    frame = frame.join(scores.drop(columns=["language", "supported"]))
    negative = [c.id for c in load_rubric(rubric).components if c.max_points <= 0 and not c.words]  # rules' harm
    frame["harm"] = frame[negative].sum(axis=1).where(agent)
    customer_side = " ".join(t for s, t in pairs if s == CUSTOMER) + signed
    whole = score_response("\n".join(frame.loc[agent, "text"]), customer_message=customer_side.strip() or None,
                           facts=facts, rubric=rubric)
    return ConversationScore(whole, frame, conversation_id)


def read_transcripts(path) -> list[dict]:
    """Transcripts from a file: ``[{"conversation_id", "turns", "customer_name"}]`` (see the module
    docstring for the JSON and CSV shapes).  A file in another shape is a one-line error naming it."""
    path = Path(path)
    if not path.exists():
        raise DataError(f"transcript file {path} not found")
    if path.suffix.lower() == ".csv":
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        missing = {"conversation_id", "speaker", "text"} - set(frame.columns)
        if missing:
            raise DataError(f"{path.name}: needs the column(s) {', '.join(sorted(missing))} "
                            f"(found: {', '.join(frame.columns)})")
        return [{"conversation_id": str(cid), "turns": list(zip(g["speaker"], g["text"])), "customer_name": None}
                for cid, g in frame.groupby("conversation_id", sort=False)]
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataError(f"{path.name} is not valid JSON: line {exc.lineno}: {exc.msg}") from None
    items = data if isinstance(data, list) else [data]
    out = []
    for i, item in enumerate(items, start=1):
        turns = item.get("original") or item.get("turns") if isinstance(item, dict) else None
        if not turns:
            raise DataError(f"{path.name}: conversation {i} has no 'original' or 'turns' list")
        personal = ((item.get("scenario") or {}).get("personal") or {})
        out.append({"conversation_id": str(item.get("convo_id", item.get("conversation_id", i))), "turns": turns,
                    "customer_name": item.get("customer_name") or personal.get("customer_name")})
    return out
