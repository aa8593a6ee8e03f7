"""Interactions vs transactions: how an agent's written reply treats the customer.

The *transaction* is the task: the refund, the date, the ticket number.  The *interaction* is how the
customer is treated and how they feel while it happens.  :func:`score_response` scores one reply,
:func:`score_many` a whole column (a QA export), :func:`score_conversation` a whole chat or call
transcript and each agent turn in it, all with the same rules.

The rules are a rubric file a trainer can read and extend: ``coursekit/analysis/rubrics/interaction.json``
(every field is explained in ``docs/rubric.md``; ``rubric_table()`` shows it as a table).  Seven
components earn points (at most 100 together) and one, the harm, takes them away:

    earned = clip(sum of the earning components, 0, 100), at most critical_cap with a critical phrase
    total  = earned + harm                     (points, -60 to 100; PASS_MARK and up: a good reply)

The pass mark is calibrated against people: it is where a QA coach would call a reply good
(``docs/rubric.md`` gives the data and the figures).  ``facts_kept`` is a share 0–1.

    >>> r = score_response("Thanks for waiting, Maria. I'm sorry for the delay: your refund of $20 "
    ...                    "will reach you by May 5. Anything else I can do?", facts="$20;May 5")
    >>> r.passed, r.total >= PASS_MARK, r.transaction
    (True, True, {'$20': True, 'May 5': True})
    >>> bad = score_response("Calm down. Policy says no.")
    >>> bad.components["negative_language"], bad.total < 0, bad.verdict
    (-32.0, True, 'below the pass mark of 17: "Calm down" dismisses the customer\\'s feelings')

The parts: :mod:`.rubric` (loading and checking the rubric file), :mod:`.language` (normalising text,
the English check), :mod:`.context` (facts, the customer's name and words), :mod:`.scoring` (the
engine and results), :mod:`.conversation` (transcripts).
"""

from coursekit.analysis.interaction.context import customer_name, facts_kept
from coursekit.analysis.interaction.conversation import (ConversationScore, read_transcripts, score_conversation)
from coursekit.analysis.interaction.language import LANGUAGES, detect_language
from coursekit.analysis.interaction.rubric import RUBRIC_FILE, Component, Rubric, Rule, load_rubric, rubric_table
from coursekit.analysis.interaction.scoring import (PASS_MARK, Evidence, InteractionScore, pair_wins,
                                                    score_many, score_response, totals)

__all__ = ["score_response", "score_many", "score_conversation", "read_transcripts", "facts_kept",
           "customer_name", "detect_language", "load_rubric", "rubric_table", "pair_wins", "totals",
           "InteractionScore", "ConversationScore", "Evidence", "Rubric", "Rule", "Component", "PASS_MARK",
           "RUBRIC_FILE", "LANGUAGES"]
