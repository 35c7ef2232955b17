# Deploydeck's two contracts with a new user and with CI live here (see README):
#   make test   — installs what is missing, then runs every test layer, ending with `N passed, N failed`.
#   make serve  — installs what is missing, builds the app and serves it on http://127.0.0.1:8080.
#   make fake   — runs fake-github with the demo data on http://127.0.0.1:8787.

CARGO ?= cargo
FAKE_BIN := target/debug/fake-github

# Trunk takes wasm-bindgen and wasm-opt from PATH: npm's binaryen first (Debian's 108 breaks the output).
TRUNK := PATH="$(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$$PATH" trunk

# The fake the browser tests talk to (fixed: the URL is compiled into the test crate).
WASM_FAKE_ADDR := 127.0.0.1:18787

.PHONY: flaky e2e test-wasm test setup setup-app lint fmt-check test-core test-fake contract wasm-build fake fake-bin fake-bin-release serve build size bench

# In order: formatting and lints; native tests (core, fake-github, its HTTP contract); the browser tests
# (wasm-pack, headless Chromium); the release build with its size report; Playwright e2e against that build.
test: setup-app
	@scripts/test-summary.sh fmt-check lint test-core test-fake contract wasm-build test-wasm build e2e

setup:
	@scripts/setup-rust.sh
	@scripts/setup-node.sh

setup-app: setup
	@scripts/setup-app.sh

# The release build (size profile, wasm-opt -Os, JavaScript minified), then its size report; and the same app built for a sub-path
# (/sub/, as a GitHub Pages project site) into dist-sub/, which the e2e tests serve there.
build: setup-app
	$(TRUNK) build --release --offline
	@node scripts/size-report.mjs dist 48 170
	@node scripts/size-attribution.mjs dist target/app-split/attribution target/size-attribution.md > /dev/null
	@echo "size: what each screen's cold open fetches, and what the bytes are: target/size-attribution.md"
	$(TRUNK) build --release --offline --public-url /sub/ --dist dist-sub

# The size report of dist/, then what each screen's cold open fetches and what the bytes are (by crate and by
# function: target/size-attribution.md; twiggy on the split modules build-app.sh keeps).
size:
	@node scripts/size-report.mjs dist 48 170
	@node scripts/size-attribution.mjs dist target/app-split/attribution target/size-attribution.md

# A development build (one module, not minified: scripts/build-app.sh), rebuilt when a source changes (Trunk.toml's
# watch list). --no-autoreload: trunk's reload snippet is an inline script, which the app's CSP refuses.
serve: setup-app
	@echo "make serve: building Deploydeck (a development build, a few minutes the first time; progress below)."
	@echo "make serve: it is served on http://127.0.0.1:8080 once built, and rebuilt when a source file changes."
	@echo "make serve: for a local API to try it against, run make fake in another terminal."
	$(TRUNK) serve --offline --no-autoreload --address 127.0.0.1 --port 8080

fmt-check:
	$(CARGO) fmt --all -- --check

# The layering of the three crates (no import circle; core only downward; nothing below the views imports a view
# or the root: scripts/check-layers.mjs), then clippy with warnings as errors: core and the fake for the host (every feature), core, the demo and the app
# (with its browser tests) for wasm32, as shipped (split into screen modules) and as the browser tests build it.
lint:
	@node scripts/check-layers.mjs
	$(CARGO) clippy -p deploydeck-wire -p deploydeck-core -p fake-github -p deploydeck-demo --all-targets --all-features --locked -- -D warnings
	$(CARGO) clippy -p deploydeck-wire -p deploydeck-core -p fake-github -p deploydeck-demo --target wasm32-unknown-unknown --locked -- -D warnings
	$(CARGO) clippy -p deploydeck --target wasm32-unknown-unknown --all-targets --features split --locked -- -D warnings
	$(CARGO) clippy -p deploydeck --target wasm32-unknown-unknown --all-targets --features demo-inline --locked -- -D warnings

# Native unit, fixture and property tests of the sans-IO core and the wire crate it shares with the fake.
test-core:
	$(CARGO) test -p deploydeck-wire -p deploydeck-core -p deploydeck-demo --locked

# fake-github's behaviour scenarios, through its pure handler. The fake implements GitHub's side on its own:
# it must never call the client's predictions, or a wrong rule is mirrored — so it depends on the wire crate
# (HTTP values, GitHub's objects), never on deploydeck-core (only its tests drive it through the client).
test-fake:
	@if $(CARGO) tree -p fake-github -e normal --locked | grep -q 'deploydeck-core'; then \
		echo "fake-github must not depend on deploydeck-core (the client): only on deploydeck-wire"; exit 1; fi
	$(CARGO) test -p fake-github --locked

# The server binary, built once per run and shared by every test that needs it.
fake-bin:
	$(CARGO) build -p fake-github --features server --locked

# The same server optimised, for the benchmarks: its own CPU time (TLS, JSON) then weighs less in the app's figures.
fake-bin-release:
	$(CARGO) build -p fake-github --features server --release --locked

# fake-github over HTTP: every route's body checked against GitHub's OpenAPI description, and the options.
contract: fake-bin
	FAKE_GITHUB_BIN=$(FAKE_BIN) node --test --test-concurrency=2 crates/fake-github/contract/

# Core and the in-page demo (fake-github without its server) build for the browser, without browser crates
# in core.
wasm-build:
	$(CARGO) build -p deploydeck-wire -p deploydeck-core -p fake-github -p deploydeck-demo --target wasm32-unknown-unknown --release --locked
	@if $(CARGO) tree -p deploydeck-core --target wasm32-unknown-unknown -e normal | grep -Eq '\b(web-sys|js-sys|wasm-bindgen|gloo)'; then \
		echo "deploydeck-core must not depend on browser crates"; exit 1; fi
	@echo "deploydeck-core and fake-github (demo) build for wasm32-unknown-unknown"

# The app's browser tests (tests/*.rs) in headless Chromium, run as users of such a crate run them, against a
# fake-github started here for the fetch transport.
test-wasm: setup-app fake-bin
	@scripts/with-fake.sh $(WASM_FAKE_ADDR) "--repo acme/web --token t-wasm=repo" -- \
		env FAKE_GITHUB_URL=http://$(WASM_FAKE_ADDR) CHROMEDRIVER=/usr/bin/chromedriver PATH="$(HOME)/.cargo/bin:$$PATH" \
		wasm-pack test --headless --chrome --chromedriver /usr/bin/chromedriver . --features demo-inline

# Playwright against the release build (dist/, served statically) and a fake-github; screenshots of each screen
# go to tests/e2e/artifacts/.
e2e: fake-bin
	@test -f dist/index.html -a -f dist-sub/index.html || { echo "no dist/ or dist-sub/: run make build first"; exit 1; }
	rm -rf tests/e2e/artifacts
	npx playwright test --config tests/e2e/playwright.config.mjs

# The flake hunt: every e2e test N times (REPEAT, 5 by default) with the other core kept busy (BUSY=0 to leave
# it idle), then each test's failures out of its runs. SPECS narrows it (SPECS="tests/e2e/specs/cleanup.spec.mjs").
REPEAT ?= 5
BUSY ?= 1
flaky: fake-bin
	@test -f dist/index.html -a -f dist-sub/index.html || { echo "no dist/ or dist-sub/: run make build first"; exit 1; }
	node scripts/flaky.mjs --repeat $(REPEAT) $(if $(filter 1,$(BUSY)),--busy) $(SPECS)

# Benchmarks (measurements, not tests; figures printed and written to benches/*/results.json): the first screen
# cold, on slow 4G with the CPU slowed 4× and on loopback; the History view against fake-github over TLS with
# 100 ms latency and 5,000 deployments × 5 statuses, with GraphQL and without; the Cleanup view over 500
# deployments (its plan with and without GraphQL, its run paced for github.com against GitHub's secondary
# limits, then unpaced (GHES) at 20 ms); the Cleanup plan of 100,000 deployments (time, memory, longest task);
# the fleet; each screen's cold open on slow 4G with the CPU slowed 4× (HTTP/2, as a CDN serves it); Insights
# over 5,000 deployments (GraphQL and REST), over a fleet of 20, and its memory over 100,000.
bench: build fake-bin-release
	node benches/first-screen/run.mjs
	BENCH_FAKE_BIN=target/release/fake-github node benches/history/run.mjs
	BENCH_FAKE_BIN=target/release/fake-github node benches/cleanup/run.mjs
	BENCH_FAKE_BIN=target/release/fake-github node benches/scale/run.mjs
	BENCH_FAKE_BIN=target/release/fake-github node benches/fleet/run.mjs
	BENCH_FAKE_BIN=target/release/fake-github node benches/screens/run.mjs
	BENCH_FAKE_BIN=target/release/fake-github node benches/insights/run.mjs
	BENCH_FAKE_BIN=target/release/fake-github node benches/inbox/run.mjs

fake: setup
	@echo "make fake: building fake-github (about 2 minutes the first time)…"
	@$(MAKE) --no-print-directory fake-bin
	$(FAKE_BIN) --demo --addr 127.0.0.1:8787
