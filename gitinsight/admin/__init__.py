"""The platform's admin pages, registered here (Django's admin autodiscovery imports this
package): its own models, and django-q2's pages for operators."""

from django.contrib import admin

from gitinsight.admin.django_q import django_q_admin_register
from gitinsight.admin.platform import platform_admin_register

platform_admin_register(admin.site)
django_q_admin_register(admin.site)
