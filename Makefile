# Two commands on a fresh clone:  `make site` builds site/, `make test` runs every test.
# Both create the virtual environment in .venv on first use.
PYTHON ?= python3
VENV := .venv
STAMP := $(VENV)/.installed

.PHONY: install site test serve check lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

site: $(STAMP)
	$(VENV)/bin/digest build

test: $(STAMP)
	$(VENV)/bin/ruff check digest tests benchmarks
	$(VENV)/bin/python -m pytest

serve: $(STAMP)
	$(VENV)/bin/digest serve

check: $(STAMP)
	$(VENV)/bin/digest check

lint: $(STAMP)
	$(VENV)/bin/ruff check digest tests benchmarks

clean:
	rm -rf site build .pytest_cache
