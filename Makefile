# Two commands on a fresh machine: `make run` and `make test`. Nothing else to install by hand.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint bench screenshots clean tmux postgresql sshd mariadb

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# Re-install when pyproject.toml changes; the versions the tests ran with (constraints.txt).
$(VENV)/.installed-run: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[postgres,mysql]'
	touch $@

$(VENV)/.installed-test: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/python -m pip install -q -c constraints.txt -e '.[test,bench,postgres,mysql]'
	touch $@ $(VENV)/.installed-run

# An editable install has no bytecode of its own, and PYTHONDONTWRITEBYTECODE (common on CI
# machines) stops Python caching it: compile it, or every start compiles the package (~40 ms).
run: $(VENV)/.installed-run
	@$(BIN)/python -m compileall -q outlook_tui
	$(BIN)/outlook-tui

# The end-to-end test drives the installed app in tmux; install it if this machine lacks it.
tmux:
	@command -v tmux >/dev/null 2>&1 || { \
	  echo "installing tmux for the end-to-end test"; \
	  (apt-get update -qq && apt-get install -y -qq tmux >/dev/null) 2>&1 | tail -2 || true; }

# The database store's tests start a throwaway PostgreSQL server (initdb, pg_ctl): install
# Debian's server package when this machine lacks it (Debian keeps it off PATH).
postgresql:
	@command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || { \
	  echo "installing PostgreSQL for the database store's tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql \
	    >/dev/null) 2>&1 | tail -2 || true; }

# The end-to-end test over SSH starts its own sshd (own config, keys and port on 127.0.0.1) and
# never the system's: install the package without letting it start a service when missing.
sshd:
	@test -x /usr/sbin/sshd || { \
	  echo "installing openssh-server for the end-to-end test over SSH"; \
	  policy=/usr/sbin/policy-rc.d; made=; \
	  if [ ! -e $$policy ]; then printf '#!/bin/sh\nexit 101\n' >$$policy && chmod 755 $$policy && made=1; fi; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends openssh-server openssh-client >/dev/null) 2>&1 | tail -2 || true; \
	  if [ -n "$$made" ]; then rm -f $$policy; fi; }

# The MySQL store's tests start a throwaway MariaDB server (mariadb-install-db, mariadbd) and never
# the system's: install Debian's server package without letting it start a service when missing.
mariadb:
	@command -v mariadbd >/dev/null 2>&1 || test -x /usr/sbin/mariadbd || { \
	  echo "installing MariaDB for the MySQL store's tests"; \
	  policy=/usr/sbin/policy-rc.d; made=; \
	  if [ ! -e $$policy ]; then printf '#!/bin/sh\nexit 101\n' >$$policy && chmod 755 $$policy && made=1; fi; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	    --no-install-recommends mariadb-server mariadb-client >/dev/null) 2>&1 | tail -2 || true; \
	  if [ -n "$$made" ]; then rm -f $$policy; fi; }

lint: $(VENV)/.installed-test
	$(BIN)/ruff check outlook_tui tests benchmarks
	$(BIN)/mypy

test: $(VENV)/.installed-test tmux postgresql sshd mariadb lint
	$(BIN)/pytest -n 2 -q

bench: $(VENV)/.installed-test postgresql mariadb
	$(BIN)/python benchmarks/run.py

# Regenerates screenshots/*.svg from the real app at 80x24.
screenshots: $(VENV)/.installed-test
	TERM=xterm-256color $(BIN)/python screenshots/generate.py screenshots

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
