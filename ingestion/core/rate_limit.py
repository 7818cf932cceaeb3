"""When to pause for GitHub's rate limits. No Django here; the clock and the sleep are
injectable so tests run without waiting."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from ingestion.services.github_api.errors import RateLimitWait


@dataclass
class RateLimitPolicy:
    #: keep this many requests of the hourly budget for webhooks' follow-ups and people
    reserve: int = 100
    #: pause in-process up to this many seconds; longer waits raise RateLimitWait
    max_wait: float = 900.0
    #: retries of one request after secondary rate limits
    max_secondary_retries: int = 5
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.time
    #: seconds waited so far, per reason (reported in the backfill summary)
    waited: dict[str, float] = field(default_factory=dict)

    def pause(self, seconds: float, *, reason: str) -> None:
        """Wait `seconds` (at least 0), or raise RateLimitWait if that is too long."""
        seconds = max(0.0, seconds)
        if seconds > self.max_wait:
            resume_at = datetime.fromtimestamp(self.clock() + seconds, tz=UTC)
            raise RateLimitWait(resume_at, reason=reason)
        self.waited[reason] = self.waited.get(reason, 0.0) + seconds
        self.sleep(seconds)

    def seconds_until_reset(self, headers: Mapping[str, str]) -> float | None:
        reset = headers.get("x-ratelimit-reset")
        if reset is None:
            return None
        # One second past the reset: GitHub's clock and ours differ a little.
        return int(reset) - self.clock() + 1

    def after_response(self, headers: Mapping[str, str]) -> None:
        """Pause before the budget runs out: when fewer than `reserve` requests remain,
        wait for the reset announced in the headers."""
        remaining = headers.get("x-ratelimit-remaining")
        if remaining is None or int(remaining) > self.reserve:
            return
        wait = self.seconds_until_reset(headers)
        if wait is not None:
            self.pause(wait, reason="primary")
