"""A project like the ones the issue measured: 29 images sharing `acme-`, 16 reports, no config.

The reports are written the way teams write them: step-numbered smoke-test
reports titled in words, build protocols in capitals with the base image in a
fenced `docker build`, a composite report with a section per container, an
earlier hand audit, troubleshooting notes. Every verdict is written out.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from image_docs_audit.cli import main

CATEGORIES = {
    "Base Images": ["acme-base:python-distroless-arm64", "acme-base:java-distroless-arm64"],
    "Phase 1: Foundation Services": [
        "acme-secrets-vault",
        "acme-service-registry",
        "acme-log-shipper",
        "acme-metrics-exporter",
        "acme-trace-collector",
    ],
    "Phase 2: Core Services": [
        "acme-api-gateway",
        "acme-auth-service",
        "acme-session-api",
        "acme-user-profile",
        "acme-rate-limiter",
        "acme-cache-proxy",
        "acme-event-bus",
    ],
    "Phase 3: Platform Services": [
        "acme-config-server",
        "acme-notification-worker",
        "acme-job-scheduler",
        "acme-flag-service",
        "acme-mail-relay",
    ],
    "Phase 4: Business Services": [
        "acme-payment-router",
        "acme-order-service",
        "acme-invoice-generator",
        "acme-report-builder",
        "acme-search-indexer",
    ],
    "Phase 5: Edge and Operations": [
        "acme-edge-proxy",
        "acme-db-migrator",
        "acme-backup-agent",
        "acme-admin-interface",
        "acme-session-storage",
    ],
}


def pull_script() -> str:
    lines = ["#!/usr/bin/env bash", "set -euo pipefail", "", "ALL_IMAGES=("]
    for category, names in CATEGORIES.items():
        lines.append(f"    # {category}")
        for name in names:
            ref = name if ":" in name else f"{name}:latest-arm64"
            lines.append(f'    "example/{ref}"')
        lines.append("")
    lines += [
        ")",
        'for IMAGE in "${ALL_IMAGES[@]}"; do',
        '    docker pull --platform linux/arm64 "$IMAGE"',
        "done",
    ]
    return "\n".join(lines) + "\n"


def smoke_test(step: int, title: str, port: int) -> str:
    return (
        f"# Step {step}: {title}\n\n"
        "| Check | Expected | Result |\n|---|---|---|\n"
        f"| Container starts | healthy within 20 s | PASS |\n| Port {port} | open | PASS |\n"
    )


def build_protocol(title: str, base: str, context: str) -> str:
    return (
        f"# {title}\n\n## Build\n\n"
        "```bash\n"
        f'docker build --build-arg BASE_IMAGE="example/acme-base:{base}" \\\n'
        f"    -t example/{context}:latest-arm64 services/{context}\n"
        "```\n\nBuild: PASS\n"
    )


DOCS = {
    "step01-secrets-vault-smoke-test-report.md": smoke_test(
        1, "Secrets Vault Smoke Test Report", 8200
    ),
    "step02-service-registry-build-report.md": "# Step 2: Service Registry Build Report\n",
    "step05-user-profile-smoke-test.md": smoke_test(5, "User Profile Smoke Test", 8110),
    "step06-rate-limiter-smoke-test.md": smoke_test(6, "Rate Limiter Smoke Test", 8120),
    "step09-edge-proxy-smoke-test-report.md": smoke_test(9, "Edge Proxy Smoke Test Report", 443),
    "step10-api-gateway-container-smoke-test-report.md": (
        "# Step 10: API Gateway Container Smoke Test Report\n\n"
        "## Admin interface\n\n"
        "The admin interface listens on 9901 on all interfaces.\n\n"
        "## Session storage\n\n"
        "Sessions are kept in the session storage between restarts.\n"
    ),
    "PAYMENT_ROUTER_BUILD_PROTOCOL.md": build_protocol(
        "Payment Router Build Protocol", "python-distroless-arm64", "acme-payment-router"
    ),
    "ORDER_SERVICE_BUILD_PROTOCOL.md": build_protocol(
        "Order Service Build Protocol", "java-distroless-arm64", "acme-order-service"
    ),
    "AUTH_SERVICE_BUILD_REPORT.md": "---\ntitle: Auth Service Build Report\n---\n\nPASS\n",
    "event-bus-build-report.md": "# Event Bus Build Report\n\nBroker 2.10, PASS.\n",
    "job-scheduler-build-report.md": "# Job Scheduler\n\nCron in the node's time zone.\n",
    "phase3-composite-report.md": (
        "# Phase 3 Composite Report\n\n"
        "## acme-notification-worker\n\n- Build: PASS\n\n"
        "## acme-config-server\n\n- Build: PASS\n\n"
        "## Not covered\n\nThe flag service and the mail relay get their own reports.\n"
    ),
    "observability-rollout.md": (
        "# Observability Rollout\n\n## Metrics\n\n"
        "```bash\ndocker run -d -p 9100:9100 example/acme-metrics-exporter:latest-arm64\n```\n\n"
        "## acme-trace-collector\n\n- Smoke test: 100 spans stored. PASS\n"
    ),
    "troubleshooting-notes.md": (
        "# Troubleshooting Notes\n\n## Cache misses after a restart\n\n"
        "```console\n$ docker logs --tail 3 acme-cache-proxy\n```\n\n"
        "The session API kept its tokens.\n"
    ),
    "release-notes-2024-06.md": (
        "# Release Notes, June 2024\n\n- acme-db-migrator: schema 42 applied\n"
    ),
    # The earlier hand audit names everything: an index, never evidence.
    "CONTAINER_DOCUMENTATION_AUDIT.md": "# Container Documentation Audit\n\n"
    + "".join(f"- {name}\n" for names in CATEGORIES.values() for name in names),
}


def test_a_realistic_project_without_configuration(tmp_path: Path) -> None:
    (tmp_path / "scripts" / "verification").mkdir(parents=True)
    (tmp_path / "scripts" / "verification" / "pull-images.sh").write_text(pull_script())
    (tmp_path / "docs").mkdir()
    for name, text in DOCS.items():
        (tmp_path / "docs" / name).write_text(text)
    out, err = io.StringIO(), io.StringIO()
    assert main(["audit", str(tmp_path), "--format", "json"], stdout=out, stderr=err) == 0
    assert err.getvalue() == ""
    data = json.loads(out.getvalue())

    assert data["detected_prefix"] == "acme-"
    assert data["index_docs"] == ["docs/CONTAINER_DOCUMENTATION_AUDIT.md"]
    assert data["warnings"] == []
    verdicts: dict[tuple[str, str | None], list[str]] = {}
    for image in data["images"]:
        verdicts.setdefault((image["status"], image["depth"]), []).append(image["ref"])
    assert verdicts == {
        # A report named or titled after the image, prefix or not.
        ("documented", "dedicated"): [
            "example/acme-secrets-vault:latest-arm64",
            "example/acme-service-registry:latest-arm64",
            "example/acme-api-gateway:latest-arm64",
            "example/acme-auth-service:latest-arm64",
            "example/acme-user-profile:latest-arm64",
            "example/acme-rate-limiter:latest-arm64",
            "example/acme-event-bus:latest-arm64",
            "example/acme-job-scheduler:latest-arm64",
            "example/acme-payment-router:latest-arm64",
            "example/acme-order-service:latest-arm64",
            "example/acme-edge-proxy:latest-arm64",
        ],
        # A section of a composite report, an operations note, the release notes.
        ("documented", "section"): [
            "example/acme-trace-collector:latest-arm64",
            "example/acme-config-server:latest-arm64",
            "example/acme-notification-worker:latest-arm64",
            "example/acme-db-migrator:latest-arm64",
        ],
        # Only in code: the base images as a build argument of another image's protocol.
        ("mentioned", None): [
            "example/acme-base:python-distroless-arm64",
            "example/acme-base:java-distroless-arm64",
            "example/acme-metrics-exporter:latest-arm64",
            "example/acme-cache-proxy:latest-arm64",
        ],
        # "admin interface" and "session storage" in the gateway's report document neither.
        ("missing", None): [
            "example/acme-log-shipper:latest-arm64",
            "example/acme-session-api:latest-arm64",
            "example/acme-flag-service:latest-arm64",
            "example/acme-mail-relay:latest-arm64",
            "example/acme-invoice-generator:latest-arm64",
            "example/acme-report-builder:latest-arm64",
            "example/acme-search-indexer:latest-arm64",
            "example/acme-backup-agent:latest-arm64",
            "example/acme-admin-interface:latest-arm64",
            "example/acme-session-storage:latest-arm64",
        ],
    }
    assert data["summary"] == {
        "total": 29,
        "documented": 15,
        "mentioned": 4,
        "missing": 10,
        "ignored": 0,
        "coverage": 51.7,
        "dedicated": 11,
        "dedicated_coverage": 37.9,
    }
    python_base = data["images"][0]
    assert python_base["evidence"][:2] == [
        {
            "path": "docs/ORDER_SERVICE_BUILD_PROTOCOL.md",
            "line": 6,
            "kind": "code",
            "other_tag": "example/acme-base:java-distroless-arm64",
        },
        {"path": "docs/PAYMENT_ROUTER_BUILD_PROTOCOL.md", "line": 6, "kind": "code"},
    ]
