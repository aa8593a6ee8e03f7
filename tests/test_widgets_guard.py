"""WidgetGuard: every coursekit widget carries one (keys kept inside it in JupyterLab, a line to run
its cell again when it is drawn from a saved notebook without a kernel); tests/test_lab.py watches it
work in a real browser."""

import pytest

from coursekit import widgets
from coursekit.learner.widgets.guard import RERUN, WidgetGuard
from coursekit.palette import WARN


@pytest.mark.parametrize("name", widgets.__all__)
def test_every_widget_ends_with_a_guard(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a SelfAssessment or a coach reads its file here
    cls = getattr(widgets, name)
    widget = cls.for_pair("P001") if hasattr(cls, "for_pair") else cls()
    assert isinstance(widget.children[-1], WidgetGuard)
    assert list(tmp_path.iterdir()) == []  # making a widget writes nothing


def test_the_guard_keeps_keys_in_and_asks_for_a_rerun_in_the_course_colours():
    esm = WidgetGuard()._esm
    assert "stopPropagation" in esm and "data-lm-suppress-shortcuts" in esm
    assert "jupyter-widgets-disconnected" in esm and WARN in esm
    assert "Shift+Enter" in RERUN and RERUN in esm
