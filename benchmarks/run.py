"""Time `image-docs-audit` against `grep -rnoF -f names.txt docs` on a generated project.

    python benchmarks/run.py --images 1500 --docs 12000 [--runs 5] [--no-scaling]

One run generates the project (benchmarks/corpus.py) in a temporary folder,
commits it, edits 1 % of the docs in a second commit (the working tree is that
head), and times, interleaved and after one warm-up round, the median of
`--runs` rounds of:

- `grep -rnoF -f names.txt docs` (the cost of reading the files and finding
  the names, the floor for any scan; its output goes to a file, since GNU grep
  stops at the first match when it writes to /dev/null);
- `image-docs-audit audit . --format json` (the whole process);
- `image-docs-audit check . --base HEAD~1 --format json` (base at the first
  commit, head the working tree);
- with scaling: the audit of the same project with twice the docs, and with
  ten times the images.

The package is byte-compiled first, as pip compiles an installed one: where
PYTHONDONTWRITEBYTECODE is set (as on our CI machines), an editable install
would otherwise compile every module again in every timed process (about 50 ms).

It prints a table and asserts nothing: a slow machine must not fail a build.
The targets are in benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from corpus import DENSE, DENSITY, write_corpus  # the folder is not a package

_GIT = ("git", "-c", "user.name=bench", "-c", "user.email=bench@example.invalid")


@dataclass
class Timing:
    """Seconds and peak resident set sizes (largest process, KiB) of one command."""

    seconds: list[float] = field(default_factory=list)
    rss_kib: list[int] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def peak_mib(self) -> float:
        return max(self.rss_kib) / 1024


def run_timed(command: list[str], cwd: Path, out: Path) -> tuple[float, int]:
    """Seconds and peak RSS (KiB, the largest of the process and its children) of `command`."""
    with out.open("wb") as sink:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=sink, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    stderr = process.stderr.read() if process.stderr else b""
    if process.returncode not in (0, 1):  # 1 is a failed gate, a fine result here
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}): {stderr.decode()}")
    return elapsed, usage.ru_maxrss


def make_project(
    root: Path, images: int, docs: int, history: bool, density: float, *, size: float
) -> float:
    """Write the project; with `history`, commit it and edit 1 % of the docs. Its docs' MB."""
    write_corpus(root, images, docs, density=density, size=size)
    if history:
        _git(root, "init", "-q")
        _git(root, "add", "-A")
        _git(root, "commit", "-qm", "base")
        edited = sorted((root / "docs").rglob("*.md"))[::100]
        for path in edited:
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace("Section 1", "Section one", 1) + _EDIT, "utf-8")
        _git(root, "add", "-A")
        _git(root, "commit", "-qm", "head")
    size = sum(path.stat().st_size for path in (root / "docs").rglob("*.md"))
    return size / 1e6


_EDIT = "\n## Follow-up\n\n- re-ran the smoke test after the base image update ✅\n"


def _git(root: Path, *args: str) -> None:
    subprocess.run([*_GIT, *args], cwd=root, check=True, stdout=subprocess.DEVNULL)


def audit_command(*extra: str) -> list[str]:
    return [sys.executable, "-m", "image_docs_audit", *extra]


@dataclass
class Case:
    label: str
    command: list[str]
    cwd: Path
    timing: Timing = field(default_factory=Timing)


def measure(cases: list[Case], runs: int, scratch: Path, progress: Callable[[str], None]) -> None:
    """One warm-up round, then `runs` rounds, each command once per round, in turn."""
    for round_number in range(runs + 1):
        for case in cases:
            seconds, rss = run_timed(case.command, case.cwd, scratch / "out")
            if round_number:
                case.timing.seconds.append(seconds)
                case.timing.rss_kib.append(rss)
        progress(f"round {round_number}/{runs} done")


def main() -> None:
    parser = argparse.ArgumentParser(description="Time the audit against grep.")
    parser.add_argument("--images", type=int, default=1500)
    parser.add_argument("--docs", type=int, default=12000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-scaling", action="store_true", help="skip the x2/x10 projects")
    parser.add_argument(
        "--density",
        type=float,
        default=DENSITY,
        help=f"how often a report names an image ({DENSITY}: 1.1 a KB; {DENSE}: 3 a KB)",
    )
    parser.add_argument(
        "--size",
        type=float,
        default=1.0,
        help="the reports' length, times the default (10 KB a report on average)",
    )
    parser.add_argument("--keep", type=Path, help="build the projects here and keep them")
    options = parser.parse_args()
    folder = options.keep or Path(tempfile.mkdtemp(prefix="ida-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        report(folder, options)
    finally:
        if options.keep is None:
            shutil.rmtree(folder, ignore_errors=True)


def report(folder: Path, options: argparse.Namespace) -> None:
    def progress(message: str) -> None:
        print(f"  .. {message}", file=sys.stderr, flush=True)

    import image_docs_audit  # noqa: PLC0415  (the package the timed processes run)

    compileall.compile_dir(Path(image_docs_audit.__file__).parent, quiet=1)
    main_root = folder / "project"
    megabytes = _project(
        main_root, options, progress, images=options.images, docs=options.docs, history=True
    )
    grep = ["grep", "-rnoF", "-f", "names.txt", "docs"]
    audit = audit_command("audit", ".", "--format", "json")
    cases = [
        Case("grep", grep, main_root),
        Case("audit", audit, main_root),
        Case("check", audit_command("check", ".", "--base", "HEAD~1", "--format", "json"),
             main_root),
    ]  # fmt: skip
    if not options.no_scaling:
        docs2 = folder / "docs-x2"
        images10 = folder / "images-x10"
        _project(
            docs2, options, progress, images=options.images, docs=options.docs * 2, history=False
        )
        _project(
            images10,
            options,
            progress,
            images=options.images * 10,
            docs=options.docs,
            history=False,
        )
        cases += [
            Case("grep docs x2", grep, docs2),
            Case("audit docs x2", audit, docs2),
            Case("grep images x10", grep, images10),
            Case("audit images x10", audit, images10),
        ]
    measure(cases, options.runs, folder, progress)
    print_table(cases, options, megabytes)


def _project(
    root: Path,
    options: argparse.Namespace,
    progress: Callable[[str], None],
    *,
    images: int,
    docs: int,
    history: bool,
) -> float:
    if (root / "names.txt").exists():
        progress(f"reusing {root}")
        return sum(p.stat().st_size for p in (root / "docs").rglob("*.md")) / 1e6
    progress(f"writing {docs} docs, {images} images to {root}")
    return make_project(root, images, docs, history, options.density, size=options.size)


def print_table(cases: list[Case], options: argparse.Namespace, megabytes: float) -> None:
    import image_docs_audit  # noqa: PLC0415  (the package the timed processes run)

    by_label = {case.label: case.timing for case in cases}
    grep, audit, check = by_label["grep"], by_label["audit"], by_label["check"]
    build = "compiled" if image_docs_audit.compiled() else "pure Python"  # see setup.py
    print(
        f"{options.docs} docs, {megabytes:.1f} MB, {options.images} images, "
        f"density {options.density}, size {options.size}, {build}, {os.cpu_count()} cores, "
        f"median of {options.runs}"
    )
    print(f"{'':18} {'seconds':>8} {'x grep':>7} {'MB/s':>7} {'peak RSS':>9}")
    for label, timing in by_label.items():
        ratio = speed = ""
        if not label.startswith("grep"):
            base = by_label.get("grep" + label.removeprefix("audit"), grep)
            ratio = f"{timing.median / base.median:6.1f}x"
        if label in ("grep", "audit"):
            speed = f"{megabytes / timing.median:7.0f}"
        print(f"{label:18} {timing.median:8.3f} {ratio:>7} {speed:>7} {timing.peak_mib:6.0f} MB")
    print(f"check / audit      {check.median / audit.median:8.2f}x")
    if "audit docs x2" in by_label:
        print(f"docs x2 / audit    {by_label['audit docs x2'].median / audit.median:8.2f}x")
        print(f"images x10 / audit {by_label['audit images x10'].median / audit.median:8.2f}x")


if __name__ == "__main__":
    main()
