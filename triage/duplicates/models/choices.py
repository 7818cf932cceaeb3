"""Value sets of the triage tables (table `enums`)."""

from django.db import models


class TriageCategory(models.TextChoices):
    SAME_CHANGE = "SAME_CHANGE"
    SAME_FEATURE = "SAME_FEATURE"
    COMPETING_IMPLEMENTATION = "COMPETING_IMPLEMENTATION"
    RELATED = "RELATED"
    NOT_RELATED = "NOT_RELATED"
    UNCERTAIN = "UNCERTAIN"


class SymbolKind(models.TextChoices):
    DECL = "decl"
    EXPORT = "export"
    IMPORT = "import"
    TEST = "test"


class FeedbackDecision(models.TextChoices):
    DUPLICATE = "DUPLICATE"
    SAME_FEATURE = "SAME_FEATURE"
    COMPETING = "COMPETING"
    RELATED = "RELATED"
    NOT_RELATED = "NOT_RELATED"
    OUT_OF_SCOPE = "OUT_OF_SCOPE"
    IN_SCOPE = "IN_SCOPE"


class ClusterRole(models.TextChoices):
    BASE_SUGGESTED = "BASE_SUGGESTED"
    CANONICAL_SUGGESTED = "CANONICAL_SUGGESTED"
    MEMBER = "MEMBER"


class ContainmentBasis(models.TextChoices):
    PROD_SHINGLES = "PROD_SHINGLES"
    PROD_WINNOW = "PROD_WINNOW"
    PROD_SYMBOLS = "PROD_SYMBOLS"
