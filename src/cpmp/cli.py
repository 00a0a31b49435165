"""The ``cpmp`` command: Django's management commands with CPMP's settings preselected.

``cpmp import central-record FILE``, ``cpmp law deadlines …`` and every Django command
(``cpmp migrate``, ``cpmp runserver``) go through here.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int | None:
    """Run a management command named by ``argv`` (default: ``sys.argv``).

    ``cpmp law …`` runs before Django is set up, so it works without settings or a database,
    and its exit status is returned.
    """
    arguments = argv if argv is not None else sys.argv
    if len(arguments) > 1 and arguments[1] == "law":
        from cpmp.law_cli import main as law_main

        try:
            return law_main(arguments[2:])
        except BrokenPipeError:
            # The reader closed the pipe early (``cpmp law rules | head``): stop quietly, and
            # point stdout at /dev/null so the interpreter's final flush does not fail again.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            return 0

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cpmp.config.settings.local")
    from django.core.management import execute_from_command_line

    from cpmp.audit.context import COMMAND_LINE, audit_source

    # Audit events appended by the command's actions name the command line as their source.
    with audit_source(COMMAND_LINE):
        execute_from_command_line(arguments)
    return None


if __name__ == "__main__":
    sys.exit(main())
