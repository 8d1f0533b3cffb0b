"""Runner files and log commands: exact file contents, the 1 MiB summary cut, action.yml."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest
import yaml

from image_docs_audit.github import runner
from image_docs_audit.github.runner import (
    SUMMARY_CUT_NOTE,
    append_summary,
    endgroup,
    error,
    group,
    notice,
    set_outputs,
    warning,
)

ROOT = Path(__file__).parent.parent

UUID_A = "aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa"
UUID_B = "bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb"
NOTE = f"\n{SUMMARY_CUT_NOTE}\n"


@pytest.fixture
def uuids(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Make the heredoc delimiters predictable: uuid4 hands out the listed values in order."""
    queue: list[str] = []
    monkeypatch.setattr(runner, "uuid4", lambda: UUID(queue.pop(0)))
    yield queue
    assert queue == [], "a delimiter the test expected was not drawn"


# --- outputs -----------------------------------------------------------------------------


def test_single_line_outputs(tmp_path: Path) -> None:
    out = tmp_path / "output"
    set_outputs(out, {"verdict": "pass", "coverage": "83.3", "base-coverage": "", "n_1": "0"})
    assert out.read_bytes() == b"verdict=pass\ncoverage=83.3\nbase-coverage=\nn_1=0\n"


def test_multiline_value_uses_a_heredoc(tmp_path: Path, uuids: list[str]) -> None:
    uuids.append(UUID_A)
    out = tmp_path / "output"
    set_outputs(out, {"missing": "app-a:1\napp-b:2", "total": "2"})
    assert out.read_text(encoding="utf-8") == (
        f"missing<<ghadelimiter_{UUID_A}\napp-a:1\napp-b:2\nghadelimiter_{UUID_A}\ntotal=2\n"
    )


@pytest.mark.parametrize(
    ("value", "body"),
    [
        ("a\n", "a\n"),  # a final newline is kept: the line before the delimiter is empty
        ("\n", "\n"),
        ("a\r\nb", "a\r\nb"),  # CRLF stays as written (the runner on Linux splits on LF)
        ("a\rb", "a\rb"),  # a lone CR is multi-line text too
    ],
)
def test_heredoc_keeps_line_ends(tmp_path: Path, uuids: list[str], value: str, body: str) -> None:
    uuids.append(UUID_A)
    out = tmp_path / "output"
    set_outputs(out, {"x": value})
    delimiter = f"ghadelimiter_{UUID_A}"
    assert out.read_bytes() == f"x<<{delimiter}\n{body}\n{delimiter}\n".encode()


def test_a_value_holding_the_delimiter_gets_another(tmp_path: Path, uuids: list[str]) -> None:
    # A doc path from a fork that ends the heredoc early would set outputs of its choosing.
    uuids.extend([UUID_A, UUID_B])
    hostile = f"x\nghadelimiter_{UUID_A}\nverdict=pass"
    out = tmp_path / "output"
    set_outputs(out, {"missing": hostile})
    assert out.read_text(encoding="utf-8") == (
        f"missing<<ghadelimiter_{UUID_B}\n{hostile}\nghadelimiter_{UUID_B}\n"
    )


def test_values_are_utf8(tmp_path: Path) -> None:
    out = tmp_path / "output"
    set_outputs(out, {"category": "Phase 2: Kernstück ✓"})
    assert out.read_bytes() == "category=Phase 2: Kernstück ✓\n".encode()


def test_outputs_append_to_what_the_step_wrote(tmp_path: Path) -> None:
    out = tmp_path / "output"
    out.write_bytes(b"earlier=1\n")
    set_outputs(out, {"verdict": "fail"})
    set_outputs(out, {"coverage": "50.0"})
    assert out.read_bytes() == b"earlier=1\nverdict=fail\ncoverage=50.0\n"


def test_no_outputs_leave_the_file_alone(tmp_path: Path) -> None:
    out = tmp_path / "output"
    out.write_bytes(b"earlier=1\n")
    set_outputs(out, {})
    assert out.read_bytes() == b"earlier=1\n"


@pytest.mark.parametrize(
    "name", ["", "has space", "a=b", "a<<b", "a\nb", "naïve", "steps.x", "x:y"]
)
def test_invalid_name_writes_nothing(tmp_path: Path, name: str) -> None:
    out = tmp_path / "output"
    out.write_bytes(b"earlier=1\n")
    with pytest.raises(ValueError, match=r"expected letters, digits, '_' and '-' only") as info:
        set_outputs(out, {"verdict": "pass", name: "v"})
    assert repr(name) in str(info.value)
    assert out.read_bytes() == b"earlier=1\n"  # not even the valid name before it


def test_no_output_file_off_a_runner(tmp_path: Path) -> None:
    set_outputs(None, {"verdict": "pass", "missing": "a\nb"})
    assert list(tmp_path.iterdir()) == []


def test_invalid_name_is_an_error_off_a_runner_too() -> None:
    with pytest.raises(ValueError):
        set_outputs(None, {"bad name": "v"})


# --- job summary -------------------------------------------------------------------------


def test_summary_appends_with_a_final_newline(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("# Earlier step\n", encoding="utf-8")
    assert append_summary(summary, "## Audit\n\n| a | b |") is False
    assert append_summary(summary, "done\n") is False
    assert summary.read_text(encoding="utf-8") == "# Earlier step\n## Audit\n\n| a | b |\ndone\n"


def test_summary_creates_the_file(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    assert append_summary(summary, "héllo") is False
    assert summary.read_bytes() == "héllo\n".encode()


def test_empty_summary_writes_nothing(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    assert append_summary(summary, "") is False
    assert not summary.exists()


def test_no_summary_file_off_a_runner() -> None:
    assert append_summary(None, "x" * 100, limit=10) is False


def test_summary_exactly_at_the_limit_is_not_cut(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    markdown = "a" * 99 + "\n"
    assert append_summary(summary, markdown, limit=100) is False
    assert summary.read_text(encoding="utf-8") == markdown


def _lines(count: int, width: int = 9) -> str:
    """`count` lines of `width` bytes each, newline included: line i is `L<i>` padded."""
    return "".join(f"L{i}".ljust(width - 1, ".") + "\n" for i in range(count))


def test_summary_cut_at_the_last_whole_line_that_fits(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    markdown = _lines(100)  # 900 bytes
    limit = 5 * 9 + len(NOTE.encode())  # room for exactly five lines and the note
    assert append_summary(summary, markdown, limit=limit) is True
    written = summary.read_bytes()
    assert written == (_lines(5) + NOTE).encode()
    assert len(written) == limit
    assert written.decode().endswith(
        "L4......\n\n_The summary was cut at 1 MiB; see the JSON report for everything._\n"
    )


def test_summary_one_byte_short_keeps_one_line_less(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    limit = 5 * 9 + len(NOTE.encode()) - 1
    assert append_summary(summary, _lines(100), limit=limit) is True
    assert summary.read_bytes() == (_lines(4) + NOTE).encode()


def test_summary_cut_counts_what_the_file_already_holds(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    earlier = "# Earlier step\n" * 10  # 150 bytes
    summary.write_text(earlier, encoding="utf-8")
    limit = 150 + 3 * 9 + len(NOTE.encode()) + 4  # three lines fit, a fourth does not
    assert append_summary(summary, _lines(50), limit=limit) is True
    written = summary.read_bytes()
    assert written == (earlier + _lines(3) + NOTE).encode()
    assert len(written) <= limit


def test_summary_full_from_earlier_steps_gets_nothing(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_bytes(b"x" * 100)
    more = "more\n" * 100
    assert append_summary(summary, more, limit=100 + len(NOTE.encode()) - 1) is True
    assert summary.read_bytes() == b"x" * 100  # not even a partial note


def test_summary_first_line_too_long_leaves_the_note_alone(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    limit = len(NOTE.encode()) + 10
    assert append_summary(summary, "x" * 200 + "\nshort\n", limit=limit) is True
    assert summary.read_bytes() == NOTE.encode()


@pytest.mark.parametrize("char", ["é", "€", "🐳"])  # 2, 3 and 4 bytes in UTF-8
def test_summary_cut_never_splits_a_character(tmp_path: Path, char: str) -> None:
    # The limit falls inside the multi-byte character that ends the second line:
    # the whole line goes, the file stays valid UTF-8.
    summary = tmp_path / "summary.md"
    markdown = f"first\nsecond {char}\n" + "third\n" * 100
    first = len(b"first\n")
    second = len(f"second {char}\n".encode())
    for inside in range(1, len(char.encode()) + 1):
        summary.unlink(missing_ok=True)
        limit = first + second - inside + len(NOTE.encode())
        assert append_summary(summary, markdown, limit=limit) is True
        assert summary.read_bytes().decode("utf-8") == "first\n" + NOTE


def test_default_limit_is_one_mebibyte(tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    summary.write_bytes(b"e" * 1000)
    table = "| image | status |\n|---|---|\n" + "| example/app-ä:1 | missing |\n" * 40_000
    assert append_summary(summary, table) is True
    written = summary.read_bytes()
    assert len(written) <= 1024 * 1024
    assert len(written) > 1024 * 1024 - 40  # cut within one table row of the limit
    # The note follows a blank line: right under a table row it would become a row itself.
    assert written.endswith(b"| missing |\n\n" + SUMMARY_CUT_NOTE.encode() + b"\n")
    written.decode("utf-8")


# --- log commands ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (warning("no docs"), "::warning::no docs"),
        (
            error("gate failed", title="image-docs-audit"),
            "::error title=image-docs-audit::gate failed",
        ),
        (notice("50%\ndone"), "::notice::50%25\\ndone"),
        (
            error("new image", file="scripts/pull, v2.sh", line=7, title="a: b"),
            "::error file=scripts/pull%2C v2.sh,line=7,title=a%3A b::new image",
        ),
        (warning("x", title=""), "::warning::x"),  # no empty properties, ever
        (group("Audit: base\n::add-mask::x"), "::group::Audit: base\\n::add-mask::x"),
        (group("100%"), "::group::100%25"),
        (endgroup(), "::endgroup::"),
    ],
)
def test_log_commands(line: str, expected: str) -> None:
    assert line == expected
    assert "\n" not in line


# --- action.yml --------------------------------------------------------------------------

INPUT_DEFAULTS = {
    "config": ".github/image-docs-audit.yml",
    "pull-script": "",
    "docs": "",
    "exclude": "",
    "fail-under": "",
    "max-drop": "",
    "mode": "auto",
    "comment": "auto",
    "comment-mode": "update",
    "badge": "",
    "github-token": "${{ github.token }}",
    "base-ref": "",
    "comment-body-file": "",
    "index-check": "",
    "sarif": "",
}
OUTPUTS = {
    "verdict",
    "coverage",
    "dedicated-coverage",
    "base-coverage",
    "total",
    "documented",
    "missing",
    "regressions",
    "report-json",
    "comment-body",
    "comment-url",
    "sarif",
}


@pytest.fixture(scope="module")
def action() -> dict[str, Any]:
    loaded = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def test_action_runs_the_dockerfile(action: dict[str, Any]) -> None:
    assert action["name"] == "image-docs-audit"
    assert action["description"]
    assert action["branding"] == {"icon": "book-open", "color": "blue"}
    # No args: the image's ENTRYPOINT is `image-docs-audit action`.
    assert action["runs"] == {"using": "docker", "image": "Dockerfile"}


def test_action_inputs(action: dict[str, Any]) -> None:
    inputs = action["inputs"]
    assert {name: spec["default"] for name, spec in inputs.items()} == INPUT_DEFAULTS
    for name, spec in inputs.items():
        assert isinstance(spec["description"], str) and spec["description"].strip(), name
        assert set(spec) == {"description", "default"}, name


def test_action_outputs(action: dict[str, Any]) -> None:
    outputs = action["outputs"]
    assert set(outputs) == OUTPUTS
    for name, spec in outputs.items():
        assert set(spec) == {"description"}, name
        assert isinstance(spec["description"], str) and spec["description"].strip(), name


@pytest.mark.parametrize("workflow", ["ci.yml", "self-test.yml"])
def test_workflows_pin_actions_and_set_permissions(workflow: str) -> None:
    text = (ROOT / ".github" / "workflows" / workflow).read_text(encoding="utf-8")
    loaded = yaml.safe_load(text)
    assert "contents" in loaded["permissions"]
    for job in loaded["jobs"].values():
        for step in job["steps"]:
            uses = step.get("uses", "")
            if uses and not uses.startswith("./"):
                _, _, ref = uses.partition("@")
                assert len(ref) == 40 and int(ref, 16) >= 0, uses
            # Step outputs and event fields reach scripts through env, never pasted in.
            assert "${{" not in step.get("run", ""), step


def test_self_test_runs_the_action_on_the_sample(action: dict[str, Any]) -> None:
    loaded = yaml.safe_load((ROOT / ".github/workflows/self-test.yml").read_text("utf-8"))
    steps = loaded["jobs"]["self-test"]["steps"]
    audit = next(step for step in steps if step.get("uses") == "./")
    assert set(audit["with"]) <= set(action["inputs"])
    for name, value in audit["with"].items():
        if name == "sarif":  # a file the action writes
            continue
        path = value.split("*")[0]
        assert (ROOT / path).exists(), value
    shown = next(step for step in steps if "env" in step)
    names = {value.split(".outputs.")[1].rstrip(" }") for value in shown["env"].values()}
    assert names == OUTPUTS
