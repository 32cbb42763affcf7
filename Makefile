# ocppkit — every target installs what it needs first (npm ci, only when the lockfile changed).
SHELL := /bin/bash
OCPP_SPEC_DIR ?= ../shared/ocpp-spec
export OCPP_SPEC_DIR
TSX := node --import tsx

.PHONY: deps install test gen check-gen build bench lint format demo clean status

# Two steps, so that the generator's targets do not wait for the native build: the JavaScript dependencies
# without install scripts (seconds; enough for gen and check-gen), then the install scripts — better-sqlite3 is
# compiled from source where its prebuilt binary cannot be downloaded (about 70 s) — for tests, demo and benches.
node_modules/.deps: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	@touch $@

node_modules/.installed: node_modules/.deps
	@echo "make: building the native module better-sqlite3 (the SQLite store); where its prebuilt binary cannot be downloaded it is compiled from source: about 70 s, once (the compiler output below is its progress)"
	npm rebuild --no-audit --no-fund --foreground-scripts
	@touch $@

deps: node_modules/.deps
install: node_modules/.installed

# The Node LTS lines the suite also runs on (test/tooling/node-lts.test.ts): official binaries from the npm registry.
NODE_LTS := 22.23.5 24.22.3
node_modules/.node-lts: node_modules/.deps scripts/fetch-node.mjs
	node scripts/fetch-node.mjs $(NODE_LTS)
	@touch $@

# The web view's browser tests (test/ui/) drive Debian's Chromium through playwright-core, which never downloads a
# browser of its own. Installed once with apt where it is missing (about 155 MB; root, or sudo without a password).
APT := $(shell [ "$$(id -u)" = 0 ] || echo sudo -n)
node_modules/.chromium: node_modules/.deps
	@command -v chromium >/dev/null || { echo "make: installing Debian's chromium for the web view's browser tests (once, about a minute)"; \
	  $(APT) apt-get install -y -q chromium >/dev/null 2>&1 || { $(APT) apt-get update -q >/dev/null && $(APT) apt-get install -y -q chromium >/dev/null; }; }
	@touch $@

## make test [T=substring]: every test file in its own process, tsc --noEmit, a last line `N passed, N failed`.
test: install node_modules/.node-lts node_modules/.chromium
	node scripts/test.mjs $(T)

## make gen: wipe generated/, regenerate from $(OCPP_SPEC_DIR), format.
gen: deps
	$(TSX) codegen/cli.ts gen --spec "$(OCPP_SPEC_DIR)" --out generated

## make check-gen: regenerate into a temporary folder; fail with the diff if generated/ is not what the generator writes.
check-gen: deps
	$(TSX) codegen/cli.ts check --spec "$(OCPP_SPEC_DIR)" --against generated

build: install
	node scripts/build.mjs

bench: install node_modules/.node-lts
	$(TSX) bench/run.ts $(B)

## make lint: types (tsc --noEmit) and formatting (prettier --check with .prettierrc.json); `make format` fixes the latter.
lint: deps
	node node_modules/typescript/bin/tsc -p tsconfig.json --noEmit
	node node_modules/prettier/bin/prettier.cjs --check --log-level warn .

format: deps
	node node_modules/prettier/bin/prettier.cjs --write --log-level warn .

## make demo: the built-in CSMS and one simulated 2.0.1 station run a complete charging session.
demo: install
	$(TSX) runtime/cli/main.ts demo $(if $(OCPP),--ocpp $(OCPP))

clean:
	rm -rf dist coverage .tmp

## make status: regenerate docs/status/ocpp-2.x.md and ocpp-1.6.md from the requirement / test case lists and the test names.
status: install
	$(TSX) scripts/requirements.ts status
