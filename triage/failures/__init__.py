"""The Django side of failed-check triage: fetch logs, gather facts from the database,
call the pure analysis of `triage.failures.core`, store verdicts, fix attempts and reviews."""
