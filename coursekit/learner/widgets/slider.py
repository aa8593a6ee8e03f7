"""LabelledSlider: a whole-number slider a screen reader can name and a keyboard can move.

ipywidgets' ``IntSlider`` draws its handle as a ``<div role="slider">`` with no accessible name (its
label is not tied to it, and ipywidgets offers no way to add ``aria-label``): a screen reader
announces "slider, 14" and nothing else, and axe-core counts it a serious violation.  This one is the
browser's own ``<input type="range">`` with a ``<label for>`` and an ``<output>`` that shows the value
(anywidget; no JupyterLab extension to build): arrows move it one step, Page Up/Down ten, Home/End to the
ends (JupyterLab's notebook shortcuts are kept out of it), and it reads "Agents on the phones, 14".  In Python it is used like ``IntSlider``: ``.value``,
``.min``, ``.max``, ``.step``, ``.description``, ``.observe(..., names="value")``.
"""

from __future__ import annotations

import anywidget
import traitlets

_ESM = """
let next = 0;
function render({ model, el }) {
  const id = "coursekit-slider-" + (++next) + "-" + Math.random().toString(36).slice(2, 8);
  const label = document.createElement("label");
  const input = document.createElement("input");
  const shown = document.createElement("output");
  label.htmlFor = shown.htmlFor = input.id = id;
  input.type = "range";
  el.classList.add("coursekit-slider");
  // the arrow keys move the slider: JupyterLab's shortcuts (ArrowLeft folds a heading) and the notebook's
  // own key handling (which takes the focus back to the active cell) stay out of it
  el.setAttribute("data-lm-suppress-shortcuts", "true");
  el.addEventListener("keydown", (event) => event.stopPropagation());
  el.append(label, input, shown);
  function draw() {
    label.textContent = model.get("description");
    input.min = model.get("min");
    input.max = model.get("max");
    input.step = model.get("step");
    input.value = model.get("value");
    shown.textContent = model.get("value");
  }
  input.addEventListener("input", () => {
    shown.textContent = input.value;
    model.set("value", Number(input.value));
    model.save_changes();
  });
  model.on("change", draw);
  draw();
  return () => model.off("change", draw);
}
export default { render };
"""

_CSS = """
.coursekit-slider { display: flex; align-items: center; gap: 10px; margin: 2px 0; }
.coursekit-slider label { flex: 0 0 var(--coursekit-label-width, 170px); text-align: right;
  color: var(--jp-widgets-label-color, #222); font-size: var(--jp-widgets-font-size, 13px); }
.coursekit-slider input { flex: 1 1 auto; min-width: 120px; accent-color: #2471a3; }
.coursekit-slider input:focus-visible { outline: 2px solid #1f5fa8; outline-offset: 2px; }
.coursekit-slider output { flex: 0 0 3.5em; text-align: right; font-variant-numeric: tabular-nums;
  color: var(--jp-widgets-label-color, #222); font-size: var(--jp-widgets-font-size, 13px); }
"""


class LabelledSlider(anywidget.AnyWidget):
    """``LabelledSlider(14, 1, 60, 1, description="Agents on the phones")``: a whole number from
    ``min`` to ``max`` in steps of ``step`` (values outside are brought to the nearest end)."""

    _esm = traitlets.Unicode(_ESM).tag(sync=True)
    _css = traitlets.Unicode(_CSS).tag(sync=True)
    value = traitlets.Int(0).tag(sync=True)
    min = traitlets.Int(0).tag(sync=True)
    max = traitlets.Int(100).tag(sync=True)
    step = traitlets.Int(1).tag(sync=True)
    description = traitlets.Unicode("").tag(sync=True)

    def __init__(self, value: int = 0, min: int = 0, max: int = 100, step: int = 1,  # noqa: A002 (IntSlider's names)
                 description: str = "", **kwargs):
        super().__init__(min=min, max=max, step=step, description=description, **kwargs)
        self.value = value

    @traitlets.validate("value")
    def _within(self, proposal):
        return max(self.min, min(self.max, int(proposal["value"])))
