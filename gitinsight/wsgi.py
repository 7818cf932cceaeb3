import os

from django.core.wsgi import get_wsgi_application

from gitinsight.security.deploy_checks import production_checks_enforce

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gitinsight.settings")
application = get_wsgi_application()
# A production server does not start without its secrets (see gitinsight/security/deploy_checks.py).
production_checks_enforce()
