# The few commands everyone uses. Each sets up .venv itself (python3 -m venv) when needed.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.coursekit-installed
JOBS   ?= 2

.PHONY: setup demo test lab bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

demo: setup
	$(BIN)/coursekit demo

test: setup
	$(BIN)/python -m pytest -n $(JOBS) --dist loadgroup -q -rs

lab: setup
	$(BIN)/coursekit build --course build/lab
	$(BIN)/coursekit lab --course build/lab

bench: setup
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf build .pytest_cache release submitted autograded feedback gradebook.db
