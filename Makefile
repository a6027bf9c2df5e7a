# Two commands set everything up on a fresh clone: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip
export LITELLM_LOCAL_MODEL_COST_MAP := True
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: demo test install install-test bench lint clean

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)

# torch first, pinned: 2.13.0 resolves to the local CPU build; unpinned it pulls gigabytes of CUDA.
$(VENV)/.installed: pyproject.toml | $(VENV)/bin/activate
	$(PIP) install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/activate
	$(PIP) install -q torch==2.13.0
	$(PIP) install -q -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

demo: install
	$(VENV)/bin/flowrag demo

# one worker per core, each test file on one worker (its servers and fixtures set up once)
test: install-test
	$(PY) -m pytest -q -n auto --dist loadfile $(PYTEST_ARGS)

bench: install
	$(PY) bench/bench_ingest.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) .flowrag chroma_db .pytest_cache
