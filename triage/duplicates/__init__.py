"""Duplicate and competing pull requests: signatures per head, candidate retrieval, scored
edges with evidence, clusters and maintainer feedback. The algorithms are in core/."""
