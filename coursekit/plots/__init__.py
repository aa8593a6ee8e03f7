"""Charts (matplotlib) drawn from the analysis modules' tables.

One module per topic (``plots.gap``, ``plots.selfassess``, ``plots.survey`` ...).  Plots never
compute a metric themselves: they take the DataFrame an analysis function returned and draw it,
and they return the matplotlib ``Axes`` (or ``Figure``) so a notebook can adjust it.
"""
