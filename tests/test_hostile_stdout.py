"""What a repository's names cannot do to the lines `index` and `scaffold` print: on a
runner, stdout is read for workflow commands (`::error::...` at a line's start), and those
lines may start with a path from the repository. And a stdout with no room left: the
user's to see to, one line and exit 2, not a bug's exit 3."""

from __future__ import annotations

import errno
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from image_docs_audit.cli import main

FOLDER = "::error title=pwn::INJECTED"
# What the runner takes for a command: `::name` at the start of a line, blanks before it.
COMMAND = re.compile(r"^\s*::", re.MULTILINE)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err, env={})
    return code, out.getvalue(), err.getvalue()


def test_annotating_twice_prints_no_command(tmp_path: Path) -> None:
    folder = tmp_path / FOLDER
    (folder / "docs").mkdir(parents=True)
    (folder / "pull-images.sh").write_text("IMAGES=(example/app-z:1)\n")
    (folder / "docs" / "app-z.md").write_text("# app-z\n")
    options = ("index", str(tmp_path), "--annotate-script", "--docs", f"{FOLDER}/docs")
    assert run(*options) == (0, f"annotated {FOLDER}/pull-images.sh\n", "")
    code, out, err = run(*options)
    assert (code, err) == (0, "")
    assert out == "\\x3a:error title=pwn::INJECTED/pull-images.sh is annotated already\n"
    assert COMMAND.search(out) is None


def test_scaffold_prints_no_command(tmp_path: Path) -> None:
    """The second tag's line starts with the path of the doc written for the first."""
    (tmp_path / FOLDER).mkdir()
    (tmp_path / "pull-images.sh").write_text("IMAGES=(example/app-z:1 example/app-z:2)\n")
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "image-docs-audit.yml").write_text(f'docs: ["{FOLDER}"]\n')
    code, out, err = run("scaffold", "--root", str(tmp_path))
    assert (code, err) == (0, "")
    assert (tmp_path / FOLDER / "app-z.md").is_file()
    assert out.splitlines() == [
        f"wrote {FOLDER}/app-z.md for example/app-z:1",
        "\\x3a:error title=pwn::INJECTED/app-z.md (written above) is example/app-z:2's starter"
        " doc too: one doc for the tags of example/app-z",
    ]
    assert COMMAND.search(out) is None


NO_ROOM = (
    "image-docs-audit: the output: cannot write (No space left on device); free some space"
    " and run again\n"
)


class FullDisk(io.StringIO):
    def write(self, text: str) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def test_a_full_disk_is_one_line_and_exit_2() -> None:
    err = io.StringIO()
    assert main(["demo"], stdout=FullDisk(), stderr=err, env={}) == 2
    assert err.getvalue() == NO_ROOM


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="a system without /dev/full")
def test_the_console_script_on_a_full_disk_is_one_line_and_exit_2() -> None:
    """The report is written to the stream's buffer, and meets the full disk when the
    process flushes it, after `main` has returned."""
    with Path("/dev/full").open("w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "image_docs_audit", "demo", "--format", "json"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    assert (done.returncode, done.stderr) == (2, NO_ROOM)


# A category in the pull script with a CSI (C1), a right-to-left override, an isolate and a
# line separator: JSON may leave each as it is; a log or terminal would act on it.
SPOOFING = "\u009b31m \u202eRTL \u2066iso\u2069 \u2028next"


def test_json_on_stdout_shows_spoofing_characters_as_escapes(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "app-a.md").write_text("# app-a\n")
    script = f"IMAGES=(\n  # Cat {SPOOFING}\n  example/app-a:1\n)\n"
    (tmp_path / "pull-images.sh").write_text(script)
    code, out, err = run("audit", str(tmp_path), "--format", "json")
    assert (code, err) == (0, "")
    assert not set(SPOOFING) - set(" RTLisonext31m") & set(out)
    assert '"category": "Cat \\u009b31m \\u202eRTL \\u2066iso\\u2069 \\u2028next"' in out
    report = tmp_path / "report.json"
    assert run("audit", str(tmp_path), "--format", "json", "--output", str(report))[0] == 0
    assert json.loads(out) == json.loads(report.read_text())
    assert SPOOFING in report.read_text()  # a file is data: its text is as the repository's
