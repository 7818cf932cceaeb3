"""Failed checks: why a check run failed, whether the pull request caused it, and what to do
next. The pure analysis is in core/; the Django side fetches logs, gathers facts from the
database, stores verdicts, fix attempts and reviews."""
