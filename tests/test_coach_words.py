"""The coach's learned word weights (interaction_words.json): reproducible from the blind sets they
name, counted the same way in one reply and in a column, shown as evidence, and editable with clear
errors."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from conftest import REPO, real_data

from coursekit.analysis.interaction.calibrate import (fit_word_weights, politeness_held_out, read_blind,
                                                      read_politeness, rules_only, vocabulary)
from coursekit.analysis.interaction.language import _normalise
from coursekit.analysis.interaction.rubric import RUBRIC_FILE
from coursekit.analysis.interaction.scoring import _terms, _word_sums
from coursekit.errors import DataError
from coursekit.interaction import load_rubric, score_many, score_response

WORDS = RUBRIC_FILE.parent / "interaction_words.json"
BLIND = REPO / "tests" / "blind" / "coach"


#: the blind sets and stuffing pairs held out (scored, never read): no fit may use them
HELD_OUT = {"set_ab", "set_ah", "set_ai", "set_ao", "set_ap", "set_aq", "set_as",
            "set_w", "set_z", "stuffing_j", "stuffing_p", "stuffing_s", "stuffing_t", "stuffing_v", "stuffing_w"}
#: read for the rules after their first scoring, left out of the word fit (set AR: fitting on it too
#: moved the held-out sets by the refit's noise, two good replies of set AI fewer passing)
RULES_ONLY = {"set_ar"}


def test_the_committed_weights_are_what_the_fit_gives_on_the_sets_they_name():
    data = json.loads(WORDS.read_text(encoding="utf-8"))
    # every development folder (read, and the rules tuned on it) is fitted; the held-out ones stay out
    folders = {p.name for p in BLIND.iterdir() if p.is_dir()}
    assert HELD_OUT <= folders and set(data["fitted_on"]) == folders - HELD_OUT - RULES_ONLY
    frame = read_blind([BLIND / name for name in data["fitted_on"]])
    rated = data["politeness"]
    frame = pd.concat([frame, read_politeness(real_data(rated["file"]))], ignore_index=True)
    assert fit_word_weights(frame, lam=data["lambda"], politeness_weight=rated["weight"],
                            politeness_pairs=rated["pairs"], blame_weight=data["blame_weight"]) == data["words"]


def test_rated_requests_are_read_as_their_development_split_only(tmp_path):
    path = tmp_path / "rated.csv"
    items = [f"r{i}" for i in range(200)]
    pd.DataFrame({"item_id": items, "text": [f"request {i}" for i in range(200)],
                  "politeness": np.arange(200) % 7, "source": ["wiki", "se"] * 100}).to_csv(path, index=False)
    rows = read_politeness(path)
    assert set(rows["kind"]) == {"polite", "impolite"} and set(rows["writer"]) == {"wiki", "se"}
    assert not any(politeness_held_out(i) for i in rows["item"])
    assert 0.6 * 140 * 0.5 < len(rows) < 140  # the quartiles of the development split, not the middle
    # the requests weigh words but add none: a word only the requests use (by both sources, in every
    # polite one) gets no weight
    polite = rows["kind"] == "polite"
    rows.loc[polite, "reply"] = "zyzzyva " + rows.loc[polite, "reply"]
    frame = pd.concat([read_blind([BLIND / "set_a"]), rows], ignore_index=True)
    assert "zyzzyva" not in fit_word_weights(frame, lam=0.5, politeness_weight=5.0)
    pd.DataFrame({"item_id": items[:3], "text": ["a", "b", "c"], "politeness": ["1", "x", "2"],
                  "source": "wiki"}).to_csv(path, index=False)
    with pytest.raises(DataError, match="rated.csv: politeness must be a number"):
        read_politeness(path)
    pd.DataFrame({"item_id": items[:3], "text": ["a", "b", "c"]}).to_csv(path, index=False)
    with pytest.raises(DataError, match="rated.csv: needs the column politeness"):
        read_politeness(path)


def test_no_learned_word_is_only_common_words_or_a_stock_phrase():
    rubric = load_rubric()
    frame = read_blind([BLIND / "set_a", BLIND / "set_b"])
    vocab = set(vocabulary(frame, rules_only(), min_writers=1, min_count=1))
    assert "the" not in vocab and "you for" not in vocab and "thank you" not in vocab and "sorry" not in vocab
    for term, _ in rubric.words:
        assert -3 <= rubric.word_points[term] <= 3 and rubric.word_points[term] != 0


def test_a_column_counts_the_words_as_one_reply_does():
    rubric = load_rubric()
    weights = rubric.word_points
    replies = [s[k] for name in ("set_f", "set_h") for s in json.loads((BLIND / name / "sets.json").read_text())
               for k in ("plain", "rich", "blame")] + ["ok", "Café 'safe account', 3pm: don't-worry \u2014 ok\u2026"]
    lows = [_normalise(r) for r in replies]
    pos, neg = _word_sums(lows, rubric)
    expected = [sum(weights[t] for t in set(_terms(low)) if t in weights) for low in lows]
    assert np.allclose(pos + neg, expected)
    assert pos.min() >= 0 and neg.max() <= 0 and (pos > 0).mean() > 0.5  # most replies use some learned word
    many = score_many(replies[:30])
    for i in range(0, 30, 7):
        one = score_response(replies[i])
        assert one.total == pytest.approx(many["total"].iloc[i])
        assert one.components["warm_words"] == pytest.approx(min(pos[i], 12))


def test_learned_words_are_evidence_and_the_verdict_names_a_rules_phrase_first():
    text = "Hi Sam, you should have read the terms. Regards, the team"
    result = score_response(text)
    learned = [e for e in result.evidence if e.rule.startswith("word:")]
    assert learned and all(text[e.start:e.end] == e.phrase for e in learned)
    for component in ("warm_words", "cold_words"):
        assert sum(e.points for e in result.evidence if e.component == component) == result.components[component]
    assert '"you should have"' in result.verdict.lower()



def test_a_verdict_without_a_harmful_rule_names_what_to_change_not_a_learned_word():
    """A learned cold word ("your patience", "regards") is evidence, not a reason a learner can act
    on: below the pass mark with no harmful rule, the verdict names kind words without deeds, or else
    the weakest behaviour with its tip."""
    plain = score_response("The duplicate charge of $9.14 will be refunded by April 2. Reference: ticket 35639. "
                           "Thank you for your patience, I'm sorry for the trouble.")
    assert not plain.passed and any(e.rule.startswith("word:") and e.points < 0 for e in plain.evidence)
    assert "least on ownership" in plain.verdict and plain.tips["ownership"] in plain.verdict
    hollow = score_response("I am so sorry, I completely understand how upsetting this is, thank you for telling us.")
    assert hollow.unbacked > 0 and f"{hollow.unbacked:g} points of kind words did not count" in hollow.verdict


def test_an_edited_words_file_is_used_and_a_broken_one_named(tmp_path):
    rubric = json.loads(RUBRIC_FILE.read_text(encoding="utf-8"))
    (tmp_path / "w.json").write_text(json.dumps({"words": {"marvellous": 3}}))
    rubric["words_file"] = str(tmp_path / "w.json")
    assert score_response("Marvellous.", rubric=rubric).components["warm_words"] == 3
    (tmp_path / "w.json").write_text(json.dumps({"words": {"Two  Spaces!": 3}}))
    with pytest.raises(DataError, match="w.json: word 'Two  Spaces!'"):
        load_rubric(rubric)
    rubric["words_file"] = str(tmp_path / "missing.json")
    with pytest.raises(DataError, match="words_file .*missing.json not found"):
        load_rubric(rubric)


def test_the_example_words_the_learner_and_the_trainer_read_are_learned_words_of_that_sign():
    """Module 01's parts table and docs/rubric.md name example learned words: each is in the words
    file, warm ones with positive points and cold ones with negative points."""
    import re

    weights = load_rubric().word_points
    notebook = json.loads((REPO / "notebooks" / "01-interactions-vs-transactions" /
                           "01-interactions-vs-transactions.ipynb").read_text(encoding="utf-8"))
    text = "".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "markdown")
    docs = (REPO / "docs" / "rubric.md").read_text(encoding="utf-8")
    rows = {"warm": [re.search(r"\| warm words \|([^\n]*)", text), re.search(r"\| `warm_words` \(learned\) \|([^\n]*)", docs)],
            "cold": [re.search(r"\| cold words \|([^\n]*)", text), re.search(r"\| `cold_words` \(learned, harm\) \|([^\n]*)", docs)]}
    for sign, found in rows.items():
        for row in found:
            assert row, f"no {sign} words row"
            examples = re.findall(r"\"([^\"]+)\"", row.group(1))
            assert len(examples) >= 3, row.group(0)
            for word in examples:
                assert word in weights, f"{word!r} is not a learned word"
                assert (weights[word] > 0) == (sign == "warm"), f"{word!r} has {weights[word]:+g} points"


def test_the_blame_weight_pushes_blaming_replies_further_below_plain_ones():
    frame = read_blind([BLIND / "set_a", BLIND / "set_b"])
    gaps = []
    for weight in (1.0, 4.0):
        words = fit_word_weights(frame, lam=0.5, blame_weight=weight)
        learned = frame["reply"].map(lambda r: sum(words.get(t, 0) for t in set(_terms(_normalise(r)))))
        by_kind = learned.groupby(frame["kind"]).mean()
        gaps.append(by_kind["plain"] - by_kind["blame"])
    assert gaps[1] > gaps[0] + 0.5, gaps  # (the rules already put most blame below plain)
