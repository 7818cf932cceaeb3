
import numpy as np
from django.db import connection

from tests.triage.duplicates.fixtures import make_pull_request, make_repository
from triage.duplicates.models import Embedding
from triage.duplicates.services.embeddings import embedding_store, nearest_heads, pull_request_embedding_store
from workspace.core import embeddings


def _unit(*values: float) -> np.ndarray:
    vector = np.zeros(embeddings.DIMENSIONS, dtype=np.float32)
    vector[: len(values)] = values
    return vector / np.linalg.norm(vector)


def test_it_stores_one_row_per_content_and_never_encodes_it_twice(acme):
    repository = make_repository(acme)
    first = embedding_store(
        repository_id=repository.pk, entity_type="PR_SUMMARY", entity_id="1:a", text="t", vector=_unit(1, 0)
    )
    again = embedding_store(repository_id=repository.pk, entity_type="PR_SUMMARY", entity_id="1:a", text="t")
    assert again.pk == first.pk and Embedding.objects.count() == 1


def test_it_finds_the_nearest_heads_through_the_vector_index(acme):
    repository = make_repository(acme)
    for entity_id, vector in (("1:a", _unit(1, 0)), ("2:b", _unit(1, 0.1)), ("3:c", _unit(0, 1))):
        embedding_store(
            repository_id=repository.pk, entity_type="PR_SUMMARY", entity_id=entity_id, text=entity_id, vector=vector
        )
    query = Embedding.objects.get(entity_id="1:a")
    nearest = nearest_heads(embedding=query, limit=2)
    assert [(pr, head) for pr, head, _ in nearest] == [(2, "b"), (3, "c")]
    assert nearest[0][2] > 0.99


def test_it_hashes_the_model_name_with_the_text():
    assert embeddings.content_sha256("x") != embeddings.content_sha256("y")
    assert len(embeddings.content_sha256("x")) == 64


def test_the_model_puts_paraphrased_titles_close_together(acme):
    pr = make_pull_request(make_repository(acme), 1, "Fix samefile on zero inode")
    stored = pull_request_embedding_store(pull_request=pr, head_sha=pr.head_sha)
    other, unrelated = embeddings.encode(["samefile: handle zero inode numbers", "Expand tabs in terminal"])
    assert float(np.dot(stored.vector, other)) > float(np.dot(stored.vector, unrelated)) + 0.3


def test_a_repository_with_a_share_of_the_vectors_still_gets_all_its_nearest_heads(acme, globex):
    mine, busy = make_repository(acme), make_repository(globex, "busy")
    rng = np.random.default_rng(3)
    Embedding.objects.bulk_create([
        Embedding(repository=repository, entity_type="PR_SUMMARY", entity_id=f"{i}:x", model=embeddings.MODEL_NAME,
                  vector=_unit(*rng.normal(size=8)).tolist(), content_sha256=f"{repository.pk}-{i}")
        for repository, count in ((busy, 4000), (mine, 1000)) for i in range(1, count + 1)
    ])
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE embeddings")
    query = Embedding.objects.get(repository=mine, entity_id="1:x")
    # the vector index serves this query and the repository filter comes after it
    assert len(nearest_heads(embedding=query, limit=40)) == 40
