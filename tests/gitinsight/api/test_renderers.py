"""The API's JSON renderer writes what DRF's JSONRenderer writes, through orjson: the same
bytes for the data serializers return, DRF's own text for dates, decimals and lazy strings,
and DRF's renderer itself for pretty-printed bodies and values orjson refuses."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from gitinsight.api.renderers import FastJSONRenderer

PAGE = ReturnDict({
    "next": "http://testserver/api/v1/pull-requests?cursor=cD0yMDI0",
    "previous": None,
    "results": ReturnList([
        {"id": 9_223_372_036_854_775_807, "number": 12, "draft": False, "title": "Fix “quotes” — and é, ß, 😀",
         "labels": ["bug", "help wanted"], "risk": 0.3125, "merged_at": "2024-05-01T10:00:00.123456Z",
         "body": "line one\nline two\ttabbed \\ backslash \"quoted\" \u0001", "reviewers": [], "milestone": None},
    ], serializer=None),
}, serializer=None)

ODD_VALUES = {
    "when": datetime(2024, 5, 1, 10, 0, 0, 123456, tzinfo=UTC),
    "naive": datetime(2024, 5, 1, 10, 0),
    "day": date(2024, 5, 1),
    "took": timedelta(minutes=3, seconds=2),
    "amount": Decimal("12.50"),
    "token": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "label": gettext_lazy("Pull requests"),
    7: "an integer key",
    "set_like": (1, 2, 3),
}


def both(data, media_type="application/json", context=None):
    return (FastJSONRenderer().render(data, media_type, context or {}),
            JSONRenderer().render(data, media_type, context or {}))


@pytest.mark.parametrize("data", [PAGE, ODD_VALUES, [], {}, "text", 0, None, [True, False, None]])
def test_it_writes_the_bytes_drf_writes(data):
    fast, drf = both(data)
    assert fast == drf


def test_line_and_paragraph_separators_are_escaped_as_drf_escapes_them():
    fast, drf = both({"title": "one\u2028two\u2029three"})
    assert fast == drf == b'{"title":"one\\u2028two\\u2029three"}'


def test_floats_keep_their_values_though_orjson_may_spell_them_differently():
    values = [0.1, 1e-05, 1e16, 2.5, -0.0, 123456.789]
    fast, drf = both(values)
    assert json.loads(fast) == json.loads(drf) == values


def test_a_nan_is_null_where_drf_would_fail_the_request():
    with pytest.raises(ValueError):
        JSONRenderer().render({"risk": float("nan")}, "application/json", {})
    assert FastJSONRenderer().render({"risk": float("nan"), "score": float("inf")}, "application/json", {}) == (
        b'{"risk":null,"score":null}')


@pytest.mark.parametrize("media_type", ["application/json; indent=4", "application/json; indent=2"])
def test_a_pretty_printed_body_is_drfs_own(media_type):
    fast, drf = both(PAGE, media_type)
    assert fast == drf
    assert b"\n    " in fast or b"\n  " in fast


def test_the_browsable_apis_indented_body_is_drfs_own():
    fast, drf = both(PAGE, None, {"indent": 4})
    assert fast == drf


def test_an_integer_beyond_64_bits_is_written_by_drf():
    fast, drf = both({"big": 2**80})
    assert fast == drf == b'{"big":1208925819614629174706176}'


def test_a_value_neither_can_write_fails_as_drfs_does():
    with pytest.raises(TypeError):
        FastJSONRenderer().render({"what": object()}, "application/json", {})
    with pytest.raises(TypeError):
        JSONRenderer().render({"what": object()}, "application/json", {})


def test_nothing_renders_as_an_empty_body():
    assert FastJSONRenderer().render(None) == b""
