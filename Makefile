# The two set-up commands are `make reports` and `make test`; both install on first use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
# Parallel test workers (pytest-xdist); CI machines have 2 cores.
TEST_WORKERS ?= 2

.PHONY: help install test test-fast reports lab lint bench clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP) ## create .venv and install the workbench with its dev tools (torch pinned by constraints.txt)

test: install ## run the whole suite (installs chromium and redis-server for their tests if absent)
	bash scripts/ensure-chromium.sh
	bash scripts/ensure-redis.sh
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup

test-fast: install ## the suite without notebook execution and browser tests
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist loadgroup -m "not notebooks"

reports: install ## build every report (and the top-20 politician profiles) on the synthetic default into reports/
	$(BIN)/workbench reports build --politicians top:20

# JupyterLab with the project's Jupyter config (jupyter_config/, added to the user's own):
# notebooks/ saved without outputs, kernels with CurveZMQ keys. LAB_ARGS adds options.
lab: install ## JupyterLab on 127.0.0.1 (notebooks/ saved as committed: no outputs)
	JUPYTER_CONFIG_PATH="$(CURDIR)/jupyter_config$${JUPYTER_CONFIG_PATH:+:$$JUPYTER_CONFIG_PATH}" \
	$(BIN)/jupyter lab --ip=127.0.0.1 --ServerApp.root_dir="$(CURDIR)" \
	  --LabApp.default_url=/lab/tree/notebooks $(if $(filter 0,$(shell id -u)),--allow-root) $(LAB_ARGS)

lint: install ## ruff over the package, tests and benchmarks
	$(BIN)/ruff check workbench tests benchmarks

bench: install ## run the benchmarks (see benchmarks/RESULTS.md)
	@for f in benchmarks/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean: ## remove the virtualenv, caches and generated reports
	rm -rf $(VENV) .pytest_cache .ruff_cache reports/*.html reports/plotly.min.js
