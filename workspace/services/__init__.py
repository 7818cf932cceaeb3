"""Writes of the workspace: jobs and their progress, follows and notices, the demo."""
