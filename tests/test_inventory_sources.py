"""Inventory sources besides pull scripts: compose, Dockerfiles, manifests, values, lists."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from image_docs_audit.cli import main
from image_docs_audit.inventory.compose import parse_env, read_compose
from image_docs_audit.inventory.dockerfile import read_dockerfile
from image_docs_audit.inventory.kubernetes import read_manifests, read_values
from image_docs_audit.inventory.listfile import read_list
from image_docs_audit.inventory.sources import SourceImages, SourceKind

SOURCES = Path(__file__).parent / "fixtures" / "sources"


def found(result: SourceImages) -> list[tuple[int, str, str | None]]:
    return [(c.line, c.written, category) for c, category in result.candidates]


def warned(result: SourceImages) -> list[str]:
    return [str(w) for w in result.warnings]


def test_compose_images_with_env_defaults_build_only_services_and_ports() -> None:
    result = read_compose(
        "stack/docker-compose.yml",
        (SOURCES / "docker-compose.yml").read_bytes(),
        (SOURCES / ".env").read_bytes(),
    )
    assert result.kind is SourceKind.COMPOSE
    assert found(result) == [
        (9, "ghcr.io/acme/acme-api-gateway:1.4.2", None),
        (14, "ghcr.io/acme/acme-auth-service:1.4.2", None),
        (18, "stack-worker", None),  # build: only, named as compose names it
        (22, "redis:7-alpine", None),
        # its registry set nowhere: named by the rest (see test_inventory_unknown_starts)
        (26, "${UNSET_REGISTRY}/acme-broken:1", None),
    ]
    assert [(p.image.written, p.port, p.line) for p in result.ports] == [
        ("ghcr.io/acme/acme-api-gateway:1.4.2", 8080, 11),
        ("ghcr.io/acme/acme-api-gateway:1.4.2", 8443, 12),
        ("ghcr.io/acme/acme-auth-service:1.4.2", 8094, 17),
        ("redis:7-alpine", 8080, 24),
    ]
    assert warned(result) == []


def test_compose_without_env_uses_defaults_and_warns_for_the_rest() -> None:
    source = (
        b"services:\n  a:\n    image: ${R:-r.io}/a:${T:-1}\n  b:\n    image: b:$T\n"
        b"  c:\n    image: ${R}/c:${T}\n  d:\n    image: r.io/${D}:1\n"
        b"  e:\n    image: ${E}\n  f:\n    image: ${R}/${NS}/f:1\n"
    )
    result = read_compose("docker-compose.yml", source)
    # Where only the tag or the start is not known, the image is named by the rest.
    assert found(result) == [
        (3, "r.io/a:1", None),
        (5, "b:$T", None),
        (7, "${R}/c:${T}", None),
        (13, "${R}/${NS}/f:1", None),
    ]
    assert [(c.text, c.unknown_start, c.unknown_tag) for c, _ in result.candidates] == [
        ("r.io/a:1", None, None),
        ("b", None, ":$T"),
        ("c", "${R}/", ":${T}"),
        ("f:1", "${R}/${NS}/", None),
    ]
    assert warned(result) == [
        f"docker-compose.yml:{line}: cannot know the value of {missing}: it is set neither in "
        "the .env file beside the compose file nor with a default; the image is not audited"
        for line, missing in ((9, "${D}"), (11, "${E}"))
    ]


def test_env_file_lines() -> None:
    text = b"# c\nA=1\nexport B='two words'\nC=x # note\nD=\"#not-a-comment\"\nbad line\n"
    assert parse_env(text) == {"A": "1", "B": "two words", "C": "x", "D": "#not-a-comment"}


def test_compose_that_is_not_yaml_is_one_warning() -> None:
    result = read_compose("docker-compose.yml", b"services:\n  a: [\n")
    assert found(result) == []
    assert len(result.warnings) == 1
    assert "not valid YAML" in warned(result)[0]


def test_hostile_compose_aliases_cannot_blow_up() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 12)]
    lines += ["services:", "  s:", "    image: a/b:1", "    labels: *a11"]
    result = read_compose("docker-compose.yml", "\n".join(lines).encode())
    assert found(result) == [(15, "a/b:1", None)]


def test_dockerfile_bases_args_stages_and_copy_from() -> None:
    result = read_dockerfile("app/Dockerfile", (SOURCES / "Dockerfile").read_bytes())
    assert result.kind is SourceKind.DOCKERFILE
    assert found(result) == [
        (4, "python:3.12-slim", None),
        (8, "gcr.io/distroless/python3-debian12:nonroot", None),
        (11, "docker.io/tianon/true:latest", None),
        # its registry an ARG with no default: named by the rest
        (12, "${BASE_REGISTRY}/acme/base:1", None),
    ]
    assert warned(result) == []


def test_a_dockerfile_base_whose_name_is_an_arg_with_no_value_is_a_warning() -> None:
    text = b"ARG BASE\nARG TAG\nFROM ${BASE}\nFROM acme/app:${TAG}\nFROM acme/${TAG}\n"
    result = read_dockerfile("Dockerfile", text)
    assert found(result) == [(4, "acme/app:${TAG}", None)]
    assert warned(result) == [
        f"Dockerfile:{line}: cannot know the value of {missing}: the ARG has no default before"
        " the first FROM; the image is not audited (give the ARG a default)"
        for line, missing in ((3, "${BASE}"), (5, "${TAG}"))
    ]


def test_manifests_take_every_image_of_documents_with_a_kind() -> None:
    result = read_manifests("k8s/deploy.yaml", (SOURCES / "deployment.yaml").read_bytes())
    digest = "sha256:" + "0123456789abcdef" * 4
    assert found(result) == [
        (10, "ghcr.io/acme/acme-db-migrator:1.4.2", None),
        (13, "ghcr.io/acme/acme-api-gateway:1.4.2", None),
        (32, f"ghcr.io/acme/acme-backup-agent@{digest}", None),
    ]
    assert warned(result) == [
        "k8s/deploy.yaml:15: {{ .Values.sidecar.image }} is a template placeholder, not an "
        "image; the image it stands for is not audited (list it in the values file or a pull "
        "script)"
    ]


def test_values_take_image_strings_and_maps() -> None:
    result = read_values("chart/values.yaml", (SOURCES / "values.yaml").read_bytes())
    assert found(result) == [
        (3, "ghcr.io/acme/acme-edge-proxy:2.3.0", None),
        (7, "quay.io/prometheus/node-exporter:v1.8.1", None),
        (10, "busybox", None),
    ]
    assert warned(result) == []


def test_values_keys_that_name_an_image_count_when_they_hold_one() -> None:
    values = (
        "initImage: busybox:1.36\n"
        "sidecar_image: envoyproxy/envoy:v1.31.0\n"
        "migrationImage:\n  repository: acme/migrate\n  tag: '5'\n"
        "backgroundImage: /static/bg.png\n"  # a path
        "logoImage: logo.png\n"  # a file name
        "pullImage: true\n"
        "imagePullPolicy: Always\n"
        "previewimage: acme/not-a-key-we-read:1\n"  # no word boundary before `image`
    )
    result = read_values("values.yaml", values.encode())
    assert found(result) == [
        (1, "busybox:1.36", None),
        (2, "envoyproxy/envoy:v1.31.0", None),
        (4, "acme/migrate:5", None),
    ]
    assert warned(result) == []
    # In a manifest only `image:` is an image: Kubernetes has no other field for one.
    manifest = "apiVersion: v1\nkind: Pod\nmetadata:\n  annotations:\n    baseImage: a/b:1\n"
    assert found(read_manifests("k8s/pod.yaml", manifest.encode())) == []


def test_list_file_with_headers_and_trailing_comments() -> None:
    result = read_list("images.txt", (SOURCES / "images.txt").read_bytes())
    assert found(result) == [
        (2, "ghcr.io/acme/acme-base:python-distroless-arm64", "Base images"),
        (3, "ghcr.io/acme/acme-base:java-distroless-arm64", "Base images"),
        (6, "redis:7-alpine", "Third-party"),
    ]


@pytest.mark.parametrize(
    "reader", [read_dockerfile, read_manifests, read_values, read_list, read_compose]
)
@pytest.mark.parametrize(
    "data", [b"", b"\xff\xfe\x00", b"{{{{", b"- - - -\n" * 1000, b"a: " + b"[" * 5000]
)
def test_hostile_any_bytes_read_without_an_exception(reader: object, data: bytes) -> None:
    assert callable(reader)
    reader("x", data)


# A project with every kind of source: the pull script defines the inventory, the other
# files add where else each image is named (or, with `inventory-mode: all`, add images).
PROJECT = {
    "scripts/pull-images.sh": (
        "IMAGES=(\n"
        "  # Services\n"
        "  ghcr.io/acme/acme-api-gateway:1.4.2\n"
        "  ghcr.io/acme/acme-edge-proxy:2.3.0\n"
        "  # Bases\n"
        "  python:3.12-slim\n"
        ")\n"
    ),
    "deploy/docker-compose.yml": (
        "services:\n"
        "  gateway:\n"
        "    image: ghcr.io/acme/acme-api-gateway:${TAG}\n"
        "    ports: ['8080:80']\n"
        "  cache:\n"
        "    image: redis:7-alpine\n"
    ),
    "deploy/.env": "TAG=1.4.2\n",
    "services/api/Dockerfile": "FROM python:3.12-slim AS build\nFROM build\n",
    "services/edge/Dockerfile": (
        "ARG GO=1.22\nFROM golang:${GO} AS build\nFROM gcr.io/distroless/static:nonroot\n"
    ),
    "k8s/gateway.yaml": (
        "apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n"
        "      containers:\n        - image: ghcr.io/acme/acme-api-gateway:1.4.2\n"
    ),
    "k8s/edge.yaml": (
        "apiVersion: apps/v1\nkind: DaemonSet\nspec:\n  template:\n    spec:\n"
        "      containers:\n        - image: ghcr.io/acme/acme-edge-proxy:2.3.0\n"
    ),
    "charts/edge/values.yaml": (
        "image:\n  registry: ghcr.io\n  repository: acme/acme-edge-proxy\n  tag: 2.3.0\n"
    ),
    "images.txt": "# Extras\nghcr.io/acme/acme-api-gateway:1.4.2\nbusybox:1.36\n",
    "docs/api-gateway.md": "# API Gateway\n",
}


def run_audit(root: Path, *extra: str) -> dict[str, object]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["audit", str(root), "--format", "json", *extra], stdout=out, stderr=err)
    assert code in (0, 1), err.getvalue()
    data = json.loads(out.getvalue())
    assert isinstance(data, dict)
    return data


def write_project(root: Path, config: str | None = None) -> Path:
    for name, text in PROJECT.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    if config is not None:
        (root / ".github").mkdir()
        (root / ".github" / "image-docs-audit.yml").write_text(config)
    return root


def places(data: dict[str, object]) -> list[tuple[str, list[tuple[str, int, str]]]]:
    images = data["images"]
    assert isinstance(images, list)
    return [
        (image["ref"], [(s["path"], s["line"], s["kind"]) for s in image["sources"]])
        for image in images
    ]


def test_every_source_adds_where_the_pull_scripts_images_are_named(tmp_path: Path) -> None:
    data = run_audit(write_project(tmp_path))
    assert places(data) == [
        (
            "ghcr.io/acme/acme-api-gateway:1.4.2",
            [
                ("scripts/pull-images.sh", 3, "pull-script"),
                ("deploy/docker-compose.yml", 3, "compose"),
                ("images.txt", 2, "list"),
                ("k8s/gateway.yaml", 7, "kubernetes"),
            ],
        ),
        (
            "ghcr.io/acme/acme-edge-proxy:2.3.0",
            [
                ("scripts/pull-images.sh", 4, "pull-script"),
                ("charts/edge/values.yaml", 3, "helm-values"),
                ("k8s/edge.yaml", 7, "kubernetes"),
            ],
        ),
        (
            "python:3.12-slim",
            [
                ("scripts/pull-images.sh", 6, "pull-script"),
                ("services/api/Dockerfile", 1, "dockerfile"),
            ],
        ),
    ]
    summary = data["summary"]
    assert isinstance(summary, dict) and summary["total"] == 3


def test_inventory_mode_all_adds_the_other_sources_images(tmp_path: Path) -> None:
    data = run_audit(write_project(tmp_path, "inventory-mode: all\n"))
    added = [(ref, where[0]) for ref, where in places(data)[3:]]
    assert added == [
        ("redis:7-alpine", ("deploy/docker-compose.yml", 6, "compose")),
        ("busybox:1.36", ("images.txt", 3, "list")),
        ("golang:1.22", ("services/edge/Dockerfile", 2, "dockerfile")),
        ("gcr.io/distroless/static:nonroot", ("services/edge/Dockerfile", 3, "dockerfile")),
    ]
    images = data["images"]
    assert isinstance(images, list)
    assert [image["category"] for image in images[3:]] == [
        "deploy/docker-compose.yml",
        "Extras",
        "services/edge/Dockerfile",
        "services/edge/Dockerfile",
    ]


def test_configured_sources_replace_the_defaults(tmp_path: Path) -> None:
    config = "inventory:\n  - type: compose\n    paths: deploy/docker-compose.yml\n"
    data = run_audit(write_project(tmp_path, config))
    assert [len(where) for _, where in places(data)] == [2, 1, 1]
    data = run_audit(write_project(tmp_path / "none", "inventory: []\n"))
    assert [len(where) for _, where in places(data)] == [1, 1, 1]


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ("inventory: compose\n", "'inventory' must be a list of entries with 'type' and 'paths'"),
        ("inventory:\n  - type: helm\n    paths: x\n", "'inventory' type must be one of"),
        ("inventory:\n  - type: list\n", "'inventory' entry needs 'paths'"),
        ("inventory:\n  - type: list\n    path: x\n", "unknown key 'path' in an 'inventory' entry"),
        ("inventory-mode: every\n", "'inventory-mode' must be pull-scripts or all, not 'every'"),
    ],
)
def test_bad_inventory_config_is_one_line_naming_the_line(
    tmp_path: Path, config: str, message: str
) -> None:
    root = write_project(tmp_path, config)
    err = io.StringIO()
    assert main(["audit", str(root)], stdout=io.StringIO(), stderr=err) == 2
    assert err.getvalue().startswith("image-docs-audit: .github/image-docs-audit.yml:")
    assert message in err.getvalue()


def test_the_sample_projects_compose_file_and_dockerfile_are_sources() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main(["demo", "--format", "json"], stdout=out, stderr=err) == 0, err.getvalue()
    found = {
        image["ref"]: [(s["path"], s["line"], s["kind"]) for s in image["sources"][1:]]
        for image in json.loads(out.getvalue())["images"]
    }
    assert found["example/app-api-gateway:latest-arm64"] == [
        ("deploy/docker-compose.yml", 6, "compose")
    ]
    assert found["example/app-base:python-distroless-arm64"] == [
        ("services/payment-router/Dockerfile", 6, "dockerfile")
    ]
    assert sum(1 for extra in found.values() if extra) == 8


def test_lines_end_at_newlines_only_as_docker_and_bash_read_them() -> None:
    """`str.splitlines` also ends a line at a form feed, a vertical tab, NEL or a Unicode
    line separator. Docker reads a form feed or a vertical tab as whitespace inside an
    instruction: split there, `FROM\\fbase` named no image. And a line separator in a RUN
    line made the rest of it an instruction of its own."""
    dockerfile = (
        b"FROM\x0cevil/base:1\n"
        b"FROM\x0bother/base:2 AS built\r\n"
        b"RUN echo \xe2\x80\xa8FROM no/image:1 \xc2\x85 \x1cFROM nor/this:1\n"
        b"FROM last:3\n"
    )
    found = read_dockerfile("Dockerfile", dockerfile)
    assert [(c.text, c.line) for c, _ in found.candidates] == [
        ("evil/base:1", 1),
        ("other/base:2", 2),
        ("last:3", 4),
    ]
    # bash's `read` too ends a line at a newline only; the line numbers count newlines.
    listed_text = "nginx:1 # a \u2028 b\nredis:7\x0cevil:1\nexample/app:2\n"
    listed = read_list("images.txt", listed_text.encode())
    assert [(c.text, c.line) for c, _ in listed.candidates] == [
        ("nginx:1", 1),
        ("redis:7\x0cevil:1", 2),  # one word to bash: `docker pull` refuses it, and so do we
        ("example/app:2", 3),
    ]
    assert parse_env(b"TAG=1\x0cOTHER=2\nNEXT=3\r\n") == {"TAG": "1\x0cOTHER=2", "NEXT": "3"}


def test_an_escape_directive_makes_the_backtick_continue_lines() -> None:
    """Windows Dockerfiles set `# escape=\\``: a backslash then ends a path, and a backtick
    continues the line. Read with backslashes, the base on the next line was missed."""

    def bases(text: str) -> list[tuple[str, int]]:
        found = read_dockerfile("Dockerfile", text.encode())
        return [(c.text, c.line) for c, _ in found.candidates]

    windows = "FROM `\n  example/base:1\nRUN copy c:\\ d:\\\nFROM example/next:2\n"
    assert bases("# escape=`\n" + windows) == [("example/base:1", 2), ("example/next:2", 5)]
    # Known directives may come first, in any case and spacing; Windows line ends too.
    top = "# syntax=docker/dockerfile:1\r\n#  ESCAPE = `\r\n"
    assert bases(top + windows.replace("\n", "\r\n")) == [
        ("example/base:1", 3),
        ("example/next:2", 6),
    ]
    # Docker reads no directive after a blank line, a comment or an unknown directive.
    for before in ("\n", "# a comment\n", "# unknown=1\n"):
        assert bases(before + "# escape=`\n" + windows)[0][0] == "`"
    # Without the directive, a backslash continues the line.
    assert bases("FROM \\\n  example/base:1 AS base\n") == [("example/base:1", 1)]


def test_a_run_mount_from_an_image_is_one_of_the_dockerfile_images() -> None:
    dockerfile = (
        "FROM example/base:1 AS build\n"
        "RUN --mount=type=bind,from=example/tools:2,target=/tools \\\n"
        "    --mount=type=cache,target=/cache make\n"
        "RUN --mount=from=build,target=/built cp -r /built /out\n"  # a stage, not an image
        "run --network=none --mount=type=bind,source=/x,FROM=example/lib:3 true\n"
        "RUN echo --mount=from=not/a-flag:1\n"  # the command's words, not a flag of RUN
    )
    found = read_dockerfile("Dockerfile", dockerfile.encode())
    assert [(c.text, c.line) for c, _ in found.candidates] == [
        ("example/base:1", 1),
        ("example/tools:2", 2),
        ("example/lib:3", 5),
    ]


def test_the_lines_of_a_dockerfile_heredoc_are_not_instructions() -> None:
    """`RUN <<EOF` (and COPY, ADD) take the lines up to `EOF` as a script or a file: a
    line there that starts with FROM is text, not a base image."""
    dockerfile = (
        "FROM example/base:1 AS build\n"
        "RUN <<EOF\n"
        "FROM example/not-a-base:1\n"
        "EOF\n"
        "COPY <<-'CONF' <<\"SECOND\" /etc/app/\n"
        "\tFROM example/text:2\n"
        "\tCONF\n"
        "COPY --from=example/text:3 x y\n"
        "SECOND\n"
        "COPY --from=example/tools:4 /bin/tool /bin/\n"
        'RUN echo \'<<no heredoc\' "<<NONE" \\"x <<END\n'  # quoted: only END opens one
        "FROM example/text:5\n"
        "END\n"
        "FROM example/next:6\n"
    )
    found = read_dockerfile("Dockerfile", dockerfile.encode())
    assert [(c.text, c.line) for c, _ in found.candidates] == [
        ("example/base:1", 1),
        ("example/tools:4", 10),
        ("example/next:6", 14),
    ]


def test_a_default_with_variables_of_its_own_is_expanded_as_compose_and_docker_do() -> None:
    compose = (
        "services:\n"
        "  api:\n    image: ${REGISTRY:-${MIRROR:-ghcr.io}}/acme/api:${TAG:-1.0}\n"
        "  web:\n    image: ${REGISTRY:-${MIRROR}}/acme/web:2\n"
    )
    found = read_compose("compose.yaml", compose.encode(), b"MIRROR=mirror.acme.io\n")
    assert [(c.text, c.line) for c, _ in found.candidates] == [
        ("mirror.acme.io/acme/api:1.0", 3),
        ("mirror.acme.io/acme/web:2", 5),
    ]
    dockerfile = "ARG BASE=${DEFAULT_BASE:-python:3.12-slim}\nARG NEXT=${GONE}/x:1\n"
    found = read_dockerfile("Dockerfile", (dockerfile + "FROM ${BASE}\nFROM $NEXT\n").encode())
    assert [(c.text, c.line) for c, _ in found.candidates] == [("python:3.12-slim", 3)]
    assert [str(w) for w in found.warnings] == [
        "Dockerfile:4: cannot know the value of $NEXT: the ARG has no default before the "
        "first FROM; the image is not audited (give the ARG a default)"
    ]
