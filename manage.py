#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gitinsight.settings")
    from django.core.management import execute_from_command_line
    from django.db.utils import ProgrammingError

    from gitinsight.database.tenant_scope import system_scope

    try:
        # A command is the operator's: it works on every organization's rows (row-level
        # security's bypass, gitinsight/database/tenant_scope.py); requests and jobs it starts
        # set their own scope.
        with system_scope():
            execute_from_command_line(sys.argv)
    except ProgrammingError as exc:
        # A command run before the schema exists: one line that says what to do, not a traceback.
        if "does not exist" not in str(exc) or "relation" not in str(exc):
            raise
        table = str(exc).split('"')[1] if '"' in str(exc) else "a table"
        sys.stderr.write(f"The database has no {table} table yet: run `make migrate` first.\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
