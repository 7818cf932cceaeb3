#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gitinsight.settings")
    from django.core.management import execute_from_command_line

    from gitinsight.database.tenant_scope import system_scope

    # A command is the operator's: it works on every organization's rows (row-level
    # security's bypass, gitinsight/database/tenant_scope.py); requests and jobs it starts
    # set their own scope.
    with system_scope():
        execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
