# make run — set up everything and serve on 127.0.0.1:5000; make test — set up and run the whole suite.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app disputes
STAMP := $(VENV)/.installed
## mypyc build of rules/; rules/native.py ignores it unless built from the current sources
NATIVE := build/mypyc/rules/STAMP.json
## pytest-xdist workers: one more than the cores, as the workers wait on PostgreSQL, Chromium and
## the servers they start (2 cores: 768 s of pytest with 3 workers against 844 s with 2)
PYTEST_ARGS ?= -n $(shell echo $$(( $$(nproc) + 1 )))

.PHONY: run test bench lint setup db demo translations system-deps clean native

$(BIN)/python:
	$(PY) -m venv $(VENV)

## uv installs the dependencies: 3 s on a fresh clone, where pip takes 20-30 s (one core, one
## download at a time). Where uv cannot be had, pip does it.
$(STAMP): pyproject.toml | $(BIN)/python
	{ $(BIN)/pip install -q uv && $(BIN)/uv pip install -q --python $(BIN)/python -e '.[dev]'; } || \
	{ $(BIN)/pip install -q --upgrade pip && $(BIN)/pip install -q -e '.[dev]'; }
	touch $(STAMP)

setup: $(STAMP) translations native

## A failed build leaves no build: the pure-Python engine is used (same results, slower).
native: $(NATIVE)

$(NATIVE): $(wildcard rules/*.py) $(STAMP)
	-$(BIN)/python -m rules.native_build

translations: $(STAMP)
	$(BIN)/pybabel compile -d disputes/translations

db: setup
	$(FLASK) db upgrade

demo: db
	$(FLASK) demo load
	$(FLASK) demo load-year

## The notification worker (disputes/notifications/queue.py) runs beside the app and stops with it.
run: demo
	$(FLASK) demo logins
	$(BIN)/huey_consumer disputes.notifications.worker.huey -w 2 -k thread & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --host 127.0.0.1 --port 5000

## Debian packages the browser tests need (chromium-headless-shell: Debian's Chromium built for
## headless use, as Playwright runs its own headless tests; a page costs it under half the CPU of
## the full browser) and the font the PDFs embed (fonts-wqy-zenhei, disputes/pdf.py); installed
## only when missing and we are root. Only their dependencies: the recommendations (printing,
## avahi, samba, ~80 packages) would be most of the install.
PDF_FONT = /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc
SYSTEM_PACKAGES = chromium-headless-shell fonts-noto-cjk fonts-wqy-zenhei
system-deps:
	@{ command -v chromium-headless-shell >/dev/null 2>&1 && [ -f $(PDF_FONT) ]; } || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(SYSTEM_PACKAGES); \
	  else echo "run 'sudo apt-get install $(SYSTEM_PACKAGES)' for browser tests and PDFs with an embedded font"; fi; }

## The suite starts a few hundred interpreters (the import probe's children, the bench smoke's
## servers and load processes, CLI runs): they share compiled bytecode under build/pycache, also
## where PYTHONDONTWRITEBYTECODE keeps __pycache__ folders out of the tree.
PYCACHE := $(CURDIR)/build/pycache
test: setup system-deps
	env -u PYTHONDONTWRITEBYTECODE PYTHONPYCACHEPREFIX=$(PYCACHE) $(BIN)/python -m pytest $(PYTEST_ARGS)

## The benchmark table → bench/results/latest.md. Options via BENCH_ARGS, e.g. "--db postgresql",
## "--cases 100000", "--seconds 5", "--quick"; `python -m bench --help` lists them all.
bench: setup
	$(BIN)/python -m bench $(BENCH_ARGS)

lint: setup
	$(BIN)/ruff check disputes rules tests bench
	$(BIN)/ruff format --check disputes rules tests bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build/mypyc
