# Deploydeck's two contracts with a new user and with CI live here (see README):
#   make test   — installs what is missing, then runs every test layer, ending with `N passed, N failed`.
# (`make serve` arrives with the app.)

CARGO ?= cargo
CORE := -p deploydeck-core

.PHONY: test setup check-core test-core lint fmt-check wasm-core

test: setup
	@scripts/test-summary.sh fmt-check lint test-core wasm-core

setup:
	@scripts/setup-rust.sh

fmt-check:
	$(CARGO) fmt --all -- --check

# Clippy with warnings as errors, for the host and for the browser target.
lint:
	$(CARGO) clippy --workspace --all-targets --locked -- -D warnings
	$(CARGO) clippy $(CORE) --target wasm32-unknown-unknown --locked -- -D warnings

# Native unit, fixture and property tests of the sans-IO core.
test-core:
	$(CARGO) test $(CORE) --locked

# Core builds for the browser with no browser dependency.
wasm-core:
	$(CARGO) build $(CORE) --target wasm32-unknown-unknown --release --locked
	@if $(CARGO) tree $(CORE) --target wasm32-unknown-unknown -e normal | grep -Eq '\b(web-sys|js-sys|wasm-bindgen|gloo)'; then \
		echo "deploydeck-core must not depend on browser crates"; exit 1; fi
	@echo "deploydeck-core builds for wasm32-unknown-unknown without browser crates"
