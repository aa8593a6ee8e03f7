"""KeyboardGuard: keeps a widget's keys its own inside JupyterLab.

In a JupyterLab notebook, a key pressed in a dropdown, a checkbox or a button of a widget also reaches
the notebook: ArrowDown on an ipywidgets ``Dropdown`` selects the next *cell* (and takes the focus
there) instead of the next choice, so the widget cannot be used from the keyboard.  Text boxes are
spared only because JupyterLab leaves editable elements alone.  Put a ``KeyboardGuard()`` as a child of
a widget's outer box: it draws nothing, and in the browser it marks that box so that JupyterLab's
shortcuts and the notebook's key handling stay out of its controls (Tab still moves between them).  No JupyterLab extension to build (anywidget).
"""

from __future__ import annotations

import anywidget
import traitlets

_ESM = """
const CONTROLS = "select, input, button, textarea, [role=slider]";
function render({ el }) {
  el.style.display = "none";
  let tries = 0;
  function guard() {
    const box = el.isConnected && el.parentElement ? el.parentElement.closest(".widget-box") : null;
    if (!box) {
      if (++tries < 600) requestAnimationFrame(guard);
      return;
    }
    if (box.hasAttribute("data-coursekit-keys")) return;
    box.setAttribute("data-coursekit-keys", "own");
    box.addEventListener("keydown", (event) => {
      if (event.key !== "Escape" && event.target.closest(CONTROLS)) {
        event.stopPropagation();
      }
    });
    // Lumino (JupyterLab's shortcuts) looks for this mark from the focused element upwards
    for (const control of box.querySelectorAll(CONTROLS)) control.setAttribute("data-lm-suppress-shortcuts", "true");
    new MutationObserver(() => {
      for (const control of box.querySelectorAll(CONTROLS)) control.setAttribute("data-lm-suppress-shortcuts", "true");
    }).observe(box, { childList: true, subtree: true });
  }
  guard();
}
export default { render };
"""


class KeyboardGuard(anywidget.AnyWidget):
    """An invisible child that keeps the keys of its parent box's controls inside the widget."""

    _esm = traitlets.Unicode(_ESM).tag(sync=True)
