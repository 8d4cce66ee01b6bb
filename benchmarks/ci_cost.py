"""What CI costs: fresh-clone `.ci/run`s of several commits, one after the other.

Clones each commit of this repository into a scratch folder (with `shared/`
beside it, as CI has it), runs `bash .ci/run` there, and prints a table of
wall and CPU time (user + sys of the whole process tree: the install, ruff and
the three backends' test processes with their subprocesses), each commit's CPU
time as a share of the first's, and the exit status. One JSON line per run is
appended to benchmarks/results/ci_cost.jsonl.

    python benchmarks/ci_cost.py 36a6499 HEAD

Run it on a quiet machine: the runs go one after the other, not side by side,
because three test processes already share the two cores and a fourth
inflates the CPU time of whichever run it lands beside (the busy runs in
docs/testing.md inflated the old suite 2.5 times and the new one 1.1 times).
"""

import argparse
import json
import platform
import resource
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks/results/ci_cost.jsonl"


def resolve(commit):
    return subprocess.run(
        ["git", "rev-parse", "--short", commit],
        cwd=REPO,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def children_cpu():
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime, usage.ru_stime


def run_ci(commit, folder, log, command):
    """Runs `command` (CI's, by default) in a fresh clone of `commit` in `folder`;
    returns its costs."""
    subprocess.run(["git", "clone", "-q", str(REPO), str(folder / "main")], check=True)
    subprocess.run(["git", "checkout", "-q", commit], cwd=folder / "main", check=True)
    (folder / "shared").symlink_to(REPO.parent / "shared")
    user, system = children_cpu()
    started = time.time()
    with open(log, "w") as output:
        code = subprocess.run(
            command, shell=True, cwd=folder / "main", stdout=output, stderr=subprocess.STDOUT
        ).returncode
    wall = time.time() - started
    user_after, system_after = children_cpu()
    return {
        "commit": commit,
        "command": command,
        "measured_with": "benchmarks/ci_cost.py",
        "exit": code,
        "wall_s": round(wall, 1),
        "user_s": round(user_after - user, 1),
        "sys_s": round(system_after - system, 1),
        "machine": platform.node(),
        "date": time.strftime("%Y-%m-%d %H:%M"),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("commits", nargs="+", help="commits to run, the first is the reference")
    parser.add_argument("--command", default="bash .ci/run", help="what to time in each clone")
    parser.add_argument("--keep", action="store_true", help="keep the clones and their logs")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="ci_cost_"))
    rows = []
    try:
        for index, commit in enumerate(map(resolve, args.commits)):
            # By position: the same commit may be timed twice.
            folder, log = scratch / f"{index}_{commit}", scratch / f"{index}_{commit}.log"
            row = run_ci(commit, folder, log, args.command)
            rows.append(row)
            with open(RESULTS, "a") as results:
                results.write(json.dumps(row) + "\n")
            print(f"{commit}: exit {row['exit']}, log {log}", flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)
    reference = rows[0]["user_s"] + rows[0]["sys_s"]
    header = ("commit", "exit", "wall min", "CPU min", "user", "sys", "CPU")
    print("\n{:<10} {:>4} {:>9} {:>8} {:>7} {:>6} {:>6}".format(*header))
    for row in rows:
        cpu = row["user_s"] + row["sys_s"]
        print(
            f"{row['commit']:<10} {row['exit']:>4} {row['wall_s'] / 60:>9.1f} {cpu / 60:>8.1f} "
            f"{row['user_s']:>7.0f} {row['sys_s']:>6.0f} {cpu / max(reference, 1e-9):>6.1%}"
        )


if __name__ == "__main__":
    main()
