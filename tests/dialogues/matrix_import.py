"""Permission-matrix rows for the Excel import of dialogue sessions (tests/test_permission_matrix.py)."""

from __future__ import annotations

from tests.matrix import ANON_LOGIN, REPORTERS, Row, u

ROUTES: dict[str, list[Row]] = {
    "dialogue-import": [Row(u("dialogue-import"), {**REPORTERS, **ANON_LOGIN})],
    "dialogue-import-template": [Row(u("dialogue-import-template"), {**REPORTERS, **ANON_LOGIN})],
}


def extend_world(world) -> None:
    """The import pages need nothing beyond the shared world."""
