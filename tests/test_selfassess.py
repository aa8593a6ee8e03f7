"""coursekit.selfassess: the null model against analytic values, the two tests against hand-computed
regressions, calibration, answer files and privacy (values worked out by hand in the comments)."""

import datetime as dt
import json
import math

import numpy as np
import pandas as pd
import pytest
from scipy import integrate, stats

from coursekit import course, progress, report
from coursekit import selfassess as sa
from coursekit.errors import DataError

ALL = sa.COMPETENCIES


def answers(rating=3, percentile=50, **changes):
    ratings = {c: rating for c in ALL}
    percentiles = {c: percentile for c in ALL}
    for key, value in changes.items():
        kind, competency = key.split("__")
        (ratings if kind == "r" else percentiles)[competency.replace("_", " ")] = value
    return ratings, percentiles


# --------------------------------------------------------------------------- the null model


def test_null_with_r0_puts_every_quartile_near_50():
    null = sa.simulate_null(200_000, r=0, seed=3)
    table = sa.dk_quartiles(null["actual"], null["perceived"])
    # distinct values in four equal groups: mean percentile rank is exactly 12.5, 37.5, 62.5, 87.5
    assert table["actual_mean"].tolist() == pytest.approx([12.5, 37.5, 62.5, 87.5], abs=1e-9)
    assert table["n"].tolist() == [50_000] * 4
    assert table["perceived_mean"].tolist() == pytest.approx([50, 50, 50, 50], abs=1)


def analytic_perceived(r: float, low: float, high: float) -> float:
    """E[100·Φ(r·z + √(1−r²)·e) | low < z < high] = E[100·Φ(r·z / √(2 − r²))] over that slice of z."""
    scale = r / math.sqrt(2 - r * r)
    value, _ = integrate.quad(lambda z: stats.norm.cdf(scale * z) * stats.norm.pdf(z), low, high)
    return 100 * value / (stats.norm.cdf(high) - stats.norm.cdf(low))


def test_null_with_r05_gives_the_famous_pattern():
    null = sa.simulate_null(200_000, r=0.5, seed=11)
    table = sa.dk_quartiles(null["actual"], null["perceived"])
    assert table["perceived_mean"].tolist() == pytest.approx([32, 45, 55, 68], abs=2)
    cuts = [-np.inf, *stats.norm.ppf([0.25, 0.5, 0.75]), np.inf]
    exact = [analytic_perceived(0.5, lo, hi) for lo, hi in zip(cuts, cuts[1:])]
    # the same by a second route: 100·P(W − c·Z ≤ 0, Z < q) / 0.25, a bivariate normal with ρ = −r/√2
    bottom = stats.multivariate_normal(mean=[0, 0], cov=[[1, -0.5 / math.sqrt(2)], [-0.5 / math.sqrt(2), 1]])
    assert exact[0] == pytest.approx(100 * bottom.cdf([0, cuts[1]]) / 0.25, abs=1e-3)
    assert exact == pytest.approx([31.865, 45.130, 54.870, 68.135], abs=1e-3)
    assert table["perceived_mean"].tolist() == pytest.approx(exact, abs=0.4)
    # on the z scale: E[z_perceived | quartile] = r × E[z_actual | quartile]; by hand,
    # E[z | bottom quarter] = −φ(0.6745)/0.25 = −0.31777/0.25 = −1.2711, second = −(0.39894 − 0.31777)/0.25 = −0.3247
    z_perceived = stats.norm.ppf(null["perceived"] / 100)
    quartile = np.searchsorted([25, 50, 75], null["actual"].to_numpy(), side="right")
    means = [z_perceived[quartile == q].mean() for q in range(4)]
    assert means == pytest.approx([0.5 * m for m in (-1.2711, -0.3247, 0.3247, 1.2711)], abs=0.02)


def test_bias_shifts_everyone_and_stays_within_0_to_100():
    null = sa.simulate_null(200_000, r=0, bias=13, seed=5)
    assert null["perceived"].max() <= 100
    # E[min(U + 13, 100)] for U uniform on 0–100 = 63 − 13²/200 = 62.155
    table = sa.dk_quartiles(null["actual"], null["perceived"])
    assert table["perceived_mean"].tolist() == pytest.approx([62.155] * 4, abs=0.5)


def test_simulate_null_is_reproducible_and_checks_its_arguments():
    pd.testing.assert_frame_equal(sa.simulate_null(50, 0.3, seed=9), sa.simulate_null(50, 0.3, seed=9))
    for kwargs, word in [({"n": 0, "r": 0.3}, "n must"), ({"n": 10, "r": 1.5}, "between -1 and 1"),
                         ({"n": 10, "r": 0.3, "bias": 200}, "bias")]:
        with pytest.raises(DataError, match=word):
            sa.simulate_null(**kwargs)


# --------------------------------------------------------------------------- the quartile table


def test_dk_quartiles_by_hand():
    actual = [10, 20, 30, 40, 50, 60, 70, 80]
    perceived = [70, 50, 60, 60, 65, 55, 80, 70]
    table = sa.dk_quartiles(actual, perceived)
    # percentile ranks 6.25, 18.75, ..., 93.75; two people per quartile
    assert table.index.tolist() == [1, 2, 3, 4]
    assert table["actual_mean"].tolist() == [12.5, 37.5, 62.5, 87.5]
    assert table["perceived_mean"].tolist() == [60, 60, 60, 75]
    assert table.loc[1, "label"] == "bottom quarter" and table["n"].tolist() == [2, 2, 2, 2]


def test_tied_scores_stay_in_one_quartile():
    assert sa.percentile_rank([1, 1, 2, 2]).tolist() == [25, 25, 75, 75]
    table = sa.dk_quartiles([1, 2, 3, 3, 4, 5, 6, 7], [10, 20, 30, 40, 50, 60, 70, 80])
    # ranks 1, 2, 3.5, 3.5, 5, ... → the two 3s (percentile 37.5) are both in quartile 2
    assert table["n"].tolist() == [2, 2, 2, 2] and table.loc[2, "perceived_mean"] == 35


@pytest.mark.parametrize("actual, perceived, words", [
    ([1, 2, 3, 4], [50, 50, 120, 50], ["perceived", "value 3", "120", "0 to 100"]),
    ([1, 2, 3, float("nan")], [50, 50, 50, 50], ["actual", "value 4", "missing"]),
    ([1, 2, 3], [50, 50, 50, 50], ["3 values", "4"]),
    ([5, 5, 5, 5], [50, 50, 50, 50], ["tied", "bottom quarter"]),
    ([1, 2, 3], [50, 50, 50], ["too few"]),
])
def test_dk_quartiles_refuses_bad_input(actual, perceived, words):
    with pytest.raises(DataError) as err:
        sa.dk_quartiles(actual, perceived)
    assert "\n" not in str(err.value)
    for word in words:
        assert word in str(err.value)


def test_null_parameters_by_hand():
    params = sa.null_parameters([1, 2, 3, 4], [60, 70, 80, 90])
    assert params["r"] == pytest.approx(1) and params["bias"] == 25


# --------------------------------------------------------------------------- Glejser and quadratic tests


def test_glejser_by_hand():
    # perceived = 10 + 2·actual + e with e = (3, −4, 0, 0, 1), which sums to 0 and is orthogonal to actual,
    # so step 1 fits 10 + 2·actual exactly and |e| = (3, 4, 0, 0, 1), mean 1.6.
    # step 2: slope = Σ(a − 3)(|e| − 1.6) / Σ(a − 3)² = −8.0 / 10 = −0.8, intercept = 1.6 + 0.8·3 = 4.0;
    # residuals (−0.2, 1.6, −1.6, −0.8, 1.0): SSR 6.8, s² = 6.8/3, se = √(s²/10) = 0.47610, t = −1.6803, 3 df
    result = sa.glejser_test([1, 2, 3, 4, 5], [15, 10, 16, 18, 21])
    assert result["slope"] == pytest.approx(-0.8) and result["intercept"] == pytest.approx(4.0)
    assert result["p_value"] == pytest.approx(2 * stats.t.sf(1.6803, 3), abs=1e-4)
    assert result["n"] == 5 and not result["significant"]


def test_quadratic_by_hand():
    # perceived = 2 + 0.5a + 0.1a² + (−1, 2, 0, −2, 1): the added part is the cubic orthogonal polynomial,
    # orthogonal to 1, a and a², so b₂ = 0.1 exactly; RSS = 10, s² = 10/2 = 5;
    # se(b₂) = √(s²/Σ(x² − 2)²) with x = a − 3: Σ = 14, se = √(5/14), t = 0.16733 on 2 df.
    # R² gain = 0.1²·14 / TSS, TSS = (1.1²·10) + 0.14 + 10 = 22.24 → 0.14/22.24
    a = np.arange(1, 6)
    perceived = 2 + 0.5 * a + 0.1 * a ** 2 + np.array([-1, 2, 0, -2, 1])
    result = sa.quadratic_test(a, perceived)
    assert result["coef"] == pytest.approx(0.1)
    assert result["p_value"] == pytest.approx(2 * stats.t.sf(0.16733, 2), abs=1e-4)
    assert result["r2_change"] == pytest.approx(0.14 / 22.24)


def dk_like(seed: int, n: int = 500) -> tuple[np.ndarray, np.ndarray]:
    """A real Dunning–Kruger effect: low scorers' self-estimates are much noisier (sd 25 → 5 points)."""
    rng = np.random.default_rng(seed)
    actual = rng.uniform(0, 100, n)
    spread = 25 - 0.2 * actual
    return actual, np.clip(50 + 0.3 * (actual - 50) + rng.normal(0, 1, n) * spread, 0, 100)


def test_glejser_is_quiet_without_an_effect_and_finds_one_where_low_scorers_are_noisier():
    null = sa.simulate_null(2_000, r=0.5, bias=0, seed=21)
    assert not sa.glejser_test(null["actual"], null["perceived"])["significant"]
    # over many null samples the test rejects about 5 % of the time (its size), no more
    rejected = [sa.glejser_test(*sa.simulate_null(300, r=0.3, seed=s).T.to_numpy())["significant"] for s in range(200)]
    assert 0.01 <= np.mean(rejected) <= 0.10
    result = sa.glejser_test(*dk_like(seed=4))
    assert result["significant"] and result["slope"] < 0
    assert np.mean([sa.glejser_test(*dk_like(seed=s))["significant"] for s in range(50)]) >= 0.9


def test_quadratic_is_quiet_without_an_effect_and_finds_a_bend():
    null = sa.simulate_null(2_000, r=0.5, bias=0, seed=22)
    assert not sa.quadratic_test(null["actual"], null["perceived"])["significant"]
    rng = np.random.default_rng(8)
    actual = rng.uniform(0, 90, 400)
    # self-estimates stop falling below the middle: a floor at 50 (b₂ > 0)
    perceived = np.clip(np.maximum(50, actual) + rng.normal(0, 5, 400), 0, 100)
    result = sa.quadratic_test(actual, perceived)
    assert result["significant"] and result["coef"] > 0 and result["r2_change"] > 0.02


def test_per_agent_by_hand():
    rows = pd.DataFrame({"agent_id": ["A", "A", "B"], "measured_score": [40, 60, 70], "self_percentile": [50, 70, 60]})
    assert sa.per_agent(rows).to_dict("list") == {"agent_id": ["A", "B"], "measured_score": [50.0, 70.0],
                                                  "self_percentile": [60.0, 60.0]}
    both = pd.concat([rows] * 5)
    with pytest.raises(DataError, match="one phase"):
        sa.per_agent(both)


def test_bundled_cohort_shows_the_chart_but_neither_test():
    rows = pd.read_csv(course.repo_root() / "datasets" / "self_assessments.csv").query("phase == 'pre'")
    pre = sa.per_agent(rows)
    table = sa.dk_quartiles(pre["measured_score"], pre["self_percentile"])
    assert table["n"].tolist() == [10, 10, 10, 10]  # quartiles of the 40 agents, not of 240 rows
    assert table.loc[1, "perceived_mean"] - table.loc[1, "actual_mean"] > 30  # the famous gap
    assert not sa.glejser_test(pre["measured_score"], pre["self_percentile"])["significant"]
    assert not sa.quadratic_test(pre["measured_score"], pre["self_percentile"])["significant"]


# --------------------------------------------------------------------------- one learner's calibration


def test_calibration_by_hand():
    table = sa.calibration({"empathy": 5, "listening": 2, "call control": 3, "problem solving": 2},
                           {"empathy": 40, "listening": 30, "call control": 75, "problem solving": 51})
    # self on 0–100: (5−1)·25 = 100, 25, 50, 25; bias 60, −5, −25, −26
    assert table.columns.tolist() == ["competency", "self", "actual", "bias", "abs_error", "verdict"]
    assert table["self"].tolist() == [100, 25, 50, 25]
    assert table["bias"].tolist() == [60, -5, -25, -26]
    assert table["abs_error"].tolist() == [60, 5, 25, 26]
    assert table["verdict"].tolist() == ["overconfident", "well calibrated", "well calibrated", "underconfident"]
    assert table.attrs["tolerance"] == 25


def test_calibration_on_the_percent_scale_with_a_narrower_band():
    table = sa.calibration(pd.Series({"empathy": 70.0}), pd.Series({"empathy": 55}), scale="percent", tolerance=10)
    assert table.loc[0, "bias"] == 15 and table.loc[0, "verdict"] == "overconfident"


@pytest.mark.parametrize("ratings, actual, words", [
    ({"empathy": 3}, {"empathy": 50, "listening": 40}, ["listening", "no self-rating"]),
    ({"empathy": 3, "listening": 4}, {"empathy": 50}, ["listening", "no measured score"]),
    ({"empathy": 7}, {"empathy": 50}, ["empathy", "7", "1 to 5"]),
    ({"empathy": 2.5}, {"empathy": 50}, ["empathy", "2.5", "whole number"]),
    ({"empathy": 3}, {"empathy": 120}, ["empathy", "120", "0 to 100"]),
])
def test_calibration_refuses_bad_input(ratings, actual, words):
    with pytest.raises(DataError) as err:
        sa.calibration(ratings, actual)
    for word in words:
        assert word in str(err.value)


def test_quiz_scores_by_hand():
    # points by question: 100, 50, 100, 0, 100, 100 | 100, 100, 50, 100, 0, 100 (key in the instructor notebook)
    scores = sa.quiz_scores(["B", " b ", "A", "c", "A", "C", "C", "A", "a", "C", "A", "A"])
    assert scores.to_dict() == {"product knowledge": 100, "empathy": 75, "problem solving": 75,
                                "call control": 50, "system navigation": 50, "listening": 100}
    assert scores.attrs["items"] == dict.fromkeys(sa.COMPETENCIES, 2)
    assert sa.best_answers(["B", " b ", "A", "c", "A", "C", "C", "A", "a", "C", "A", "A"]) == 8
    with pytest.raises(DataError, match="question 4 .call control.: 'D'"):
        sa.quiz_scores(["B", "B", "A", "D", "A", "C"] * 2)
    with pytest.raises(DataError, match="give 12 answers"):
        sa.quiz_scores(["B"])


def test_no_verdict_from_a_single_question():
    table = sa.calibration({"empathy": 5, "listening": 5}, {"empathy": 0, "listening": 0},
                           items={"empathy": 1, "listening": 2})
    assert table["verdict"].tolist() == ["too little evidence", "overconfident"]
    assert table["items"].tolist() == [1, 2]


QUIZ_NOTEBOOK = course.repo_root() / "notebooks" / "05-self-assessment" / "05-self-assessment.ipynb"


def quiz_options() -> dict[int, dict[str, str]]:
    """Question number -> letter -> option text, as the learner reads them in module 05."""
    import re

    import nbformat

    found = {}
    for cell in nbformat.read(QUIZ_NOTEBOOK, as_version=4).cells:
        if cell.cell_type == "markdown" and "Store your answer (A, B or C) under the name `quiz_" in cell.source:
            number = int(re.search(r"`quiz_(\d+)`", cell.source).group(1))
            found[number] = dict(re.findall(r"^- \*\*([ABC])\.\*\* (.+)$", cell.source, re.M))
    return found


def test_the_quiz_is_balanced():
    """No giveaways: the best answer is not usually the longest, each letter is best equally often, and
    every competency has at least two questions (so nobody is judged on one)."""
    quiz, options = sa.skills_quiz(), quiz_options()
    assert sorted(options) == [q.number for q in quiz] and all(len(o) == 3 for o in options.values())
    per_competency = pd.Series([q.competency for q in quiz]).value_counts()
    assert set(per_competency.index) == set(sa.COMPETENCIES) and per_competency.min() >= 2
    best = pd.Series([q.best for q in quiz]).value_counts()
    assert set(best.index) == {"A", "B", "C"} and best.max() - best.min() <= 1
    assert all(sorted(q.points.values()) == [0, 50, 100] for q in quiz)
    longest = sum(len(options[q.number][q.best]) >= max(len(t) for t in options[q.number].values()) for q in quiz)
    assert longest <= len(quiz) / 3 + 1, f"the best answer is the longest in {longest} of {len(quiz)} questions"
    best_len = np.mean([len(options[q.number][q.best]) for q in quiz])
    other_len = np.mean([len(t) for q in quiz for k, t in options[q.number].items() if k != q.best])
    assert abs(best_len / other_len - 1) < 0.1


# --------------------------------------------------------------------------- answers and files


@pytest.mark.parametrize("changes, words", [
    ({"r__empathy": 6}, ["empathy", "self-rating 6", "1 to 5"]),
    ({"r__listening": None}, ["listening", "no self-rating", "1 to 5"]),
    ({"p__call_control": 120}, ["call control", "guessed score 120", "0 to 100"]),
    ({"p__call_control": "120"}, ["call control", "'120'", "0 to 100"]),
    ({"p__empathy": "lots"}, ["empathy", "'lots'", "not a number"]),
    ({"p__empathy": ""}, ["empathy", "no guessed score"]),
    ({"p__empathy": True}, ["empathy", "whole number"]),
])
def test_invalid_answers_are_refused_in_one_line(changes, words):
    with pytest.raises(DataError) as err:
        sa.validate_answers(*answers(**changes))
    message = str(err.value)
    assert "\n" not in message
    for word in words:
        assert word in message


def test_unknown_and_missing_competencies_are_named():
    ratings, percentiles = answers()
    with pytest.raises(DataError, match="unknown competency 'emapthy'"):
        sa.validate_answers({**ratings, "emapthy": 3}, percentiles)
    del percentiles["listening"]
    with pytest.raises(DataError, match="listening: no guessed score"):
        sa.validate_answers(ratings, percentiles)
    clean = sa.validate_answers(*answers(percentile="70"))
    assert clean["percentiles"]["empathy"] == 70 and clean["ratings"]["listening"] == 3


def test_save_keeps_both_phases_and_an_invalid_save_changes_nothing(tmp_path):
    path = tmp_path / sa.FILENAME
    earlier = {"phases": {"pre": {**sa.validate_answers(*answers(rating=4, percentile=80)), "saved_at": "x"}}}
    record = sa.save_answers(path, "post", *answers(rating=2, percentile=35), share=True, earlier=earlier)
    assert set(record["phases"]) == {"pre", "post"}
    on_disk = json.loads(path.read_text())
    assert on_disk["share_with_supervisor"] is True
    assert on_disk["phases"]["pre"]["ratings"]["empathy"] == 4 and on_disk["phases"]["post"]["percentiles"]["empathy"] == 35
    assert dt.datetime.fromisoformat(on_disk["updated_at"]).tzinfo is not None
    before = path.read_bytes()
    with pytest.raises(DataError, match="call control"):
        sa.save_answers(path, "post", *answers(p__call_control=120))
    with pytest.raises(DataError, match="unknown phase"):
        sa.save_answers(path, "during", *answers())
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [sa.FILENAME]  # no temporary file left behind
    table = sa.ratings_table(sa.read_answers(path))
    assert table["phase"].tolist() == ["pre"] * 6 + ["post"] * 6


def test_a_damaged_file_is_named(tmp_path):
    path = tmp_path / sa.FILENAME
    path.write_text("{not json")
    with pytest.raises(DataError, match="cannot be read"):
        sa.read_answers(path)
    path.write_text(json.dumps({"phases": {"pre": {"ratings": {c: 9 for c in ALL}, "percentiles": {}}}}))
    with pytest.raises(DataError, match="phase 'pre'.*self-rating 9"):
        sa.read_answers(path)
    assert sa.read_answers(tmp_path / "none.json")["phases"] == {}


# --------------------------------------------------------------------------- privacy


def test_cohort_views_need_five_learners():
    people = pd.DataFrame({"agent_id": list("abcdefg"), "team": list("xxxxxyy")})
    with pytest.raises(DataError, match="the cohort has 4 learner"):
        sa.cohort_view(people.head(4))
    assert sa.cohort_view(people) is people
    with pytest.raises(DataError, match="team 'y' has 2 learner.*at least 5"):
        sa.cohort_view(people, by="team")
    with pytest.raises(DataError, match="no column 'agent_id'"):
        sa.cohort_view(people.drop(columns="agent_id"))


def write_submission(root, learner, module, share, rating, percentile, phases=("post",)):
    folder = root / "submitted" / learner / module
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "timestamp.txt").write_text("2026-02-01 10:00:00.000000 UTC")
    for phase in phases:
        sa.save_answers(folder / sa.FILENAME, phase, *answers(rating=rating, percentile=percentile), share=share)


def test_supervisors_see_only_shared_ratings_and_the_report_shows_none(tmp_path):
    root = course.init_course(tmp_path / "c")
    with course.gradebook(root) as gb:
        for module in ("00-orientation", "05-self-assessment"):
            gb.add_assignment(module, duedate=dt.datetime(2026, 2, 9))
        for learner in ("nh01", "nh02", "nh03"):
            gb.add_student(learner)
    write_submission(root, "nh01", "00-orientation", True, 4, 77, phases=("pre",))
    write_submission(root, "nh01", "05-self-assessment", True, 5, 91, phases=("pre", "post"))
    write_submission(root, "nh02", "05-self-assessment", False, 2, 13, phases=("pre", "post"))
    (root / "submitted" / "nh03" / "05-self-assessment").mkdir(parents=True)
    (root / "submitted" / "nh03" / "05-self-assessment" / sa.FILENAME).write_text("garbage")

    with pytest.warns(UserWarning, match="nh03"):
        shared = sa.shared_ratings(root)
    assert set(shared["learner_id"]) == {"nh01"}
    assert len(shared) == 12  # pre and post once each, from the latest module holding them
    assert set(shared["module"]) == {"05-self-assessment"}
    assert set(shared["self_percentile"]) == {91}

    table = progress.completion(root, now=dt.datetime(2026, 3, 1))
    assert set(table.loc[table["module"] == "05-self-assessment", "status"]) == {"submitted"}
    page = report.render_html(table)
    csv_text = report.write_csv(table, tmp_path / "progress.csv").read_text()
    for text in (page, csv_text):
        assert "nh02" in text  # the learner is in the report ...
        for competency in ALL:  # ... but nothing of any self-assessment is
            assert competency not in text
        assert "self_percentile" not in text and "share_with_supervisor" not in text


def test_the_figures_module_05_states_are_what_the_library_gives():
    """Content is checked like code: what module 05 and its guide say about the simulated cohort."""
    import nbformat

    from coursekit.learner.checks.m05_self_assessment import NULL_MODEL

    folder = QUIZ_NOTEBOOK.parent
    text = " ".join("\n".join(c.source for c in nbformat.read(QUIZ_NOTEBOOK, as_version=4).cells).split())
    guide = " ".join((folder / "FACILITATOR.md").read_text().split())
    rows = pd.read_csv(course.repo_root() / "datasets" / "self_assessments.csv")
    pre, post = (sa.per_agent(rows[rows["phase"] == phase]) for phase in ("pre", "post"))
    table = sa.dk_quartiles(pre["measured_score"], pre["self_percentile"])
    before = sa.null_parameters(pre["measured_score"], pre["self_percentile"])
    after = sa.null_parameters(post["measured_score"], post["self_percentile"])
    bottom, top = table.loc[1], table.loc[4]
    assert f"{len(pre)} agents" in text and "split" in text and "quarters of 10" in text
    assert (table["n"] == len(pre) // 4).all()
    assert f"about the {round(bottom['perceived_mean'])}th" in text and top["perceived_mean"] < top["actual_mean"]
    assert f"r` about {round(after['r'], 1)} instead of {round(before['r'], 1)}" in text
    assert f"{round(bottom['actual_mean'], 1)}th percentile and guesses the {round(bottom['perceived_mean'], 1)}th" in guide
    assert f"the {round(top['actual_mean'], 1)}th guesses the {round(top['perceived_mean'], 1)}nd" in guide
    assert f"r = {before['r']:.2f} with a shift of +{round(before['bias'])}" in guide
    assert f"r = {after['r']:.2f} and +{round(after['bias'])} after" in guide
    assert (NULL_MODEL["r"], NULL_MODEL["bias"]) == (round(before["r"], 1), round(before["bias"]))
    n_quiz = len(sa.skills_quiz())
    assert "Twelve situations" in text and n_quiz == 12 and f"exercises 1–{n_quiz}" in guide
    assert "simulated" in text and "not real people" in text.lower()
