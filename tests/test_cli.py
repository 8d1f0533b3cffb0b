"""The command line: exact reports on a fixture project, agreement of formats, exit codes."""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from goldenfiles import assert_golden
from image_docs_audit import cli, compiled
from image_docs_audit.cli import READER_GONE, main
from image_docs_audit.config import read_config
from image_docs_audit.engine import run_audit
from image_docs_audit.render import render_json
from image_docs_audit.worktree import WorkTree

PROJECT = Path(__file__).parent / "fixtures" / "project"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err, env={})
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the fixture project, so that tests may change it."""
    root = tmp_path / "project"
    shutil.copytree(PROJECT, root, symlinks=True)
    return root


def audit_json(root: Path, *extra: str) -> dict[str, object]:
    code, out, err = run("audit", str(root), "--format", "json", *extra)
    assert (code, err) == (0, "")
    data: dict[str, object] = json.loads(out)
    return data


def test_every_status_and_evidence_of_the_fixture_project() -> None:
    data = audit_json(PROJECT)
    images = data["images"]
    assert isinstance(images, list)
    assert {i["ref"]: (i["status"], i["category"]) for i in images} == {
        "registry.example.com:5000/team/app-base:python-distroless-arm64": (
            "documented",
            "Base Images",
        ),
        "registry.example.com:5000/team/app-base:java-distroless-arm64": (
            "documented",
            "Base Images",
        ),
        "example/app-config-server:1.0": ("documented", "Phase 1: Foundation Services"),
        "example/app-secrets-vault:latest-arm64": ("documented", "Phase 1: Foundation Services"),
        "example/app-api-gateway:latest-arm64": ("documented", None),
        "example/app-session-api@sha256:" + "0123456789abcdef" * 4: ("mentioned", None),
        "example/app-payment-router:2.1": ("documented", "Phase 2: Core Services"),
        "quay.io/team/app-metrics:3": ("missing", "Phase 2: Core Services"),
        "redis:7": ("missing", "Phase 3: Loops"),
        "docker.io/library/nginx:1.27": ("missing", "Phase 3: Loops"),
        "example/app-worker:latest-arm64": ("documented", "Phase 3: Loops"),
        "example/app-mailer:latest-arm64": ("missing", "Phase 3: Loops"),
        "example/app-search:latest-arm64": ("mentioned", "Phase 4a: Heredoc section"),
        "ghcr.io/team/app-indexer:v2": ("ignored", "Phase 4a: Heredoc section"),
        "example/app-backup:1": ("documented", "Phase 5: Through a function"),
        "example/app-crane:1": ("documented", "Phase 5: Through a function"),
    }
    evidence = {i["name"]: i["evidence"] for i in reversed(images)}  # first tag wins
    assert evidence["app-base"] == [  # the python tag; the title names neither
        {"path": "docs/app-base.md", "line": 0, "kind": "filename"},
        {"path": "docs/app-base.md", "line": 5, "kind": "heading"},
        {"path": "docs/app-base.md", "line": 9, "kind": "reference"},
        {"path": "docs/INDEX.md", "line": 3, "kind": "index"},
    ]
    # The java tag: the python tag's reference counts for it too, marked with the tag it names.
    assert images[1]["evidence"][2] == {
        "path": "docs/app-base.md",
        "line": 9,
        "kind": "reference",
        "other_tag": "registry.example.com:5000/team/app-base:python-distroless-arm64",
    }
    assert evidence["app-worker"][0] == {"path": "docs/services.md", "line": 12, "kind": "list"}
    assert [i["name"] for i in images if i["depth"] == "dedicated"] == [
        "app-base",
        "app-base",
        "app-api-gateway",  # its title "API Gateway Smoke Test" counts too (project prefix app-)
        "app-backup",
        "app-crane",  # crane-notes.md, besides the config naming it
    ]
    assert [i["name"] for i in images if i["depth"] == "section"] == [
        "app-config-server",
        "app-secrets-vault",
        "app-payment-router",
        "app-worker",
    ]
    assert evidence["app-crane"][0] == {"path": "docs/crane-notes.md", "line": 0, "kind": "config"}
    assert data["summary"] == {
        "total": 16,
        "documented": 9,
        "mentioned": 2,
        "missing": 4,
        "ignored": 1,
        "coverage": 60.0,
        "dedicated": 5,
        "dedicated_coverage": 33.3,
    }
    assert data["index_docs"] == ["docs/INDEX.md"]
    assert [(w["path"], w["line"], w["message"]) for w in data["warnings"]] == [  # type: ignore[union-attr]
        ("docs/backup-latin1.md", 0, "not valid UTF-8; undecodable bytes were replaced"),
        ("docs/diagram.md", 0, "skipped: binary file"),
        ("docs/passwd.md", 0, "skipped: a symlink that leads outside the audited root"),
        (
            "scripts/pull-images.sh",
            56,
            "cannot know the value of ${UNKNOWN_IMAGE} without running the script; the image "
            "is not audited (set the variable in the script or list the image literally)",
        ),
        (
            "scripts/pull-images.sh",
            57,
            "redis:7 is listed again (first at scripts/pull-images.sh:35)",
        ),
    ]


@pytest.mark.parametrize(
    ("name", "format_name"),
    [
        ("project.txt", "text"),
        ("project.md", "markdown"),
        ("project.json", "json"),
    ],
)
def test_fixture_project_matches_golden(name: str, format_name: str) -> None:
    code, out, err = run("audit", str(PROJECT), "--format", format_name)
    assert (code, err) == (0, "")
    assert_golden(name, out)


@pytest.mark.parametrize("format_name", ["text", "markdown"])
def test_formats_agree_with_json(format_name: str) -> None:
    data = audit_json(PROJECT)
    summary = data["summary"]
    assert isinstance(summary, dict)
    _, out, _ = run("audit", str(PROJECT), "--format", format_name)
    assert f"{summary['coverage']:.1f}%" in out
    for image in data["images"]:  # type: ignore[attr-defined]
        assert re.search(re.escape(image["ref"]).replace("_", r"\\?_"), out), image["ref"]


def test_demo_audits_the_shipped_sample() -> None:
    code, out, err = run("demo", "--format", "json")
    data = json.loads(out)
    assert (code, err) == (0, "")
    assert data["summary"] == {
        "total": 29,
        "documented": 16,
        "mentioned": 3,
        "missing": 9,
        "ignored": 1,
        "coverage": 57.1,
        "dedicated": 9,
        "dedicated_coverage": 32.1,
    }
    assert (data["detected_prefix"], data["require"]) == ("app-", "section")
    # The hand audit names most images; the written index carries the generated marker.
    assert data["index_docs"] == ["docs/CONTAINER_DOCUMENTATION_AUDIT.md", "docs/IMAGES.md"]
    assert data["generated_docs"] == ["docs/IMAGES.md"]
    by_status: dict[str, list[str]] = {}
    by_depth: dict[str | None, list[str]] = {}
    for image in data["images"]:
        by_status.setdefault(image["status"], []).append(image["name"])
        by_depth.setdefault(image["depth"], []).append(image["name"])
    # app-metrics-exporter is only in a `docker run` code block: a full reference there is code.
    assert by_status["mentioned"] == ["app-metrics-exporter", "app-session-api", "app-cache-proxy"]
    assert by_status["ignored"] == ["postgres"]
    assert by_status["missing"] == SAMPLE_MISSING
    assert by_depth["dedicated"] == [
        "app-base",
        "app-base",
        "app-secrets-vault",
        "app-service-registry",
        "app-api-gateway",
        "app-auth-service",
        "app-payment-router",
        "app-order-service",
        "app-edge-proxy",
    ]
    assert by_depth["section"] == SAMPLE_SECTIONS
    code, text, _ = run("demo")
    assert code == 0 and text.startswith(
        "coverage 57.1% (dedicated docs: 32.1%; documented 16 of 28 counted"
    )


SAMPLE_MISSING = [
    "app-log-shipper",
    "app-flag-service",
    "app-mail-relay",
    "app-invoice-generator",
    "app-report-builder",
    "app-search-indexer",
    "app-db-migrator",
    "app-backup-agent",
    "redis",
]
# Documented by a heading, table row or list item in a doc about something else.
SAMPLE_SECTIONS = [
    "app-trace-collector",
    "app-user-profile",
    "app-rate-limiter",
    "app-event-bus",
    "app-config-server",
    "app-notification-worker",
    "app-job-scheduler",
]


def test_require_dedicated_on_the_sample(tmp_path: Path) -> None:
    sample = tmp_path / "sample"
    shutil.copytree(Path(__file__).parent.parent / "src/image_docs_audit/sample", sample)
    config = sample / ".github" / "image-docs-audit.yml"
    config.write_text(config.read_text() + "require: dedicated\n")
    data = audit_json(sample)
    assert data["summary"] == {
        "total": 29,
        "documented": 9,
        "mentioned": 10,
        "missing": 9,
        "ignored": 1,
        "coverage": 32.1,
        "dedicated": 9,
        "dedicated_coverage": 32.1,
    }
    assert data["require"] == "dedicated"
    images = data["images"]
    assert isinstance(images, list)
    # A section in another doc no longer documents an image: it is mentioned, without a depth.
    sections = [i for i in images if i["name"] in SAMPLE_SECTIONS]
    assert {(i["status"], i["depth"]) for i in sections} == {("mentioned", None)}
    assert [i["name"] for i in images if i["status"] == "missing"] == SAMPLE_MISSING
    code, text, _ = run("audit", str(sample))
    assert code == 0
    assert text.splitlines()[:2] == [
        "coverage 32.1% (dedicated docs: 32.1%; documented 9 of 28 counted, mentioned 10, "
        "missing 9; 29 images, 1 ignored)",
        "only dedicated docs count (require: dedicated): an image named only in a section of "
        "another doc is mentioned, not documented",
    ]
    # The gate counts the same way: a floor between the two numbers now fails.
    assert run("audit", str(sample), "--fail-under", "50")[0] == 1


def test_fail_under_gives_exit_1_and_the_config_value_is_overridden(project: Path) -> None:
    assert run("audit", str(project), "--fail-under", "60")[0] == 0
    assert run("audit", str(project), "--fail-under", "60.1")[0] == 1
    (project / ".github" / "image-docs-audit.yml").write_text("fail-under: 90\n")
    assert run("audit", str(project))[0] == 1
    assert run("audit", str(project), "--fail-under", "10")[0] == 0


def test_options_replace_and_add(project: Path) -> None:
    (project / "other.sh").write_text("docker pull example/app-api-gateway:latest-arm64\n")
    data = audit_json(
        project, "--pull-script", "other.sh", "--docs", "docs", "--exclude", "docs/step04*"
    )
    image = data["images"][0]  # type: ignore[index]
    assert data["summary"]["total"] == 1  # type: ignore[index]
    # With one image INDEX.md is no index any more: its prose mention counts as a mention.
    assert (image["status"], image["evidence"]) == (
        "mentioned",
        [{"path": "docs/INDEX.md", "line": 3, "kind": "body"}],
    )


def test_output_file(project: Path, tmp_path: Path) -> None:
    target = tmp_path / "report.md"
    code, out, err = run("audit", str(project), "--format", "markdown", "--output", str(target))
    assert (code, out, err) == (0, "", "")
    assert target.read_text(encoding="utf-8").startswith("# Container image documentation audit")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["audit", "{missing}"],
            "{missing}: the root to audit is not a folder; give the repository's path",
        ),
        (
            ["audit", "{root}", "--fail-under", "abc"],
            "argument --fail-under: 'abc' is not a number from 0 to 100 (a trailing % is allowed) "
            "(see 'image-docs-audit audit --help')",
        ),
        (
            ["audit", "{root}", "--fail-under", "101"],
            "argument --fail-under: '101' is not a number from 0 to 100 (a trailing % is allowed) "
            "(see 'image-docs-audit audit --help')",
        ),
        (
            ["audit", "{root}", "--format", "xml"],
            "argument --format: invalid choice: 'xml' "
            "(choose from 'json', 'markdown', 'sarif', 'text') "
            "(see 'image-docs-audit audit --help')",
        ),
        (
            ["audit", "{root}", "--bogus"],
            "unrecognized arguments: --bogus (see 'image-docs-audit --help')",
        ),
        (["frobnicate"], None),
        ([], "the following arguments are required: command (see 'image-docs-audit --help')"),
        (
            ["audit", "{root}", "--config", "nope.yml"],
            "nope.yml: config file not found; check --config or the 'config' input",
        ),
        (
            ["audit", "{root}", "--pull-script", "missing.sh"],
            "pull-scripts: no file matches missing.sh; check the path",
        ),
        (
            ["audit", "{empty}"],
            "pull-scripts: no pull script found (looked for **/pull-images.sh, "
            "**/pull_images.sh, **/pull-images.bash); name it with --pull-script or "
            "'pull-scripts' in the config",
        ),
        (
            ["audit", "{root}", "--output", "{missing}/out.txt"],
            "{missing}/out.txt: cannot write the report: No such file or directory",
        ),
        (
            ["audit", "{bad_config}"],
            ".github/image-docs-audit.yml:2: unknown key 'pul-scripts'; did "
            "you mean 'pull-scripts'?",
        ),
    ],
)
def test_bad_usage_and_input_give_exit_2_and_one_line(
    argv: list[str], message: str | None, project: Path, tmp_path: Path
) -> None:
    bad_config = tmp_path / "bad"
    (bad_config / ".github").mkdir(parents=True)
    (bad_config / ".github" / "image-docs-audit.yml").write_text("docs: [docs]\npul-scripts: x\n")
    (tmp_path / "empty").mkdir()
    places = {
        "root": project,
        "missing": tmp_path / "missing",
        "empty": tmp_path / "empty",
        "bad_config": bad_config,
    }
    code, out, err = run(*[arg.format(**places) for arg in argv])
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "Traceback" not in err
    if message is not None:
        assert err == f"image-docs-audit: {message.format(**places)}\n"


def test_help_and_version_return_0() -> None:
    code, out, _ = run("--version")
    build = r" \(compiled\)" if compiled() else ""  # the build setup.py compiles says so
    assert code == 0 and re.fullmatch(rf"image-docs-audit \d+\.\d+\.\d+{build}\n", out)
    assert run("audit", "--help")[0] == 0


def test_json_written_in_pieces_is_the_rendered_report(tmp_path: Path) -> None:
    """`audit` writes its JSON as it is encoded, to stdout and to --output: the same
    bytes as the report rendered whole."""
    expected = render_json(run_audit(WorkTree(PROJECT), read_config(PROJECT, None)))
    code, out, err = run("audit", str(PROJECT), "--format", "json")
    assert (code, err, out) == (0, "", expected)
    target = tmp_path / "report.json"
    code, out, err = run("audit", str(PROJECT), "--format", "json", "--output", str(target))
    assert (code, err, out) == (0, "", "")
    assert target.read_text(encoding="utf-8") == expected
    assert json.loads(expected)["images"]  # a report with images, evidence and warnings


class _Unbuffered(io.RawIOBase):
    """The stream below an unbuffered stdout (`PYTHONUNBUFFERED`): each write a system call,
    kept here."""

    def __init__(self) -> None:
        self.writes: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: object) -> int:
        written = bytes(data)  # type: ignore[call-overload]  # (a buffer of any kind)
        self.writes.append(written)
        return len(written)


@pytest.mark.parametrize("chunk", [None, 1])
def test_json_pieces_reach_an_unbuffered_stdout_in_few_writes(
    chunk: int | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The JSON report comes in pieces, one per image and more between them: they are
    written together (one write per MB), after the text written to stdout before them,
    the same bytes as the report rendered whole. (One write per piece took 6,000 system
    calls for 3,000 images.)"""
    if chunk is not None:
        monkeypatch.setattr(cli, "_CHUNK", chunk)  # a write per piece
    expected = render_json(run_audit(WorkTree(PROJECT), read_config(PROJECT, None)))
    raw = _Unbuffered()
    out = io.TextIOWrapper(raw, encoding="utf-8", write_through=True)
    out.write("before\n")
    assert main(["audit", str(PROJECT), "--format", "json"], stdout=out, env={}) == 0
    out.flush()
    assert b"".join(raw.writes).decode("utf-8") == "before\n" + expected
    assert raw.writes[0] == b"before\n"
    pieces = expected.count("\n    {") + 2  # an image, a warning, ... each, and around them
    assert len(raw.writes) == 2 if chunk is None else len(raw.writes) > pieces


def test_the_console_script_ends_with_its_output_whole_and_its_exit_code(tmp_path: Path) -> None:
    """`run` ends the process without the interpreter's teardown: what it printed, what it
    wrote to --output and its exit code are main's, to the last byte."""
    expected = render_json(run_audit(WorkTree(PROJECT), read_config(PROJECT, None)))
    target = tmp_path / "report.json"
    audit = [sys.executable, "-m", "image_docs_audit", "audit", str(PROJECT), "--format", "json"]
    printed = subprocess.run(audit, capture_output=True, text=True, check=False, timeout=120)
    written = subprocess.run(
        [*audit, "--output", str(target), "--fail-under", "100"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert (printed.returncode, printed.stderr, printed.stdout) == (0, "", expected)
    assert (written.returncode, written.stdout, written.stderr) == (1, "", "")  # under 100 %
    missing = subprocess.run(
        [*audit[:4], str(tmp_path / "nowhere")],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert (missing.returncode, missing.stdout) == (2, "")
    assert missing.stderr.startswith("image-docs-audit: ") and missing.stderr.count("\n") == 1
    assert target.read_text(encoding="utf-8") == expected


def test_an_audit_loads_only_what_it_needs() -> None:
    """The action's client (httpx), the templates (jinja2), the index writer, the badge's
    XML helpers, the other formats' renderers, the check's side (the gate, the loosening
    rules, git and subprocess), the file writer and the pull-script reader's grep, awk and tr
    are loaded by the commands (or scripts) that use them, not by every run; nor are the
    bash grammar package's resources (`importlib.resources`, and with it `tempfile`)."""
    script = (
        "import io, sys\n"
        "from image_docs_audit.cli import main\n"
        "out = io.StringIO()\n"
        f"code = main(['audit', {str(PROJECT)!r}, '--format', 'json'], stdout=out, env={{}})\n"
        "heavy = ('httpx', 'jinja2', 'image_docs_audit.living', 'image_docs_audit.github.action',"
        " 'xml.sax', 'urllib.request', 'image_docs_audit.render.check',"
        " 'image_docs_audit.render.markdown', 'image_docs_audit.render.sarif',"
        " 'image_docs_audit.render.text', 'image_docs_audit.gate', 'image_docs_audit.checking',"
        " 'image_docs_audit.loosening', 'image_docs_audit.gitsource', 'image_docs_audit.renames',"
        " 'image_docs_audit.github.commands', 'subprocess', 'image_docs_audit.safefile',"
        " 'image_docs_audit.inventory.grep', 'image_docs_audit.inventory.translate',"
        " 'importlib.resources', 'tempfile')\n"
        "print(code, sorted(name for name in heavy if name in sys.modules))\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    assert found.stdout.split("\n")[0] == "0 []", found.stdout + found.stderr


@pytest.mark.parametrize("config", [False, True])
def test_the_yaml_reader_is_loaded_only_for_a_yaml_file(tmp_path: Path, config: bool) -> None:
    """Without a config file, a compose file, a manifest or a query in the pull script,
    an audit reads no YAML, and PyYAML's import (an eighth of the start-up) is skipped;
    the report is the same as when it is loaded."""
    project = tmp_path / "project"
    shutil.copytree(PROJECT, project)
    if not config:
        (project / ".github" / "image-docs-audit.yml").unlink()
    script = (
        "import io, sys\n"
        "from image_docs_audit.cli import main\n"
        "out = io.StringIO()\n"
        f"code = main(['audit', {str(project)!r}, '--format', 'json'], stdout=out, env={{}})\n"
        "print(code, 'yaml' in sys.modules)\n"
        "print(out.getvalue(), end='')\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    first, _, report = found.stdout.partition("\n")
    assert first == f"0 {config}", found.stdout + found.stderr
    settings = read_config(project, None)
    assert report == render_json(run_audit(WorkTree(project), settings))


def closed_pipe() -> int:
    """The writing end of a pipe whose reader has gone, as `audit | head` leaves it."""
    read, write = os.pipe()
    os.close(read)
    return write


def test_a_reader_that_stops_reading_ends_the_run_quietly() -> None:
    """The report cannot be written: no internal error, the code `yes | head` gives."""
    err = io.StringIO()
    with contextlib.suppress(BrokenPipeError), open(closed_pipe(), "w") as out:
        assert main(["demo", "--format", "json"], stdout=out, stderr=err) == READER_GONE == 141
    assert err.getvalue() == ""
    # The console script: its own ending flushes nothing more and says nothing either.
    for argv in (["demo"], ["demo", "--format", "json"]):
        write = closed_pipe()
        done = subprocess.run(
            [sys.executable, "-m", "image_docs_audit", *argv],
            stdout=write,
            stderr=subprocess.PIPE,
            check=False,
        )
        os.close(write)
        assert (done.returncode, done.stderr) == (141, b"")


def test_a_broken_pipe_that_is_not_stdout_is_an_internal_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*_: object) -> int:
        raise BrokenPipeError(32, "Broken pipe")  # as a git process's pipe would

    monkeypatch.setattr("image_docs_audit.cli._demo", broken)
    code, out, err = run("demo")
    assert (code, out) == (3, "")
    assert err.startswith("image-docs-audit: internal error in 'demo' (BrokenPipeError)")


@pytest.mark.parametrize(
    ("documented", "shown", "code"),
    [(2000, 99.9, 1), (2001, 100.0, 0), (1, 0.1, 1), (0, 0.0, 1), (1000, 50.0, 1)],
)
def test_coverage_shows_and_gates_100_and_0_only_when_exact(
    tmp_path: Path, documented: int, shown: float, code: int
) -> None:
    """2,000 of 2,001 rounded to 100.0%, which passed `--fail-under 100` with an image
    missing; it is 99.9% everywhere now (as coverage.py shows it), and fails."""
    (tmp_path / "docs").mkdir()
    names = [f"svc-{n:04}" for n in range(2001)]
    (tmp_path / "pull-images.sh").write_text(
        "".join(f"docker pull example/{name}:1\n" for name in names)
    )
    for name in names[:documented]:
        (tmp_path / "docs" / f"{name}.md").write_text(f"# {name}\n\nIt runs.\n")
    got, out, err = run("audit", str(tmp_path), "--format", "json", "--fail-under", "100")
    summary = json.loads(out)["summary"]
    assert (got, err, summary["coverage"], summary["documented"]) == (code, "", shown, documented)
    text = run("audit", str(tmp_path), "--fail-under", "100")[1]
    assert text.startswith(f"coverage {shown:.1f}% ")
