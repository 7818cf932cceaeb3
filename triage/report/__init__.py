"""The triage queue and the pull request report: one page per pull request joining its
duplicate candidates, failed checks and commit risk."""
