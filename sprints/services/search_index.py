"""Keep a repository's search documents in step with its issues, pull requests, commits and docs.
Only documents whose text changed are re-encoded. Docs are read from the git objects of the
clone's HEAD, never from its working tree (ingestion.services.git.tree says why)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator

from django.contrib.postgres.search import SearchVector
from django.db import transaction

from gitinsight.database.tenant_scope import organization_scope
from ingestion.models import Commit, Issue, PullRequest, Repository
from ingestion.services.git.tree import head_files
from sprints.core.search import MAX_TEXT_CHARS, content_sha256, is_doc_file, is_doc_folder, markdown_sections
from sprints.models import SearchDocument
from workspace.core.embeddings import MODEL_NAME, EmbeddingsUnavailable, encode

MAX_DOC_BYTES = 200_000
Kind = SearchDocument.Kind
logger = logging.getLogger(__name__)


def _repository_texts(repository: Repository) -> Iterator[tuple[str, str, str, str, str]]:
    """(kind, key, title, text, url) of everything searchable in the repository."""
    for issue in Issue.objects.filter(repository=repository, is_pull_request=False).only(
        "number", "title", "body", "html_url"
    ):
        yield Kind.ISSUE, str(issue.number), issue.title, issue.body[:MAX_TEXT_CHARS], issue.html_url
    for pr in PullRequest.objects.filter(repository=repository).only("number", "title", "body", "html_url"):
        yield Kind.PULL_REQUEST, str(pr.number), pr.title, pr.body[:MAX_TEXT_CHARS], pr.html_url
    for sha, message in Commit.objects.filter(repository=repository).values_list("sha", "message"):
        subject, _, body = message.partition("\n")
        yield Kind.COMMIT, sha, subject[:1000], body.strip()[:MAX_TEXT_CHARS], ""
    if repository.local_path:
        yield from _doc_texts(repository)


def _doc_texts(repository: Repository) -> Iterator[tuple[str, str, str, str, str]]:
    files = head_files(repository.local_path, wanted=is_doc_file, descend=is_doc_folder, max_bytes=MAX_DOC_BYTES)
    for path, data in files:
        if b"\0" in data:  # a binary named .md; PostgreSQL text cannot hold NUL either
            logger.info("%s of %s is binary and is not indexed", path, repository.full_name)
            continue
        for section in markdown_sections(path, data.decode("utf-8", errors="replace")):
            yield Kind.DOC, section.key[:300], section.title[:1000], section.text, ""


def search_documents_index(*, repository_id: int, batch_size: int = 128) -> dict[str, int]:
    """Upsert the repository's documents, drop vanished ones, encode the changed ones. Without the
    embedding model the keyword index is still built and `vectors` stays 0."""
    repository = Repository.objects.get(pk=repository_id)
    existing = {
        (row.kind, row.key): row for row in SearchDocument.objects.filter(repository=repository).defer("vector")
    }
    seen: set[tuple[str, str]] = set()
    changed: list[SearchDocument] = []
    with transaction.atomic():
        for kind, key, title, text, url in _repository_texts(repository):
            seen.add((kind, key))
            digest = content_sha256(MODEL_NAME, title, text)
            row = existing.get((kind, key))
            if row is not None and row.content_sha256 == digest and row.vector is not None:
                continue
            row, _ = SearchDocument.objects.update_or_create(
                repository=repository,
                kind=kind,
                key=key,
                defaults={"title": title, "text": text, "url": url, "content_sha256": digest, "vector": None},
            )
            changed.append(row)
        vanished = [row.pk for ident, row in existing.items() if ident not in seen]
        SearchDocument.objects.filter(pk__in=vanished).delete()
        SearchDocument.objects.filter(pk__in=[row.pk for row in changed]).update(
            search_vector=SearchVector("title", weight="A", config="english")
            + SearchVector("text", weight="B", config="english")
        )
    encoded = 0
    try:
        for start in range(0, len(changed), batch_size):
            batch = changed[start : start + batch_size]
            vectors = encode([f"{row.title}\n\n{row.text}" for row in batch])
            for row, vector in zip(batch, vectors, strict=True):
                row.vector = vector
                row.embedding_model = MODEL_NAME
            SearchDocument.objects.bulk_update(batch, ["vector", "embedding_model"])
            encoded += len(batch)
    except EmbeddingsUnavailable:
        pass
    return {"documents": len(seen), "changed": len(changed), "removed": len(vanished), "vectors": encoded}


def search_documents_index_each(
    repositories: Iterable[Repository], *, on_indexed: Callable[[str, dict[str, int | str]], object] | None = None
) -> dict[str, dict[str, int | str]]:
    """Index the repositories one after the other, each in the scope of its own organization.
    One that fails is logged and reported as {"error": ...}; the others are indexed all the same."""
    results: dict[str, dict[str, int | str]] = {}
    for repository in repositories:
        try:
            with organization_scope(repository.organization_id):
                results[repository.full_name] = search_documents_index(repository_id=repository.pk)
        except Exception as exc:  # any failure of one organization's data must not stop the others' index
            logger.exception("search indexing of %s failed", repository.full_name)
            results[repository.full_name] = {"error": f"{type(exc).__name__}: {exc}"}
        if on_indexed is not None:
            on_indexed(repository.full_name, results[repository.full_name])
    return results
