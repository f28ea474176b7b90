# Two commands do all set-up on a fresh machine with Python 3.11:
#   make run   installs kg into .venv and builds the sample corpus into output/
#   make test  installs the test extras and runs the test suite
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
OUT ?= output

.PHONY: run install install-test test eval clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install -q -e .

install-test: $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'

run: install
	$(BIN)/kg build data/samples -o $(OUT)

test: install-test
	$(BIN)/python -m pytest

eval: install
	$(BIN)/kg eval ../shared/gold/dev.jsonl --store $(OUT)

clean:
	rm -rf $(OUT)/* $(VENV)
