#!/usr/bin/env bash
# The static checks, run by .ci/run after install and BEFORE the build (the
# build rewrites wasm-binary.ts, so the wasm check must see the committed file).
# Each check prints its time; each failure is written to RESULTS (one line
# "fail NAME") and counted by count.mjs as one failed check, like a failed
# type-check. Exits non-zero when any check failed.
#   bash .ci/checks.sh [RESULTS]
set -uo pipefail
cd "$(dirname "$0")/.."
results=${1:-/dev/null}
: >"$results"
failed=0

check() {
  local name=$1
  shift
  local start=$(date +%s%N)
  if "$@"; then
    local status=ok
  else
    local status=FAILED
    failed=1
    echo "fail $name" >>"$results"
  fi
  local ms=$((($(date +%s%N) - start) / 1000000))
  printf 'check %-8s %-6s %d.%01ds  (%s)\n' "$name" "$status" $((ms / 1000)) $((ms % 1000 / 100)) "$*"
}

check lint pnpm -s lint
check imports pnpm -s check:imports
# Compiles asm/ (installing the compiler, tools/asc, on demand) and compares bytes.
check wasm pnpm -s check:wasm
check bench-types pnpm -s typecheck:bench
check format pnpm -s check:format
# The docs site: TypeDoc with every warning an error (broken links, undocumented exports).
check docs pnpm -s docs

exit $failed
