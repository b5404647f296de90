# Signalboost — the two commands of the quick start are `make demo` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
DEMO   ?= demo-workspace

.PHONY: demo test lint typecheck format bench fuzz mutate clean venv system-demo system-test i18n-update i18n-compile

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Reinstall when pyproject.toml changes.
$(VENV)/.installed-demo: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test,spark]'
	touch $@ $(VENV)/.installed-demo

system-demo:
	@bash scripts/system-deps.sh demo

system-test:
	@bash scripts/system-deps.sh test

venv: $(VENV)/.installed-demo

## make demo: set up, then run the main job on the bundled real data
demo: system-demo $(VENV)/.installed-demo
	$(BIN)/signalboost demo $(DEMO)

## make test: set up with the test extras, then run the whole suite
test: system-test $(VENV)/.installed-test
	$(BIN)/python -m pytest -q $(PYTEST_ARGS)

## make fuzz: the fuzz suites at length, random seeds: the dashboard's (FUZZ_EXAMPLES per route; CI runs 15, fixed)
## and the importers' (INGEST_FUZZ_EXAMPLES per strategy, each an import; CI runs 6, fixed)
FUZZ_EXAMPLES ?= 2000
INGEST_FUZZ_EXAMPLES ?= 300
fuzz: $(VENV)/.installed-test
	SIGNALBOOST_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -q -s -p no:cacheprovider \
		tests/web/test_fuzz_forms.py tests/web/test_openapi_fuzz.py
	SIGNALBOOST_INGEST_FUZZ_EXAMPLES=$(INGEST_FUZZ_EXAMPLES) SIGNALBOOST_INGEST_FUZZ_RANDOM=1 \
		$(BIN)/python -m pytest -q -p no:cacheprovider tests/ingest/test_fuzz.py

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy

format: $(VENV)/.installed-test
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

## make bench: run the benchmarks (figures printed; not part of `make test`)
bench: $(VENV)/.installed-test
	$(BIN)/python -m benchmarks

$(VENV)/.installed-mutate: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test,mutate]'
	touch $@

## make mutate [MODULE=plan/apportion.py]: mutation testing of the core modules listed in mutation.toml (mutmut;
## one module takes minutes to tens of minutes; not part of `make test`). Prints the kill rate and the survivors.
mutate: $(VENV)/.installed-mutate
	$(BIN)/python scripts/mutate.py $(MODULE)

clean:
	rm -rf $(VENV) $(DEMO) .pytest_cache .mypy_cache .ruff_cache .mutate

## make i18n-update: extract the strings people read into the catalog template and merge it into every
## language's catalog (src/signalboost/locale/<lang>/LC_MESSAGES/signalboost.po); translate the new entries after
I18N_POT := src/signalboost/locale/signalboost.pot
# The catalog targets only need pybabel: they install the environment when it is missing, but do not reinstall it
# when pyproject.toml is newer (a shared environment must keep pointing at the checkout it was installed from).
i18n-update:
	@test -x $(BIN)/pybabel || $(MAKE) $(VENV)/.installed-demo
	PYTHONPATH=src $(BIN)/pybabel extract -F babel.cfg --no-wrap --sort-by-file --add-location=file --project=Signalboost -c TRANSLATORS: -o $(I18N_POT) .
	$(BIN)/pybabel update -i $(I18N_POT) -d src/signalboost/locale -D signalboost --no-wrap --ignore-obsolete --no-fuzzy-matching
	sed -i '/^"POT-Creation-Date: /d' $(I18N_POT) src/signalboost/locale/*/LC_MESSAGES/signalboost.po

## make i18n-compile: compile the catalogs to .mo (the build does this too; a source checkout compiles in memory)
i18n-compile:
	@test -x $(BIN)/pybabel || $(MAKE) $(VENV)/.installed-demo
	$(BIN)/pybabel compile -d src/signalboost/locale -D signalboost --statistics
