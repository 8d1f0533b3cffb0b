"""The commands that write into the repository: the living index, the pull script's
`# docs:` comments and the starter docs of `scaffold`; and the shipped sample's facts."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from image_docs_audit.annotate import annotate, scan_lines
from image_docs_audit.cli import main
from image_docs_audit.inventory.reference import parse_reference
from image_docs_audit.model import Image, ImageResult, Location, Port, Status
from image_docs_audit.scaffold import scaffold_doc

SAMPLE = Path(__file__).parent.parent / "src" / "image_docs_audit" / "sample"
SCRIPT = "scripts/verification/pull-images.sh"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    root = tmp_path / "sample"
    shutil.copytree(SAMPLE, root)
    return root


def statuses(root: Path) -> dict[str, str]:
    code, out, _ = run("audit", str(root), "--format", "json")
    assert code == 0
    data: dict[str, Any] = json.loads(out)
    return {image["ref"]: image["status"] for image in data["images"]}


# The living index


def test_the_shipped_index_is_up_to_date() -> None:
    assert run("index", str(SAMPLE), "--check", "docs/IMAGES.md") == (
        0,
        "docs/IMAGES.md is up to date\n",
        "",
    )


def test_write_then_check_then_a_new_image_makes_it_stale(sample: Path) -> None:
    (sample / "docs" / "IMAGES.md").unlink()
    before = statuses(sample)
    assert run("index", str(sample), "--check", "docs/IMAGES.md") == (
        1,
        "docs/IMAGES.md does not exist; refresh it with: "
        "image-docs-audit index --write docs/IMAGES.md\n",
        "",
    )
    assert run("index", str(sample), "--write", "docs/IMAGES.md") == (
        0,
        "wrote docs/IMAGES.md (29 images)\n",
        "",
    )
    assert run("index", str(sample), "--check", "docs/IMAGES.md")[0] == 0
    # The written index names every image, and changes no status.
    assert statuses(sample) == before
    script = sample / SCRIPT
    script.write_text(
        script.read_text().replace("    # Phase 5", '    "example/app-new:1"\n    # Phase 5')
    )
    code, out, _ = run("index", str(sample), "--check", "docs/IMAGES.md")
    assert code == 1
    assert out.splitlines() == [
        "docs/IMAGES.md is stale: line 4 differs; refresh it with: "
        "image-docs-audit index --write docs/IMAGES.md",
        "  written:  Every image the pull scripts use, with its documentation. Documented 16 of "
        "28 counted images (57.1%); 9 missing, 3 mentioned only, 1 ignored.",
        "  expected: Every image the pull scripts use, with its documentation. Documented 16 of "
        "29 counted images (55.2%); 10 missing, 3 mentioned only, 1 ignored.",
    ]
    assert statuses(sample)["example/app-new:1"] == "missing"


def test_the_index_alone_documents_nothing(tmp_path: Path) -> None:
    """Even for an inventory too small for the share test, the marker makes it an index doc."""
    root = tmp_path / "repo"
    (root / "docs").mkdir(parents=True)
    (root / "pull-images.sh").write_text("docker pull example/app-api:1\n")
    (root / "docs" / "notes.md").write_text("# Notes\n")
    assert run("index", str(root), "--write", "docs/IMAGES.md")[0] == 0
    index = (root / "docs" / "IMAGES.md").read_text()
    assert index.startswith("<!-- image-docs-audit:generated-index: written by ")
    # Make the index name the image in a heading too: still no documentation.
    (root / "docs" / "IMAGES.md").write_text(index + "\n## app-api\n\nPort: 8080\n")
    code, out, _ = run("audit", str(root), "--format", "json")
    data = json.loads(out)
    assert [i["status"] for i in data["images"]] == ["missing"]
    assert data["index_docs"] == data["generated_docs"] == ["docs/IMAGES.md"]
    assert data["images"][0]["ports"] == []
    assert code == 0


def test_index_links_are_relative_to_its_folder(sample: Path) -> None:
    assert run("index", str(sample), "--write", "INDEX.md")[0] == 0
    text = (sample / "INDEX.md").read_text()
    assert (
        "| example/app-order-service:latest-arm64 | Phase 4: Business Services | documented | "
        "dedicated | 8300 | [docs/ORDER\\_SERVICE\\_BUILD\\_PROTOCOL.md]"
        "(docs/ORDER_SERVICE_BUILD_PROTOCOL.md) | 75% |"
    ) in text


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["index"], "index needs --write FILE, --check FILE or --annotate-script"),
        (["index", "--write", "../x.md"], "--write: '../x.md' must be a path inside the root"),
        (
            ["index", "--check", "x.md", "--annotate-script"],
            "--annotate-script writes the pull scripts; it does not go with --check",
        ),
    ],
)
def test_index_usage_errors(sample: Path, argv: list[str], message: str) -> None:
    code, _, err = run(*argv[:1], str(sample), *argv[1:])
    assert code == 2
    assert message in err


# --annotate-script

SCRIPT_TEXT = (
    "#!/bin/sh\r\n"
    "IMAGES=(\r\n"
    '  "example/app-api:1"   # the API\r\n'
    '  "example/app-web:1"  # docs: docs/old.md\r\n'
    '  "example/app-gone:1"  # docs: docs/gone.md\r\n'
    ")\r\n"
    "cat <<EOF | xargs -n1 docker pull\r\n"
    "example/app-worker:1\r\n"
    "EOF\r\n"
    'docker pull \\\r\n  "${REG:-example}/app-db:1"\r\n'
    "echo 'done # really'\r\n"
)


def test_annotate_changes_only_the_comments_of_image_lines() -> None:
    data = SCRIPT_TEXT.encode()
    docs = {3: ["docs/app-api.md"], 4: ["docs/app-web.md"], 5: [], 8: ["docs/w.md"], 11: ["d.md"]}
    names = {3: "app-api", 4: "app-web", 5: "app-gone", 8: "app-worker", 11: "app-db"}
    changed = annotate(data, docs, names)
    assert changed.decode().split("\r\n") == [
        "#!/bin/sh",
        "IMAGES=(",
        '  "example/app-api:1"   # the API  # docs: docs/app-api.md',
        '  "example/app-web:1"  # docs: docs/app-web.md',
        '  "example/app-gone:1"',
        ")",
        "cat <<EOF | xargs -n1 docker pull",
        "example/app-worker:1",  # a heredoc's line is data: never touched
        "EOF",
        "docker pull \\",
        '  "${REG:-example}/app-db:1"  # docs: d.md',
        "echo 'done # really'",
        "",
    ]
    # Idempotent, and every byte of the lines it does not annotate stays.
    assert annotate(changed, docs, names) == changed
    old, new = data.split(b"\r\n"), changed.split(b"\r\n")
    assert [a for i, a in enumerate(old) if i + 1 not in (3, 4, 5, 11)] == [
        b for i, b in enumerate(new) if i + 1 not in (3, 4, 5, 11)
    ]


def test_hostile_doc_names_are_written_escaped_into_the_comment() -> None:
    """A pull request's doc named `x\n)\ntouch PWNED\n#.md` closed the array and made
    `touch PWNED` a command of the script: a comment now holds no line end nor control,
    and no backslash either (inside a string it would escape the closing quote)."""
    data = (
        b'IMAGES=(\n  "example/app-api:1"\n)\nfor i in "${IMAGES[@]}"; do docker pull "$i"; done\n'
    )
    hostile = "docs/app-api\n)\ntouch PWNED\r\u2028\x1b[2J\x85X=(\n#.md"
    changed = annotate(data, {2: [hostile, "docs/ok.md"]}, {2: "app-api"}).decode()
    assert changed.split("\n")[1] == (
        '  "example/app-api:1"  # docs: docs/app-api%0A%29%0Atouch PWNED%0D%E2%80%A8%1B%5B2J'
        "%C2%85X=%28%0A#.md, docs/ok.md"
    )
    assert changed.count("\n") == data.count(b"\n")


def test_lines_inside_quotes_and_continued_lines_are_not_safe() -> None:
    text = 'A="one\ntwo"\nB=${X#*/} # trim\ndocker pull a \\\n  b\nC=1\n'
    assert [(line.safe, line.comment) for line in scan_lines(text)] == [
        (False, None),
        (False, None),
        (True, 10),
        (False, None),
        (True, None),
        (True, None),
        (True, None),
    ]


def test_annotate_script_on_the_sample_touches_only_image_lines(sample: Path) -> None:
    script = sample / SCRIPT
    script.chmod(0o755)
    before = script.read_bytes()
    assert run("index", str(sample), "--annotate-script") == (0, f"annotated {SCRIPT}\n", "")
    after = script.read_bytes()
    changed = [
        (a.decode(), b.decode())
        for a, b in zip(before.split(b"\n"), after.split(b"\n"), strict=True)
        if a != b
    ]
    assert len(changed) == 16  # the documented images
    assert all(b.startswith(a + "  # docs: docs/") for a, b in changed)
    assert changed[0][1] == (
        '    "${REGISTRY}/app-base:python-distroless-arm64"  # docs: '
        "docs/BASE_IMAGES_BUILD_REPORT.md"
    )
    assert script.stat().st_mode & 0o777 == 0o755
    assert run("index", str(sample), "--annotate-script")[1] == f"{SCRIPT} is annotated already\n"
    # The comments change nothing the audit reads.
    assert statuses(sample) == statuses(SAMPLE)


# scaffold


def test_scaffold_writes_a_starter_doc_with_what_the_audit_knows(sample: Path) -> None:
    code, out, _ = run(
        "scaffold", "app-flag-service", "app-metrics-exporter", "--root", str(sample)
    )
    assert (code, out) == (
        0,
        "wrote docs/app-metrics-exporter.md for example/app-metrics-exporter:latest-arm64\n"
        "wrote docs/app-flag-service.md for example/app-flag-service:latest-arm64\n",
    )
    assert (sample / "docs" / "app-metrics-exporter.md").read_text() == (
        "# app-metrics-exporter\n\n"
        "<!-- Starter doc from `image-docs-audit scaffold`: replace every TODO line. -->\n\n"
        "| Field | Value |\n"
        "|---|---|\n"
        "| Image | `example/app-metrics-exporter:latest-arm64` |\n"
        "| Category | Phase 1: Foundation Services |\n"
        "| Source | `scripts/verification/pull-images.sh:19` |\n\n"
        "## Ports\n\n"
        "- 9100/tcp (from docs/observability-rollout.md:11)\n\n"
        "## Dependencies\n\n"
        "TODO: dependencies of app-metrics-exporter.\n\n"
        "## Smoke test\n\n"
        "TODO: smoke test of app-metrics-exporter.\n\n"
        "## Known issues\n\n"
        "TODO: known issues of app-metrics-exporter.\n"
    )
    code, out, _ = run("audit", str(sample), "--format", "json")
    images = {i["name"]: i for i in json.loads(out)["images"]}
    # Documented now (its own doc), but the rubric counts no TODO section.
    exporter = images["app-metrics-exporter"]
    assert (exporter["status"], exporter["depth"], exporter["completeness"]) == (
        "documented",
        "dedicated",
        25.0,
    )
    assert exporter["missing_sections"] == ["Dependencies", "Smoke test", "Known issues"]


def test_scaffold_never_overwrites(sample: Path) -> None:
    target = sample / "docs" / "archive" / "app-mail-relay.md"  # excluded from the audit
    target.write_text("mine\n")
    argv = ("app-mail-relay", "app-api-gateway", "--root", str(sample), "--dir", "docs/archive")
    assert run("scaffold", *argv) == (
        0,
        "skipped example/app-api-gateway:latest-arm64: documented\n"
        "kept docs/archive/app-mail-relay.md: it exists (scaffold never overwrites a file)\n",
        "",
    )
    assert target.read_text() == "mine\n"
    link = sample / "docs" / "app-db-migrator.md"
    link.symlink_to(sample / "elsewhere.md")  # dangling: still a name that exists
    assert (
        "kept docs/app-db-migrator.md"
        in run("scaffold", "app-db-migrator", "--root", str(sample))[1]
    )
    assert not (sample / "elsewhere.md").exists()


def test_scaffold_without_images_fills_every_gap_and_names_unknown_ones(sample: Path) -> None:
    code, _, err = run("scaffold", "app-nope", "--root", str(sample))
    assert (code, err) == (
        2,
        "image-docs-audit: app-nope: names no image of the pull scripts; check the name\n",
    )
    code, out, _ = run("scaffold", "--root", str(sample), "--dir", "docs/new")
    assert code == 0
    assert len(out.splitlines()) == 12  # 9 missing and 3 mentioned images
    assert all(line.startswith("wrote docs/new/") for line in out.splitlines())


def small_repo(root: Path, script: str = 'IMAGES=(\n  "example/app-alpha:1.0"\n)\n') -> Path:
    """A repository with one pull script (`script`) and a docs folder."""
    (root / "docs").mkdir(parents=True)
    (root / "pull-images.sh").write_text(script)
    return root


def test_index_check_on_a_folder_or_under_a_file_is_a_stale_index(tmp_path: Path) -> None:
    root = small_repo(tmp_path / "repo")
    (root / "docs" / "IMAGES.md").mkdir()  # a pull request can commit docs/IMAGES.md/x
    (root / "docs" / "IMAGES.md" / "x").write_text("x\n")
    (root / "docs" / "app-alpha.md").write_text("# app-alpha\n")
    refresh = "refresh it with: image-docs-audit index --write"
    assert run("index", str(root), "--check", "docs/IMAGES.md") == (
        1,
        f"docs/IMAGES.md is a folder, not the index; remove it, then {refresh} docs/IMAGES.md\n",
        "",
    )
    assert run("index", str(root), "--check", "docs/app-alpha.md/IMAGES.md") == (
        1,
        "docs/app-alpha.md/IMAGES.md does not exist: docs/app-alpha.md is a file, not a "
        f"folder; move it, then {refresh} docs/app-alpha.md/IMAGES.md\n",
        "",
    )


def test_index_write_onto_a_folder_or_under_a_file_is_one_line_exit_2(tmp_path: Path) -> None:
    root = small_repo(tmp_path / "repo")
    (root / "docs" / "IMAGES.md").mkdir()
    (root / "docs" / "app-alpha.md").write_text("# app-alpha\n")
    assert run("index", str(root), "--write", "docs/IMAGES.md") == (
        2,
        "",
        "image-docs-audit: docs/IMAGES.md: cannot write the index: Is a directory\n",
    )
    assert run("index", str(root), "--write", "docs/app-alpha.md/IMAGES.md") == (
        2,
        "",
        "image-docs-audit: docs/app-alpha.md/IMAGES.md: cannot write the index: "
        "docs/app-alpha.md is not a folder; choose another path\n",
    )
    assert sorted(p.name for p in (root / "docs").iterdir()) == ["IMAGES.md", "app-alpha.md"]
    assert (root / "docs" / "app-alpha.md").read_text() == "# app-alpha\n"


def test_scaffold_dir_onto_or_under_a_file_is_one_line_exit_2(tmp_path: Path) -> None:
    root = small_repo(tmp_path / "repo")
    for folder in ("pull-images.sh", "pull-images.sh/x"):
        assert run("scaffold", "--root", str(root), "--dir", folder) == (
            2,
            "",
            "image-docs-audit: --dir: cannot write the starter docs: pull-images.sh is not a "
            "folder; choose another path\n",
        )
    assert sorted(p.name for p in root.iterdir()) == ["docs", "pull-images.sh"]


def test_scaffold_writes_into_the_root_when_the_docs_folder_is_the_root(tmp_path: Path) -> None:
    root = small_repo(tmp_path / "repo")
    (root / ".github").mkdir()
    (root / ".github" / "image-docs-audit.yml").write_text('docs: ["."]\n')
    assert run("scaffold", "--root", str(root)) == (
        0,
        "wrote app-alpha.md for example/app-alpha:1.0\n",
        "",
    )
    assert (root / "app-alpha.md").read_text().startswith("# app-alpha\n")
    assert statuses(root) == {"example/app-alpha:1.0": "documented"}


def test_scaffold_says_what_it_did_for_images_that_share_a_name(tmp_path: Path) -> None:
    script = (
        "docker pull example/app-gamma:1.0\n"
        "docker pull other/app-gamma:2.0\n"
        "docker pull example/app-gamma:2.0\n"
    )
    root = small_repo(tmp_path / "repo", script)
    assert run("scaffold", "--root", str(root)) == (
        0,
        "wrote docs/app-gamma.md for example/app-gamma:1.0\n"
        "wrote docs/other-app-gamma.md for other/app-gamma:2.0\n"
        "docs/app-gamma.md (written above) is example/app-gamma:2.0's starter doc too: "
        "one doc for the tags of example/app-gamma\n",
        "",
    )
    assert sorted(p.name for p in (root / "docs").iterdir()) == [
        "app-gamma.md",
        "other-app-gamma.md",
    ]
    other = (root / "docs" / "other-app-gamma.md").read_text().splitlines()
    assert other[0] == "# other/app-gamma"
    assert other[6:9] == [
        "| Image | `other/app-gamma:2.0` |",
        "| Category | — |",
        "| Source | `pull-images.sh:2` |",
    ]
    # A second run keeps both, and says so: they exist now.
    assert run("scaffold", "--root", str(root), "app-gamma")[1] == (
        "skipped example/app-gamma:1.0: documented\n"
        "skipped other/app-gamma:2.0: documented\n"
        "skipped example/app-gamma:2.0: documented\n"
    )


def test_scaffold_keeps_a_file_that_existed_before_the_run(tmp_path: Path) -> None:
    script = "docker pull example/app-gamma:1.0\ndocker pull example/app-gamma:2.0\n"
    root = small_repo(tmp_path / "repo", script)
    (root / "notes").mkdir()
    (root / "notes" / "app-gamma.md").write_text("mine\n")  # outside the docs folder
    kept = "kept notes/app-gamma.md: it exists (scaffold never overwrites a file)\n"
    assert run("scaffold", "--root", str(root), "--dir", "notes") == (0, kept * 2, "")
    assert (root / "notes" / "app-gamma.md").read_text() == "mine\n"


def test_a_source_path_with_a_backtick_is_written_as_it_is(tmp_path: Path) -> None:
    root = small_repo(tmp_path / "repo")
    folder = root / "ops" / "a`b|c"
    folder.mkdir(parents=True)
    (root / "pull-images.sh").rename(folder / "pull-images.sh")
    script = "ops/a`b|c/pull-images.sh"
    assert run("scaffold", "--root", str(root), "--pull-script", script)[0] == 0
    rows = (root / "docs" / "app-alpha.md").read_text().splitlines()[6:9]
    assert rows == [
        "| Image | `example/app-alpha:1.0` |",
        "| Category | — |",
        "| Source | ``ops/a`b\\|c/pull-images.sh:2`` |",
    ]


def test_a_starter_doc_shows_backticks_as_they_are_and_a_line_end_as_a_space() -> None:
    """As the comment shows them (md_cell, md_code): a cell is one line."""
    ref = "example/app-x:1"
    image = Image(ref, parse_reference(ref), "Tier `a` | b", Location("``s\n.sh`", 2))
    text = scaffold_doc(ImageResult(image, Status.MISSING, ()), ("Notes",))
    assert text.splitlines()[7:9] == [
        "| Category | Tier \\`a\\` \\| b |",
        "| Source | ``` ``s .sh`:2 ``` |",
    ]


def test_annotate_script_refuses_a_script_that_is_not_utf_8(tmp_path: Path) -> None:
    root = small_repo(tmp_path / "repo")
    (root / "docs" / "app-alpha.md").write_text("# app-alpha\n")
    good = root / "pull-images.sh"
    bad = root / "more-images.sh"
    bad.write_bytes(b"# caf\xe9\ndocker pull example/app-beta:1\n")
    (root / "docs" / "app-beta.md").write_text("# app-beta\n")
    before = good.read_bytes(), bad.read_bytes()
    argv = ("--pull-script", "pull-images.sh", "--pull-script", "more-images.sh")
    assert run("index", str(root), "--annotate-script", *argv) == (
        2,
        "",
        "image-docs-audit: more-images.sh:1: not UTF-8, so no pull script was annotated; "
        "save it as UTF-8 and run again\n",
    )
    assert (good.read_bytes(), bad.read_bytes()) == before


# The shipped sample shows every fact


def test_the_demo_shows_the_facts() -> None:
    code, out, _ = run("demo", "--format", "json")
    data = json.loads(out)
    images = {i["name"]: i for i in data["images"] if i["name"] != "app-base"}
    assert code == 0
    assert [(c["port"], [u["image"] for u in c["claims"]]) for c in data["port_conflicts"]] == [
        (
            8200,
            ["example/app-secrets-vault:latest-arm64", "example/app-payment-router:latest-arm64"],
        ),
        (
            8201,
            ["example/app-secrets-vault:latest-arm64", "example/app-payment-router:latest-arm64"],
        ),
    ]
    assert images["app-flag-service"]["alias_suggestions"] == [
        {
            "alias": "flag-svc",
            "kind": "filename",
            "path": "docs/step12-flag-svc-smoke-test.md",
            "line": 0,
        }
    ]
    assert images["app-flag-service"]["status"] == "missing"
    assert data["orphan_docs"] == [
        {
            "path": "docs/app-legacy-build-report.md",
            "line": 0,
            "kind": "unknown_image",
            "name": "app-legacy",
        }
    ]
    assert data["drift"] == [
        {
            "image": "example/app-payment-router:latest-arm64",
            "cited": "example/app-payment-router:1.3-arm64",
            "path": "docs/PAYMENT_ROUTER_BUILD_PROTOCOL.md",
            "line": 9,
            "source": {"path": SCRIPT, "line": 39},
        }
    ]
    completeness = {
        name: i["completeness"] for name, i in images.items() if i["completeness"] is not None
    }
    assert completeness == {
        "app-secrets-vault": 50.0,
        "app-service-registry": 75.0,
        "app-trace-collector": 75.0,
        "app-api-gateway": 50.0,
        "app-auth-service": 75.0,
        "app-user-profile": 25.0,
        "app-rate-limiter": 25.0,
        "app-event-bus": 0.0,
        "app-config-server": 75.0,
        "app-notification-worker": 100.0,
        "app-job-scheduler": 0.0,
        "app-payment-router": 100.0,
        "app-order-service": 75.0,
        "app-edge-proxy": 50.0,
    }


def test_a_starter_doc_lists_an_image_s_ports_once_and_the_first_hundred() -> None:
    """The ports go under the first section about ports, the first hundred of them: a
    config may require 500 sections about ports and a compose file give an image a
    thousand ports (100 images then made 1.9 GB of starter docs)."""
    ref = "example/app-x:1"
    image = Image(ref, parse_reference(ref), None, Location("pull-images.sh", 2))
    ports = tuple(Port(8000 + n, "tcp", Location("compose.yml", 3 + n)) for n in range(150))
    result = ImageResult(image, Status.MISSING, (), ports=ports)
    text = scaffold_doc(result, ("Notes", "Ports", "Port mappings"))
    assert text.split("## ")[1:] == [
        "Notes\n\nTODO: notes of app-x.\n\n",
        "Ports\n\n"
        + "".join(f"- {8000 + n}/tcp (from compose.yml:{3 + n})\n" for n in range(100))
        + "- and 50 more: see the audit's report\n\n",
        "Port mappings\n\nTODO: port mappings of app-x.\n",
    ]
