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
    rows = browser.find_elements("css selector", "#grid tbody tr")
    assert [r.get_attribute("data-learner") for r in rows] == ["nh01", "nh02", "nh03", "nh04"]
    assert "3/5 late" in rows[1].text and "TAMPERED" in rows[2].text

    Select(browser.find_element("id", "team")).select_by_value("Technical")
    visible = [r.get_attribute("data-learner") for r in rows if r.is_displayed()]
    assert visible == ["nh03", "nh04"]
    assert browser.find_element("id", "shown").text == "2 learners shown"
    follow = [r.text for r in browser.find_elements("css selector", "#followup tbody tr") if r.is_displayed()]
    assert len(follow) == 2 and all("Technical" in f for f in follow)

    Select(browser.find_element("id", "team")).select_by_value("")
    def order():
        return [r.get_attribute("data-learner") for r in browser.find_elements("css selector", "#grid tbody tr")]

    browser.find_element("css selector", 'th[data-col="4"]').click()  # sort by the first module's score
    assert order() == ["nh04", "nh03", "nh02", "nh01"]  # lowest first; not submitted at the top
    browser.find_element("css selector", 'th[data-col="4"]').click()  # again: highest first
    assert order() == ["nh01", "nh02", "nh03", "nh04"]
    browser.find_element("css selector", 'th[data-col="1"]').click()  # by name
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
