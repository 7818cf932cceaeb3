"""Writes of the check-run part: publishing (create, edit, supersede, retry), the rerun a
maintainer asks for with the check run's button, and telling the author."""
