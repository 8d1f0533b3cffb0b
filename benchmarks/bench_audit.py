"""Time a full audit of a generated docs tree against `grep -rnoF -f names.txt docs/`.

    python benchmarks/bench_audit.py [--docs 2000] [--images 300] [--kib 10]

The target (PRODUCT.md): an audit within 3x grep's time on the same tree. It
prints both times and the ratio; it asserts nothing, so a slow machine does
not fail a build.
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = [
    "the", "build", "passed", "on", "arm64", "after", "we", "pinned", "the", "base", "image",
    "and", "reran", "smoke", "tests",
]  # fmt: skip


def make_tree(root: Path, docs: int, images: int, kib: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    names = [f"app-service-{n:04d}" for n in range(images)]
    script = "IMAGES=(\n" + "".join(f"  example/{name}:1\n" for name in names) + ")\n"
    (root / "scripts").mkdir(parents=True)
    (root / "scripts" / "pull-images.sh").write_text(script)
    (root / "docs").mkdir()
    for index in range(docs):
        name = rng.choice(names)
        lines = [f"# {name} build report", ""]
        while sum(len(line) + 1 for line in lines) < kib * 1024:
            lines.append(" ".join(rng.choice(WORDS) for _ in range(12)))
        lines.insert(len(lines) // 2, f"| {rng.choice(names)} | 8080 |")
        (root / "docs" / f"report-{index:05d}.md").write_text("\n".join(lines) + "\n")
    (root / "names.txt").write_text("\n".join(names) + "\n")
    return names


def timed(command: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=False, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--images", type=int, default=300)
    parser.add_argument("--kib", type=int, default=10)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        make_tree(root, options.docs, options.images, options.kib)
        size = sum(p.stat().st_size for p in (root / "docs").iterdir()) / 1e6
        grep = timed(["grep", "-rnoF", "-f", "names.txt", "docs/"], root)
        audit = timed(
            [sys.executable, "-m", "image_docs_audit", "audit", ".", "--format", "json"], root
        )
        print(f"{options.docs} docs, {size:.1f} MB, {options.images} images")
        print(f"grep  {grep:6.2f} s")
        print(f"audit {audit:6.2f} s  ({audit / grep:.1f}x grep)")


if __name__ == "__main__":
    main()
