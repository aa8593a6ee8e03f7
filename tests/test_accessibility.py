"""axe-core on the supervisor's dashboard in a real headless Chromium: no serious or critical
accessibility violation (the learner's widgets are checked the same way in JupyterLab, tests/test_lab.py)."""

import pytest
from conftest import axe_violations
from test_report import sample_table

from coursekit import report

pytestmark = pytest.mark.services


def test_the_dashboard_has_no_serious_accessibility_violations(chromium, tmp_path):
    page = report.write_html(sample_table(), tmp_path / "report.html", title="Test cohort")
    chromium.get(page.as_uri())
    chromium.find_element("css selector", "#grid tbody tr")  # drawn
    assert axe_violations(chromium) == []
