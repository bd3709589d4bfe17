# Two commands do everything: `make demo` and `make test`. Each installs what it needs, idempotently:
# the virtual environment at .venv on first use, and the Debian packages the tests use.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install system-deps test demo nightly serve build bench faults clean screenshots

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

# LibreOffice converts .doc/.wps reports; a CJK font lets it print test documents; Chromium runs the
# browser test; redis-server the crawl-worker tests (each starts its own on a free port); libGL is what OpenCV's build that RapidOCR requires (opencv-python) loads. Installed only when missing (CI runs as root on Debian); without them those tests skip
# and say which package they need.
system-deps:
	@missing=""; \
	command -v soffice >/dev/null 2>&1 || missing="$$missing libreoffice-writer-nogui"; \
	fc-list 2>/dev/null | grep -qi "wenquanyi zen hei" || missing="$$missing fonts-wqy-zenhei"; \
	test -x /usr/bin/chromium || missing="$$missing chromium"; \
	command -v redis-server >/dev/null 2>&1 || missing="$$missing redis-server"; \
	ldconfig -p 2>/dev/null | grep -q "libGL.so.1 " || missing="$$missing libgl1 libglib2.0-0"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else echo "not installed (need root and apt-get):$$missing; the tests that need them will skip"; fi; \
	fi

test: $(STAMP) system-deps
	$(BIN)/python -m pytest

demo: $(STAMP)
	$(BIN)/nianbao demo

nightly: $(STAMP)
	$(BIN)/nianbao nightly

build: $(STAMP)
	$(BIN)/nianbao build

serve: $(STAMP)
	$(BIN)/nianbao serve

# The README's screenshots (docs/screenshots/), from the database `make demo` built in data/
screenshots: $(STAMP) system-deps
	$(BIN)/python -m tests.screenshots --db data/nianbao.db --archive data/archive --out docs/screenshots

bench: $(STAMP)
	$(BIN)/python bench/parse.py
	$(BIN)/python bench/crawl.py
	$(BIN)/python bench/query.py
	$(BIN)/python bench/release.py
	$(BIN)/python bench/rebuild.py
	$(BIN)/python bench/scale.py
	$(BIN)/python bench/platforms.py
	$(BIN)/python bench/fuzz_parse.py

# the long fault-injection runs: 20 crawls killed with SIGKILL at random points (see README, Faults)
faults: $(STAMP) system-deps
	$(BIN)/python bench/faults_crawl.py

clean:
	rm -rf $(VENV) build *.egg-info
