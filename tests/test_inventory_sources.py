"""Inventory sources besides pull scripts: compose, Dockerfiles, manifests, values, lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from image_docs_audit.inventory.compose import parse_env, read_compose
from image_docs_audit.inventory.dockerfile import read_dockerfile
from image_docs_audit.inventory.kubernetes import read_manifests, read_values
from image_docs_audit.inventory.listfile import read_list
from image_docs_audit.inventory.sources import SourceImages, SourceKind

SOURCES = Path(__file__).parent / "fixtures" / "sources"


def found(result: SourceImages) -> list[tuple[int, str, str | None]]:
    return [(c.line, c.text, category) for c, category in result.candidates]


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
    ]
    assert [(p.image, p.port, p.line) for p in result.ports] == [
        ("ghcr.io/acme/acme-api-gateway:1.4.2", 8080, 11),
        ("ghcr.io/acme/acme-api-gateway:1.4.2", 8443, 12),
        ("ghcr.io/acme/acme-auth-service:1.4.2", 8094, 17),
        ("redis:7-alpine", 8080, 24),
    ]
    assert warned(result) == [
        "stack/docker-compose.yml:26: cannot know the value of ${UNSET_REGISTRY}: it is set "
        "neither in the .env file beside the compose file nor with a default; the image is "
        "not audited"
    ]


def test_compose_without_env_uses_defaults_and_warns_for_the_rest() -> None:
    source = b"services:\n  a:\n    image: ${R:-r.io}/a:${T:-1}\n  b:\n    image: b:$T\n"
    result = read_compose("docker-compose.yml", source)
    assert found(result) == [(3, "r.io/a:1", None)]
    assert warned(result) == [
        "docker-compose.yml:5: cannot know the value of $T: it is set neither in the .env file "
        "beside the compose file nor with a default; the image is not audited"
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
    ]
    assert warned(result) == [
        "app/Dockerfile:12: cannot know the value of ${BASE_REGISTRY}: the ARG has no default "
        "before the first FROM; the image is not audited (give the ARG a default)"
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
