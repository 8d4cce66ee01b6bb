#!/usr/bin/env bash
# Runs the whole suite once per Keras backend (the backend is fixed at import
# time, so each gets its own process). Extra arguments go to pytest.
set -uo pipefail
cd "$(dirname "$0")/.."
status=0
KERAS_GAN_ZOO_TEST_CACHE=$(mktemp -d)
export KERAS_GAN_ZOO_TEST_CACHE
trap 'rm -rf "$KERAS_GAN_ZOO_TEST_CACHE"' EXIT
for backend in tensorflow jax torch; do
    echo "=== KERAS_BACKEND=$backend"
    KERAS_BACKEND=$backend python -m pytest -q -p no:cacheprovider --durations=12 "$@"
    code=$?
    # pytest exits 5 when no test was collected (e.g. a -k filter); not a failure.
    if [ "$code" -ne 0 ] && [ "$code" -ne 5 ]; then status=$code; fi
done
exit $status
