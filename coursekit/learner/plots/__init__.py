"""Charts (matplotlib) drawn from the analysis modules' tables.

One module per topic (``plots.gap``, ``plots.selfassess``, ``plots.survey`` ...).  Plots never
compute a metric themselves: they take the DataFrame an analysis function returned and draw it,
and they return the matplotlib ``Axes`` (or ``Figure``) so a notebook can adjust it.
"""


def axes(ax=None, size=(6, 4)):
    """``ax``, or the axes of a new figure of ``size`` (inches) when none is given."""
    import matplotlib.pyplot as plt

    if ax is None:
        _, ax = plt.subplots(figsize=size)
    return ax
