"""Writes of failed-check analysis: analyses, fix attempts and reruns, reviews, confirmed root
causes, feedback, log fetching and monitoring, notices."""
