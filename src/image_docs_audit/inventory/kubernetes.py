"""Images of Kubernetes manifests and Helm-style values files.

A manifest is a YAML document with `apiVersion` and `kind`; every `image:`
string in it is an image (containers, init containers, jobs, cron jobs, custom
resources alike). A values file has no `apiVersion`: its images are `image:`
strings and `image:` maps of `registry`, `repository`, `tag` and `digest`, as
Helm charts write them, and the same under a key that names an image (`initImage:`,
`sidecar_image:`) when it holds a reference. A template placeholder
(`{{ .Values.image }}`) is not an image: it gets one warning.
"""

from __future__ import annotations

import yaml

from ..model import Diagnostic, Location
from .reference import looks_like_reference
from .sources import Candidate, SourceImages, SourceKind
from .yamlnodes import Scalar, Walker, WalkLimitError, documents, error_line, scalar


def read_manifests(path: str, data: bytes) -> SourceImages:
    """The images of the Kubernetes manifests in `path` (documents without a kind are skipped)."""
    return _read(path, data, SourceKind.KUBERNETES)


def read_values(path: str, data: bytes) -> SourceImages:
    """The images of a Helm-style values file."""
    return _read(path, data, SourceKind.HELM_VALUES)


def _read(path: str, data: bytes, kind: SourceKind) -> SourceImages:
    reader = _Images(path)
    try:
        for document in documents(data):
            is_manifest = reader.walk.get(document, "apiVersion") is not None and (
                reader.walk.get(document, "kind") is not None
            )
            if is_manifest == (kind is SourceKind.KUBERNETES):
                reader.document(document, named=kind is SourceKind.HELM_VALUES)
    except yaml.YAMLError as error:
        reader.warn(error_line(error), "not valid YAML; the images of this file are not read")
    except WalkLimitError:
        reader.warn(1, "the file is too large or intricate to read; its images are not read")
    return SourceImages(path, tuple(reader.found), tuple(reader.warnings), kind)


class _Images:
    def __init__(self, path: str) -> None:
        self.path = path
        self.walk = Walker()
        self.found: list[tuple[Candidate, str | None]] = []
        self.warnings: list[Diagnostic] = []

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(Diagnostic(Location(self.path, line), message))

    def document(self, root: yaml.Node, *, named: bool = False) -> None:
        """Every `image:` of the document; with `named` (values files), also the keys
        that name one (`initImage:`, `sidecar_image:`) when they hold a reference."""
        for mapping in self.walk.mappings(root):
            for key, _, value in self.walk.pairs(mapping):
                by_name = named and key != "image" and _names_an_image(key)
                if key != "image" and not by_name:
                    continue
                found = scalar(value) if isinstance(value, yaml.ScalarNode) else self.parts(value)
                if found is None or not found.value.strip():
                    continue
                if by_name and not _reference_like(found.value):
                    continue  # `backgroundImage: /static/bg.png`: a name, not an image
                self.image(found)

    def parts(self, node: yaml.Node) -> Scalar | None:
        """`image: {registry, repository, tag, digest}` as one reference."""
        repository = scalar(self.walk.get(node, "repository"))
        if repository is None:
            return None
        registry = scalar(self.walk.get(node, "registry"))
        tag = scalar(self.walk.get(node, "tag"))
        digest = scalar(self.walk.get(node, "digest"))
        text = repository.value
        if registry is not None and registry.value:
            text = f"{registry.value.rstrip('/')}/{text}"
        if tag is not None and tag.value:
            text += f":{tag.value}"
        if digest is not None and digest.value:
            text += f"@{digest.value}"
        return Scalar(text, repository.line)

    def image(self, found: Scalar) -> None:
        if "{{" in found.value or "}}" in found.value:
            message = (
                f"{found.value[:80]} is a template placeholder, not an image; the image it "
                "stands for is not audited (list it in the values file or a pull script)"
            )
            self.warn(found.line, message)
            return
        self.found.append((Candidate(found.value.strip(), found.line), None))


def _names_an_image(key: str) -> bool:
    """`initImage`, `sidecar_image`, `busybox-image`: a key whose last word is image."""
    return key.endswith("Image") or (key.lower().endswith("image") and key[-6:-5] in ("_", "-"))


def _reference_like(text: str) -> bool:
    """A value that reads as an image with a tag, digest or registry (`busybox:1.36`,
    `ghcr.io/acme/x`), not a word or a path."""
    value = text.strip()
    if value.startswith(("/", ".")) or not any(char in value for char in ":/@"):
        return False
    return looks_like_reference(value)
