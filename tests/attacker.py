"""The disclosure attacker shared by the tests: solve every relation (cells adding up to a
shown total) that has exactly one unknown, repeatedly, and fail if that recovers a count of
1 or 2 persons."""

from __future__ import annotations

from analytics.disclosure import flag_column


def assert_relations_safe(original, protected, relations):
    """Solve relations with one unknown as an attacker would: never a small count."""
    known = {(r, c): protected[c][r] for rel in relations for r, c in rel if not protected[flag_column(c)][r]}
    progress = True
    while progress:
        progress = False
        for rel in relations:
            unknown = [cell for cell in rel if cell not in known]
            if len(unknown) == 1:
                r, c = unknown[0]
                known[(r, c)] = original[c][r]
                assert not (0 < original[c][r] < 3), f"recovered {(r, c)} = {original[c][r]}"
                progress = True
