"""SelfAssessment without a browser: set the inputs, press Save with the button's click(), read the file,
open a new form and see the answers come back."""

import json

import pytest

from coursekit import selfassess
from coursekit.errors import DataError
from coursekit.widgets import SelfAssessment

ALL = selfassess.COMPETENCIES


def fill(form, rating=3, percentile="50", **changes):
    for c in ALL:
        form.rating_inputs[c].value = rating
        form.percentile_inputs[c].value = percentile
    for c, (rating_value, percentile_value) in changes.items():
        form.rating_inputs[c.replace("_", " ")].value = rating_value
        form.percentile_inputs[c.replace("_", " ")].value = percentile_value


def test_saved_answers_come_back_in_a_new_form(tmp_path):
    form = SelfAssessment(phase="pre", folder=tmp_path)
    assert not (tmp_path / selfassess.FILENAME).exists()
    assert all(box.value is None for box in form.rating_inputs.values())
    assert "4 – " in form.rating_inputs["empathy"].options[3][0]  # the anchors are the choices
    fill(form, rating=4, percentile="70", listening=(2, "35"))
    form.share.value = True
    form.save_button.click()
    assert "Saved" in form.message and "shared with your supervisor" in form.message
    saved = json.loads((tmp_path / selfassess.FILENAME).read_text())
    assert saved["phases"]["pre"]["ratings"]["listening"] == 2
    assert saved["phases"]["pre"]["percentiles"]["empathy"] == 70
    assert saved["share_with_supervisor"] is True and saved["phases"]["pre"]["saved_at"]

    again = SelfAssessment(phase="pre", folder=tmp_path)
    assert again.rating_inputs["listening"].value == 2 and again.rating_inputs["empathy"].value == 4
    assert again.percentile_inputs["listening"].value == "35"
    assert again.share.value is True
    assert "saved on" in again.message
    assert again.saved_ratings()["listening"] == 2 and again.saved_percentiles()["empathy"] == 70


@pytest.mark.parametrize("changes, words", [
    ({"call_control": (3, "120")}, ["call control", "'120'", "0 to 100"]),
    ({"empathy": (None, "50")}, ["empathy", "no self-rating"]),
    ({"listening": (3, "")}, ["listening", "no guessed score"]),
    ({"listening": (3, "about half")}, ["listening", "not a number"]),
])
def test_invalid_answers_are_refused_and_the_file_stays_as_it_was(tmp_path, changes, words):
    form = SelfAssessment(phase="pre", folder=tmp_path)
    fill(form)
    assert form.save() is True
    before = (tmp_path / selfassess.FILENAME).read_bytes()
    fill(form, **changes)
    form.save_button.click()
    assert form.message.startswith("Not saved:")
    for word in words:
        assert word in form.message
    assert "\n" not in form.message and "Not saved" in form.status.value
    assert (tmp_path / selfassess.FILENAME).read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [selfassess.FILENAME]


def test_module_05_finds_module_00_next_door_and_keeps_both_phases(tmp_path):
    m00, m05 = tmp_path / "00-orientation", tmp_path / "05-self-assessment"
    m00.mkdir()
    m05.mkdir()
    pre = SelfAssessment(phase="pre", folder=m00)
    fill(pre, rating=5, percentile="90")
    pre.save()

    post = SelfAssessment(phase="post", folder=m05)
    assert "before the course (module 00) were found" in post.message
    assert post.saved_ratings("pre")["empathy"] == 5 and post.saved_ratings() is None
    assert "before: 5, guess 90" in post.children[1].children[1].value  # under the competency's row
    fill(post, rating=3, percentile="55")
    post.save_button.click()
    saved = json.loads((m05 / selfassess.FILENAME).read_text())
    assert saved["phases"]["pre"]["ratings"]["empathy"] == 5
    assert saved["phases"]["post"]["ratings"]["empathy"] == 3
    assert saved["share_with_supervisor"] is False  # the default
    assert json.loads((m00 / selfassess.FILENAME).read_text())["phases"].keys() == {"pre"}  # untouched


def test_without_module_00_the_form_says_so_politely(tmp_path):
    form = SelfAssessment(phase="post", folder=tmp_path / "05")
    assert "No ratings from before the course were found" in form.message and "That is fine" in form.message
    assert form.saved_ratings("pre") is None


def test_headless_run_needs_no_file_and_writes_none(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    form = SelfAssessment(phase="post")
    assert form.path == tmp_path / selfassess.FILENAME
    assert list(tmp_path.iterdir()) == []


def test_damaged_files_do_not_break_the_form(tmp_path):
    (tmp_path / selfassess.FILENAME).write_text("{oops")
    form = SelfAssessment(phase="pre", folder=tmp_path)
    assert "could not be read" in form.message and "saving will replace it" in form.message
    fill(form)
    assert form.save()
    assert selfassess.read_answers(tmp_path / selfassess.FILENAME)["phases"]["pre"]["ratings"]["empathy"] == 3


def test_a_folder_that_cannot_be_written_is_reported(tmp_path):
    form = SelfAssessment(phase="pre", folder=tmp_path / "missing")
    fill(form)
    assert form.save() is False
    assert form.message.startswith("Not saved:") and "cannot be written" in form.message


def test_unknown_phase_is_refused():
    with pytest.raises(DataError, match="unknown phase 'during'"):
        SelfAssessment(phase="during")


def test_the_keys_of_the_form_stay_in_the_widget(tmp_path):
    from coursekit.learner.widgets.guard import WidgetGuard

    form = SelfAssessment(phase="pre", folder=tmp_path)
    assert isinstance(form.children[-1], WidgetGuard)  # arrows choose a level, not the next cell
    assert "stopPropagation" in form.children[-1]._esm and "data-lm-suppress-shortcuts" in form.children[-1]._esm
