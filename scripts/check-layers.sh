#!/usr/bin/env bash
# The app's layering (docs/architecture.md): the root (src/lib.rs: App, Header; src/main.rs) on top, the views
# (src/views/) below it, and everything else below the views. A module below the views must not import a view
# or the root — this fails, naming the line, when one does. Run by `make test` (the lint stage).
set -euo pipefail
cd "$(dirname "$0")/.."
below=$(find src -name '*.rs' ! -path 'src/views/*' ! -name lib.rs ! -name main.rs | sort)
# Upward: the views (crate::views, or a path through them), or an item only the root defines.
pattern='crate::views\b|crate::(App|Header)\b|use crate::\{[^}]*\b(App|Header)\b'
if found=$(grep -nE "$pattern" $below); then
  echo "check-layers: a module below the views imports a view or the root:" >&2
  echo "$found" >&2
  exit 1
fi
# The root defines App and Header and declares modules: nothing else may live there for others to import.
if grep -nE '^\s*pub (fn|struct|enum|const|static|type) ' src/lib.rs | grep -vE 'pub fn (App|Header)\b'; then
  echo "check-layers: src/lib.rs holds only the root (App, Header) and the module list" >&2
  exit 1
fi
echo "check-layers: $(echo "$below" | wc -l) modules below the views import no view and not the root"
