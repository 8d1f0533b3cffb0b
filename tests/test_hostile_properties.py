"""Property tests: hostile configs and file names end in exit 0, 1 or 2, never a traceback."""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from image_docs_audit.cli import main

YAML_PIECES = [
    "pull-scripts: ", "docs: ", "exclude: ", "aliases:\n  ", "ignore:\n  ", "fail-under: ",
    "max-drop: ", "strip-prefix: ", "documentation:\n  ", "count-mentioned: ", "[", "]", "{",
    "}", ",", ": ", "\n", "  ", "- ", "&a ", "*a", "<<: ", "'", '"', "%", "80%", "150", "-1",
    "yes", "~", "*", "**/", "?", "[!a]", "app-x", "::add-mask::x", "\t", "\u202e", "\x1b",
    "#", "!!python/object:os.system", "\udcff",
]  # fmt: skip
NAME = st.text(
    alphabet=st.characters(blacklist_characters="/\0", blacklist_categories=("Cs",)),
    min_size=1,
    max_size=30,
).filter(lambda name: name not in (".", ".."))


def audit(root: Path, *argv: str) -> tuple[int, str]:
    err = io.StringIO()
    code = main(["audit", str(root), *argv], stdout=io.StringIO(), stderr=err)
    return code, err.getvalue()


def tree() -> Path:
    root = Path(tempfile.mkdtemp(prefix="hostile-"))
    (root / "docs").mkdir()
    (root / "pull-images.sh").write_text("IMAGES=(example/app-x:1 example/app-y:1)\n")
    (root / "docs" / "app-x.md").write_text("# app-x\n")
    return root


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(YAML_PIECES), max_size=30))
def test_hostile_configs_never_crash(pieces: list[str]) -> None:
    root = tree()
    try:
        (root / "c.yml").write_bytes("".join(pieces).encode("utf-8", "surrogateescape"))
        code, err = audit(root, "--config", "c.yml")
        assert code in (0, 1, 2), err
        assert "Traceback" not in err and err.count("\n") <= 1
    finally:
        shutil.rmtree(root)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(NAME, min_size=1, max_size=4), st.binary(max_size=8))
def test_hostile_file_names_never_crash(names: list[str], raw: bytes) -> None:
    root = tree()
    try:
        for name in names:
            try:
                (root / "docs" / name).write_text("# app-y\n")
            except OSError:
                continue  # a name the file system refuses
        raw_name = os.fsdecode(b"docs/" + raw.replace(b"/", b"_").replace(b"\0", b"_") + b".md")
        if raw:
            (root / raw_name).write_text("# app-x\n")
        for format_name in ("text", "markdown", "json"):
            code, err = audit(root, "--format", format_name, f"--exclude={names[0]}")
            assert code in (0, 1, 2), err
            assert "Traceback" not in err and err.count("\n") == (code == 2)
    finally:
        shutil.rmtree(root)
