"""image-docs-audit: keep container images documented."""

# The one place the version is written: pyproject.toml reads it from here.
__version__ = "0.1.0"
HOMEPAGE = "https://github.com/image-docs-audit/image-docs-audit"
