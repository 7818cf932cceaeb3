from datetime import timedelta

from django.utils import timezone

from gitinsight.models import RateLimitCounter


def rate_limit_counters_purge() -> int:
    """Delete counters of windows that ended more than a day ago."""
    deleted, _ = RateLimitCounter.objects.filter(window_start__lt=timezone.now() - timedelta(days=1)).delete()
    return deleted
