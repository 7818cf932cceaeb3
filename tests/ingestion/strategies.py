"""Hypothesis strategies for GitHub JSON: any JSON value, and GitHub's own examples with
one part replaced or removed (the shapes a broken or hostile sender produces)."""

from __future__ import annotations

import copy
import json

from hypothesis import strategies as st

awkward_text = st.sampled_from([
    "", "\x00", "a\x00b", "\ud800", "2024-13-45T99:00:00Z", "not a date", "<script>alert(1)</script>",
    "'; DROP TABLE x; --", "9" * 5000, "x" * 20000, "\u202e\ufeff", "NaN", "-1",
])
awkward_numbers = st.sampled_from([0, -1, 2**31, 2**63, 2**70, -(2**70), 1e308, -0.0, 1.5])
json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=20),
    awkward_text, awkward_numbers,
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)


def _paths(value, prefix=()) -> list[tuple]:
    """Every path into `value`'s dicts and lists, parents before children."""
    found = []
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, child in items:
        found.append((*prefix, key))
        found.extend(_paths(child, (*prefix, key)))
    return found


@st.composite
def mutated(draw, original: dict, *, max_edits: int = 3) -> dict:
    """A deep copy of `original` with up to `max_edits` values replaced by any JSON value
    or removed."""
    value = copy.deepcopy(original)
    for _ in range(draw(st.integers(min_value=1, max_value=max_edits))):
        paths = _paths(value)
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent = value
        for key in path[:-1]:
            parent = parent[key]
        if isinstance(parent, dict) and draw(st.booleans()):
            del parent[path[-1]]
        else:
            parent[path[-1]] = draw(json_values)
    return value


def as_json(value) -> bytes:
    """JSON bytes as GitHub would send them, lone surrogates escaped (json.dumps does)."""
    return json.dumps(value).encode()
