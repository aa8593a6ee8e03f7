"""WidgetGuard: keeps a widget's keys its own inside JupyterLab, and says when it must be run again.

- In a JupyterLab notebook a key pressed in a widget's dropdown, checkbox or button also reaches the
  notebook: ArrowDown on an ipywidgets ``Dropdown`` selects the next *cell* (and takes the focus there)
  instead of the next choice, so the widget cannot be used from the keyboard (text boxes are spared
  only because JupyterLab leaves editable elements alone).  The guard keeps JupyterLab's shortcuts and
  the notebook's key handling out of the widget's controls; Tab still moves between them.
- A notebook reopened after its kernel stopped (the next day, on another computer) draws its widgets
  from the state saved with it, but nothing is behind them any more: ipywidgets only shows a small red
  broken-link icon.  The guard then shows one line under the widget: run its cell again.

Put a ``WidgetGuard()`` as the last child of a widget's outer box; it draws nothing otherwise.  No
JupyterLab extension to build (anywidget).
"""

from __future__ import annotations

import json

import anywidget
import traitlets

from coursekit.palette import WARN, WARN_BACKGROUND

#: the line shown under a widget drawn from a saved notebook with no kernel behind it
RERUN = ("This is the widget as you left it; it no longer responds because Python was restarted. "
         "Click in the cell above and press Shift+Enter to use it again.")

_ESM = """
const CONTROLS = "select, input, button, textarea, [role=slider]";
function render({ el }) {
  el.style.display = "none";
  el.setAttribute("role", "status");
  el.style.cssText += ";border-left:4px solid WARN;background:WARN_BACKGROUND;padding:4px 10px;margin:4px 0;color:#222";
  el.textContent = RERUN;
  let tries = 0;
  function guard() {
    const box = el.isConnected && el.parentElement ? el.parentElement.closest(".widget-box") : null;
    if (!box) {
      if (++tries < 600) requestAnimationFrame(guard);
      return;
    }
    const mark = () => {
      for (const control of box.querySelectorAll(CONTROLS)) control.setAttribute("data-lm-suppress-shortcuts", "true");
      const dead = box.classList.contains("jupyter-widgets-disconnected");
      el.style.display = dead ? "" : "none";
    };
    if (!box.hasAttribute("data-coursekit-guard")) {
      box.setAttribute("data-coursekit-guard", "on");
      box.addEventListener("keydown", (event) => {
        if (event.key !== "Escape" && event.target.closest(CONTROLS)) event.stopPropagation();
      });
    }
    // Lumino (JupyterLab's shortcuts) looks for data-lm-suppress-shortcuts from the focused element up;
    // ipywidgets marks a widget whose kernel is gone with the class jupyter-widgets-disconnected
    new MutationObserver(mark).observe(box, { childList: true, subtree: true, attributes: true,
                                              attributeFilter: ["class"] });
    mark();
  }
  guard();
}
export default { render };
"""


class WidgetGuard(anywidget.AnyWidget):
    """An invisible child that keeps its parent box's keys inside it and, when the box is drawn from a
    saved notebook without a kernel, asks the learner to run the cell again."""

    _esm = traitlets.Unicode(
        _ESM.replace("WARN_BACKGROUND", WARN_BACKGROUND).replace("WARN", WARN).replace("RERUN", json.dumps(RERUN))
    ).tag(sync=True)
