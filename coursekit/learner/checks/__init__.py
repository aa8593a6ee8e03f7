"""Self-check definitions, one file per course module (``m00_orientation`` for ``00-orientation``).

Each file registers check functions with :func:`coursekit.check.exercise`.  They compute the expected
answer from the bundled data with the library, so the answer never appears in a learner-facing file.
"""
