"""Triage's admin pages, registered here (Django's admin autodiscovery imports this module):
duplicate detection, failed-check analysis, the queue with its pull request report, and the
check runs that publish the report on GitHub."""

from django.contrib import admin

from triage.duplicates.admin import duplicates_admin_register
from triage.failures.admin import failures_admin_register
from triage.report.admin import report_admin_register
from triage.verdicts.admin import verdicts_admin_register

duplicates_admin_register(admin.site)
failures_admin_register(admin.site)
report_admin_register(admin.site)
verdicts_admin_register(admin.site)
