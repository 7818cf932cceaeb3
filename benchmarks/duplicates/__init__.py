"""Offline benchmark of PR-similarity on a git clone: commits are pseudo pull requests and
`git cherry-pick -x` backports are the known duplicates (no Django here)."""
