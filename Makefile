# GeoCivic: `make demo` serves the map, `make test` runs every test. Both start with `make install`.
# `make lint`: ruff (Python) and Biome (our JS and CSS; `npx biome check --write .` fixes).
PYTHON := .venv/bin/python

.PHONY: install demo test lint db-start db-stop

install:
	@bash scripts/install.sh

demo: install
	$(PYTHON) manage.py demo

test: install
	.venv/bin/ruff check .
	node_modules/.bin/biome ci .
	$(PYTHON) -m pytest

lint: install
	.venv/bin/ruff check .
	node_modules/.bin/biome ci .

db-start: install
	$(PYTHON) -m geo_civic.operations.embedded_db start

db-stop:
	$(PYTHON) -m geo_civic.operations.embedded_db stop
