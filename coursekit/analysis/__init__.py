"""What a lesson teaches: pure functions over DataFrames, named for what they mean to a supervisor,
formulas and units in their docstrings.  Nothing here imports the learner's floor, the course
machinery or the command line."""
