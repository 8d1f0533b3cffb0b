"""image-docs-audit: keep container images documented."""

# The one place the version is written: pyproject.toml reads it from here.
__version__ = "0.1.0"
HOMEPAGE = "https://github.com/image-docs-audit/image-docs-audit"


def compiled() -> bool:
    """Whether this is the compiled build (setup.py): its scan modules are C extensions."""
    from .docs import blocks  # noqa: PLC0415  (the scan imports it anyway, the package need not)

    return not blocks.__file__.endswith(".py")
