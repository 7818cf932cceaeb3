import uuid

from django.db import models
from pgvector.django import HnswIndex, VectorField

from gitinsight.models.tenancy import TenantModel

EMBEDDING_DIMENSIONS = 384


class Embedding(TenantModel):
    """A text embedding (table `embeddings`), deduplicated by content hash so that an
    unchanged title and body are never encoded twice."""

    tenant_path = "repository__organization"

    class EntityType(models.TextChoices):
        ISSUE = "ISSUE"
        PR_SUMMARY = "PR_SUMMARY"
        VISION_SECTION = "VISION_SECTION"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    repository = models.ForeignKey("ingestion.Repository", on_delete=models.CASCADE, related_name="+")
    entity_type = models.CharField(max_length=20, choices=EntityType.choices)
    entity_id = models.CharField(max_length=120, help_text="issue id, or pull request id:head sha")
    model = models.CharField(max_length=100)
    dims = models.PositiveSmallIntegerField(default=EMBEDDING_DIMENSIONS)
    vector = VectorField(dimensions=EMBEDDING_DIMENSIONS)
    content_sha256 = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "embeddings"
        constraints = [
            models.UniqueConstraint(
                fields=["repository", "entity_type", "entity_id", "model", "content_sha256"],
                name="embeddings_unique_content",
            ),
        ]
        indexes = [
            models.Index(fields=["repository", "entity_type", "entity_id"], name="idx_embeddings_entity"),
            HnswIndex(name="idx_embeddings_vector_hnsw", fields=["vector"], m=16, ef_construction=64,
                      opclasses=["vector_cosine_ops"]),
        ]

    def __str__(self) -> str:
        return f"{self.entity_type} {self.entity_id} ({self.model})"
