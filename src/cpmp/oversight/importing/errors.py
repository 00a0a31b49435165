"""The one error the importer raises for a file it cannot read."""

from __future__ import annotations


class ImportFailed(Exception):
    """A file, or an option given with it, that the importer cannot use.

    ``message`` is a full sentence that names the file, what failed and what to do, the
    web page shows it in its error summary and the command prints it.
    """

    code = "import_failed"

    def __init__(self, file_name: str, reason: str) -> None:
        self.file_name = file_name
        self.reason = reason
        self.message = f"Cannot import {file_name}: {reason}"
        super().__init__(self.message)
