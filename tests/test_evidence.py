"""The evidence people write without configuring anything, on real files in a tmp project.

Each test writes a pull script and a few docs, audits them through the command
line and asserts exact statuses, depths and evidence.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from image_docs_audit.cli import main
from image_docs_audit.docs.names import detect_prefix

Row = tuple[str, int, str]  # path, line, kind (+ " of TAG" for another tag's evidence)


def write(root: Path, files: dict[str, str]) -> Path:
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


def audit(root: Path, *extra: str) -> dict[str, object]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["audit", str(root), "--format", "json", *extra], stdout=out, stderr=err)
    assert (code, err.getvalue()) == (0, "")
    data: dict[str, object] = json.loads(out.getvalue())
    return data


def results(data: dict[str, object]) -> dict[str, tuple[str, str | None, list[Row]]]:
    """Reference as written -> (status, depth, evidence rows)."""
    images = data["images"]
    assert isinstance(images, list)
    return {
        image["ref"]: (image["status"], image["depth"], [_row(e) for e in image["evidence"]])
        for image in images
    }


def _row(evidence: dict[str, object]) -> Row:
    kind = str(evidence["kind"])
    if "other_tag" in evidence:
        kind += f" of {evidence['other_tag']}"
    return (str(evidence["path"]), int(str(evidence["line"])), kind)


def script(*refs: str) -> str:
    return "IMAGES=(\n" + "".join(f"  {ref}\n" for ref in refs) + ")\n"


# The project prefix -------------------------------------------------------------------

ACME = script(
    "example/acme-api-gateway:1",
    "example/acme-session-storage:1",
    "example/acme-admin-interface:1",
    "example/acme-order-service:1",
    "example/acme-base:1",
    "redis:7",
)


def test_detected_prefix_counts_in_file_names_and_titles_only(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "pull-images.sh": ACME,
            "docs/step10-api-gateway-container-smoke-test-report.md": (
                "# Step 10: API Gateway Container Smoke Test Report\n\nAll checks passed.\n"
            ),
            "docs/orders.md": "---\ntitle: Order_Service build report\n---\n\nBuilt.\n",
            # Generic pairs of words in a doc about something else: no evidence at all.
            "docs/platform-overview.md": (
                "# Platform overview\n\n"
                "## Session storage\n\n"
                "The admin interface listens on 9901; the api gateway fronts it.\n\n"
                "- order service: see its report\n"
            ),
            # A one-word short name counts in a file name, never in a title or prose.
            "docs/base-images.md": "# Base images\n\nThe base layer.\n",
            "docs/notes.md": "# Base\n\nRebuilt the base.\n",
        },
    )
    data = audit(root)
    assert data["detected_prefix"] == "acme-"
    assert results(data) == {
        "example/acme-api-gateway:1": (
            "documented",
            "dedicated",
            [
                ("docs/step10-api-gateway-container-smoke-test-report.md", 0, "filename"),
                ("docs/step10-api-gateway-container-smoke-test-report.md", 1, "title"),
            ],
        ),
        "example/acme-session-storage:1": ("missing", None, []),
        "example/acme-admin-interface:1": ("missing", None, []),
        "example/acme-order-service:1": (
            "documented",
            "dedicated",
            [("docs/orders.md", 2, "title")],
        ),
        "example/acme-base:1": (
            "documented",
            "dedicated",
            [("docs/base-images.md", 0, "filename")],
        ),
        "redis:7": ("missing", None, []),
    }


@pytest.mark.parametrize(
    ("config", "prefix", "gateway"),
    [
        ("strip-prefix: false\n", None, "missing"),
        ("strip-prefix: []\n", None, "missing"),
        ("strip-prefix: true\n", "acme-", "documented"),
        # An explicit list replaces detection.
        ("strip-prefix: [acme-session-]\n", None, "missing"),
        ("strip-prefix: [acme-]\n", None, "documented"),
        ("strip-prefix: [acme]\n", None, "documented"),  # the separator is implied
        ("strip-prefix: [acme-ap]\n", None, "missing"),  # never inside a word
    ],
)
def test_strip_prefix_overrides_detection(
    tmp_path: Path, config: str, prefix: str | None, gateway: str
) -> None:
    root = write(
        tmp_path,
        {
            "pull-images.sh": ACME,
            ".github/image-docs-audit.yml": config,
            "docs/step10-api-gateway-smoke-test.md": "# Smoke test\n",
        },
    )
    data = audit(root)
    assert data["detected_prefix"] == prefix
    assert results(data)["example/acme-api-gateway:1"][0] == gateway


@pytest.mark.parametrize(
    ("names", "prefix"),
    [
        (["acme-api-gateway", "acme-base", "acme-web", "redis", "postgres"], "acme-"),
        (["acme-platform-api", "acme-platform-web", "acme-platform-db", "redis"], "acme-platform-"),
        # The group with the first word shares only `acme-`: the longest prefix all of it has.
        (["acme-platform-api", "acme-platform-web", "acme-db", "acme-web", "x"], "acme-"),
        (["app_api", "APP-web", "app-db"], "app-"),
        # Fewer than half of the names, or fewer than three: a coincidence, not a project.
        (["acme-api", "acme-web", "redis", "postgres", "nginx"], None),
        (["acme-api", "acme-web"], None),
        (["foo-a", "foo-b", "foo-c", "bar-a", "bar-b", "bar-c"], None),  # a tie: neither
        # Never a whole name: `acme` alone is not in the group, and the rest never empty.
        (["acme", "acme-a", "acme-b", "acme-c"], "acme-"),
        (["acme-x", "acme-x-y", "acme-x-z"], "acme-"),
        (["kube-apiserver", "kube-proxy", "kube-scheduler", "pause", "etcd", "coredns"], "kube-"),
        ([], None),
    ],
)
def test_prefix_detection(names: list[str], prefix: str | None) -> None:
    assert detect_prefix(names) == prefix


# Full references in code ----------------------------------------------------------------


def test_full_reference_in_a_fenced_block_is_code(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "pull-images.sh": ACME,
            "docs/ORDER_SERVICE_BUILD_PROTOCOL.md": (
                "# Order Service Build Protocol\n\n"
                "```bash\n"
                'docker build --build-arg BASE_IMAGE="example/acme-base:1" -t order .\n'
                "```\n\n"
                "    docker pull redis:7\n\n"
                "Runs on `example/acme-base:1` like every service.\n"
            ),
        },
    )
    found = results(audit(root))
    assert found["example/acme-base:1"] == (
        "documented",
        "section",
        [
            ("docs/ORDER_SERVICE_BUILD_PROTOCOL.md", 9, "reference"),
            ("docs/ORDER_SERVICE_BUILD_PROTOCOL.md", 4, "code"),
        ],
    )
    assert found["redis:7"] == (
        "mentioned",
        None,
        [("docs/ORDER_SERVICE_BUILD_PROTOCOL.md", 7, "code")],
    )


# Tags ---------------------------------------------------------------------------------

DEMO = script(
    "example/demo:latest-cart",
    "example/demo:1.4-cart",
    "example/demo:latest-ad",
    "example/demo:latest-email",
    "example/demo:latest-product-catalog",
)


def test_tags_of_one_repository_with_a_service_in_the_tag(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "pull-images.sh": DEMO,
            ".github/image-docs-audit.yml": "docs: [docs, src]\n",
            # Named by its folder: both cart tags.
            "src/cart/README.md": "# Cart\n\nThe cart keeps the basket.\n",
            "src/product-catalog/index.md": "Serves the catalog.\n",
            "docs/notifications.md": "---\ntitle: Email service\n---\n",
            # The shared repository names every tag: it documents none and is no index.
            "docs/architecture.md": (
                "# Architecture of example/demo\n\n"
                "## demo\n\n"
                "- every demo service\n\n"
                "Ads come from `example/demo:latest-ad`.\n"
            ),
            "docs/catalog-notes.md": "# Product Catalog\n",
        },
    )
    data = audit(root)
    assert data["index_docs"] == []
    assert results(data) == {
        "example/demo:latest-cart": (
            "documented",
            "dedicated",
            [("src/cart/README.md", 0, "filename")],
        ),
        "example/demo:1.4-cart": (
            "documented",
            "dedicated",
            [("src/cart/README.md", 0, "filename")],
        ),
        "example/demo:latest-ad": (
            "documented",
            "section",
            [("docs/architecture.md", 7, "reference")],
        ),
        "example/demo:latest-email": ("missing", None, []),  # one word: file names only
        "example/demo:latest-product-catalog": (
            "documented",
            "dedicated",
            [
                ("docs/catalog-notes.md", 1, "title"),
                ("src/product-catalog/index.md", 0, "filename"),
            ],
        ),
    }


def test_a_reference_to_one_tag_counts_for_the_others(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "pull-images.sh": script("example/app:v1.0", "example/app:latest", "example/web:2"),
            "docs/deploy.md": (
                "# Deploy\n\n"
                "Production runs example/app:v1.0 behind example/web:2.\n\n"
                "```\ndocker run example/app:latest\n```\n"
            ),
        },
    )
    assert results(audit(root)) == {
        "example/app:v1.0": (
            "documented",
            "section",
            [
                ("docs/deploy.md", 3, "reference"),
                ("docs/deploy.md", 6, "code of example/app:latest"),
            ],
        ),
        "example/app:latest": (
            "documented",
            "section",
            [("docs/deploy.md", 3, "reference of example/app:v1.0"), ("docs/deploy.md", 6, "code")],
        ),
        "example/web:2": ("documented", "section", [("docs/deploy.md", 3, "reference")]),
    }


# Ordinary words as names ----------------------------------------------------------------

HOMELAB = script(
    "linuxserver/transmission:4",
    "example/gateway:1",
    "example/core:1",
    "example/pilot:1",
    "example/registry:1",
    "example/plex:1",
    # More of the stack, so that a doc naming the six above is no index.
    "example/sonarr:1",
    "example/radarr:1",
    "example/jellyfin:1",
    "example/pihole:1",
    "example/nextcloud:1",
    "example/homeassistant:1",
)


def test_an_ordinary_word_counts_only_where_it_is_the_subject(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "pull-images.sh": HOMELAB,
            "docs/homelab.md": (
                "# Homelab\n\n"
                "## Gateway timeouts\n\n"  # line 3: a heading about something else
                "- transmission downloads land in /data\n"  # 5: a word in a list
                "- linuxserver/transmission runs as user 1000\n"  # 6: with its namespace
                "- `registry` mirrors Docker Hub\n\n"  # 7: a code span
                "## Core service\n\n"  # 9: the name itself, with a role word
                "| Service | Port |\n|---|---|\n| pilot | 8080 |\n\n"  # 13: the subject cell
                "## Plex tuning\n"  # 15: plex is no ordinary word
            ),
        },
    )
    found = results(audit(root))
    assert {ref: found[ref] for ref in list(found)[:6]} == {
        "linuxserver/transmission:4": (
            "documented",
            "section",
            [("docs/homelab.md", 6, "list"), ("docs/homelab.md", 5, "body")],
        ),
        "example/gateway:1": ("mentioned", None, [("docs/homelab.md", 3, "body")]),
        "example/core:1": ("documented", "section", [("docs/homelab.md", 9, "heading")]),
        "example/pilot:1": ("documented", "section", [("docs/homelab.md", 13, "table")]),
        "example/registry:1": ("documented", "section", [("docs/homelab.md", 7, "list")]),
        "example/plex:1": ("documented", "section", [("docs/homelab.md", 15, "heading")]),
    }


IMAGE_ROLES = script(
    "example/base:1",
    "example/runtime:1",
    "example/builder:1",
    "example/init:1",
    "example/docker:1",
    # More of the stack, so that a doc naming the five above is no index.
    *(f"example/service-{index}:1" for index in range(6)),
)


def test_a_word_that_says_what_part_an_image_plays_names_no_image(tmp_path: Path) -> None:
    """`Base image`, `Runtime image`, `Init container`: a kind of image, wherever the words
    stand (title, heading, table cell, list item, HTML heading), even where the name alone
    is no ordinary word (`runtime`, `docker`). The name alone, or in a code span, is still
    the image."""
    root = write(
        tmp_path,
        {
            "pull-images.sh": IMAGE_ROLES,
            "docs/build.md": (
                "# Building the services\n\n"
                "## Base Image\n\n"  # line 3: a heading
                "| Runtime image | Tag |\n|---|---|\n| distroless | 12 |\n\n"  # 5: a header cell
                "- **Builder** image: golang:1.22\n"  # 9: a list item, emphasis between
                "<h3>Init container</h3>\n\n"  # 10: an HTML heading
                "## Docker image\n\n"  # 12
                "## Runtime\n\n"  # 14: the name alone is its subject
                "- the `builder` image compiles\n"  # 16: a code span spells the name
            ),
            "docs/base.md": "# Base image\n\nWhat every image starts from.\n",  # its file name
            "docs/layers.md": "# Base images\n\nHow images are layered.\n",  # a title
        },
    )
    found = results(audit(root))
    build, base, layers = "docs/build.md", "docs/base.md", "docs/layers.md"
    assert {ref: found[ref] for ref in list(found)[:5]} == {
        "example/base:1": (
            "documented",
            "dedicated",
            [(base, 0, "filename"), (base, 1, "body"), (build, 3, "body"), (layers, 1, "body")],
        ),
        "example/runtime:1": (
            "documented",
            "section",
            [(build, 14, "heading"), (build, 5, "body")],
        ),
        "example/builder:1": (
            "documented",
            "section",
            [(build, 16, "list"), (build, 9, "body")],
        ),
        "example/init:1": ("mentioned", None, [(build, 10, "body")]),
        "example/docker:1": ("mentioned", None, [(build, 12, "body")]),
    }


TOOLS = script(
    "docker:24-dind",
    "python:3.12-slim",
    "redis:7-alpine",
    "example/checkout:1",
    "example/storefront:1",
    *(f"example/service-{index}:1" for index in range(6)),
)


def test_a_name_with_a_bare_version_in_a_list_item_is_the_tool_not_the_image(
    tmp_path: Path,
) -> None:
    """`- Docker 24.0+` in a list of prerequisites asks for the tool at a version: the
    item does not document `docker:24-dind`, however the version is written. A version
    that goes on as a tag (`redis 7-alpine`), a port (`checkout 8080`), a table row and a
    full reference still count."""
    root = write(
        tmp_path,
        {
            "pull-images.sh": TOOLS,
            "docs/setup.md": (
                "# Developer setup\n\n"
                "## Prerequisites\n\n"
                "- Docker 24.0+\n"  # line 5
                "- **Python** 3.12 or later\n"  # 6
                "- docker (v24 or newer)\n"  # 7
                "* Docker >= 24\n\n"  # 8
                "## Services\n\n"
                "- redis 7-alpine for sessions\n"  # 12: a tag's words
                "- checkout 8080\n\n"  # 13: a port
                "| Service | Port |\n|---|---|\n| storefront | 80 |\n"  # 17
            ),
            "docs/ci.md": "# CI\n\n## docker:24-dind\n\nThe runner's daemon.\n",
        },
    )
    found = results(audit(root))
    setup, ci = "docs/setup.md", "docs/ci.md"
    assert {ref: found[ref] for ref in list(found)[:5]} == {
        "docker:24-dind": (
            "documented",
            "section",
            [(ci, 3, "reference"), (setup, 5, "body"), (setup, 7, "body"), (setup, 8, "body")],
        ),
        "python:3.12-slim": ("mentioned", None, [(setup, 6, "body")]),
        "redis:7-alpine": ("documented", "section", [(setup, 12, "list")]),
        "example/checkout:1": ("documented", "section", [(setup, 13, "list")]),
        "example/storefront:1": ("documented", "section", [(setup, 17, "table")]),
    }


def test_a_name_most_docs_use_is_read_as_a_word(tmp_path: Path) -> None:
    """`plex` is on no word list, but four docs of six use it: only subjects count."""
    files = {"pull-images.sh": HOMELAB, "docs/plex.md": "Media server.\n"}
    for name in ("backup", "network", "storage"):
        files[f"docs/{name}.md"] = f"# {name.title()}\n\n## Plex libraries\n\n- plex cache\n"
    files["docs/other.md"] = "# Other\n"
    files["docs/more.md"] = "# More\n"
    found = results(audit(write(tmp_path, files)))
    assert found["example/plex:1"] == (
        "documented",
        "dedicated",
        [("docs/plex.md", 0, "filename")]
        + [
            (f"docs/{name}.md", line, "body")
            for name in ("backup", "network", "storage")
            for line in (3, 5)
        ],
    )


# Tables -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        ("Docker Image", "table"),
        ("Container image", "table"),
        ("**OCI image name**", "table"),
        ("Base image", "body"),  # an attribute of the row's service, not its subject
        ("Image tag", "body"),
    ],
)
def test_a_column_headed_by_a_kind_of_image_is_the_subject_column(
    tmp_path: Path, header: str, kind: str
) -> None:
    root = write(
        tmp_path,
        {
            "pull-images.sh": script("example/app-api:1"),
            "docs/stack.md": f"# Stack\n\n| Purpose | {header} | Port |\n|---|---|---|\n"
            "| Search | example/app-api | 9200 |\n",
        },
    )
    status = "documented" if kind == "table" else "mentioned"
    depth = "section" if kind == "table" else None
    assert results(audit(root)) == {
        "example/app-api:1": (status, depth, [("docs/stack.md", 5, kind)])
    }


def test_a_table_row_counts_only_in_the_subject_column(tmp_path: Path) -> None:
    root = write(
        tmp_path,
        {
            "pull-images.sh": script("example/app-api:1", "example/app-web:1", "example/app-db:1"),
            "docs/env.md": (
                "# Environment\n\n"
                "| Variable | Value |\n|---|---|\n| UPSTREAM | app-api |\n\n"  # line 5: a value
                "| Port | Container name | Notes |\n|---|---|---|\n"
                "| 8080 | app-web | behind app-db |\n\n"  # line 9: headed column, then a note
                "> | Host | Port |\n> |---|---|\n> | app-db | 5432 |\n"  # 13: first column, quoted
            ),
        },
    )
    assert results(audit(root)) == {
        "example/app-api:1": ("mentioned", None, [("docs/env.md", 5, "body")]),
        "example/app-web:1": ("documented", "section", [("docs/env.md", 9, "table")]),
        "example/app-db:1": (
            "documented",
            "section",
            [("docs/env.md", 13, "table"), ("docs/env.md", 9, "body")],
        ),
    }
