"""Erlang B, C and A against published worked examples and exact high-precision arithmetic."""

import math

import mpmath
import numpy as np
import pandas as pd
import pytest
from conftest import real_data

from coursekit import queueing as q
from coursekit.errors import DataError


def test_published_worked_example():
    # 100 calls in 30 minutes, 180 s handle time: 10 Erlangs; 14 agents
    traffic = 100 * 180 / 1800
    assert traffic == 10
    assert q.erlang_c(traffic, 14) == pytest.approx(0.1741, abs=5e-5)
    assert q.service_level(traffic, 14, aht_s=180, target_s=20) == pytest.approx(0.888, abs=1e-3)
    assert q.asa(traffic, 14, aht_s=180) == pytest.approx(7.84, abs=0.01)
    # 13 agents give 79.6 %, so 80/20 needs the 14 of the published example
    assert q.agents_needed(traffic, aht_s=180, target_s=20, goal=0.8) == 14
    assert q.service_level(traffic, 14, 180, 20) >= 0.8 > q.service_level(traffic, 13, 180, 20)


def exact_b(a, n):
    mpmath.mp.dps = 60
    a = mpmath.mpf(a)
    top = a ** n / mpmath.factorial(n)
    return top / mpmath.nsum(lambda k: a ** k / mpmath.factorial(k), [0, n])


@pytest.mark.parametrize("a, n", [(950, 1000), (4900, 5000), (10, 14)])
def test_erlang_b_and_c_match_exact_arithmetic_at_thousands_of_agents(a, n):
    b = exact_b(a, n)
    c = n * b / (n - a * (1 - b))
    assert q.erlang_b(a, n) == pytest.approx(float(b), rel=1e-9)
    assert q.erlang_c(a, n) == pytest.approx(float(c), rel=1e-9)
    assert 0 < q.service_level(a, n, 300, 20) < 1


def test_overload_never_gives_a_probability_above_one():
    assert q.erlang_c(10, 10) == 1.0 and q.erlang_c(10, 5) == 1.0
    assert q.service_level(10, 9, 180, 20) == 0.0
    assert q.asa(10, 10, 180) == math.inf
    assert q.erlang_b(10, 0) == 1.0


def test_vectorised_over_arrays():
    a = np.array([5.0, 10.0, 10.0])
    n = np.array([7, 14, 9])
    c = q.erlang_c(a, n)
    assert c.shape == (3,) and c[2] == 1.0
    assert c[1] == pytest.approx(q.erlang_c(10, 14))


@pytest.mark.parametrize("call", [
    lambda: q.erlang_c(-1, 3), lambda: q.erlang_c(2, 3.5), lambda: q.service_level(2, 3, 0, 20),
    lambda: q.agents_needed(2, 180, 20, 1.2), lambda: q.erlang_a(2, 3, 180, 0),
])
def test_bad_arguments_are_refused(call):
    with pytest.raises(DataError):
        call()


def test_erlang_a_approaches_erlang_c_as_patience_grows():
    r = q.erlang_a(10, 14, aht_s=180, patience_s=1e7, target_s=20)
    assert r.p_wait == pytest.approx(q.erlang_c(10, 14), rel=1e-4)
    assert r.service_level == pytest.approx(q.service_level(10, 14, 180, 20), rel=1e-4)
    assert r.asa_s == pytest.approx(q.asa(10, 14, 180), rel=1e-3)
    assert r.p_abandon < 1e-5


def test_impatient_callers_abandon_more():
    rates = [q.erlang_a(10, 12, 180, p).p_abandon for p in (600, 180, 60, 20)]
    assert rates == sorted(rates) and rates[-1] > 0.05


def test_erlang_a_overload_is_stable():
    r = q.erlang_a(12, 10, aht_s=180, patience_s=120)
    for value in (r.p_wait, r.p_abandon, r.service_level, r.occupancy):
        assert 0 <= value <= 1
    # flow balance: the calls that do not abandon are the calls the agents handle
    assert (1 - r.p_abandon) * 12 == pytest.approx(r.occupancy * 10, rel=1e-6)


def test_erlang_a_matches_a_direct_solution_of_the_chain():
    """Stationary distribution by linear algebra on the truncated generator, independently of the code."""
    a, n, aht, patience, cap = 6.0, 7, 240.0, 90.0, 200
    lam, mu, theta = a / aht, 1 / aht, 1 / patience
    gen = np.zeros((cap + 1, cap + 1))
    for k in range(cap + 1):
        if k < cap:
            gen[k, k + 1] = lam
        if k > 0:
            gen[k, k - 1] = min(k, n) * mu + max(k - n, 0) * theta
        gen[k, k] = -gen[k].sum()
    system = np.vstack([gen.T, np.ones(cap + 1)])
    pi = np.linalg.lstsq(system, np.r_[np.zeros(cap + 1), 1.0], rcond=None)[0]
    r = q.erlang_a(a, n, aht, patience)
    assert r.p_wait == pytest.approx(pi[n:].sum(), rel=1e-6)
    queue = (np.maximum(np.arange(cap + 1) - n, 0) * pi).sum()
    assert r.p_abandon == pytest.approx(theta * queue / lam, rel=1e-6)


def test_staffing_plan_one_row_per_interval_by_hand():
    volume = pd.DataFrame({"interval_start": pd.date_range("2026-03-02 08:00", periods=3, freq="30min"),
                           "calls": [0, 100, 40]})
    plan = q.staffing_plan(volume, interval_s=1800, aht_s=180, target_s=20, goal=0.8, shrinkage=0.3)
    assert len(plan) == 3
    assert plan["agents"].tolist() == [0, 14, q.agents_needed(4, 180, 20, 0.8)]
    assert plan["scheduled"].tolist() == [0, 20, math.ceil(plan["agents"][2] / 0.7)]  # 14 / 0.7 = 20
    assert plan.loc[1, "service_level"] == pytest.approx(0.88835, abs=1e-5)
    assert plan.loc[0, "service_level"] == 1.0 and plan.loc[0, "asa_s"] == 0.0


def test_staffing_plan_for_chat_counts_slots_then_agents():
    volume = pd.DataFrame({"calls": [0, 100, 40]})
    phone = q.staffing_plan(volume, interval_s=1800, aht_s=180, shrinkage=0.3)
    chat = q.staffing_plan(volume, interval_s=1800, aht_s=180, shrinkage=0.3, concurrency=2)
    # 100 chats of 180 s: 14 slots (as 14 phone agents) -> 7 agents with two chats each, 7 / 0.7 = 10 scheduled
    assert chat["agents"].tolist() == [0, 7, math.ceil(phone["agents"][2] / 2)]
    assert chat["scheduled"].tolist()[1] == 10
    assert chat["service_level"].tolist() == phone["service_level"].tolist()
    assert q.staffing_plan(volume, aht_s=180, concurrency=3)["agents"].tolist()[1] == 5  # 14 / 3, rounded up
    for bad in (0, 1.5, True):
        with pytest.raises(DataError, match="concurrency"):
            q.staffing_plan(volume, concurrency=bad)


def test_staffing_plan_refuses_bad_volumes():
    with pytest.raises(DataError, match="calls must be a number"):
        q.staffing_plan(pd.DataFrame({"calls": [3, -1]}))
    with pytest.raises(DataError, match="no column 'calls'"):
        q.staffing_plan(pd.DataFrame({"volume": [3]}))


def test_staffing_plan_on_real_bank_volumes():
    from coursekit.data import read_volume

    volume = read_volume(real_data("bank_calls.csv"))
    plan = q.staffing_plan(volume, interval_s=300, aht_s=300, target_s=20, goal=0.8)
    assert len(plan) == len(volume) == 27716
    busy = plan["calls"] > 0
    assert (plan["agents"] >= 0).all() and (plan.loc[~busy, "agents"] == 0).all()
    assert (plan.loc[busy, "service_level"] >= 0.8).all()
    assert (plan.loc[busy, "agents"] > plan.loc[busy, "traffic"]).all()
    print(f"\nbank data: peak {plan['agents'].max()} agents on the phones, median {plan['agents'].median():.0f}")


def test_the_figures_module_03_states_are_what_the_library_gives():
    """Content is checked like code: every number module 03 and its guide state about staffing."""
    import math

    import nbformat
    from conftest import REPO

    from coursekit.data import load
    from coursekit.metrics import aht
    from coursekit.queueing import agents_needed, service_level, staffing_plan

    calls = load("calls")
    phone = calls[calls["channel"] == "phone"]
    monday = phone[phone["arrival_time"].dt.normalize() == "2026-03-02"]
    volume = monday.groupby(monday["arrival_time"].dt.floor("30min")).size().rename("calls").reset_index()
    plan = staffing_plan(volume, 1800, round(aht(phone)), 20, 0.8, 0.3)
    on_phones, scheduled = int(plan["agents"].max()), int(plan["scheduled"].max())
    assert scheduled == math.ceil(on_phones / (1 - 0.3)) != round(on_phones * 1.3)  # divides; does not add 30 %
    low, high = agents_needed(300 * 180 / 1800, 180, 20, 0.8), agents_needed(300 * 210 / 1800, 210, 20, 0.8)
    after = agents_needed(282 * 210 / 1800, 210, 20, 0.8)
    sl13, sl14 = round(100 * service_level(10, 13, 180, 20), 1), round(100 * service_level(10, 14, 180, 20), 1)
    folder = REPO / "notebooks" / "03-access-and-queues"
    text = " ".join("\n".join(c.source for c in nbformat.read(folder / "03-access-and-queues.ipynb", as_version=4).cells).split())
    guide = " ".join((folder / "FACILITATOR.md").read_text().split())
    for source in (text, guide):
        assert "faster than you might guess" not in source
        for figure in (f"{on_phones} on the phones", f"{scheduled} scheduled", f"{sl13} %", f"{sl14} %",
                       f"{low} → {high}", f"({after})" if source is text else f"{after}",
                       f"{round(aht(phone))} s"):
            assert figure in source, f"{'notebook' if source is text else 'guide'} lacks {figure!r}"
    assert f"{on_phones} ÷ 0.7 = {on_phones / 0.7:.1f}" in text and f"not {round(on_phones * 1.3)}" in text
    assert f"`282 * 180 / 1800` gives {agents_needed(282 * 180 / 1800, 180, 20, 0.8)}" in guide  # the old handle time
    assert f"`plan[\"agents\"].max()` is {on_phones}" in guide
    assert "30 % more on the schedule" not in text
