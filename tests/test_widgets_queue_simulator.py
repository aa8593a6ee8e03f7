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
