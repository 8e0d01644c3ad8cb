# Two commands on a fresh machine:
#   make run    install into .venv, build the embedded database when absent, serve on 127.0.0.1:8501
#   make test   install test tools (and Debian chromium and DejaVu fonts when missing), run every test
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
DB     ?= data/govindex.duckdb
PORT   ?= 8501
# 127.0.0.1: this machine only. To serve a network, configure analysts first, then
# `make run ADDRESS=0.0.0.0` (see README, "Who may write").
ADDRESS ?= 127.0.0.1

.PHONY: run test db bench install install-dev chromium fonts postgres clean

$(VENV)/.runtime: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt $(VENV)/.runtime
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.runtime
install-dev: $(VENV)/.dev

db: $(VENV)/.runtime
	@test -f $(DB) || $(PY) -m analytics init --db $(DB)

run: db fonts
	GOVINDEX_DB=$(DB) $(PY) -m streamlit run app.py --server.address $(ADDRESS) --server.port $(PORT)

chromium:
	bash scripts/install_chromium.sh

fonts:
	bash scripts/install_fonts.sh

postgres:
	bash scripts/ensure_postgres.sh

test: $(VENV)/.dev chromium fonts postgres
	REQUIRE_BROWSER=1 $(PY) -m pytest -q -p no:cacheprovider

bench: $(VENV)/.dev chromium
	$(PY) bench/bench_floor.py
	$(PY) bench/bench_app.py
	$(PY) bench/bench_import.py
	$(PY) bench/bench_pages.py

clean:
	rm -rf $(VENV) $(DB) test-artifacts
