# Two commands do all the set-up on a fresh machine:
#   make run    create .venv, install the pinned package, extract every table from corpus/ into out/
#   make test   install the test dependencies too, run the whole suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml requirements.lock 2>/dev/null | cksum | cut -d' ' -f1)

.PHONY: run test install clean benchmark profile train-names

$(STAMP):
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	rm -f $(VENV)/.installed-*
	touch $@

install: $(STAMP)

run: install
	$(BIN)/vnie extract corpus/ -o out/ --overwrite

test: install
	# Debian's chromium for the browser test of `vnie serve` (playwright cannot download its own here).
	command -v chromium >/dev/null || (apt-get update && apt-get install -y chromium) || echo "chromium could not be installed: the browser test will be skipped"
	$(BIN)/python -m pytest -q

train-names: install
	$(BIN)/python -m pipeline.apps.train_names

benchmark: install
	$(BIN)/python benchmarks/bench_extract.py

clean:
	rm -rf $(VENV) out build *.egg-info

# Where one process spends its time, function by function (cProfile over 300 benchmark articles).
profile: install
	$(BIN)/python benchmarks/profile_extract.py --n 300 --top 40 --out /tmp/vnie-extract.pstats
