# footy: `make demo` and `make test` are all a new machine needs.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
export TF_CPP_MIN_LOG_LEVEL := 3
export PYTHONHASHSEED := 0

.PHONY: demo test lint bench model install clean

# The shipped models: one on every bundled international result (for upcoming
# fixtures), and one per bundled World Cup trained on results up to the day before it.
MODEL_DATES := 2018-06-13 2022-11-19 2026-06-10

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,lint,compare]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	mkdir -p out
	$(BIN)/footy features --out out/features.csv --force
	$(BIN)/footy predict Argentina France --neutral
	$(BIN)/footy simulate --tournament worldcup-2026 --plot out/worldcup-2026.png --force

model: $(STAMP)
	$(BIN)/footy train --seed 0 --out models/footy-international.keras --plot models/footy-international.png --force
	for d in $(MODEL_DATES); do \
	  $(BIN)/footy train --seed 0 --until $$d --out models/footy-until-$$d.keras --force || exit 1; \
	done

lint: $(STAMP)
	$(BIN)/ruff check footy tests benchmarks
	$(BIN)/ruff format --check footy tests benchmarks

test: lint
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

clean:
	rm -rf $(VENV) out .pytest_cache .ruff_cache .hypothesis
