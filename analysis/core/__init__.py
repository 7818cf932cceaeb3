"""Commit risk without Django: commit records, Kamei features, SZZ, labels, fix detection,
models and their metrics, the repository insights and their charts."""
