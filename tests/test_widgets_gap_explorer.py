"""GapExplorer without a browser: choose an agent and a method, read what it shows."""

import matplotlib

matplotlib.use("Agg")

import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from coursekit import gap  # noqa: E402
from coursekit.data import load  # noqa: E402
from coursekit.widgets import GapExplorer  # noqa: E402

# the hand-made team of test_gap.py: repeats per 1,000 contacts lower is better, FCR higher is better
TEAM = pd.DataFrame({"agent_id": ["A", "B", "C", "D"], "name": ["Ann", "Bo", "Cy", "Di"],
                     "contacts": 100, "repeats_per_1000": [300.0, 400.0, 500.0, 600.0], "fcr": [0.60, 0.70, 0.80, 0.90]})
TARGETS = pd.DataFrame({"metric": ["repeats_per_1000", "fcr"], "target": [420.0, 0.75], "direction": ["lower", "higher"]})


def explorer(**kw):
    return GapExplorer(TEAM, targets=TARGETS, impact={"repeats_per_1000": 1.0, "fcr": 1.0}, **kw)


def test_shows_the_agents_priorities_and_a_chart():
    ex = explorer(agent="A", method="target")
    # A: FCR 60 % against 75 % is the only shortfall; 300 repeats per 1,000 is 120 better than target
    assert ex.results()["gaps"].set_index("metric")["gap"].to_dict() == pytest.approx({"repeats_per_1000": 120, "fcr": -0.15})
    assert "1. fcr: 60.0 % against 75.0 %" in ex.summary_text
    assert "repeats_per_1000" not in ex.summary_text.split("Strength")[0]     # a strength is never a priority
    assert "Strength to build on: repeats_per_1000" in ex.summary_text
    assert ex.chart_png.startswith(b"\x89PNG") and 'src="data:image/png;base64,' in ex.chart.value
    # a screen reader reads the chart: the alternative text says what it shows
    assert 'alt="Bullet chart of A \u00b7 Ann against the center target: ' in ex.chart.value
    assert "fcr 60.0 % against 75.0 %" in ex.chart.value
    assert "A \u00b7 Ann" in ex.out.value


def test_changing_agent_or_method_updates_live():
    ex = explorer(agent="A", method="target")
    ex.agent.value = "D"     # D: 600 repeats per 1,000 against 420 is the gap; FCR 90 % is better
    assert "1. repeats_per_1000: 600 against 420" in ex.summary_text
    ex.method.value = "top_quartile"     # top quartile of repeats: 375; of FCR: 82.5 %
    assert ex.results()["benchmark"].set_index("metric")["benchmark"].to_dict() == pytest.approx(
        {"repeats_per_1000": 375, "fcr": 0.825})
    assert "600 against 375" in ex.summary_text
    ex.agent.value = "C"
    assert "1. repeats_per_1000: 500 against 375" in ex.summary_text and "2. fcr: 80.0 % against 82.5 %" in ex.summary_text


def test_an_agent_with_too_few_contacts_gets_the_message_not_a_crash():
    team = TEAM.assign(contacts=[100, 100, 100, 8])
    ex = GapExplorer(team, agent="D", targets=TARGETS)
    assert f"agent D has 8 contacts, fewer than the {gap.MIN_CONTACTS}" in ex.summary_text
    assert ex.chart_png == b"" and ex.chart.value == ""
    ex.agent.value = "A"
    assert ex.summary_text.startswith("Top priorities for A")


def test_handle_time_and_the_schedule_are_context_never_a_priority():
    ex = GapExplorer(agent="A17")
    head, context = ex.summary_text.split("Context, not gaps:")
    assert "aht_s" not in head and "asa_s" not in head and "service_level" not in head
    assert "handle time 304 s (team middle 424 s)" in context and "belong to the schedule" in context


def test_the_default_uses_the_bundled_team():
    ex = GapExplorer()
    kpis = gap.agent_kpis(load("calls"), load("qa_evaluations"))
    expected = gap.priorities(gap.gap_table(kpis, gap.benchmark(kpis), ex.agent.value),
                              impact=gap.estimate_impact(kpis))
    top = expected[expected["priority"] > 0]["metric"].iloc[0]
    assert f"1. {top}:" in ex.summary_text
    assert len(ex.agent.options) == 40


def test_the_keys_of_its_dropdowns_stay_in_the_widget():
    from coursekit.learner.widgets.guard import WidgetGuard

    assert isinstance(explorer().children[-1], WidgetGuard)  # ArrowDown picks the next agent, not a cell
