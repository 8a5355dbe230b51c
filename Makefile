# Two commands on a fresh clone: `make demo` and `make test`. Each sets itself up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test clean system-libs

# WeasyPrint needs Pango (present on Debian); libharfbuzz-subset makes it about 3x faster.
# Installed when we can (root with apt-get); without it everything still works, only slower.
system-libs:
	@if ! ldconfig -p 2>/dev/null | grep -q libharfbuzz-subset && command -v apt-get >/dev/null \
	   && [ "$$(id -u)" = 0 ]; then \
	  apt-get install -y -q libharfbuzz-subset0 >/dev/null 2>&1 \
	  || (apt-get update -q >/dev/null 2>&1 && apt-get install -y -q libharfbuzz-subset0 >/dev/null 2>&1) \
	  || echo "note: libharfbuzz-subset0 not installed; PDF rendering will be slower"; \
	fi

$(STAMP): pyproject.toml
	$(MAKE) --no-print-directory system-libs
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/esakip-bot demo

test: $(STAMP)
	$(BIN)/python -m pytest -q

clean:
	rm -rf $(VENV) demo-output .pytest_cache
