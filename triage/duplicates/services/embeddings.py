"""Title+body embeddings of PR heads, stored once per content hash (table `embeddings`)."""

from __future__ import annotations

import numpy as np
from django.db import connection, transaction
from pgvector.django import CosineDistance

from ingestion.models import PullRequest
from triage.duplicates.models import Embedding
from workspace.core import embeddings


def head_entity_id(pull_request_id: int, head_sha: str) -> str:
    return f"{pull_request_id}:{head_sha}"


def embedding_store(
    *, repository_id: int, entity_type: str, entity_id: str, text: str, vector: np.ndarray | None = None
) -> Embedding:
    """The stored embedding of `text` for the entity; encoded only when this text is new."""
    digest = embeddings.content_sha256(text)
    found = Embedding.objects.filter(repository_id=repository_id, entity_type=entity_type, entity_id=entity_id,
                                     model=embeddings.MODEL_NAME, content_sha256=digest).first()
    if found is not None:
        return found
    reused = Embedding.objects.filter(model=embeddings.MODEL_NAME, content_sha256=digest).first()
    if vector is None:
        vector = np.asarray(reused.vector) if reused is not None else embeddings.encode([text])[0]
    embedding, _ = Embedding.objects.get_or_create(
        repository_id=repository_id, entity_type=entity_type, entity_id=entity_id, model=embeddings.MODEL_NAME,
        content_sha256=digest, defaults={"vector": vector.tolist(), "dims": len(vector)},
    )
    return embedding


def pull_request_embedding_store(*, pull_request: PullRequest, head_sha: str) -> Embedding:
    return embedding_store(
        repository_id=pull_request.repository_id, entity_type=Embedding.EntityType.PR_SUMMARY,
        entity_id=head_entity_id(pull_request.pk, head_sha),
        text=embeddings.pull_request_text(pull_request.title, pull_request.body),
    )


def nearest_heads(*, embedding: Embedding, limit: int = 20) -> list[tuple[int, str, float]]:
    """(pull request id, head sha, cosine similarity) of the nearest other PR heads (HNSW index)."""
    query = (
        Embedding.objects.filter(repository_id=embedding.repository_id, entity_type=Embedding.EntityType.PR_SUMMARY,
                                 model=embedding.model)
        .exclude(pk=embedding.pk)
        .annotate(distance=CosineDistance("vector", embedding.vector))
        .order_by("distance")
        .values_list("entity_id", "distance")[:limit]
    )
    with transaction.atomic(), connection.cursor() as cursor:
        # the repository filter applies after the HNSW scan: a plain scan stops after ef_search
        # vectors of every repository, leaving a repository that owns few of them with few or no
        # neighbours; an iterative scan goes on until `limit` rows of this repository are found
        cursor.execute("SET LOCAL hnsw.iterative_scan = strict_order")
        cursor.execute(f"SET LOCAL hnsw.ef_search = {max(40, 2 * limit)}")
        rows = list(query)
    result = []
    for entity_id, distance in rows:
        pr_id, _, head_sha = entity_id.partition(":")
        result.append((int(pr_id), head_sha, 1.0 - float(distance)))
    return result
