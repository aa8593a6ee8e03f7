"""What the learner touches: answers as plain data, the self-check toolkit and one check per
exercise (``checks/``: the answer keys, hidden from a notebook while it is graded), charts, widgets
and the coaching plan.  Built on the analysis floor; never on the course machinery."""
