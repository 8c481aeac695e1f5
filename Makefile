# The two commands of the README do all the set-up on a fresh machine:
#   make demo   creates .venv, installs warning_time, builds the default brief into brief/
#   make test   creates the same .venv with the dev extra and runs the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# compileall: the bytecode of the package, as pip writes it for a regular install (an editable
# install writes it on first import, unless PYTHONDONTWRITEBYTECODE is set: then every start
# would compile the sources again, ~0.1 s)
$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install -q -e ".[png]"
	$(BIN)/python -m compileall -q warning_time
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed pyproject.toml
	$(BIN)/python -m pip install -q -e ".[dev]"
	touch $@

demo: $(VENV)/.installed
	$(BIN)/warning-time brief -o brief

test: $(VENV)/.installed-dev
	$(BIN)/python -m pytest -n 2 -q

# make bench: every benchmarks/bench_*.py (each prints its own table), then one summary of the
# lines they print as `RESULT name value unit ratio` (ratio '-' when there is none).
# bench_batch.py runs BENCH_BATCH_ROWS rows here; the 100-million-row run is
#   .venv/bin/python benchmarks/bench_batch.py            (or make bench BENCH_BATCH_ROWS=100000000)
BENCH_BATCH_ROWS ?= 5000000
bench: $(VENV)/.installed-dev
	@log=$$(mktemp); \
	for f in benchmarks/bench_*.py; do \
	  args=""; case $$f in */bench_batch.py) args="--rows $(BENCH_BATCH_ROWS)";; esac; \
	  { echo "=== $$f $$args"; $(BIN)/python -u $$f $$args; echo "=== exit $$f $$?"; } 2>&1 | tee -a $$log; \
	done; \
	echo; echo "Summary (figures measured in this run; ratio: against the baseline each benchmark names)"; \
	awk 'BEGIN {printf "%-24s %-44s %16s %-8s %s\n", "benchmark", "result", "value", "unit", "ratio"} \
	     /^=== benchmarks\// {b=$$2; sub(/^benchmarks\//, "", b)} \
	     $$1 == "RESULT" {printf "%-24s %-44s %16s %-8s %s\n", b, $$2, $$3, $$4, $$5}' $$log; \
	failed=$$(awk '$$1 == "===" && $$2 == "exit" && $$4 != "0" {print $$3}' $$log); rm -f $$log; \
	if [ -n "$$failed" ]; then echo "failed: $$failed"; exit 1; fi

clean:
	rm -rf brief build dist *.egg-info .pytest_cache
