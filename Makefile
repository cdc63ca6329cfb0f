# Two commands on a fresh machine: `make site` (set up + build the demo site into public/)
# and `make test` (set up + run the whole test suite). Everything is installed from here.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# Debian packages the tests use: a real browser, PDF rasterising for print tests, and the
# Noto Sans CJK fonts that print Hán and Hangul characters (`make fonts` installs only them).
DEBIAN_PACKAGES := chromium poppler-utils fonts-noto-cjk

.PHONY: site serve print check test lint system-deps fonts bench bench-scale clean

site: $(STAMP)
	$(BIN)/heritage build

serve: $(STAMP)
	$(BIN)/heritage serve

print: $(STAMP)
	$(BIN)/heritage print

check: $(STAMP)
	$(BIN)/heritage check

test: $(STAMP) system-deps lint
	$(BIN)/python -m pytest

# Code checks, part of `make test`: ruff (syntax errors, undefined names, unused imports) and
# mypy (types; the packages it reads are named in pyproject.toml).
lint: $(STAMP)
	$(BIN)/ruff check generator qr maps pdftext tests bench
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python bench/build_time.py

# A province: 1,000 generated sites in five languages beside plain MkDocs (several minutes).
bench-scale: $(STAMP)
	$(BIN)/python bench/scale.py 1000

$(STAMP): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check -q -r requirements.txt
	$(BIN)/pip install --disable-pip-version-check -q --no-deps -e .
	touch $(STAMP)

# Print fonts for Hán and Hangul (a name such as "Chùa Ông (關帝廟)" on a plaque).
fonts:
	@$(MAKE) --no-print-directory system-deps DEBIAN_PACKAGES=fonts-noto-cjk

# Installs the Debian packages that are not installed (removed ones keep a dpkg record, so
# ask for the installed state), as root on CI and dev machines.
system-deps:
	@missing=""; for p in $(DEBIAN_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q --no-install-recommends $$missing; \
	fi

clean:
	rm -rf $(VENV) .build .cache public .public.new-* .public.old-*
