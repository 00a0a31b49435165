"""Finding the header row and mapping its columns to fields by what they mean.

Registers put titles and run dates above the header, and word their columns differently
("URN", "Unique reference number"). Each header cell is matched against the patterns below,
in order, and the first field that matches and is still free takes the column. ``--map``
overrides the match for a column named exactly as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import ImportFailed
from .reading import SourceRecord

HEADER_SEARCH_RECORDS = 30
MINIMUM_FIELDS = 3
IGNORE = "ignore"

# Field name -> what the column holds. The names are the values ``--map`` accepts.
FIELDS: dict[str, str] = {
    "reference": "the unique reference number (URN)",
    "operation": "the operation, investigation title or purpose",
    "kind": "the type of authorisation (DS, CHIS, intrusive surveillance ...)",
    "legal_basis": "the Act and section relied on",
    "urgent": "whether it was granted under the urgency provisions (Y/N)",
    "granted": "the date (and time) it was granted or issued",
    "authoriser": "the authorising officer's name, rank or grade",
    "confidential": "whether confidential or legally privileged material is likely",
    "ao_involved": "whether the authorising officer was directly involved in the investigation",
    "first_review_due": "the date the first review was set for",
    "reviews": "the dates of reviews held",
    "renewals": "the dates of renewals",
    "renewal_authoriser": "who authorised the renewal",
    "cancelled": "the date it was cancelled",
    "commissioner": "notices to, and approvals by, a Judicial Commissioner",
    "juvenile": "whether the source is under 18 (Y/N)",
    "court_hearing": "the date of the magistrates' court hearing",
    "magistrate": "the determining magistrate",
    "court_decision": "the court's decision (approved, refused, awaited)",
    "court_decided": "the time and date of the court's decision",
    "court_refused": "whether the magistrate refused it (Y/N)",
    "year": "the calendar year (returns that give no day)",
    "month": "the month (returns that give no day)",
    "duration": "how long it lasted",
    "offence": "the offence under investigation",
    "maximum_sentence": "the maximum custodial sentence for the offence",
    "outcome": "the outcome (prosecution, caution ...)",
    "notes": "free-text notes",
}

# Tried in order: a more specific pattern comes before a general one that would also match.
_PATTERNS: tuple[tuple[str, str], ...] = (
    ("renewal_authoriser", r"renew\w*\s.*(authoris|authoriz|\bby\b|officer)"),
    ("court_decided", r"(time|date).*(decision|determin)"),
    ("court_refused", r"refused by"),
    ("court_decision", r"decision|court outcome|outcome of (the )?(court|hearing)"),
    ("court_hearing", r"attendance|hearing|court date|date .*court"),
    ("magistrate", r"magistrate|justice|\bjp\b"),
    ("first_review_due", r"review.*due|due.*review|next review"),
    ("reviews", r"review"),
    ("renewals", r"renew"),
    ("cancelled", r"cancel"),
    ("commissioner", r"\bjc\b|commissioner|\bipco\b|\bosc\b"),
    ("juvenile", r"juvenile|under 18"),
    ("urgent", r"urgen|\boral\b"),
    ("confidential", r"confidential|\blpp\b|privilege"),
    ("ao_involved", r"involved|independen|self.?authoris"),
    (
        "authoriser",
        r"authoris\w* officer|authoriz\w* officer|\bao\b|authoriser|authorised by|"
        r"granted by|grade|rank",
    ),
    ("kind", r"type|\bpower\b|\bkind\b|tactic|category"),
    ("legal_basis", r"\bact\b|section|legislation|statut"),
    ("granted", r"grant|given|issued|date (of )?authoris|authoris\w* date"),
    ("reference", r"\burn\b|reference|\bref\b|unique"),
    ("operation", r"operation|title|investigation|purpose|subject|description"),
    ("notes", r"note|comment|remark"),
    ("year", r"^(calendar |financial )?year$"),
    ("month", r"^month$"),
    ("duration", r"duration|length|\bdays\b"),
    ("maximum_sentence", r"custod|sentence|penalty"),
    ("offence", r"offence|crime"),
    ("outcome", r"outcome|result"),
)


@dataclass(frozen=True)
class Header:
    record_number: int
    columns: tuple[str, ...]
    # Field name -> column index.
    fields: dict[str, int]

    def cell(self, cells: tuple[str, ...], field: str) -> str:
        index = self.fields.get(field)
        if index is None or index >= len(cells):
            return ""
        return cells[index].strip()

    def has(self, field: str) -> bool:
        return field in self.fields


def normalise(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.lower()).split())


def field_of(header_text: str) -> str | None:
    """Return the field a header cell means, or None."""
    normalised = normalise(header_text)
    if not normalised:
        return None
    for field, pattern in _PATTERNS:
        if re.search(pattern, normalised):
            return field
    return None


def check_mapping(file_name: str, mapping: dict[str, str]) -> None:
    """Raise ``ImportFailed`` for a ``--map`` field that is not one of ``FIELDS``."""
    for column, field in mapping.items():
        if field != IGNORE and field not in FIELDS:
            accepted = ", ".join([*FIELDS, IGNORE])
            raise ImportFailed(
                file_name,
                f"the mapping {column}={field} names an unknown field '{field}'. "
                f"Use one of: {accepted}.",
            )


def find_header(
    file_name: str, records: tuple[SourceRecord, ...], mapping: dict[str, str]
) -> Header:
    """Return the first record, among the first 30, that maps the most fields."""
    check_mapping(file_name, mapping)
    best: Header | None = None
    for record in records[:HEADER_SEARCH_RECORDS]:
        header = _map_columns(record, mapping)
        if len(header.fields) < MINIMUM_FIELDS:
            continue
        if not ({"kind", "granted", "reference"} & header.fields.keys()):
            continue
        if best is None or len(header.fields) > len(best.fields):
            best = header
    if best is None:
        raise ImportFailed(
            file_name,
            f"no header row was found in the first {HEADER_SEARCH_RECORDS} records. The header "
            "must name at least three columns such as the reference (URN), the type of "
            "authorisation and the date granted. Add a header row, or name the columns "
            "with --map COLUMN=FIELD.",
        )
    _check_mapped_columns(file_name, best, mapping)
    return best


def _map_columns(record: SourceRecord, mapping: dict[str, str]) -> Header:
    columns = tuple(cell.strip() for cell in record.cells)
    fields: dict[str, int] = {}
    overridden = _overrides(columns, mapping)
    for index, field in overridden.items():
        if field != IGNORE:
            fields[field] = index
    for index, column in enumerate(columns):
        if index in overridden:
            continue
        meaning = field_of(column)
        if meaning is not None and meaning not in fields:
            fields[meaning] = index
    return Header(record.number, columns, fields)


def _overrides(columns: tuple[str, ...], mapping: dict[str, str]) -> dict[int, str]:
    """Return column index -> field for the ``--map`` entries that name one of ``columns``."""
    found: dict[int, str] = {}
    for column, field in mapping.items():
        index = _column_index(columns, column)
        if index is not None:
            found[index] = field
    return found


def _column_index(columns: tuple[str, ...], name: str) -> int | None:
    wanted = name.strip()
    for index, column in enumerate(columns):
        if column == wanted:
            return index
    for index, column in enumerate(columns):
        if column.casefold() == wanted.casefold():
            return index
    return None


def _check_mapped_columns(file_name: str, header: Header, mapping: dict[str, str]) -> None:
    for column in mapping:
        if _column_index(header.columns, column) is None:
            named = ", ".join(f"'{name}'" for name in header.columns if name)
            raise ImportFailed(
                file_name,
                f"the mapping names the column '{column}', which is not in the header "
                f"(record {header.record_number}). Use one of the columns: {named}.",
            )
