"""`coursekit demo --learners 6` (one learner per profile): the main job, end to end, checked against the
simulation.  `make demo` itself runs the default cohort."""

import csv
import json
import subprocess
import sys

import pytest
from conftest import MODULES

from coursekit.simulate import PROFILES


@pytest.mark.slow
@pytest.mark.skipif(not MODULES, reason="no modules")
def test_demo_with_one_learner_per_profile_reports_what_was_simulated(tmp_path):
    n = len(PROFILES)
    out = tmp_path / "demo"
    result = subprocess.run([sys.executable, "-m", "coursekit.cli", "demo", "--learners", str(n), "--out", str(out)],
                            capture_output=True, text=True, timeout=1800)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "match what was simulated" in result.stdout, result.stdout[-3000:]
    rows = list(csv.DictReader((out / "report.csv").open()))
    expected = list(csv.DictReader((out / "expected.csv").open()))
    assert {r["learner_id"] for r in rows} == {f"nh{i:02d}" for i in range(1, n + 1)}
    assert len(rows) == n * len(MODULES)
    got = {(r["learner_id"], r["module"]): (r["status"], r["score"]) for r in rows}
    for e in expected:
        status, score = got[(e["learner_id"], e["module"])]
        assert status == e["status"]
        assert (float(score) if score else None) == (float(e["score"]) if e["score"] else None)
    statuses = {r["status"] for r in rows}
    assert {"autograded", "late", "tampered", "not submitted"} <= statuses
    assert {e["profile"] for e in expected} == set(PROFILES)
    page = (out / "report.html").read_text()
    data = json.loads(page.split('<script type="application/json" id="report-data">', 1)[1].split("</script>", 1)[0])
    assert data["ids"] == [f"nh{i:02d}" for i in range(1, n + 1)]  # the page's grid draws these rows
    assert list((out / "feedback").rglob("*.html"))
