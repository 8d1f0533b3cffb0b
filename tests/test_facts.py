"""Facts beyond coverage on small projects: ports and conflicts, the rubric, alias
suggestions, orphan docs and tag drift. None of them changes a status."""

from __future__ import annotations

import io
import json
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt

from gitrepo import Repo
from image_docs_audit import facts as facts_module
from image_docs_audit.checking import run_check
from image_docs_audit.cli import main
from image_docs_audit.config import AuditSettings
from image_docs_audit.docs.outline import outline, port_run
from image_docs_audit.docs.rubric import SectionIndex, names_section
from image_docs_audit.engine import (
    ScanCache,
    audit_side,
    build_matcher,
    read_side,
    run_audit,
)
from image_docs_audit.gitsource import GitTree
from image_docs_audit.inventory import read_inventory
from image_docs_audit.model import (
    AliasSuggestion,
    Drift,
    Kind,
    Location,
    OrphanDoc,
    OrphanKind,
    Port,
)
from image_docs_audit.render import render_markdown, render_text
from image_docs_audit.worktree import WorkTree
from test_render import HOSTILE

SCRIPT = "scripts/pull-images.sh"


def project(root: Path, images: list[str], docs: dict[str, str], config: str = "") -> Path:
    """A repository with a pull script listing `images` (one a line, from line 2) and `docs`."""
    script = root / SCRIPT
    script.parent.mkdir(parents=True)
    script.write_text(
        "IMAGES=(\n" + "".join(f'  "{image}"\n' for image in images) + ")\n"
        'for i in "${IMAGES[@]}"; do docker pull "$i"; done\n'
    )
    for path, text in docs.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text)
    if config:
        (root / ".github").mkdir()
        (root / ".github" / "image-docs-audit.yml").write_text(config)
    return root


def audit(root: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["audit", str(root), "--format", "json", *extra], stdout=out, stderr=err)
    assert err.getvalue() == ""
    return code, json.loads(out.getvalue())


def by_name(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {image["name"]: image for image in data["images"]}


def ports(image: dict[str, Any]) -> list[tuple[int, str, str]]:
    return [(p["port"], p["protocol"], f"{p['path']}:{p['line']}") for p in image["ports"]]


# Ports


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Port: 8080", [8080]),
        ("- **Ports:** 8080/tcp, 8443/tcp (HTTPS) and 9901", [8080, 8443, 9901]),
        ("The broker listens on port 8094.", [8094]),
        ("ports 4222 (clients) and 8222 (monitoring); smoke test PASS", [4222, 8222]),
        ("docker run -d -p 8080:80 -p 127.0.0.1:8443:443/tcp example/web", [8080, 8443]),
        ("Upgraded to 2.10, port: none", []),
        ("Built 2024-06-12 in 4 min 40 s, 88 MB", []),
        ("The admin port listens on 127.0.0.1 only", []),
    ],
)
def test_ports_in_a_line(line: str, expected: list[int]) -> None:
    assert [p.number for p in outline(line + "\n").ports] == expected


def test_ports_under_a_ports_heading_and_in_a_port_column() -> None:
    text = (
        "# Service registry\n\n"
        "## Ports\n\n"
        "- 8500 (API/Consul)\n"
        "- 8600/udp: DNS\n"
        "Note: nothing else listens here.\n\n"
        "## Smoke test\n\n"
        "| Service | Host port | Protocol |\n"
        "|---|---|---|\n"
        "| api | 8080 | tcp |\n"
        "| dns | 53 | udp |\n"
        "\n- 9000 is not in a ports section\n"
    )
    found = [(p.line, p.number, p.protocol) for p in outline(text).ports]
    assert found == [(5, 8500, "tcp"), (6, 8600, "udp"), (13, 8080, "tcp"), (14, 53, "udp")]
    assert list(port_run("8080/tcp, 8443 (TLS) and 9000 then 7000")) == [
        (8080, "tcp"),
        (8443, "tcp"),
        (9000, "tcp"),
    ]


DOCS_WITH_PORTS = {
    "docs/step01-secrets-vault-smoke-test.md": "# Secrets vault smoke test\n\nPort: 8200\n",
    "docs/payment-router.md": "# Payment router\n\n## Ports\n\n- 8200 (routing API)\n",
    "docs/phase2.md": (
        "# Phase 2\n\n"
        "| Container | Port | Result |\n"
        "|---|---|---|\n"
        "| app-user-profile | 8110 | PASS |\n\n"
        "## app-event-bus\n\n"
        "Clients connect on port 4222.\n\n"
        "```bash\n"
        "docker run -p 9100:9100 example/app-metrics-exporter:1.0\n"
        "```\n"
    ),
}
IMAGES = [
    "example/app-secrets-vault:1.0",
    "example/app-payment-router:1.0",
    "example/app-user-profile:1.0",
    "example/app-event-bus:1.0",
    "example/app-metrics-exporter:1.0",
]


def test_ports_belong_to_the_image_whose_place_they_stand_in(tmp_path: Path) -> None:
    _, data = audit(project(tmp_path, IMAGES, DOCS_WITH_PORTS))
    images = by_name(data)
    assert {name: ports(image) for name, image in images.items()} == {
        "app-secrets-vault": [(8200, "tcp", "docs/step01-secrets-vault-smoke-test.md:3")],
        "app-payment-router": [(8200, "tcp", "docs/payment-router.md:5")],
        "app-user-profile": [(8110, "tcp", "docs/phase2.md:5")],
        "app-event-bus": [(4222, "tcp", "docs/phase2.md:9")],
        # A `docker run` names the image only in code (mentioned), yet the port is its own.
        "app-metrics-exporter": [(9100, "tcp", "docs/phase2.md:12")],
    }
    assert images["app-metrics-exporter"]["status"] == "mentioned"


def test_a_port_in_a_code_block_is_the_image_its_line_names(tmp_path: Path) -> None:
    """Two `docker run` lines in one block: each image its own port (both gave both theirs
    to each, two false conflicts); a line naming none gives the block's images."""
    docs = {
        "docs/local.md": (
            "# Local setup\n\n```bash\n"
            "docker run -d -p 5432:5432 postgres:16\n"
            "docker run -d -p 8080:8080 example/app-api:1.0\n"
            "curl -s localhost -p 9000:9000\n```\n"
        )
    }
    _, data = audit(project(tmp_path, ["postgres:16", "example/app-api:1.0"], docs))
    assert {i["ref"]: ports(i) for i in data["images"]} == {
        "postgres:16": [(5432, "tcp", "docs/local.md:4"), (9000, "tcp", "docs/local.md:6")],
        "example/app-api:1.0": [
            (8080, "tcp", "docs/local.md:5"),
            (9000, "tcp", "docs/local.md:6"),
        ],
    }
    assert data["port_conflicts"][0]["port"] == 9000
    assert len(data["port_conflicts"]) == 1


def test_a_pre_block_is_a_code_block(tmp_path: Path) -> None:
    """`<pre>` shows its lines as code, as a fenced block: its references are `code`, each
    line's port its images', a line naming none the block's images', and a `Port:` in it is
    a sample's text, no port of anyone's (as in a fenced block)."""
    docs = {
        "docs/local.md": (
            "# Local setup\n\n<pre>\n"
            "docker run -d -p 5432:5432 postgres:16\n"
            "docker run -d -p 8080:8080 example/app-api:1.0\n"
            "curl -s localhost -p 9000:9000\nPort: 7000\n</pre>\n"
        )
    }
    _, data = audit(project(tmp_path, ["postgres:16", "example/app-api:1.0"], docs))
    assert {i["ref"]: (i["status"], ports(i)) for i in data["images"]} == {
        "postgres:16": (
            "mentioned",
            [(5432, "tcp", "docs/local.md:4"), (9000, "tcp", "docs/local.md:6")],
        ),
        "example/app-api:1.0": (
            "mentioned",
            [(8080, "tcp", "docs/local.md:5"), (9000, "tcp", "docs/local.md:6")],
        ),
    }
    assert outline(docs["docs/local.md"]).code == ((3, 8),)


def test_an_html_comment_gives_no_port_and_no_drift(tmp_path: Path) -> None:
    """What a reader never sees (a commented-out block) cites no tag and gives no port; the
    same text in a fenced block is code, read as before."""
    docs = {
        "docs/redis.md": (
            "# Redis\n\nOur cache.\n\n<!--\nOld instructions:\n"
            "docker run -d -p 6380:6379 redis:6.0\n-->\n"
            "<!-- docker run -p 6381:6379 redis:6.2 -->\n\n"
            "```bash\n<!-- docker run -p 6379:6379 redis:7.2 -->\n```\n"
        )
    }
    _, data = audit(project(tmp_path, ["redis:7.2"], docs))
    assert [ports(i) for i in data["images"]] == [[(6379, "tcp", "docs/redis.md:12")]]
    assert data["drift"] == []


LINUXSERVER_PARAMETERS = (
    "## Parameters\n\nContainers are configured using parameters passed at runtime. These"
    " parameters are separated by a colon and indicate `<external>:<internal>` respectively."
    " For example, `-p 8080:80` would expose port `80` from inside the container to be"
    " accessible from the host's IP on port `8080` outside the container.\n"
)


def test_a_line_giving_an_example_gives_no_port_and_no_tag(tmp_path: Path) -> None:
    """The paragraph every LinuxServer image's README has gave each such image ports 80 and
    8080, and every two of them a conflict; an example's tag is no drift either."""
    docs = {
        f"docs/{name}.md": f"# {name}\n\n{LINUXSERVER_PARAMETERS}\n"
        f"Port: {port}\n\nPin a tag, e.g. `lscr.io/linuxserver/{name}:1.0`.\n"
        for name, port in (("h5ai", 8081), ("syncthing", 8384))
    }
    images = ["lscr.io/linuxserver/h5ai:latest", "lscr.io/linuxserver/syncthing:latest"]
    _, data = audit(project(tmp_path, images, docs))
    assert [ports(i) for i in data["images"]] == [
        [(8081, "tcp", "docs/h5ai.md:7")],
        [(8384, "tcp", "docs/syncthing.md:7")],
    ]
    assert data["port_conflicts"] == []
    assert data["drift"] == []


def test_two_images_on_one_port_are_a_conflict_with_both_places(tmp_path: Path) -> None:
    code, data = audit(project(tmp_path, IMAGES, DOCS_WITH_PORTS))
    assert code == 0  # a warning only, by default
    assert data["port_conflicts"] == [
        {
            "port": 8200,
            "protocol": "tcp",
            "claims": [
                {
                    "image": "example/app-secrets-vault:1.0",
                    "source": "doc",
                    "path": "docs/step01-secrets-vault-smoke-test.md",
                    "line": 3,
                },
                {
                    "image": "example/app-payment-router:1.0",
                    "source": "doc",
                    "path": "docs/payment-router.md",
                    "line": 5,
                },
            ],
        }
    ]
    assert {
        "path": "docs/step01-secrets-vault-smoke-test.md",
        "line": 3,
        "message": "port 8200 is claimed by more than one image: example/app-secrets-vault:1.0 "
        "(docs/step01-secrets-vault-smoke-test.md:3); example/app-payment-router:1.0 "
        "(docs/payment-router.md:5)",
    } in data["warnings"]


def test_a_port_many_docs_claim_gives_a_bounded_warning_and_every_claim_in_the_report(
    tmp_path: Path,
) -> None:
    # Eight images give port 8080, the first in three docs: 10 claims. The warning names
    # the first claim of five images and counts the rest; the report lists all ten.
    images = [f"example/app-{name}:1" for name in "abcdefgh"]
    docs = {f"docs/app-{name}.md": f"# app-{name}\n\nPort: 8080\n" for name in "abcdefgh"}
    docs |= {f"docs/zz-app-a-{n}.md": "# app-a\n\nPort: 8080\n" for n in (2, 3)}
    _, data = audit(project(tmp_path, images, docs))
    (conflict,) = data["port_conflicts"]
    assert len(conflict["claims"]) == 10
    (warning,) = [w for w in data["warnings"] if w["message"].startswith("port 8080")]
    named = "; ".join(f"example/app-{name}:1 (docs/app-{name}.md:3)" for name in "abcde")
    assert warning == {
        "path": "docs/app-a.md",
        "line": 3,
        "message": f"port 8080 is claimed by more than one image: {named}; and 5 more claims, "
        "by 3 more images (the report's port conflicts list every one)",
    }


def test_a_conflict_of_six_claims_names_every_one(tmp_path: Path) -> None:
    images = [f"example/app-{name}:1" for name in "abc"]
    docs = {f"docs/app-{n}-{name}.md": "# x\n\nPort: 8080\n" for name in "abc" for n in (1, 2)}
    docs = {path: text.replace("x", path[10:11]) for path, text in docs.items()}
    _, data = audit(project(tmp_path, images, docs))
    (warning,) = [w for w in data["warnings"] if w["message"].startswith("port 8080")]
    named = "; ".join(
        f"example/app-{name}:1 (docs/app-{n}-{name}.md:3)" for name in "abc" for n in (1, 2)
    )
    assert warning["message"] == f"port 8080 is claimed by more than one image: {named}"


def test_fail_on_port_conflict_fails_the_audit(tmp_path: Path) -> None:
    root = project(tmp_path, IMAGES, DOCS_WITH_PORTS, "fail-on-port-conflict: true\n")
    code, data = audit(root)
    assert code == 1
    assert data["summary"]["coverage"] == 80.0  # the coverage itself is unchanged


def test_two_tags_of_one_repository_share_a_port_without_conflict(tmp_path: Path) -> None:
    docs = {"docs/app-base.md": "# app-base\n\nPort: 8080\n"}
    _, data = audit(project(tmp_path, ["example/app-base:py", "example/app-base:java"], docs))
    assert data["port_conflicts"] == []
    assert [ports(image) for image in data["images"]] == [[(8080, "tcp", "docs/app-base.md:3")]] * 2


COMPOSE = """\
# The stack as the nodes run it.
services:
  profile:
    image: example/app-user-profile:1.0
    ports:
      - "9000"
      - "8095:8080"
  orders:
    image: example/app-order-service:1.0
    ports: ["8110:8110"]
"""


def test_compose_ports_are_one_more_input(tmp_path: Path) -> None:
    """A compose file's published ports join the docs' ports: they conflict like doc ports,
    and disagreeing with the docs is a warning. An image no pull script lists is left alone."""
    root = project(tmp_path, IMAGES, {**DOCS_WITH_PORTS, "deploy/docker-compose.yml": COMPOSE})
    settings = AuditSettings(pull_scripts=(SCRIPT,))
    cache = ScanCache()
    side = read_side(WorkTree(root), settings, cache)
    report = audit_side(side, settings, build_matcher(side.inventory.images, settings), cache)
    profile = next(r for r in report.images if r.image.name == "app-user-profile")
    assert [(p.number, str(p.location), p.source.value) for p in profile.ports] == [
        (8095, "deploy/docker-compose.yml:7", "compose"),
        (8110, "docs/phase2.md:5", "doc"),
    ]
    assert [str(w) for w in report.warnings if "compose" in w.message] == [
        "deploy/docker-compose.yml:7: example/app-user-profile:1.0: the compose file publishes "
        "port 8095, its docs give 8110 (docs/phase2.md:5)"
    ]


def test_a_disagreement_names_six_doc_ports_and_how_many_more(tmp_path: Path) -> None:
    """Each compose port that the docs do not give is a warning naming the docs' ports: the
    first six of them, then how many more (a pull request's doc may give thousands)."""
    profile = "# example/app-user-profile\n\n" + "".join(f"Port: {9001 + n}\n" for n in range(8))
    docs = {**DOCS_WITH_PORTS, "docs/profile.md": profile, "deploy/docker-compose.yml": COMPOSE}
    root = project(tmp_path, IMAGES, docs)
    settings = AuditSettings(pull_scripts=(SCRIPT,))
    cache = ScanCache()
    side = read_side(WorkTree(root), settings, cache)
    report = audit_side(side, settings, build_matcher(side.inventory.images, settings), cache)
    assert [str(w) for w in report.warnings if "compose" in w.message] == [
        "deploy/docker-compose.yml:7: example/app-user-profile:1.0: the compose file publishes "
        "port 8095, its docs give 8110 (docs/phase2.md:5), 9001 (docs/profile.md:3), "
        "9002 (docs/profile.md:4), 9003 (docs/profile.md:5), 9004 (docs/profile.md:6), "
        "9005 (docs/profile.md:7), and 3 more"
    ]


def test_the_index_doc_gives_no_port(tmp_path: Path) -> None:
    docs = dict(DOCS_WITH_PORTS)
    docs["docs/INDEX.md"] = "# Index\n\n| Image | Port |\n|---|---|\n" + "".join(
        f"| {image} | 7000 |\n" for image in IMAGES
    )
    _, data = audit(project(tmp_path, IMAGES, docs))
    assert data["index_docs"] == ["docs/INDEX.md"]
    assert all(p["port"] != 7000 for image in data["images"] for p in image["ports"])


# The rubric

RUBRIC = "required-sections: [Ports, Dependencies, Smoke test, Known issues]\n"
RUBRIC_DOCS = {
    "docs/app-api.md": (
        "# app-api build report\n\n"
        "## Ports\n\n- 8080\n\n"
        "## Smoke-test results\n\nPASS\n\n"
        "**Known issue:** none\n"
    ),
    "docs/app-web.md": (
        "# app-web\n\n## Dependencies\n\nTODO: list them\n\n## Ports\n\n<!-- x -->\n"
    ),
    "docs/composite.md": (
        "# Composite\n\n"
        "## app-worker\n\n- Ports: 8140\n- Dependencies: the broker\n\n"
        "## Elsewhere\n\n## Smoke test\n\nPASS\n"
    ),
}


@pytest.mark.parametrize(
    ("required", "candidate", "matches"),
    [
        ("Smoke test", "Smoke-test results", True),
        ("Known issues", "Known issue", True),
        ("Port", "PORTS", True),
        ("Dependencies", "dependency", True),
        ("Smoke test", "Test smoke", False),
        ("Build status", "Build", False),
    ],
)
def test_sections_match_fuzzily(required: str, candidate: str, matches: bool) -> None:
    assert names_section(required, candidate) is matches


def test_rubric_scores_each_documented_image(tmp_path: Path) -> None:
    images = ["example/app-api:1", "example/app-web:1", "example/app-worker:1", "example/x-y:1"]
    root = project(tmp_path, images, RUBRIC_DOCS, RUBRIC)
    code, data = audit(root)
    scored = {
        name: (image["status"], image["completeness"], image["missing_sections"])
        for name, image in by_name(data).items()
    }
    assert scored == {
        "app-api": ("documented", 75.0, ["Dependencies"]),
        # Sections with nothing but TODO lines or comments do not count.
        "app-web": ("documented", 0.0, ["Ports", "Dependencies", "Smoke test", "Known issues"]),
        # Its section in a composite doc, not the rest of that doc.
        "app-worker": ("documented", 50.0, ["Smoke test", "Known issues"]),
        "x-y": ("missing", None, []),
    }
    assert code == 0
    # Off by default: no score, the same coverage.
    _, plain = audit(project(tmp_path / "off", images, RUBRIC_DOCS))
    assert {i["completeness"] for i in plain["images"]} == {None}
    assert plain["summary"] == data["summary"]


@pytest.mark.pure_python
def test_a_doc_that_is_the_whole_of_many_images_is_graded_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A doc the config names for every image is the whole of each one's: its headings are
    read once for all of them, not once per image (2,000 images and 50,000 headings took
    13 s); each image that has another doc of its own gets that doc's sections too."""
    images = [f"example/svc{n}:1" for n in range(40)]
    # It names an image in its text: a doc that names none is not read for sections.
    shared = "# Shared\n\nRuns example/svc0:1.\n\n## Ports\n\n8080\n\n"
    shared += "".join(f"## h{n}\nx\n" for n in range(50))
    docs = {"docs/shared.md": shared, "docs/svc3.md": "# svc3\n\n## Known issues\n\nNone.\n"}
    config = "documentation:\n  '*': [docs/shared.md]\n" + RUBRIC
    read: list[object] = []
    names = SectionIndex.names
    monkeypatch.setattr(
        SectionIndex, "names", lambda self, region: read.append(region) or names(self, region)
    )
    _, data = audit(project(tmp_path, images, docs, config))
    graded = {image["name"]: image["missing_sections"] for image in data["images"]}
    assert graded == {
        **{f"svc{n}": ["Dependencies", "Smoke test", "Known issues"] for n in range(40)},
        "svc3": ["Dependencies", "Smoke test"],
    }
    assert len(read) == 2  # docs/shared.md once, docs/svc3.md once


def test_min_completeness_fails_the_audit(tmp_path: Path) -> None:
    images = ["example/app-api:1", "example/app-worker:1"]
    docs = {k: v for k, v in RUBRIC_DOCS.items() if k != "docs/app-web.md"}
    assert audit(project(tmp_path / "a", images, docs, RUBRIC + "min-completeness: 50\n"))[0] == 0
    assert audit(project(tmp_path / "b", images, docs, RUBRIC + "min-completeness: 60\n"))[0] == 1


def test_min_completeness_needs_required_sections(tmp_path: Path) -> None:
    root = project(
        tmp_path, ["example/app-api:1"], RUBRIC_DOCS, "docs: [docs]\nmin-completeness: 50\n"
    )
    out, err = io.StringIO(), io.StringIO()
    assert main(["audit", str(root)], stdout=out, stderr=err) == 2
    assert err.getvalue() == (
        "image-docs-audit: .github/image-docs-audit.yml:2: 'min-completeness' needs "
        "'required-sections': the sections to score docs by\n"
    )


# Alias suggestions

SUGGESTION_IMAGES = [
    "example/xrdp-integration:1",
    "example/payment-gateway:1",
    "example/api-gateway:1",
    "example/session-store:1",
]
SUGGESTION_DOCS = {
    "docs/step07-xrdp-smoke-test.md": "# Remote desktop\n\nAll good.\n",
    "docs/services.md": "# Services\n\n## Payments GW\n\nSettles.\n\n## Gateway timeouts\n\nx\n",
    "docs/session-store.md": "# session-store\n\n## Session\n\nx\n",
}


def test_alias_suggestions_name_the_variant_and_its_line(tmp_path: Path) -> None:
    _, data = audit(project(tmp_path, SUGGESTION_IMAGES, SUGGESTION_DOCS))
    images = by_name(data)
    found = {name: image["alias_suggestions"] for name, image in images.items()}
    assert found == {
        "xrdp-integration": [
            {
                "alias": "xrdp",
                "kind": "filename",
                "path": "docs/step07-xrdp-smoke-test.md",
                "line": 0,
            }
        ],
        "payment-gateway": [
            {"alias": "payments-gw", "kind": "heading", "path": "docs/services.md", "line": 3}
        ],
        # An ordinary word (gateway) suggests nothing; a heading in the image's own doc neither.
        "api-gateway": [],
        "session-store": [],
    }
    # Never counted without `aliases:`.
    assert (images["xrdp-integration"]["status"], images["payment-gateway"]["status"]) == (
        "missing",
        "missing",
    )


def test_an_accepted_suggestion_counts_and_is_no_longer_suggested(tmp_path: Path) -> None:
    config = "aliases:\n  xrdp-integration: [xrdp]\n  payment-gateway: payments gw\n"
    _, data = audit(project(tmp_path, SUGGESTION_IMAGES, SUGGESTION_DOCS, config))
    images = by_name(data)
    assert images["xrdp-integration"]["status"] == "documented"
    assert images["payment-gateway"]["status"] == "documented"
    assert images["xrdp-integration"]["alias_suggestions"] == []
    assert images["payment-gateway"]["alias_suggestions"] == []


# Orphans and drift


def test_orphan_docs_name_an_image_no_longer_in_the_inventory(tmp_path: Path) -> None:
    images = ["example/app-api:1", "example/app-web:1", "example/app-worker:1"]
    docs = {
        "docs/app-api.md": "# app-api\n",
        "docs/app-legacy-build-report.md": "# Legacy importer\n\nRetired.\n",
        "docs/notes.md": "# Retro\n\nNothing about images.\n",
        "docs/tls.md": "---\ntitle: app-mailer smoke test\n---\n\nx\n",
        "docs/app-overview.md": "# Overview of app-web and app-worker\n",
    }
    _, data = audit(project(tmp_path, images, docs))
    assert data["orphan_docs"] == [
        {
            "path": "docs/app-legacy-build-report.md",
            "line": 0,
            "kind": "unknown_image",
            "name": "app-legacy",
        },
        {"path": "docs/notes.md", "line": 0, "kind": "no_image", "name": None},
        {"path": "docs/tls.md", "line": 2, "kind": "unknown_image", "name": "app-mailer"},
    ]


def test_drift_a_doc_cites_another_tag_than_the_one_pulled(tmp_path: Path) -> None:
    images = ["example/app-api:1.4", "redis:7-alpine"]
    docs = {
        "docs/app-api.md": (
            "# app-api\n\n"
            "Tested with `example/app-api:1.3` and `example/app-api:1.4`.\n"
            "Health: http://app-api:8080/healthz and app-api:8080.\n"
            "```\ndocker pull redis:6\n```\n"
        ),
    }
    _, data = audit(project(tmp_path, images, docs))
    assert data["drift"] == [
        {
            "image": "example/app-api:1.4",
            "cited": "example/app-api:1.3",
            "path": "docs/app-api.md",
            "line": 3,
            "source": {"path": SCRIPT, "line": 2},
        },
        {
            "image": "redis:7-alpine",
            "cited": "redis:6",
            "path": "docs/app-api.md",
            "line": 6,
            "source": {"path": SCRIPT, "line": 3},
        },
    ]
    assert {
        "path": "docs/app-api.md",
        "line": 3,
        "message": f"cites example/app-api:1.3, but {SCRIPT}:2 pulls example/app-api:1.4 (tag 1.4)",
    } in data["warnings"]


def test_drift_names_the_pulled_tag_not_a_digest_nor_a_port(tmp_path: Path) -> None:
    digest = "sha256:" + "4d" * 32
    images = [f"example/app-api:1.4@{digest}", "registry.local:5000/team/app-web:2.0"]
    docs = {
        "docs/app.md": "# app\n\nRuns example/app-api:1.3 and"
        " registry.local:5000/team/app-web:1.9.\n"
    }
    _, data = audit(project(tmp_path, images, docs))
    assert [w["message"] for w in data["warnings"] if w["path"] == "docs/app.md"] == [
        f"cites example/app-api:1.3, but {SCRIPT}:2 pulls example/app-api:1.4@{digest} (tag 1.4)",
        f"cites registry.local:5000/team/app-web:1.9, but {SCRIPT}:3 pulls"
        " registry.local:5000/team/app-web:2.0 (tag 2.0)",
    ]


def test_drift_leaves_out_a_tag_that_stands_for_any_version(tmp_path: Path) -> None:
    """`qdrant/qdrant:vX.Y.Z` in an upgrade guide tells how to write a tag; `v1.11.0`
    next to it is a tag the doc cites."""
    images = ["qdrant/qdrant:v1.12.0", "neo4j:5.24"]
    docs = {
        "docs/upgrade.md": (
            "# Upgrading\n\n```dotenv\nQDRANT_IMAGE=qdrant/qdrant:vX.Y.Z\n"
            "NEO4J_IMAGE=neo4j:X.Y-enterprise\n```\n\n"
            "Use neo4j:TAG or neo4j:5.x; we ran qdrant/qdrant:v1.11.0 before.\n"
        ),
    }
    _, data = audit(project(tmp_path, images, docs))
    assert [(d["cited"], d["line"]) for d in data["drift"]] == [("qdrant/qdrant:v1.11.0", 8)]


def test_drift_looks_a_citation_up_among_thousands_of_tags_of_its_repository() -> None:
    """Thousands of tags of one repository and a hundred thousand citations of others:
    each citation compared with every tag took their product; the bound allows for a
    slow machine."""
    script = "IMAGES=(\n" + "".join(f"  example/app:1.{n}\n" for n in range(5_000)) + ")\n"
    images = read_inventory([("pull.sh", script.encode())]).images
    text = "".join(f"Try example/app:2.{n} or EXAMPLE/APP:1.7.\n" for n in range(100_000))
    started = time.perf_counter()
    drift = facts_module._drift(images, {"docs/a.md": outline(text, keys=False)}, frozenset())
    assert time.perf_counter() - started < 15  # about 1 s; 24 s comparing every tag
    assert len(drift) == 100_000  # the 2.x tags; `1.7` is pulled, whatever its case
    assert drift[0].cited == "example/app:2.0"
    assert drift[-1].location == Location("docs/a.md", 100_000)


def test_facts_never_change_a_status(tmp_path: Path) -> None:
    root = project(tmp_path, IMAGES, DOCS_WITH_PORTS, RUBRIC)
    with_facts = run_audit(WorkTree(root), AuditSettings(pull_scripts=(SCRIPT,)))
    assert [r.status.value for r in with_facts.images] == [
        "documented",
        "documented",
        "documented",
        "documented",
        "mentioned",
    ]


def test_a_check_fails_on_the_conflict_a_change_adds_not_on_an_old_one(tmp_path: Path) -> None:
    repo = Repo(tmp_path / "repo")
    images = "".join(f'  "{image}"\n' for image in IMAGES)
    base = repo.commit(
        {
            SCRIPT: f"IMAGES=(\n{images})\n",
            ".github/image-docs-audit.yml": "fail-on-port-conflict: true\n",
            **DOCS_WITH_PORTS,
        }
    )
    out = io.StringIO()
    # The base has the 8200 conflict already: the check does not hold the change to it.
    assert main(["check", str(repo.root), "--base", base], stdout=out, stderr=io.StringIO()) == 0
    repo.write({"docs/order.md": "# app-user-profile notes\n\n## Ports\n\n- 4222\n"})
    out = io.StringIO()
    code = main(
        ["check", str(repo.root), "--base", base, "--format", "json"],
        stdout=out,
        stderr=io.StringIO(),
    )
    found = json.loads(out.getvalue())["regressions"]
    assert code == 1
    assert found == [
        {
            "kind": "port_conflict",
            "image": None,
            "path": "docs/order.md",
            "line": 5,
            "detail": "port 4222 is claimed by more than one image: "
            "example/app-user-profile:1.0 (docs/order.md:5); "
            "example/app-event-bus:1.0 (docs/phase2.md:9)",
        }
    ]


def test_a_check_reads_the_bases_facts_only_where_the_gate_judges_them(tmp_path: Path) -> None:
    """The base's ports count only for `fail-on-port-conflict` (and its rubric only for
    `min-completeness`): without them, nothing reads the base's facts, so none are made."""
    repo = Repo(tmp_path / "repo")
    images = "".join(f'  "{image}"\n' for image in IMAGES)
    base = repo.commit({SCRIPT: f"IMAGES=(\n{images})\n", **DOCS_WITH_PORTS})
    plain = AuditSettings(pull_scripts=(SCRIPT,))
    judged = replace(plain, fail_on_port_conflict=True)
    found = {}
    for name, settings in (("plain", plain), ("judged", judged)):
        with GitTree.open(repo.root, base, "--base") as tree:
            found[name] = run_check(tree, WorkTree(repo.root), settings).verdict
    assert found["plain"].head.port_conflicts  # the 8200 conflict, at base and head alike
    assert found["plain"].base.port_conflicts == ()
    assert found["judged"].base.port_conflicts == found["plain"].head.port_conflicts
    assert found["plain"].passed and found["judged"].passed  # an old conflict fails nothing
    assert found["plain"].base.summary == found["judged"].base.summary


def test_facts_from_hostile_docs_render_inert() -> None:
    evil = "<script>@admins|x</script>\x1b[2J"
    where = Location(f"docs/{evil}.md", 3)
    first = HOSTILE.images[0]
    report = replace(
        HOSTILE,
        images=(
            replace(
                first,
                ports=(Port(8080, "tcp", where),),
                alias_suggestions=(AliasSuggestion(evil, where, Kind.HEADING),),
            ),
            *HOSTILE.images[1:],
        ),
        orphans=(OrphanDoc(where.path, OrphanKind.UNKNOWN_IMAGE, evil, 3),),
        drift=(Drift(first.image.ref, evil, where, first.image.source),),
    )
    markdown = render_markdown(report)
    assert "\x1b" not in markdown
    # Parsed as GitHub parses it: no HTML runs, and a name shows only as text or code.
    tokens = MarkdownIt("commonmark").enable("table").parse(markdown)
    inline = [child for token in tokens for child in token.children or ()]
    assert not [t for t in (*tokens, *inline) if t.type in ("html_block", "html_inline")]
    assert all("@admins" not in t.content for t in inline if t.type == "text")
    text = render_text(report)
    assert "\x1b" not in text
    assert r"<script>@admins|x</script>\x1b[2J" in text  # shown, never run


def test_an_audit_lets_the_outlines_go_before_the_facts_are_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The outlines are a third of a large audit's memory: once the facts have read them
    (ports, drift, the rubric's grades), nothing holds them while the ports are merged."""
    import gc  # noqa: PLC0415

    from image_docs_audit import engine  # noqa: PLC0415

    root = project(
        tmp_path,
        ["example/app:1.0", "redis:7"],
        {"docs/app.md": "# app\n\n## Ports\n\n- 8080\n\nUses redis:6.\n"},
        RUBRIC,
    )
    read, add = engine.read_outlines, engine.add_facts
    seen: list[Any] = []

    def reading(*args: Any, **kwargs: Any) -> Any:
        seen.append(args[2])
        return read(*args, **kwargs)

    def adding(*args: Any, **kwargs: Any) -> Any:
        assert len(seen[0]) == 1  # the audit outlined its doc
        assert not args[2].outlines
        assert gc.get_referrers(seen[0]) == [seen]  # no frame nor object holds them now
        # Nor do the facts keep the mentions the scopes were made of: (image, line, kind).
        kinds = {kind.value for kind in Kind}
        held = _reachable(args[3])
        assert not [
            value
            for value in held
            if type(value) is tuple and len(value) == 3 and value[2] in kinds
        ]
        return add(*args, **kwargs)

    monkeypatch.setattr(engine, "read_outlines", reading)
    monkeypatch.setattr(engine, "add_facts", adding)
    code, data = audit(root)
    app = by_name(data)["app"]
    assert (code, ports(app)) == (0, [(8080, "tcp", "docs/app.md:5")])
    assert app["missing_sections"] == ["Dependencies", "Smoke test", "Known issues"]
    assert data["drift"][0]["cited"] == "redis:6"


def _reachable(start: object) -> list[object]:
    """Every object `start` holds, directly or not (classes and modules aside)."""
    import gc  # noqa: PLC0415

    seen: dict[int, object] = {}
    stack = [start]
    while stack:
        value = stack.pop()
        if id(value) in seen or isinstance(value, type):
            continue
        seen[id(value)] = value
        stack.extend(gc.get_referents(value))
    return list(seen.values())
