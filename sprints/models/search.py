from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from pgvector.django import HnswIndex, VectorField

from gitinsight.models.tenancy import TenantModel

EMBEDDING_DIMENSIONS = 384


class SearchDocument(TenantModel):
    """One searchable text of a repository (kept in PostgreSQL): an
    issue, a pull request, a commit message or a documentation section. It carries both a pgvector
    embedding (semantic search) and a tsvector with a GIN index (keyword search). `vector` is empty
    until the embedding model has encoded the current text."""

    tenant_path = "repository__organization"

    class Kind(models.TextChoices):
        ISSUE = "issue"
        PULL_REQUEST = "pull_request"
        COMMIT = "commit"
        DOC = "doc"

    repository = models.ForeignKey("ingestion.Repository", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    key = models.CharField(max_length=300, help_text="Issue/PR number, commit sha, or path#section.")
    title = models.CharField(max_length=1000)
    text = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    content_sha256 = models.CharField(max_length=64)
    vector = VectorField(dimensions=EMBEDDING_DIMENSIONS, null=True, blank=True)
    embedding_model = models.CharField(max_length=100, blank=True)
    search_vector = SearchVectorField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "search_documents"
        constraints = [
            models.UniqueConstraint(fields=["repository", "kind", "key"], name="search_documents_unique_key"),
        ]
        indexes = [
            GinIndex(fields=["search_vector"], name="idx_search_documents_fts"),
            HnswIndex(
                name="idx_search_documents_vector",
                fields=["vector"],
                m=16,
                ef_construction=64,
                opclasses=["vector_cosine_ops"],
            ),
            models.Index(fields=["repository", "kind"], name="idx_search_documents_repo_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key}: {self.title[:60]}"
