"""The HTML dashboard in a real headless Chromium (Debian's chromium + chromium-driver, no download)."""

import shutil

import pandas as pd
import pytest
from conftest import REPO, require_service

from coursekit import report

pytestmark = pytest.mark.services


def sample_table() -> pd.DataFrame:
    rows = []
    people = [("nh01", "Ana Li", "Billing", "Rita"), ("nh02", "Ben Okafor", "Billing", "Rita"),
              ("nh03", "Chen Wu", "Technical", "Sam"), ("nh04", "Dana Novak", "Technical", "Sam")]
    statuses = {"nh01": ("autograded", 5.0), "nh02": ("late", 3.0), "nh03": ("tampered", 1.0), "nh04": ("not submitted", None)}
    for learner, name, team, sup in people:
        for module in ["00-orientation", "01-interactions-vs-transactions"]:
            status, score = statuses[learner]
            rows.append({"learner_id": learner, "name": name, "team": team, "supervisor": sup, "module": module,
                         "status": status, "score": score, "max_score": 5.0,
                         "percent": None if score is None else 100 * score / 5, "due": pd.Timestamp("2026-01-12"),
                         "submitted_at": None, "late": status == "late", "overdue": status == "not submitted",
                         "tampered": status == "tampered", "needs_manual_grading": False, "reason": ""})
    return pd.DataFrame(rows)


@pytest.fixture(scope="module")
def browser(chromium):
    return chromium


def test_dashboard_loads_filters_and_sorts_in_chromium(browser, tmp_path):
    from selenium.webdriver.support.ui import Select

    page = report.write_html(sample_table(), tmp_path / "report.html", title="Test cohort")
    text = page.read_text()
    assert "http://" not in text and "https://" not in text, "the page must work offline (no CDN)"
    browser.get(page.as_uri())
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == [], errors
    def order():
        return [r.get_attribute("data-learner") for r in browser.find_elements("css selector", "#grid tbody tr")]

    rows = browser.find_elements("css selector", "#grid tbody tr")
    assert order() == ["nh01", "nh02", "nh03", "nh04"]
    assert "3/5 late" in rows[1].text and "TAMPERED" in rows[2].text
    assert "Rita" in rows[0].text  # the supervisor column

    Select(browser.find_element("id", "team")).select_by_value("Technical")
    assert order() == ["nh03", "nh04"]
    assert browser.find_element("id", "shown").text == "2 learners shown"
    follow = [r.text for r in browser.find_elements("css selector", "#followup tbody tr") if r.is_displayed()]
    assert len(follow) == 2 and all("Technical" in f for f in follow)
    Select(browser.find_element("id", "team")).select_by_value("")
    Select(browser.find_element("id", "supervisor")).select_by_value("Rita")
    assert order() == ["nh01", "nh02"]
    Select(browser.find_element("id", "supervisor")).select_by_value("")
    browser.find_element("id", "search").send_keys("okafor")
    assert order() == ["nh02"]
    browser.find_element("id", "search").clear()
    browser.execute_script("document.getElementById('search').dispatchEvent(new Event('input'))")
    assert order() == ["nh01", "nh02", "nh03", "nh04"]

    browser.find_element("css selector", 'th[data-col="m0"]').click()  # sort by the first module's score
    assert order() == ["nh04", "nh03", "nh02", "nh01"]  # lowest first; not submitted at the top
    browser.find_element("css selector", 'th[data-col="m0"]').click()  # again: highest first
    assert order() == ["nh01", "nh02", "nh03", "nh04"]
    browser.find_element("css selector", 'th[data-col="name"]').click()  # by name
    assert order() == ["nh01", "nh02", "nh03", "nh04"]
    artifacts = REPO / "test-artifacts"
    artifacts.mkdir(exist_ok=True)
    browser.save_screenshot(str(artifacts / "dashboard.png"))
    assert (artifacts / "dashboard.png").stat().st_size > 10_000
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


def test_dashboard_never_shows_self_assessments():
    table = sample_table().assign(self_rating=4, self_percentile=77)
    html = report.render_html(table)
    assert "self_rating" not in html and "self_percentile" not in html and ">77<" not in html


def large_table(learners: int = 10_000, modules: int = 8, seed: int = 3) -> pd.DataFrame:
    """A completion table of ``learners`` × ``modules`` in 20 teams of 5 supervisors, made directly."""
    import numpy as np

    rng = np.random.default_rng(seed)
    n = learners * modules
    ids = np.repeat([f"l{i:05d}" for i in range(learners)], modules)
    team = np.repeat([f"Team {i % 20:02d}" for i in range(learners)], modules)
    sup = np.repeat([f"Supervisor {i % 20 // 4}" for i in range(learners)], modules)
    score = rng.integers(0, 9, n).astype(float)
    status = np.where(rng.random(n) < 0.15, "not submitted", "autograded")
    score[status == "not submitted"] = np.nan
    return pd.DataFrame({"learner_id": ids, "name": np.char.add("Name ", ids), "team": team, "supervisor": sup,
                         "module": np.tile([f"{j:02d}-m" for j in range(modules)], learners), "status": status,
                         "score": score, "max_score": 8.0, "percent": 100 * score / 8, "due": pd.Timestamp("2026-01-12"),
                         "submitted_at": None, "late": False, "overdue": status == "not submitted", "tampered": False,
                         "needs_manual_grading": False, "reason": ""})


def test_a_10000_learner_page_is_usable_in_chromium(browser, tmp_path):
    """10,000 learners × 8 modules: the page is interactive in under 2 s, and filtering by team or
    supervisor and sorting a column each redraw in well under a second (times measured in the page)."""
    from selenium.webdriver.support.ui import WebDriverWait

    table = large_table()
    page = report.write_html(table, tmp_path / "big.html")
    browser.get(page.as_uri())
    ready = int(WebDriverWait(browser, 30).until(lambda b: b.find_element("tag name", "body").get_attribute("data-ready")))
    timing = browser.execute_script("var t = performance.timing; return t.domInteractive - t.navigationStart;")
    print(f"\n10,000-learner page: script done {ready} ms after navigation start (DOM interactive {timing} ms)")
    assert ready < 2000
    assert browser.find_element("id", "shown").text == "10000 learners shown"
    assert len(browser.find_elements("css selector", "#grid tbody tr")) == report.PAGE_SIZE

    def timed(script):
        return browser.execute_script("var t0 = performance.now();" + script + "; return performance.now() - t0;")

    team_ms = timed("var s = document.getElementById('team'); s.value = 'Team 07'; s.dispatchEvent(new Event('change'))")
    assert browser.find_element("id", "shown").text == "500 learners shown"
    rows = browser.find_elements("css selector", "#grid tbody tr")
    assert {r.get_attribute("data-team") for r in rows} == {"Team 07"}
    sup_ms = timed("var t = document.getElementById('team'); t.value = ''; var s = document.getElementById('supervisor');"
                   "s.value = 'Supervisor 2'; s.dispatchEvent(new Event('change'))")
    assert browser.find_element("id", "shown").text == "2000 learners shown"
    sort_ms = timed("document.querySelector('th[data-col=\"m3\"]').click()")
    first = browser.find_elements("css selector", "#grid tbody tr")[0]
    expected = table[(table["supervisor"] == "Supervisor 2") & (table["module"] == "03-m")]
    assert first.find_elements("css selector", "td.st")[3].text == ("- OVERDUE" if expected["score"].isna().any()
                                                                    else f"{expected['score'].min():g}/8")
    sort_all_ms = timed("var s = document.getElementById('supervisor'); s.value = ''; s.dispatchEvent(new Event('change'));"
                        "document.querySelector('th[data-col=\"name\"]').click()")
    print(f"filter by team {team_ms:.0f} ms, by supervisor {sup_ms:.0f} ms, sort a module {sort_ms:.0f} ms, "
          f"sort 10,000 by name {sort_all_ms:.0f} ms")
    assert max(team_ms, sup_ms, sort_ms, sort_all_ms) < 1000
    browser.find_element("id", "next").click()
    assert browser.find_element("id", "page").text.startswith(f"rows {report.PAGE_SIZE + 1}")
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
