"""KPIs on a hand-made call log whose answers were worked out by hand."""

import math

import numpy as np
import pandas as pd
import pytest

from coursekit import metrics as m
from coursekit.errors import DataError

NAN = np.nan


@pytest.fixture
def calls():
    # 8 contacts: 6 answered (waits 5, 10, 30, 15, 25, 0), 2 abandoned (after 3 s and after 60 s)
    return pd.DataFrame({
        "contact_id": [f"C{i}" for i in range(1, 9)],
        "arrival_time": pd.to_datetime(["2026-03-02 08:05", "2026-03-02 08:10", "2026-03-02 08:40",
                                        "2026-03-02 08:50", "2026-03-03 09:00", "2026-03-03 09:10",
                                        "2026-03-03 09:20", "2026-03-03 09:25"]),
        "agent_id": ["A1", "A1", "A2", "A2", "A1", "A2", None, None],
        "wait_s": [5, 10, 30, 15, 25, 0, 3, 60],
        "abandoned": [False, False, False, False, False, False, True, True],
        "talk_s": [300, 200, 400, 100, 250, 350, NAN, NAN],
        "hold_s": [0, 60, 0, 0, 30, 0, NAN, NAN],
        "acw_s": [30, 30, 60, 20, 20, 50, NAN, NAN],
        "resolved_first_contact": pd.array([True, False, True, True, True, False, None, None], dtype="boolean"),
        "csat": pd.array([5, None, 2, None, 4, None, None, None], dtype="Int64"),
    })


def test_aht_and_asa_by_hand(calls):
    # handle: 330, 290, 460, 120, 300, 400 -> 1900 / 6
    assert m.aht(calls) == pytest.approx(1900 / 6)
    assert m.asa(calls) == pytest.approx((5 + 10 + 30 + 15 + 25 + 0) / 6)


def test_service_level_variants_by_hand(calls):
    # answered within 20 s: waits 5, 10, 15, 0 -> 4 of 8 offered
    assert m.service_level(calls, 20) == pytest.approx(4 / 8)
    # leaving out the 3-second abandon: 4 of 7
    assert m.service_level(calls, 20, short_abandon_s=5) == pytest.approx(4 / 7)
    assert m.service_level(calls, 30) == pytest.approx(6 / 8)


def test_abandonment_with_and_without_short_abandons(calls):
    assert m.abandonment_rate(calls) == pytest.approx(2 / 8)
    assert m.abandonment_rate(calls, short_abandon_s=5) == pytest.approx(1 / 7)


def test_fcr_and_csat_by_hand(calls):
    assert m.fcr(calls) == pytest.approx(4 / 6)
    assert m.csat(calls) == pytest.approx((5 + 2 + 4) / 3)
    assert m.csat(calls, method="top2box") == pytest.approx(2 / 3)
    with pytest.raises(DataError, match="top2box"):
        m.csat(calls, method="median")


def test_occupancy(calls):
    assert m.occupancy(calls, staffed_seconds=3800) == pytest.approx(0.5)
    with pytest.raises(DataError):
        m.occupancy(calls, 0)


def test_nothing_to_measure_gives_nan_not_a_number(calls):
    empty = calls.iloc[0:0]
    for f in (m.aht, m.asa, m.service_level, m.abandonment_rate, m.fcr, m.csat):
        assert math.isnan(f(empty))
    all_abandoned = calls[calls["abandoned"]]
    assert math.isnan(m.aht(all_abandoned)) and math.isnan(m.asa(all_abandoned)) and math.isnan(m.fcr(all_abandoned))
    assert m.abandonment_rate(all_abandoned) == 1.0
    assert math.isnan(m.csat(calls.assign(csat=pd.array([None] * 8, dtype="Int64"))))


def test_missing_column_is_named(calls):
    with pytest.raises(DataError, match="no column 'wait_s'"):
        m.asa(calls.drop(columns="wait_s"))


def test_kpi_table_by_agent_day_interval_and_team(calls):
    by_agent = m.kpi_table(calls).set_index("agent_id")
    assert by_agent.loc["A1", "answered"] == 3 and by_agent.loc["A1", "aht_s"] == pytest.approx((330 + 290 + 300) / 3)
    assert by_agent.loc["A2", "fcr"] == pytest.approx(2 / 3) and by_agent.loc["A2", "csat"] == 2
    by_day = m.kpi_table(calls, by="day").set_index("day")
    day2 = by_day.loc[pd.Timestamp("2026-03-03")]
    assert day2["contacts"] == 4 and day2["abandonment_rate"] == 0.5 and day2["service_level"] == 0.25
    by_interval = m.kpi_table(calls, by="interval", interval="30min")
    assert by_interval["contacts"].tolist() == [2, 2, 4]  # 08:00, 08:30 on day 1; 09:00 on day 2
    agents = pd.DataFrame({"agent_id": ["A1", "A2"], "team": ["Billing", "Tech"]})
    by_team = m.kpi_table(calls, by="team", agents=agents).set_index("team")
    assert by_team.loc["Billing", "answered"] == 3
    with pytest.raises(DataError, match="needs agents"):
        m.kpi_table(calls, by="team")


def test_kpis_on_the_bundled_data_agree_with_the_table():
    from coursekit.data import load

    calls = load("calls")
    table = m.kpi_table(calls, by="day")
    assert (table["contacts"].sum(), table["abandoned"].sum()) == (len(calls), int(calls["abandoned"].sum()))
    assert 0.03 <= m.abandonment_rate(calls) <= 0.15 and 0.6 <= m.fcr(calls) <= 0.8


def test_an_export_without_hold_or_wrap_columns_counts_them_as_zero(calls):
    talk_only = calls.drop(columns=["hold_s", "acw_s"])
    # talk only: 300 + 200 + 400 + 100 + 250 + 350 = 1600 over 6 answered contacts
    assert m.aht(talk_only) == pytest.approx(1600 / 6)
    assert m.occupancy(talk_only, staffed_seconds=3200) == pytest.approx(0.5)
    table = m.kpi_table(talk_only, by="agent_id").set_index("agent_id")
    assert table.loc["A1", "aht_s"] == pytest.approx((300 + 200 + 250) / 3)


def test_kpi_table_by_channel_is_each_channel_measured_alone(calls):
    log = calls.assign(channel=["phone", "chat", "phone", "phone", "chat", "phone", "phone", "chat"])
    table = m.kpi_table(log, by="channel").set_index("channel")
    for channel in ("phone", "chat"):
        alone = log[log["channel"] == channel]
        assert table.loc[channel, "service_level"] == pytest.approx(m.service_level(alone, 20))
        assert table.loc[channel, "abandonment_rate"] == pytest.approx(m.abandonment_rate(alone))
        assert table.loc[channel, "aht_s"] == pytest.approx(m.aht(alone))
    # phone: waits 5, 30, 15, 0 answered, 3 abandoned -> 3 of 5 within 20 s; chat: 10, 25 answered, 60 abandoned
    assert table.loc["phone", "service_level"] == pytest.approx(3 / 5)
    assert table.loc["chat", "service_level"] == pytest.approx(1 / 3)


def test_fcr_by_repeat_window_by_hand():
    # C1 answered, repeated by C3 after 2 days; C2 answered, repeated by C4 after 10 days; C5 abandoned
    log = pd.DataFrame({
        "contact_id": ["C1", "C2", "C3", "C4", "C5"],
        "arrival_time": pd.to_datetime(["2026-03-02 09:00", "2026-03-02 10:00", "2026-03-04 09:00",
                                        "2026-03-12 10:00", "2026-03-12 11:00"]),
        "abandoned": [False, False, False, False, True],
        "repeat_of": ["", None, "C1", "C2", None],
    }).replace({"": None})
    # answered: C1..C4; came back within 7 days: C1 only -> 3 of 4 resolved
    assert m.fcr(log, method="repeat", window_days=7) == pytest.approx(3 / 4)
    # within 14 days C2 came back too -> 2 of 4
    assert m.fcr(log, method="repeat", window_days=14) == pytest.approx(2 / 4)
    with pytest.raises(DataError, match="flag' or 'repeat"):
        m.fcr(log, method="survey")


def test_service_level_threshold_is_named_and_a_choice(calls):
    assert m.DEFAULT_THRESHOLD_S == 20
    assert m.service_level(calls) == m.service_level(calls, threshold_s=m.DEFAULT_THRESHOLD_S)
    assert m.service_level(calls, threshold_s=30) > m.service_level(calls, threshold_s=10)


def _module_text(folder: str) -> str:
    import nbformat
    from conftest import REPO

    path = REPO / "notebooks" / folder
    cells = nbformat.read(next(path.glob("*.ipynb")), as_version=4).cells
    return " ".join(("\n".join(c.source for c in cells) + "\n" + (path / "FACILITATOR.md").read_text()).split())


def test_the_figures_modules_00_and_02_state_are_what_the_library_gives():
    """Content is checked like code: the figures 00 and 02 (and their guides) state about the bundled calls."""
    from coursekit.data import load

    calls = load("calls")
    phone = calls[calls["channel"] == "phone"]
    day = calls[calls["arrival_time"].dt.normalize() == "2026-03-02"]
    text00 = _module_text("00-orientation")
    assert set(calls["channel"]) == {"phone", "chat"} and "one contact**: a phone call or a chat" in text00
    assert f"{len(day):,} contacts" in text00 and f"{len(calls):,}" in text00
    weeks = calls["arrival_time"].dt.isocalendar().week.nunique()
    assert f"about {calls['agent_id'].nunique()} agents, four weeks" in text00 and weeks == 4
    assert f"{(day['channel'] == 'phone').sum()} phone, {(day['channel'] == 'chat').sum()} chat" in text00
    assert f"{int(day['abandoned'].sum())} abandoned" in text00
    assert f"{round(100 * day['abandoned'].sum() / len(day), 1)} %" in text00
    assert f"{round(day['talk_s'].mean() / 60, 1)} minutes" in text00
    assert f"{round(day['talk_s'].mean())} (or {round(day['talk_s'].mean(), 1)})" in text00  # seconds, not minutes
    assert f"gives {round(len(day) / day['abandoned'].sum(), 1)}" in text00  # the rate upside down

    text02 = _module_text("02-measuring-service")
    daily = m.kpi_table(phone, by="day")
    best = daily.loc[daily["service_level"].idxmax()]
    one_day = phone[phone["arrival_time"].dt.normalize() == best["day"]]
    evening = phone[phone["arrival_time"].dt.hour >= 17]
    stated = {
        "contacts": f"{len(calls):,} contacts",
        "phone calls": f"{len(phone):,} phone calls",
        "chats": f"{len(calls) - len(phone):,} chats",
        "phone AHT": f"AHT {round(m.aht(phone) / 60, 1)} minutes ({round(m.aht(phone))} s)",
        "phone SL": f"{round(100 * m.service_level(phone, 20), 1)} % within 20 s",
        "phone abandonment": f"abandonment {round(100 * m.abandonment_rate(phone), 1)} %",
        "short abandons out": f"({round(100 * m.abandonment_rate(phone, short_abandon_s=5), 1)} % with abandons under 5 s",
        "chat SL": f"level {round(100 * m.service_level(calls[calls['channel'] == 'chat'], 20), 1)} %",
        "chat abandonment": f"abandonment {round(100 * m.abandonment_rate(calls[calls['channel'] == 'chat']), 1)} %",
        "FCR flag": f"FCR {round(m.fcr(calls), 2)} by the agents' flag",
        "FCR repeat": f"{round(m.fcr(calls, method='repeat', window_days=7), 2)} by a 7-day repeat window",
        "best day": f"{best['day']:%A} {best['day'].day} {best['day']:%B}: service level {round(100 * best['service_level'])} %",
        "best day abandoned": f"{round(100 * best['abandonment_rate'])} % abandoned",
        "best evening": f"{round(100 * m.abandonment_rate(one_day[one_day['arrival_time'].dt.hour >= 17]), 1)} % of phone callers",
        "month evening": f"{round(100 * m.abandonment_rate(evening), 1)} % of evening phone callers",
        "pooled SL": f"({round(100 * m.service_level(calls, 20), 1)})",
        "> 17": f"gives {round(100 * m.abandonment_rate(phone[phone['arrival_time'].dt.hour > 17]), 1)}",
        "AHT in seconds": f"`round(aht(phone), 1)` gives {round(m.aht(phone), 1)}",
        "talk only": f"Only talk time ({round(phone['talk_s'].mean() / 60, 1)} minutes)",
        "SL as a share": f"returns {round(m.service_level(phone, 20), 3)}",
        "phone abandonment, month": f"the month's {round(100 * m.abandonment_rate(phone), 1)}",
    }
    missing = {name: figure for name, figure in stated.items() if figure not in text02}
    assert not missing, f"module 02 or its guide does not state these as the library gives them: {missing}"
