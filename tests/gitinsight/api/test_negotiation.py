"""Remembered content negotiation picks what DRF's picks, for every Accept header and format,
and remembers only short headers it could serve."""

from __future__ import annotations

import pytest
from rest_framework import exceptions
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from gitinsight.api import negotiation
from gitinsight.api.negotiation import RememberedNegotiation

ACCEPTS = ["application/json", "*/*", "text/html", "text/html,application/xhtml+xml,*/*;q=0.8",
           "application/json; indent=4", "application/*", "application/json;q=0.5, text/html"]


@pytest.fixture(autouse=True)
def forgotten():
    negotiation._chosen.clear()
    yield
    negotiation._chosen.clear()


def choice(negotiator, accept: str, query: str = "", suffix: str | None = None):
    request = Request(APIRequestFactory().get(f"/api/v1/commits{query}", HTTP_ACCEPT=accept))
    renderers = [JSONRenderer(), BrowsableAPIRenderer()]
    renderer, media_type = negotiator.select_renderer(request, renderers, suffix)
    return renderers.index(renderer), media_type


@pytest.mark.parametrize("accept", ACCEPTS)
@pytest.mark.parametrize(("query", "suffix"), [("", None), ("?format=json", None), ("?format=api", None),
                                               ("", "json")])
def test_it_chooses_what_drf_chooses_the_first_time_and_after(accept, query, suffix):
    expected = outcome(DefaultContentNegotiation(), accept, query, suffix)
    assert outcome(RememberedNegotiation(), accept, query, suffix) == expected
    assert bool(negotiation._chosen) == (expected != "refused")  # a 406 is never remembered
    assert outcome(RememberedNegotiation(), accept, query, suffix) == expected


def outcome(negotiator, accept: str, query: str, suffix: str | None):
    try:
        return choice(negotiator, accept, query, suffix)
    except exceptions.NotAcceptable:
        return "refused"


def test_an_unservable_header_is_refused_every_time_and_never_remembered():
    for _ in range(2):
        with pytest.raises(exceptions.NotAcceptable):
            choice(RememberedNegotiation(), "image/png")
    assert not negotiation._chosen


def test_long_headers_and_many_headers_are_not_remembered(monkeypatch):
    choice(RememberedNegotiation(), "application/json, " + "text/plain;q=0.1, " * 40)
    assert not negotiation._chosen
    monkeypatch.setattr(negotiation, "REMEMBERED_MAX", 2)
    for accept in ACCEPTS:
        choice(RememberedNegotiation(), accept)
    assert len(negotiation._chosen) == 2
