"""The platform's admin pages, registered here (Django's admin autodiscovery imports this
package): its own models, and django-q2's pages for operators."""

import types

from django.contrib import admin

from gitinsight.admin.django_q import django_q_admin_register
from gitinsight.admin.navigation import task_app_list
from gitinsight.admin.platform import platform_admin_register
from gitinsight.admin.readable import readable_admin_install

readable_admin_install()
admin.site.empty_value_display = "—"
admin.site.get_app_list = types.MethodType(task_app_list, admin.site)
platform_admin_register(admin.site)
django_q_admin_register(admin.site)
