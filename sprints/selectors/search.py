"""Search over the caller's repositories: PostgreSQL full-text ranking (GIN index) fused with pgvector
cosine similarity (HNSW index). Falls back to keywords alone when the embedding model is missing."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F, QuerySet
from pgvector.django import CosineDistance

from sprints.core.search import fuse_rankings
from sprints.models import SearchDocument
from workspace.core.embeddings import EmbeddingsUnavailable, encode

CANDIDATES = 50


class EmptyQuery(ValueError):
    """The search text is empty."""


@dataclass(frozen=True)
class SearchHit:
    document: SearchDocument
    score: float
    matched_by: tuple[str, ...]  # "keyword", "semantic"


def _scope(user: AbstractBaseUser | AnonymousUser, kinds: list[str] | None) -> QuerySet[SearchDocument]:
    queryset = SearchDocument.objects.visible_to(user).select_related("repository").defer("vector")
    return queryset.filter(kind__in=kinds) if kinds else queryset


def search_documents(
    user: AbstractBaseUser | AnonymousUser, q: str, *, kinds: list[str] | None = None, limit: int = 20
) -> tuple[list[SearchHit], bool]:
    """Best hits first, and whether the semantic half took part."""
    text = q.strip()
    if not text:
        raise EmptyQuery("the search text is empty")
    scope = _scope(user, kinds)
    query = SearchQuery(text, search_type="websearch", config="english")
    keyword = list(
        scope.filter(search_vector=query)
        .annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank", "pk")
        .values_list("pk", flat=True)[:CANDIDATES]
    )
    semantic: list[int] = []
    semantic_used = True
    try:
        vector = encode([text])[0]
        semantic = list(
            scope.filter(vector__isnull=False)
            .order_by(CosineDistance("vector", vector), "pk")
            .values_list("pk", flat=True)[:CANDIDATES]
        )
    except EmbeddingsUnavailable:
        semantic_used = False
    fused = fuse_rankings(keyword, semantic, limit=limit)
    documents = scope.in_bulk([pk for pk, _ in fused])
    keyword_set, semantic_set = set(keyword), set(semantic)
    hits = [
        SearchHit(
            document=documents[pk],
            score=round(score, 5),
            matched_by=tuple(
                name for name, found in (("keyword", keyword_set), ("semantic", semantic_set)) if pk in found
            ),
        )
        for pk, score in fused
    ]
    return hits, semantic_used
