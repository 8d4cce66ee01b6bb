#!/usr/bin/env bash
# Runs the whole suite once per Keras backend (the backend is fixed at import
# time, so each gets its own process). Extra arguments go to pytest.
#
# The three runs go side by side: much of the suite is single-threaded (imports,
# subprocesses, small models), so on a 2-core machine this takes about a third
# less time than one after the other. Each run's output is printed when it
# ends. KERAS_GAN_ZOO_SERIAL=1 runs them one after the other, streaming output.
set -uo pipefail
cd "$(dirname "$0")/.."
KERAS_GAN_ZOO_TEST_CACHE=$(mktemp -d)
export KERAS_GAN_ZOO_TEST_CACHE
trap 'rm -rf "$KERAS_GAN_ZOO_TEST_CACHE"' EXIT
# JAX keeps what XLA compiled on disk, so the subprocesses that train, are
# killed and resume, or restore a checkpoint, reuse the parent's programs
# instead of compiling them again (the killed-and-resumed test: 93 s without, 59 s with).
export JAX_COMPILATION_CACHE_DIR="$KERAS_GAN_ZOO_TEST_CACHE/jax-compilation-cache"
export JAX_PERSISTENT_CACHE_MIN_COMPILE_TIME_SECS=0 JAX_PERSISTENT_CACHE_MIN_ENTRY_SIZE_BYTES=0
# The JAX run is compile-bound: the tests run each compiled program a few
# times, so XLA's optimization passes cost more than they save. Without them
# (same programs, same numbers: the parity dumps still agree with TensorFlow's
# to 5e-7) the JAX parity dump took 86 CPU s instead of 151, and a tiny DCGAN's
# first fit step 5.3 instead of 8.4. Set it to 0 to test the optimized builds.
export JAX_DISABLE_MOST_OPTIMIZATIONS="${JAX_DISABLE_MOST_OPTIMIZATIONS:-1}"
backends=(tensorflow jax torch)

run() {
    KERAS_BACKEND=$1 python -m pytest -q -p no:cacheprovider --durations=12 "${@:2}"
}

status=0
check() {
    # pytest exits 5 when no test was collected (e.g. a -k filter); not a failure.
    if [ "$1" -ne 0 ] && [ "$1" -ne 5 ]; then status=$1; fi
}

if [ "${KERAS_GAN_ZOO_SERIAL:-0}" = "1" ]; then
    for backend in "${backends[@]}"; do
        echo "=== KERAS_BACKEND=$backend"
        run "$backend" "$@"
        check $?
    done
    exit $status
fi

# Three processes share two cores: one compute thread each. With each
# framework's default (a thread per core, spinning while it waits) the
# threads fought over the cores: a fresh-clone .ci/run took 58.5 minutes
# before this and 35.8 after.
# TF keeps 2 inter-op threads: 1 can deadlock ops that wait on each other.
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
export TF_NUM_INTRAOP_THREADS=1 TF_NUM_INTEROP_THREADS=2
export XLA_FLAGS="${XLA_FLAGS:-} --xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1"

pids=()
for backend in "${backends[@]}"; do
    run "$backend" "$@" > "$KERAS_GAN_ZOO_TEST_CACHE/$backend.log" 2>&1 &
    pids+=($!)
done
for index in "${!backends[@]}"; do
    wait "${pids[$index]}"
    code=$?
    echo "=== KERAS_BACKEND=${backends[$index]} (exit $code)"
    cat "$KERAS_GAN_ZOO_TEST_CACHE/${backends[$index]}.log"
    check $code
done
exit $status
