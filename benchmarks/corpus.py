"""A seeded project to measure the audit on: a pull script, a docs tree, names.txt.

    python benchmarks/corpus.py OUT --images 1500 --docs 12000 [--seed 7] [--density 0.3]

The images share a project prefix (`acme-`) and differ in registry (Docker Hub,
ghcr.io, quay.io, a private registry with a port), tag and digest; a few
third-party images (`redis:7-alpine`) sit among them; all stand in categories.
The reports look like the ones teams write: front matter or an H1 title,
headings, tables of services and ports, lists, fenced and indented code, block
quotes, accented words and emoji in most files, 2-50 KB each (10 KB on average). Images are
mentioned in every kind of place: file names, titles, headings, table subject
and value columns, list items, prose, code spans and full references in code,
about once a KB as in the issue's measured corpus (`--density 1.0`: three times
as often); a service keeps its port from report to report.

The same seed and sizes always give the same bytes, so runs can be compared.
"""

from __future__ import annotations

import argparse
import random
import zlib
from dataclasses import dataclass
from pathlib import Path

_WORDS_A = tuple(
    [
        "api",
        "auth",
        "billing",
        "cache",
        "catalog",
        "config",
        "edge",
        "event",
        "feature",
        "flag",
        "gateway",
        "identity",
        "inventory",
        "invoice",
        "job",
        "ledger",
        "log",
        "mail",
        "media",
        "metrics",
        "notification",
        "order",
        "payment",
        "pricing",
        "profile",
        "quota",
        "rate",
        "report",
        "search",
        "session",
        "shipping",
        "storage",
        "tenant",
        "trace",
        "user",
        "vault",
        "webhook",
        "audit",
        "backup",
        "cart",
        "checkout",
        "geo",
        "image",
        "ingest",
        "key",
        "license",
        "map",
        "match",
        "queue",
        "recommend",
        "review",
        "risk",
        "route",
        "schema",
        "secret",
        "signal",
        "sync",
        "token",
    ]
)
_WORDS_B = tuple(
    [
        "service",
        "api",
        "worker",
        "router",
        "proxy",
        "gateway",
        "exporter",
        "collector",
        "scheduler",
        "indexer",
        "builder",
        "manager",
        "store",
        "relay",
        "agent",
        "server",
        "controller",
        "registry",
        "migrator",
        "limiter",
        "bus",
        "engine",
    ]
)
_THIRD_PARTY = (
    "redis:7-alpine",
    "postgres:16.2",
    "nginx:1.25-alpine",
    "grafana/grafana:10.4.1",
    "prom/prometheus:v2.51.0",
    "bitnami/kafka:3.7",
    "quay.io/coreos/etcd:v3.5.12",
    "ghcr.io/open-telemetry/opentelemetry-collector-releases/opentelemetry-collector:0.97.0",
    "registry.k8s.io/pause:3.9",
    "minio/minio:RELEASE.2024-03-15T01-07-19Z",
)
_REGISTRIES = ("acme", "ghcr.io/acme-corp", "quay.io/acme", "registry.acme.internal:5000/platform")
_TAGS = ("latest", "latest-arm64", "v1.4.2", "2.0.0-rc1", "1.9-alpine", "stable", "v3.1.0-arm64")
_PROSE = (
    "The build passed on arm64 after we pinned the base image and reran the smoke tests.",
    "Le déploiement a réussi après la mise à jour du certificat — vérifié à 14 h 32.",
    "Die Prüfung der Abhängigkeiten ergab keine Konflikte; Größe des Images: 182 MB.",
    "Startup time dropped from 4.2 s to 1.1 s once the health check stopped polling.",
    "✅ All endpoints answered within the budget; 🚀 ready for the next phase.",
    "Known issue: the container logs a deprecation warning on first start (harmless).",
    "Die Konfiguration wird über Umgebungsvariablen übergeben, nicht über Dateien.",
    "We rebuilt with --no-cache because the layer with the CA bundle was stale.",
    "La latence p99 reste sous 120 ms avec 200 requêtes par seconde — très stable.",
    "Memory stayed under 256 MiB during the soak test (6 h, 3 replicas). 📈",
    "Port conflicts were resolved by moving the admin endpoint to 9090.",
    "ログは JSON 形式で出力されます。起動時間は約 2 秒です。",
    "The gateway timeouts we saw were caused by the upstream, not by this image.",
    "Rollback tested: the previous tag starts cleanly and reads the same volume.",
    "Señal de salud estable; la réplica número 2 tardó 3 s más en arrancar.",
    "No CVEs above medium in the last scan; the report is attached to the ticket.",
)
# How often a place that may name an image does, as a share of DENSE. DENSE names one in
# half the table rows, a third of the list items and every code block: 37 mentions a
# report, 3 a KB. The measured corpus held about 100,000 pieces of evidence in
# 12,000 reports of 90 MB: 8 a report, 1.1 a KB. DENSITY gives that (1.15 a KB by
# `grep -oF -f names.txt` on the 700-doc project).
DENSE = 1.0
DENSITY = 0.3
_STATUS = ("✅ PASS", "PASS", "❌ FAIL", "⚠️ degraded", "pending", "PASS (retry)")


@dataclass(frozen=True)
class Image:
    ref: str
    name: str  # the last path component of the repository
    category: str


def make_images(count: int, rng: random.Random) -> list[Image]:
    """`count` images: mostly `acme-` ones in phases, a few third-party ones."""
    images: list[Image] = []
    names: set[str] = set()
    phases = max(3, min(12, count // 25))
    for ref in _THIRD_PARTY[: max(1, count // 50)]:
        images.append(Image(ref, ref.split(":")[0].rsplit("/", 1)[-1], "Third-party Images"))
    while len(images) < count:
        name = "acme-" + rng.choice(_WORDS_A) + "-" + rng.choice(_WORDS_B)
        if rng.random() < 0.3:
            name += f"-{rng.randint(2, 99)}"
        if name in names:
            name += f"-{len(images)}"
        names.add(name)
        ref = f"{rng.choice(_REGISTRIES)}/{name}:{rng.choice(_TAGS)}"
        if rng.random() < 0.1:
            ref += "@sha256:" + "".join(rng.choice("0123456789abcdef") for _ in range(64))
        phase = 1 + len(images) * phases // count
        images.append(Image(ref, name, f"Phase {phase}: Services {phase}"))
    return images


def pull_script(images: list[Image]) -> str:
    lines = ["#!/usr/bin/env bash", "set -euo pipefail", "", "ALL_IMAGES=("]
    category = None
    for image in images:
        if image.category != category:
            category = image.category
            lines += ["", f"    # {category}"]
        lines.append(f'    "{image.ref}"')
    lines += [
        ")",
        'for IMAGE in "${ALL_IMAGES[@]}"; do',
        '    docker pull --platform linux/arm64 "$IMAGE"',
        "done",
    ]
    return "\n".join(lines) + "\n"


def _short(image: Image) -> str:
    return image.name.removeprefix("acme-")


def _words(short: str) -> str:
    return " ".join(part.capitalize() for part in short.split("-"))


class _Doc:
    """One report under construction."""

    def __init__(
        self, rng: random.Random, images: list[Image], subject: Image | None, density: float
    ) -> None:
        self.rng = rng
        self.images = images
        self.subject = subject
        self.density = density
        self.parts: list[str] = []
        self.size = 0

    def add(self, text: str) -> None:
        self.parts.append(text)
        self.size += len(text.encode("utf-8"))

    def other(self) -> Image:
        return self.rng.choice(self.images)

    def names(self, chance: float) -> bool:
        """Whether a place that may name an image does: `chance` at full density."""
        return self.rng.random() < chance * self.density

    def port(self, named: str, drawn: int) -> int:
        """The port a row gives `named`: a service keeps its port from report to report (a
        sidecar, the one of its report's subject); one row in fifty gives another (a port
        that moved, a typo), so that port conflicts stay rare, as in a real project."""
        if drawn % 50 == 0:
            return drawn
        subject = self.subject.name if self.subject else "notes"
        owner = named if named != "metrics sidecar" else f"{subject} sidecar"
        return 1024 + zlib.crc32(owner.encode()) % 8976

    def paragraph(self, ascii_only: bool) -> None:
        pool = _PROSE[:1] + _PROSE[3:4] if ascii_only else _PROSE
        sentences = [self.rng.choice(pool) for _ in range(self.rng.randint(2, 6))]
        if self.names(0.15):
            sentences.insert(1, f"See also {self.other().name} for the upstream side.")
        if self.names(0.1):
            sentences.append(f"The `{self.other().name}` container restarted once.")
        self.add(" ".join(sentences) + "\n\n")

    def table(self) -> None:
        rows = ["| Service | Port | Status |", "|---|---|---|"]
        for _ in range(self.rng.randint(2, 8)):
            named = self.other().name if self.names(0.5) else "metrics sidecar"
            port = self.port(named, self.rng.randint(1024, 9999))
            rows.append(f"| {named} | {port} | {self.rng.choice(_STATUS)} |")
        if self.names(0.3):
            rows.append(f"| UPSTREAM | {self.other().name} | depends on |")
        self.add("\n".join(rows) + "\n\n")

    def bullets(self) -> None:
        items = []
        for _ in range(self.rng.randint(2, 6)):
            if self.names(0.3):
                items.append(f"- {self.other().name}: rebuilt and pushed")
            else:
                items.append(f"- {self.rng.choice(_PROSE)}")
                if self.rng.random() < 0.2:
                    items.append("  continued on a second line of the same item")
        self.add("\n".join(items) + "\n\n")

    def fence(self) -> None:
        if self.density < 1 and not self.names(1.0):
            body = "kubectl get pods -o wide\nkubectl logs deploy/app --tail=50"
            self.add(f"```bash\n{body}\n```\n\n")
            return
        image = self.subject or self.other()
        if self.rng.random() < 0.6:
            body = (
                f"docker pull --platform linux/arm64 {image.ref}\n"
                f"docker run --rm -p 8080:8080 {image.ref}\n"
                "curl -fsS http://localhost:8080/health"
            )
            self.add(f"```bash\n{body}\n```\n\n")
        else:
            body = f"services:\n  app:\n    image: {self.other().ref}\n    restart: always"
            self.add(f"```yaml\n{body}\n```\n\n")

    def indented(self) -> None:
        self.add("    $ docker logs --tail 20 app\n    ready in 812 ms\n\n")

    def quote(self) -> None:
        self.add(f"> Note: {self.rng.choice(_PROSE)}\n\n")


def _title_and_file(index: int, rng: random.Random, subject: Image | None) -> tuple[str, str]:
    if subject is None:
        topics = ("troubleshooting", "meeting-notes", "runbook", "release-notes", "capacity")
        topic = rng.choice(topics)
        return f"{topic.replace('-', ' ').title()} {index}", f"notes/{topic}-{index:05d}.md"
    short = _short(subject)
    style = index % 4
    if style == 0:
        return f"Step {index % 40}: {_words(short)} Smoke Test", (
            f"reports/step{index % 40:02d}-{short}-smoke-test-{index}.md"
        )
    if style == 1:
        stem = short.upper().replace("-", "_")
        return f"{_words(short)} Build Protocol", f"build/{stem}_BUILD_PROTOCOL_{index}.md"
    if style == 2:
        return f"{subject.name} build report", f"reports/{subject.name}-report-{index}.md"
    return f"Phase report {index}", f"composite/phase-report-{index:05d}.md"


def make_doc(
    index: int, rng: random.Random, images: list[Image], density: float = DENSITY, size: float = 1.0
) -> tuple[str, str]:
    """The path and text of report `index`, `size` times as long as by default."""
    subject = rng.choice(images) if rng.random() < 0.8 else None
    title, path = _title_and_file(index, rng, subject)
    doc = _Doc(rng, images, subject, density)
    ascii_only = rng.random() < 0.2
    if rng.random() < 0.5:
        doc.add(f"---\ntitle: {title}\ndate: 2024-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}\n")
        doc.add("tags: [build, smoke-test]\n---\n\n")
    else:
        doc.add(f"# {title}\n\n")
    # 2 KB to 50 KB, most of them small: the square skews a log-uniform size toward 2 KB
    # (median 4.6 KB, mean 10 KB), so 20,000 reports make about 200 MB.
    target = int(2048 * (25 ** (rng.random() ** 2)) * size)
    sections = (doc.paragraph, doc.table, doc.bullets, doc.fence, doc.indented, doc.quote)
    weights = (6, 2, 2, 2, 1, 1)
    heading = 0
    while doc.size < target:
        heading += 1
        if subject is not None and heading == 2 and rng.random() < 0.5:
            doc.add(f"## {subject.name}\n\n")
        elif doc.names(0.15):
            doc.add(f"## {_words(_short(doc.other()))}\n\n")
        elif rng.random() < 0.05:
            doc.add(f"Results {heading}\n----------\n\n")
        else:
            doc.add(f"## Section {heading}\n\n")
        for _ in range(rng.randint(2, 5)):
            choice = rng.choices(sections, weights)[0]
            if choice == doc.paragraph:
                doc.paragraph(ascii_only)
            else:
                choice()
    return path, "".join(doc.parts)


def write_corpus(
    root: Path,
    images: int,
    docs: int,
    seed: int = 7,
    density: float = DENSITY,
    *,
    size: float = 1.0,
) -> list[Image]:
    """Write the project under `root`: scripts/pull-images.sh, docs/, names.txt (`size`:
    the reports' length, times their default one)."""
    rng = random.Random(seed)
    inventory = make_images(images, rng)
    (root / "scripts").mkdir(parents=True, exist_ok=True)
    (root / "scripts" / "pull-images.sh").write_text(pull_script(inventory), encoding="utf-8")
    docs_root = root / "docs"
    doc_rng = random.Random(seed + 1)  # docs independent of the image count's draws
    for index in range(docs):
        path, text = make_doc(index, doc_rng, inventory, density, size)
        target = docs_root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    names = sorted({image.name for image in inventory})
    (root / "names.txt").write_text("\n".join(names) + "\n", encoding="utf-8")
    return inventory


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--images", type=int, default=1500)
    parser.add_argument("--docs", type=int, default=12000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--density", type=float, default=DENSITY, help=f"{DENSE} is dense")
    parser.add_argument("--size", type=float, default=1.0, help="the reports' length, times")
    options = parser.parse_args()
    write_corpus(
        options.out, options.images, options.docs, options.seed, options.density, size=options.size
    )


if __name__ == "__main__":
    main()
