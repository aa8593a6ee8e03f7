"""QueueSimulator without a browser: set slider values and read what it shows."""

import pytest

from coursekit import queueing
from coursekit.widgets import QueueSimulator


def test_shows_the_worked_example_and_updates_live():
    sim = QueueSimulator(calls=100, aht_s=180, agents=14, patience_s=900)
    r = sim.results()
    assert r["traffic"] == 10
    assert r["erlang_c_service_level"] == pytest.approx(0.888, abs=1e-3)
    assert "Workload: 10.0 Erlangs" in sim.summary_text
    before = r["service_level"]
    sim.agents.value = 11
    assert sim.results()["service_level"] < before
    assert f"{100 * sim.results()['abandonment']:.1f} %" in sim.summary_text
    assert "Callers who give up" in sim.out.value


def test_overload_is_explained_not_crashed():
    sim = QueueSimulator(calls=200, aht_s=300, agents=10, patience_s=120)
    assert sim.results()["traffic"] > 10
    assert "More work than agents" in sim.summary_text
    expected = queueing.erlang_a(200 * 300 / 1800, 10, 300, 120)
    assert sim.results()["abandonment"] == pytest.approx(expected.p_abandon)


def test_as_many_agents_as_workload_is_not_called_more_work_than_agents():
    sim = QueueSimulator(calls=100, aht_s=180, agents=10)  # 100 x 180 / 1800 = 10 Erlangs
    assert "More work than agents" not in sim.summary_text and "Exactly as much work as agents" in sim.summary_text
    assert "enough calls to keep 10.0 agents talking for the whole 30 minutes" in sim.summary_text
    sim.agents.value = 11
    assert "work as agents" not in sim.summary_text and "More work" not in sim.summary_text


def test_the_agents_slider_moves_one_agent_at_a_time_over_a_wide_track():
    sim = QueueSimulator()
    assert sim.agents.max == 60 and sim.agents.step == 1 and sim.agents.layout.width == "640px"
    assert QueueSimulator(agents=90).agents.max == 90


def test_the_sliders_are_labelled_range_inputs_a_screen_reader_can_name():
    from coursekit.learner.widgets.slider import LabelledSlider

    sim = QueueSimulator()
    assert all(isinstance(s, LabelledSlider) for s in (sim.calls, sim.aht, sim.agents, sim.patience))
    assert sim.agents.description == "Agents on the phones"
    assert 'type = "range"' in sim.agents._esm and "label.htmlFor" in sim.agents._esm  # a <label for> it
    assert "data-lm-suppress-shortcuts" in sim.agents._esm  # arrows move it, not JupyterLab's cells
    sim.agents.value = 500  # beyond the end: the nearest end, as IntSlider does
    assert sim.agents.value == 60
    sim.agents.value = 0
    assert sim.agents.value == 1
