"""The gate's policy: the coverage threshold and the allowed drop, and their one validator.

`fail-under` and `max-drop` are read from the config, the command line and the action's
inputs; all three use `parse_points`, so the same text means the same everywhere. Pure.
"""

from __future__ import annotations

import math

from .records import record

# What every source says when a value is wrong.
POINTS_EXPECTED = "a number from 0 to 100 (a trailing % is allowed)"


@record
class Policy:
    """`fail_under`: the lowest coverage that passes; `max_drop`: the most points of coverage
    a change may lose. Both in percent, 0 to 100."""

    fail_under: float = 0.0
    max_drop: float = 0.0

    def loosened_from(self, base: Policy) -> tuple[str, ...]:
        """How this policy is looser than `base`, one phrase a change: empty when it is not."""
        changes = []
        if self.fail_under < base.fail_under:
            changes.append(f"lowers fail-under from {base.fail_under:g} to {self.fail_under:g}")
        if self.max_drop > base.max_drop:
            changes.append(f"raises max-drop from {base.max_drop:g} to {self.max_drop:g}")
        return tuple(changes)


def parse_points(text: str) -> float | None:
    """`text` as a percentage from 0 to 100 (`80`, `80.5`, `80%`, `1_000` is too big);
    None when it is not one."""
    cleaned = text.strip().removesuffix("%").strip().replace("_", "")
    try:
        value = float(cleaned)
    except ValueError:
        return None
    return value if math.isfinite(value) and 0 <= value <= 100 else None
