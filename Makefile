# Two commands on a fresh clone: `make demo` and `make test`. Each sets itself up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test bench soak clean system-libs

# WeasyPrint needs Pango (present on Debian); libharfbuzz-subset makes it about 3x faster.
# Installed when we can (root with apt-get); without it everything still works, only slower.
# Chromium (Debian's) is for the status board's browser tests; without it they are skipped.
# poppler-utils (pdftotext) is for the tests that read the PDFs they render.
system-libs:
	@if ! ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset && command -v apt-get >/dev/null \
	   && [ "$$(id -u)" = 0 ]; then \
	  apt-get install -y -q libharfbuzz-subset0 >/dev/null 2>&1 \
	  || (apt-get update -q >/dev/null 2>&1 && apt-get install -y -q libharfbuzz-subset0 >/dev/null 2>&1) \
	  || echo "note: libharfbuzz-subset0 not installed; PDF rendering will be slower"; \
	fi
	@# Tests read the PDFs they render with pdftotext/pdffonts (poppler-utils).
	@if ! command -v pdftotext >/dev/null && command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	  apt-get install -y -q poppler-utils >/dev/null 2>&1 \
	  || (apt-get update -q >/dev/null 2>&1 && apt-get install -y -q poppler-utils >/dev/null 2>&1) \
	  || echo "note: poppler-utils not installed; the tests that read rendered PDFs will fail"; \
	fi
	@# The status board's browser tests drive Debian's chromium through Playwright (no browser download).
	@if [ ! -x /usr/bin/chromium ] && command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	  apt-get install -y -q chromium >/dev/null 2>&1 \
	  || (apt-get update -q >/dev/null 2>&1 && apt-get install -y -q chromium >/dev/null 2>&1) \
	  || echo "note: chromium not installed; the status board's browser tests will be skipped"; \
	fi

$(STAMP): pyproject.toml
	$(MAKE) --no-print-directory system-libs
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,bench]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/esakip-bot demo

# In parallel (pytest-xdist, one worker per core; TEST_WORKERS=0 runs it in one process).
# A single file or test runs in one process as usual: .venv/bin/python -m pytest tests/foo.py
# loadgroup keeps the tests marked xdist_group(...) on one worker (they share a module fixture).
TEST_WORKERS ?= auto
test: $(STAMP)
	$(BIN)/python -m pytest -q -n $(TEST_WORKERS) --dist loadgroup

# Every benchmark of docs/BENCHMARKS.md, one after another (about 15 minutes; not part of test).
bench: $(STAMP)
	$(BIN)/python bench/bench_sweep.py --sizes 1000,10000,100000 --repeat 9
	$(BIN)/python bench/bench_documents.py
	$(BIN)/python bench/bench_recap.py
	$(BIN)/python bench/bench_services.py
	$(BIN)/python bench/bench_updates.py --repeat 3
	$(BIN)/python bench/bench_board.py
	$(BIN)/python bench/bench_memory.py
	$(BIN)/python bench/bench_broadcast.py

# The long reliability runs of docs/RELIABILITY.md (100 kill -9, a cycle under 25 % faults, the
# fuzz test with 10,000 updates; about 30 minutes; not part of test).
soak: $(STAMP)
	$(BIN)/python bench/soak.py

clean:
	rm -rf $(VENV) demo-output .pytest_cache
