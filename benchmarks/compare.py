"""Compare two installations of image-docs-audit (two builds, two commits) on the same projects.

    python benchmarks/compare.py BEFORE/bin/python AFTER/bin/python PROJECT... \
        [--rounds 11] [--instructions]

A shared 2-core machine drifts by 10 % and more from one minute to the next, more than most
changes gain, so one interpreter's numbers from one run against the other's from another
say little. Here each round runs `python -m image_docs_audit audit PROJECT --format json`
with the first interpreter, then with the second, project after project (after one warm-up
round), and the table gives the median of each and their ratio.

With --instructions, each is also run once under `valgrind --tool=cachegrind --cache-sim=no
--trace-children=yes`, which counts the instructions of every process (the main one and
the forked worker): a count that does not drift, at about twenty times the time. It needs
valgrind (Debian: `apt-get install valgrind`).

Make the projects with benchmarks/run.py's `--keep DIR` (DIR/project, DIR/images-x10, ...).
It prints and asserts nothing else: a slow machine must not fail a build.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

# cachegrind's summary line, one per process: `==1234== I   refs:      2,209,442,866`.
_REFS = re.compile(r"^==(\d+)== I\s+refs:\s+([\d,]+)", re.MULTILINE)


def audit(python: str, project: Path) -> list[str]:
    return [python, "-m", "image_docs_audit", "audit", str(project), "--format", "json"]


def seconds(command: list[str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    taken = time.perf_counter() - started
    if done.returncode not in (0, 1):  # 1 is a verdict; anything else times no audit
        error = done.stderr.decode("utf-8", "replace").strip()
        raise SystemExit(f"{' '.join(command)} exited with {done.returncode}: {error}")
    return taken


def instructions(command: list[str]) -> list[int]:
    """The instructions each process of `command` ran, in the order they ended."""
    counted = [
        "valgrind", "--tool=cachegrind", "--cache-sim=no", "--trace-children=yes",
        "--cachegrind-out-file=/dev/null", *command,
    ]  # fmt: skip
    return refs(subprocess.run(counted, capture_output=True, text=True, check=False).stderr)


def refs(report: str) -> list[int]:
    """The instruction counts of cachegrind's `report`, one per process."""
    return [int(found.replace(",", "")) for _, found in _REFS.findall(report)]


def main() -> None:
    parser = argparse.ArgumentParser(description="Compare two installations, interleaved.")
    parser.add_argument("before", help="the Python of the first installation")
    parser.add_argument("after", help="the Python of the second installation")
    parser.add_argument("projects", nargs="+", type=Path)
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("--instructions", action="store_true", help="count them with valgrind")
    options = parser.parse_args()
    pythons = (options.before, options.after)
    timed: dict[tuple[Path, str], list[float]] = {}
    for round_number in range(options.rounds + 1):
        for project in options.projects:
            for python in pythons:
                taken = seconds(audit(python, project))
                if round_number:  # the first round warms the caches up
                    timed.setdefault((project, python), []).append(taken)
        print(f"  .. round {round_number}/{options.rounds} done", file=sys.stderr, flush=True)
    print(f"median of {options.rounds} interleaved rounds: before, after, after / before")
    for project in options.projects:
        before, after = (statistics.median(timed[(project, python)]) for python in pythons)
        print(f"{project}  {before:.3f} s  {after:.3f} s  {after / before:.3f}")
    if options.instructions:
        if shutil.which("valgrind") is None:
            raise SystemExit("--instructions needs valgrind (apt-get install valgrind)")
        print("instructions of each process (G), in the order they ended: before; after")
        for project in options.projects:
            counts = [instructions(audit(python, project)) for python in pythons]
            shown = ["+".join(f"{count / 1e9:.2f}" for count in each) for each in counts]
            print(f"{project}  {shown[0]}; {shown[1]}")


if __name__ == "__main__":
    main()
