#!/usr/bin/env bash
# The fuzz suite of issue 17 (test/fuzz/): hostile inputs to every parser, validator and CLI command.
#   scripts/fuzz.sh                 CI size (also part of `vitest run`), fixed seed
#   scripts/fuzz.sh large           the large campaign (JOULEBENCH_FUZZ=large: > 10,000 malformed inputs)
#   JOULEBENCH_FUZZ_SEED=42 scripts/fuzz.sh      another seed
#   JOULEBENCH_FUZZ_ONLY=onnx,cli scripts/fuzz.sh   some formats only
# The summary (cases per format, failures by kind) is printed and written to test-artifacts/fuzz-summary.md,
# the failing inputs to test-artifacts/fuzz-failures.json.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = large ]; then
  export JOULEBENCH_FUZZ=large
  shift
fi
exec npx vitest run test/fuzz "$@"
