"""benchmarks/compare.py: two installations' audits, interleaved, and cachegrind's counts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent / "benchmarks"))

import compare  # the benchmark's comparison (not a package: it is run as a script)

BENCHMARKS = Path(compare.__file__).parent
SAMPLE = Path(__file__).parent.parent / "src" / "image_docs_audit" / "sample"


def test_the_table_gives_each_projects_medians_and_their_ratio() -> None:
    python = sys.executable
    script = str(BENCHMARKS / "compare.py")
    command = [python, script, python, python, str(SAMPLE), "--rounds", "2"]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    head, row = done.stdout.splitlines()
    assert head == "median of 2 interleaved rounds: before, after, after / before"
    project, before, unit, after, unit_again, ratio = row.split()
    assert (project, unit, unit_again) == (str(SAMPLE), "s", "s")
    assert abs(float(ratio) - float(after) / float(before)) < 0.02  # each is rounded
    assert done.stderr.splitlines() == [f"  .. round {n}/2 done" for n in range(3)]


def test_an_audit_that_cannot_run_stops_the_comparison(tmp_path: Path) -> None:
    python, script = sys.executable, str(BENCHMARKS / "compare.py")
    command = [python, script, python, python, str(tmp_path / "missing"), "--rounds", "1"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    assert done.returncode == 1
    assert "exited with 2" in done.stderr
    assert done.stdout == ""


def test_the_instructions_of_each_process_are_read_from_cachegrind() -> None:
    report = (
        "==12== Cachegrind, a high-precision tracing profiler\n"
        "==13== I   refs:      2,129,231,225\n"
        "==12== \n"
        "==12== I   refs:      3,187,619,887\n"
    )
    assert compare.refs(report) == [2_129_231_225, 3_187_619_887]
    assert compare.refs("==1== error\n") == []
