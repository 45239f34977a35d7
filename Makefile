# The two commands a newcomer needs: `make run` and `make test`.
# Both create .venv from the locked, hashed dependencies (requirements.lock) first.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# Debian packages: what the app needs to draw (Qt's runtime libraries, fonts), and what the
# test suite needs besides (a private Docker engine, busybox for tiny images, Xvfb).
RUN_DEBS  := python3-venv libgl1 libegl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 \
             libdbus-1-3 libglib2.0-0 libxcb-cursor0 fonts-dejavu-core
TEST_DEBS := docker.io busybox-static docker-compose xvfb openssl util-linux desktop-file-utils appstream

.PHONY: run test venv system-run system-test bench bench-docker lint screenshot clean

EXAMPLE := resources/examples/shop

run: system-run venv
	-$(BIN)/parity compare --name dev --name prod \
	    $(EXAMPLE)/docker-compose.yml+$(EXAMPLE)/docker-compose.override.yml \
	    $(EXAMPLE)/docker-compose.yml+$(EXAMPLE)/docker-compose.prod.yml

# PARITY_REQUIRE_DOCKER: the private Docker engine must start; a skip would hide a broken set-up.
test: system-run system-test venv
	QT_QPA_PLATFORM=offscreen PARITY_REQUIRE_DOCKER=1 $(BIN)/python -m pytest

venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

system-run:
	@sh packaging/install-debs.sh $(RUN_DEBS)

system-test:
	@sh packaging/install-debs.sh $(TEST_DEBS)

bench: venv
	$(BIN)/python bench/compare.py

bench-docker: system-test venv
	$(BIN)/python bench/docker.py

lint: venv
	$(BIN)/ruff check parity_gui tests bench
	$(BIN)/mypy parity_gui

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
