"""The check run's content from plain facts: its Markdown in words, its annotations and its
conclusion under the gates a maintainer configured. No Django."""
