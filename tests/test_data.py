"""Bundled datasets: realistic, reproducible, and loaders that fail clearly on bad exports."""

import numpy as np
import pandas as pd
import pytest
from conftest import real_data

from coursekit import data
from coursekit.data import DataError, load


@pytest.fixture(scope="module")
def calls():
    return load("calls")


def test_every_bundled_dataset_loads_with_its_columns():
    for name in data.FILES:
        frame = load(name)
        assert len(frame) > 0
        required = [c for c, (_, req) in data.SCHEMAS[name].items() if req]
        assert set(required) <= set(frame.columns), name


def test_bundled_files_equal_a_fresh_generation_and_stay_small(tmp_path):
    written = data.write_bundled(tmp_path)
    for name, path in written.items():
        bundled = data.datasets_dir() / path.name
        assert bundled.read_bytes() == path.read_bytes(), f"{name}: datasets/ differs from generate(); run python -m coursekit.data"
    assert sum(p.stat().st_size for p in data.datasets_dir().iterdir()) < 5_000_000


def test_same_seed_same_data_other_seed_other_data():
    a, b, c = data.generate(seed=1, agents=8, days=3), data.generate(seed=1, agents=8, days=3), data.generate(seed=2, agents=8, days=3)
    assert a["calls"].equals(b["calls"]) and a["self_assessments"].equals(b["self_assessments"])
    assert not a["calls"]["wait_s"].equals(c["calls"]["wait_s"])


def test_unknown_dataset_lists_the_names():
    with pytest.raises(DataError, match="choose from agents, calls"):
        load("cals")


# ----------------------------------------------------------------- realism


def test_intraday_peak_is_late_morning_and_monday_is_busiest(calls):
    by_hour = calls.groupby(calls["arrival_time"].dt.hour).size()
    assert by_hour.idxmax() in (10, 11)
    assert by_hour[11] > 2 * by_hour[8] and by_hour[11] > 3 * by_hour[19]
    by_day = calls.groupby(calls["arrival_time"].dt.day_of_week).size()
    assert by_day.idxmax() == 0 and by_day[0] > by_day[4]


def test_handle_times_are_right_skewed(calls):
    talk = calls["talk_s"].dropna()
    assert talk.mean() > talk.median() * 1.1 and talk.skew() > 1
    assert 240 <= talk.mean() <= 420


def test_abandonment_rises_with_wait_and_is_realistic(calls):
    rate = calls["abandoned"].mean()
    assert 0.03 <= rate <= 0.15
    queued = calls[calls["wait_s"] > 5]
    waits = calls.groupby(calls["arrival_time"].dt.floor("30min")).agg(wait=("wait_s", "mean"), ab=("abandoned", "mean"))
    assert waits["wait"].corr(waits["ab"]) > 0.5
    assert len(queued) > 0
    abandoned = calls[calls["abandoned"]]
    assert (abandoned["agent_id"].isna()).all() and abandoned["talk_s"].isna().all()
    assert (abandoned["time_to_abandon_s"] == abandoned["wait_s"]).all()


def test_fcr_near_70_percent_and_repeats_point_back(calls):
    fcr = calls["resolved_first_contact"].dropna().astype(bool).mean()
    assert 0.65 <= fcr <= 0.78
    repeats = calls["repeat_of"].dropna()
    assert len(repeats) > 100
    ids = calls.set_index("contact_id")
    earlier = ids.loc[repeats.to_numpy(), "arrival_time"].to_numpy()
    assert (earlier <= calls.loc[repeats.index, "arrival_time"].to_numpy()).all()
    assert not ids.loc[repeats.to_numpy(), "resolved_first_contact"].astype(bool).any()


def test_csat_mostly_missing_and_driven_by_resolution_and_wait(calls):
    answered = calls[~calls["abandoned"]]
    assert 0.85 <= answered["csat"].isna().mean() <= 0.92
    surveyed = answered[answered["csat"].notna()]
    by_fcr = surveyed.groupby(surveyed["resolved_first_contact"].astype(bool))["csat"].mean()
    assert by_fcr[True] - by_fcr[False] > 0.6
    long_wait = surveyed["wait_s"] > surveyed["wait_s"].quantile(0.9)
    assert surveyed.loc[long_wait, "csat"].mean() < surveyed.loc[~long_wait, "csat"].mean()


def test_some_agents_fast_but_careless_and_some_slow_but_excellent(calls):
    qa = load("qa_evaluations").groupby("agent_id")["qa_score"].mean()
    answered = calls[~calls["abandoned"]].assign(handle=lambda d: d["talk_s"] + d["hold_s"] + d["acw_s"])
    per = answered.groupby("agent_id").agg(aht=("handle", "mean"), fcr=("resolved_first_contact", "mean")).join(qa)
    fast = per["aht"] < per["aht"].quantile(0.15)
    slow = per["aht"] > per["aht"].quantile(0.85)
    assert (per.loc[fast, "fcr"] < per["fcr"].median()).sum() >= 2
    assert (per.loc[slow, "qa_score"] > per["qa_score"].median()).sum() >= 2


def test_self_ratings_weakly_related_to_skill_with_better_than_average_shift():
    selfs = load("self_assessments")
    pre = selfs[selfs["phase"] == "pre"]
    r = np.corrcoef(pre["measured_score"].astype(float), pre["self_percentile"].astype(float))[0, 1]
    assert 0.1 <= r <= 0.45
    assert 58 <= pre["self_percentile"].mean() <= 68
    post = selfs[selfs["phase"] == "post"]
    assert post["self_percentile"].mean() < pre["self_percentile"].mean()


def test_employees_rank_attributes_differently_from_customers():
    surveys = load("surveys")
    means = surveys.groupby(["respondent_type", "attribute"])["importance"].mean().unstack(0)
    assert means["customer"].idxmax() == "first-contact resolution"
    assert means["employee"].idxmax() == "short wait"
    assert surveys.loc[surveys["respondent_type"] == "employee", "satisfaction"].isna().all()


def test_responses_keep_every_fact_in_all_three_styles():
    responses = load("responses")
    assert responses["pair_id"].nunique() >= 60
    for row in responses.itertuples():
        for fact in row.facts.split(";"):
            assert fact.lower() in row.reply.lower(), (row.response_id, fact)


# ----------------------------------------------------------------- loaders and bad input


def write(tmp_path, text, name="export.csv"):
    path = tmp_path / name
    path.write_text(text)
    return path


GOOD = ("Call ID,Arrival Time,Agent,Wait Time (sec),Abandoned,Talk Time,Hold,ACW,CSAT Score\n"
        "1,2026-03-02 08:00:00,A1,12,no,300,0,30,5\n"
        "2,2026-03-02 08:01:00,,95,yes,,,,\n")


def test_read_calls_maps_column_name_variants(tmp_path):
    calls = data.read_calls(write(tmp_path, GOOD))
    assert list(calls["talk_s"].fillna(-1)) == [300, -1]
    assert calls["abandoned"].tolist() == [False, True]
    assert calls.loc[1, "time_to_abandon_s"] == 95
    assert calls["arrival_time"].dtype.kind == "M"


@pytest.mark.parametrize("text, words", [
    ("", ["empty"]),
    ("Call ID,Arrival Time,Wait,Abandoned,Talk\n", ["no rows"]),
    ("Call ID,Arrival Time,Abandoned,Talk\n1,2026-03-02 08:00,no,300\n", ["required column 'wait_s' is missing"]),
    ("id,arrival,wait,abandoned,talk\n1,2026-03-02 08:00,twelve,no,300\n", ["column 'wait_s'", "'twelve'", "line 2"]),
    ("id,arrival,wait,abandoned,talk\n1,2026-03-02 08:00,1,no,300\n2,2026-03-02 08:01,2,no,-12\n",
     ["column 'talk_s'", "'-12'", "line 3", ">= 0"]),
    ("id,arrival,wait,abandoned,talk\n1,2026-03-02 08:00,1,no,300\n1,2026-03-02 08:01,2,no,40\n",
     ["column 'contact_id'", "line 3", "unique"]),
    ("id,arrival,wait,abandoned,talk\n1,yesterday-ish,1,no,300\n", ["column 'arrival_time'", "line 2"]),
    ("id,arrival,wait,abandoned,talk\n1,2026-03-02 08:00,1,maybe,300\n", ["column 'abandoned'", "'maybe'"]),
    ("id,arrival,wait,abandoned,talk,csat\n1,2026-03-02 08:00,1,no,300,9\n", ["column 'csat'", "1 to 5"]),
])
def test_bad_exports_give_one_line_errors_naming_file_column_and_row(tmp_path, text, words):
    path = write(tmp_path, text)
    with pytest.raises(DataError) as err:
        data.read_calls(path)
    message = str(err.value)
    assert "\n" not in message and "export.csv" in message
    for word in words:
        assert word in message


def test_missing_file(tmp_path):
    with pytest.raises(DataError, match="file not found"):
        data.read_calls(tmp_path / "nope.csv")


def test_read_volume_checks_order_and_repeats(tmp_path):
    ok = data.read_volume(write(tmp_path, "Interval,Offered\n2026-03-02 08:00,10\n2026-03-02 08:30,12\n"))
    assert ok["calls"].tolist() == [10, 12]
    with pytest.raises(DataError, match="line 3.*earlier than the line before"):
        data.read_volume(write(tmp_path, "Interval,Calls\n2026-03-02 08:30,10\n2026-03-02 08:00,12\n", "v2.csv"))
    with pytest.raises(DataError, match="line 3.*repeats"):
        data.read_volume(write(tmp_path, "Interval,Calls\n2026-03-02 08:00,10\n2026-03-02 08:00,12\n", "v3.csv"))


def test_read_qa_and_agents(tmp_path):
    qa = data.read_qa(write(tmp_path, "Evaluation ID,Agent,Evaluation Date,Quality Score\nE1,A1,2026-03-02,88\n"))
    assert qa.loc[0, "qa_score"] == 88
    with pytest.raises(DataError, match="qa_score.*0 to 100"):
        data.read_qa(write(tmp_path, "eval_id,agent_id,date,qa_score\nE1,A1,2026-03-02,120\n", "q2.csv"))
    agents = data.read_agents(write(tmp_path, "Agent ID,Agent Name,Team\nA1,Ana,Billing\n", "a.csv"))
    assert agents.loc[0, "name"] == "Ana"


def test_real_bank_call_volumes_load():
    path = real_data("bank_calls.csv")
    volume = data.read_volume(path)
    assert len(volume) == 27716
    assert volume["interval_start"].iloc[0] == pd.Timestamp("2003-03-03 07:00:00")
    assert (volume["calls"] >= 0).all() and volume["calls"].sum() > 1_000_000
    assert volume["interval_start"].is_monotonic_increasing
