"""The ``cpmp`` command: Django's management commands with CPMP's settings preselected.

``cpmp import central-record FILE``, ``cpmp law deadlines …`` and every Django command
(``cpmp migrate``, ``cpmp runserver``) go through here.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a management command named by ``argv`` (default: ``sys.argv``)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cpmp.config.settings.local")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv if argv is not None else sys.argv)


if __name__ == "__main__":
    main()
