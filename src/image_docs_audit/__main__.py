"""`python -m image_docs_audit`."""

from .cli import run

if __name__ == "__main__":
    run()
