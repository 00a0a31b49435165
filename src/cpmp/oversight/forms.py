"""The form that starts an import of a legacy central record."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePath

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict

ACCEPTED_SUFFIXES = (".csv", ".xlsx")
MAX_MAPPING_LINES = 200


@dataclass
class ImportForm:
    """Checks the upload, the "as at" date and the column mapping, with GOV.UK messages.

    The date is a GOV.UK date input (three boxes), which a Django form field does not model,
    so this class validates the request data itself. After ``is_valid()`` returns true,
    ``content``, ``file_name``, ``as_at`` and ``mapping`` hold the cleaned values.
    """

    data: QueryDict | None = None
    files: MultiValueDict[str, UploadedFile] | None = None
    today: date = field(default_factory=date.today)

    errors: dict[str, str] = field(default_factory=dict, init=False)
    content: bytes = field(default=b"", init=False)
    file_name: str = field(default="", init=False)
    as_at: date | None = field(default=None, init=False)
    mapping: dict[str, str] | None = field(default=None, init=False)

    # Field ids in page order, for the error summary links.
    FIELD_IDS = {"file": "file", "as_at": "as_at-day", "mapping": "mapping"}

    def value(self, name: str) -> str:
        """Return the submitted text of ``name``, or its default before the form is sent."""
        if self.data is not None:
            return str(self.data.get(name, ""))
        defaults = {
            "as_at-day": str(self.today.day),
            "as_at-month": str(self.today.month),
            "as_at-year": str(self.today.year),
        }
        return defaults.get(name, "")

    @property
    def as_at_values(self) -> dict[str, str]:
        return {part: self.value(f"as_at-{part}") for part in ("day", "month", "year")}

    @property
    def mapping_text(self) -> str:
        return self.value("mapping")

    def is_valid(self) -> bool:
        if self.data is None:
            return False
        self.errors = {}
        self._clean_file()
        self._clean_as_at()
        self._clean_mapping()
        return not self.errors

    def add_error(self, name: str, message: str) -> None:
        self.errors[name] = message

    def summary_errors(self) -> list[tuple[str, str]]:
        """Return (field id, message) pairs for the error summary, in page order."""
        return [
            (self.FIELD_IDS[name], self.errors[name])
            for name in self.FIELD_IDS
            if name in self.errors
        ]

    def _clean_file(self) -> None:
        upload = self.files.get("file") if self.files else None
        if upload is None:
            self.add_error("file", "Select a CSV or XLSX file")
            return
        name = PurePath(upload.name or "").name
        if not name.lower().endswith(ACCEPTED_SUFFIXES):
            self.add_error("file", "The selected file must be a CSV or XLSX")
            return
        limit = settings.CPMP_IMPORT_MAX_BYTES
        if upload.size is not None and upload.size > limit:
            self.add_error(
                "file", f"The selected file must be smaller than {megabytes_text(limit)}"
            )
            return
        content = upload.read(limit + 1)
        if len(content) > limit:
            self.add_error(
                "file", f"The selected file must be smaller than {megabytes_text(limit)}"
            )
            return
        if not content:
            self.add_error("file", "The selected file is empty")
            return
        self.content = content
        self.file_name = name

    def _clean_as_at(self) -> None:
        parts = {part: self.value(f"as_at-{part}").strip() for part in ("day", "month", "year")}
        missing = [part for part in ("day", "month", "year") if not parts[part]]
        if len(missing) == 3:
            self.add_error("as_at", "Enter the date the register was correct on")
            return
        if missing:
            self.add_error(
                "as_at",
                f"The date the register was correct on must include a {' and '.join(missing)}",
            )
            return
        if not all(value.isdigit() for value in parts.values()) or len(parts["year"]) != 4:
            self.add_error("as_at", "The date the register was correct on must be a real date")
            return
        try:
            as_at = date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
        except ValueError:
            self.add_error("as_at", "The date the register was correct on must be a real date")
            return
        if as_at > self.today:
            self.add_error(
                "as_at", "The date the register was correct on must be today or in the past"
            )
            return
        self.as_at = as_at

    def _clean_mapping(self) -> None:
        text = self.value("mapping")
        mapping: dict[str, str] = {}
        lines = [line.strip() for line in text.splitlines()]
        if len([line for line in lines if line]) > MAX_MAPPING_LINES:
            self.add_error("mapping", f"Enter {MAX_MAPPING_LINES} mapping lines or fewer")
            return
        for number, line in enumerate(lines, start=1):
            if not line:
                continue
            column, separator, target = (part.strip() for part in line.partition("="))
            if not separator or not column or not target:
                self.add_error(
                    "mapping",
                    f"Enter line {number} of the column mapping as COLUMN=FIELD, "
                    "like URN=reference",
                )
                return
            if column in mapping:
                self.add_error(
                    "mapping", f"Line {number} of the column mapping repeats the column ‘{column}’"
                )
                return
            mapping[column] = target
        self.mapping = mapping or None


def megabytes_text(size: int) -> str:
    """Return a size in bytes as GOV.UK writes file sizes, like "20MB"."""
    return f"{size / (1024 * 1024):g}MB"
