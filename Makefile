# Two commands on a fresh clone:  `make site` builds site/, `make test` runs every test.
# Both create the virtual environment in .venv on first use.
PYTHON ?= python3
VENV := .venv
# Building needs the package only; testing adds the test tools (Playwright, linters).
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
# The Nu Html Checker for tests/e2e/test_html_valid.py, from npm's vnu-jar package (the jar
# alone: its install script, which would download a Java, is not run). It needs Java.
VNU_VERSION := 26.9.27
VNU_JAR := build/vnu/node_modules/vnu-jar/build/dist/vnu.jar

.PHONY: install site test serve check lint clean vnu

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e .
	touch $(STAMP)

$(TEST_STAMP): $(STAMP)
	$(VENV)/bin/pip install --quiet -e '.[test]'
	touch $(TEST_STAMP)

install: $(TEST_STAMP)

$(VNU_JAR):
	@if command -v npm >/dev/null 2>&1; then \
	  npm install --no-save --ignore-scripts --no-audit --no-fund --prefix build/vnu \
	    vnu-jar@$(VNU_VERSION); \
	else echo "npm not found: the HTML validity test will skip (CI=true fails instead)"; fi

vnu: $(VNU_JAR)

site: $(STAMP)
	$(VENV)/bin/digest build

test: $(TEST_STAMP) vnu
	$(VENV)/bin/ruff check digest tests benchmarks
	$(VENV)/bin/python -m pytest

serve: $(STAMP)
	$(VENV)/bin/digest serve

check: $(STAMP)
	$(VENV)/bin/digest check

lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check digest tests benchmarks

clean:
	rm -rf site build .pytest_cache
