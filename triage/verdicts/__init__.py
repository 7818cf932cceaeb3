"""Verdicts where maintainers work: one GitInsight check run per pull request head on GitHub,
created when the head is first seen and edited as its analyses finish (commit risk,
duplicates, failed checks), with an optional comment that mentions the author. It joins both
halves of triage and commit risk, like the report it publishes (triage.report)."""
