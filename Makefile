# Two commands do all set-up on a fresh machine with Python 3.11:
#   make run   installs kg into .venv and builds the sample corpus into output/
#   make test  installs the test extras and runs the test suite
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
OUT ?= output

.PHONY: run install install-test test eval msra bench docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install -q -e .

install-test: $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	@# headless Chromium for tests/test_viz.py, a CJK font for `kg stats --plot` (both optional: tests skip / pinyin labels)
	-command -v chromium >/dev/null || (apt-get update -q && apt-get install -y -q chromium)
	-(command -v fc-list >/dev/null && fc-list :lang=zh | grep -q .) || (apt-get update -q && apt-get install -y -q fonts-noto-cjk)

run: install
	$(BIN)/kg build data/samples -o $(OUT)

test: install-test
	$(BIN)/python -m pytest

# Benchmark (not a test): throughput against jieba, 2-process speed-up, peak memory, SPARQL latency.
# Full run ~37 min on 2 cores; quicker: make bench BENCH_ARGS=--quick
bench: $(BIN)/python
	$(BIN)/pip install -q -e '.[dask,bench]'
	$(BIN)/python bench/run.py $(BENCH_ARGS)

eval: install
	$(BIN)/kg eval ../shared/gold/dev.jsonl --store $(OUT)

# PER/LOC/ORG on the MSRA test split (read from ../shared, never committed): the whole
# pipeline as `kg annotate` reports it, on all sentences and on the half no rule was written from.
MSRA ?= ../shared/benchmarks/msra_test_bio.txt
msra: install
	$(BIN)/python scripts/msra_eval.py $(MSRA) --annotate --split all --no-speed
	$(BIN)/python scripts/msra_eval.py $(MSRA) --annotate --split held

# Human-readable ontology documentation from ontology/kg.ttl (pyLODE, works offline).
# 3.3.4: the 3.4.1 wheel does not import (it looks for its pyproject.toml).
PYLODE ?= pylode==3.3.4
docs: $(BIN)/python
	$(BIN)/pip install -q '$(PYLODE)'
	mkdir -p docs/ontology
	$(BIN)/pylode ontology/kg.ttl --sort --outputfile docs/ontology/index.html

clean:
	rm -rf $(OUT)/* $(VENV)
