"""Running one benchmark configuration in a child process and reading its result.

A child prints its measurements as one line `RESULT {json}`; anything else it
prints is ignored. Shared by the benchmarks that give each configuration its
own process (the Keras backend is fixed at import).
"""

import json
import re
import subprocess


def run_child(command, env, timeout):
    """Runs `command`; returns (result dict, None), or (None, a one-line reason it failed)."""
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, f"timed out after {timeout} s"
    results = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode or not results:
        return None, _failure_reason(done.stderr, done.returncode)
    return json.loads(results[-1][len("RESULT ") :]), None


def _failure_reason(stderr, returncode):
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    errors = [line for line in lines if re.match(r"^[\w.]+(Error|Exception|Exit)\b", line)]
    reason = (errors or lines or [f"exit status {returncode}, no output"])[-1]
    return reason[:160]
