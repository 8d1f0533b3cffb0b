"""image-docs-audit: keep container images documented."""

__version__ = "0.1.0"
