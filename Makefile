# Arbeit bewegen! cockpit — run `make help` for the targets.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8501
ADDRESS ?= 127.0.0.1
STAMP  := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help start setup install data app test test-fast test-browser lint format bench clean

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-13s %s\n", $$1, $$2}'

start: setup app ## Set everything up and start the app on the demo data

setup: install data ## Virtual environment, packages, demo warehouse with geometry

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP) ## Create .venv and install the project with its dev tools

data: $(STAMP) ## Build and publish the warehouse: reference, geo, demo (idempotent)
	$(BIN)/python -m pipelines all

app: ## Start the Streamlit app on 127.0.0.1 (PORT=8501; ADDRESS=0.0.0.0 only behind a proxy)
	$(BIN)/streamlit run app.py --server.port $(PORT) --server.address $(ADDRESS) --server.headless true

# Two workers (the machine has 2 cores), whole files per worker: a module's fixtures (the
# view matrix, the app served for a browser module) are built once, not once per worker.
# The load test runs afterwards on its own: it measures the app under many sessions and must
# not share the two cores with the other worker's tests.
PYTEST_WORKERS ?= -n 2 --dist loadfile

test: $(STAMP) ## Run the whole test suite (unit, pipelines, AppTest, browser; then the load test alone)
	$(BIN)/python -m pytest -q $(PYTEST_WORKERS) -m "not load"
	$(BIN)/python -m pytest -q -m load

test-fast: $(STAMP) ## Everything except the browser and load tests
	$(BIN)/python -m pytest -q $(PYTEST_WORKERS) -m "not browser and not load"

test-browser: $(STAMP) ## Only the headless-chromium tests
	$(BIN)/python -m pytest -q -m browser

lint: $(STAMP) ## ruff check and format check
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

format: $(STAMP) ## Format the code with ruff
	$(BIN)/ruff format . && $(BIN)/ruff check --fix .

bench: $(STAMP) ## All benchmarks: ingest, csv-memory, pages, load, germany (heavy), attacker, queries, browser
	$(BIN)/python -m benchmarks

clean: ## Remove the built warehouse (data/*.duckdb, data/build)
	rm -rf data/build data/warehouse.duckdb
