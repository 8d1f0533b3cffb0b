"""The one error a user can cause: bad input, bad usage. The CLI prints it on one line, exit 2."""

from __future__ import annotations


class InputError(Exception):
    """Bad input named by its source (a file with a line, an option, an input).

    `str()` gives the whole one-line message: `source: what is wrong; what to do`.
    """

    def __init__(self, source: str, message: str) -> None:
        super().__init__(source, message)
        self.source = source
        self.message = message

    def __str__(self) -> str:
        return f"{self.source}: {self.message}" if self.source else self.message
