"""Create demonstration accounts and import the sample registers, once.

Runs only where ``settings.CPMP_DEMONSTRATION_DATA_ALLOWED`` is true (the local and test
settings), because every account shares one published password, and every account that needs a
second factor shares one published authenticator secret.
"""

from __future__ import annotations

import hashlib
import time
from base64 import b32decode
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from cpmp.access.models import RoleAssignment, User
from cpmp.access.predicates import SECOND_FACTOR_ROLES
from cpmp.access.roles import Rank, Role
from cpmp.operations.models import Operation, OperationMembership
from cpmp.oversight.actions import confirm_central_record_import, preview_central_record_import
from cpmp.oversight.importing.errors import ImportFailed
from cpmp.oversight.models import CentralRecordImport, ImportState

# Published on purpose: demonstration accounts exist only where the setting above allows them.
DEMONSTRATION_PASSWORD = "cpmp-demonstration-only"  # noqa: S105
# The invented TOTP secret (base32, 20 bytes) of every demonstration account that needs a second
# factor. Add it to an authenticator app to sign in as those accounts. Published on purpose too.
DEMONSTRATION_TOTP_SECRET = "CPMPDEMONSTRATIONSECRETNOTFORUSE"  # noqa: S105

SAMPLE_REGISTERS_DIR = Path(__file__).resolve().parents[5] / "tests" / "data" / "central-records"
SAMPLE_REGISTERS = ("police_cab_register.csv", "council_register.csv", "foi_monthly_breakdown.csv")


@dataclass(frozen=True)
class DemonstrationAccount:
    username: str
    role: str
    first_name: str
    last_name: str
    rank: str
    warrant_number: str
    unit: str


# Operations from the sample registers whose teams the demonstration officers join, so that an
# officer who oversees no operation still has records to work with.
DEMONSTRATION_TEAMS = {
    "applicant": ("Op Teapot", "Op Marmalade", "Op Gateau"),
    "authorising-officer": ("Op Teapot", "Op Marmalade", "Op Gateau", "Op Jalebi"),
}

# Invented people. Warrant numbers use a DEMO prefix so they cannot match a real officer's.
ACCOUNTS = (
    DemonstrationAccount(
        username="applicant",
        role=Role.APPLICANT,
        first_name="Asha",
        last_name="Pemberton",
        rank=Rank.CONSTABLE,
        warrant_number="DEMO1001",
        unit="Serious and Organised Crime Unit",
    ),
    DemonstrationAccount(
        username="gatekeeper",
        role=Role.GATEKEEPER,
        first_name="Gareth",
        last_name="Lowry",
        rank=Rank.STAFF,
        warrant_number="",
        unit="Central Authorities Bureau",
    ),
    DemonstrationAccount(
        username="authorising-officer",
        role=Role.AUTHORISING_OFFICER,
        first_name="Margaret",
        last_name="Okonjo",
        rank=Rank.SUPERINTENDENT,
        warrant_number="DEMO2001",
        unit="Crime Command",
    ),
    DemonstrationAccount(
        username="inspector",
        role=Role.INSPECTOR,
        first_name="Isobel",
        last_name="Ferrand",
        rank=Rank.STAFF,
        warrant_number="",
        unit="Investigatory Powers Commissioner's Office",
    ),
    DemonstrationAccount(
        username="administrator",
        role=Role.ADMINISTRATOR,
        first_name="Tomasz",
        last_name="Reyes",
        rank=Rank.STAFF,
        warrant_number="",
        unit="Information Services",
    ),
)


def _needs_second_factor(account: DemonstrationAccount) -> bool:
    return account.role in SECOND_FACTOR_ROLES


def demonstration_code(at: float) -> str:
    """Return the 6-digit TOTP code the demonstration secret gives at Unix time ``at``."""
    generator = TOTP(b32decode(DEMONSTRATION_TOTP_SECRET), step=30, t0=0, digits=6)
    generator.time = at
    return f"{generator.token():06d}"


class Command(BaseCommand):
    help = (
        "Create the demonstration accounts (one per role) and import the sample registers. "
        "Running it again changes nothing. Allowed only where "
        "CPMP_DEMONSTRATION_DATA_ALLOWED is true."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--list-accounts",
            action="store_true",
            help=(
                "Print the demonstration usernames, roles, password and authenticator secret, "
                "and store nothing."
            ),
        )
        parser.add_argument(
            "--code",
            action="store_true",
            help=(
                "Print the authenticator code the demonstration secret gives now, for someone "
                "without an authenticator app, and store nothing."
            ),
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.CPMP_DEMONSTRATION_DATA_ALLOWED:
            raise CommandError(
                "Demonstration data is not allowed with these settings. "
                "It shares one published password, so it is allowed only where "
                "CPMP_DEMONSTRATION_DATA_ALLOWED is true (the local and test settings)."
            )
        if options["list_accounts"]:
            self._list_accounts()
            return
        if options["code"]:
            self.stdout.write(demonstration_code(time.time()))
            return

        created_accounts = self._create_accounts()
        created_devices = self._create_authenticator_devices()
        imported = self._import_sample_registers()
        joined = self._join_teams()
        if not created_accounts and not created_devices and not imported and not joined:
            self.stdout.write("Nothing to change: the demonstration data is already loaded.")
            return
        if created_accounts:
            self.stdout.write(
                f"Created {len(created_accounts)} demonstration accounts: "
                + ", ".join(created_accounts)
            )
        if created_devices:
            self.stdout.write(
                "Gave these accounts the demonstration authenticator secret "
                f"{DEMONSTRATION_TOTP_SECRET}: " + ", ".join(created_devices)
            )

        if joined:
            self.stdout.write(f"Added {joined} team memberships in the sample operations.")

    @transaction.atomic
    def _join_teams(self) -> int:
        """Add the demonstration officers to their operations' teams; return how many were new."""
        added = 0
        for username, names in DEMONSTRATION_TEAMS.items():
            user = User.objects.get(username=username)
            for operation in Operation.objects.filter(name__in=names):
                _, created = OperationMembership.objects.get_or_create(
                    operation=operation, user=user
                )
                added += created
        return added

    def _list_accounts(self) -> None:
        rows = [("Username", "Role", "Password", "Authenticator secret")]
        rows += [
            (
                account.username,
                Role(account.role).label,
                DEMONSTRATION_PASSWORD,
                DEMONSTRATION_TOTP_SECRET if _needs_second_factor(account) else "none needed",
            )
            for account in ACCOUNTS
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        for row in rows:
            self.stdout.write(
                "  ".join(
                    cell.ljust(width) for cell, width in zip(row, widths, strict=True)
                ).rstrip()
            )

    @transaction.atomic
    def _create_accounts(self) -> list[str]:
        """Create each missing account and role. Existing accounts are left exactly as they are."""
        created = []
        for account in ACCOUNTS:
            user, user_created = User.objects.get_or_create(
                username=account.username,
                defaults={
                    "first_name": account.first_name,
                    "last_name": account.last_name,
                    "rank": account.rank,
                    "warrant_number": account.warrant_number,
                    "unit": account.unit,
                },
            )
            if user_created:
                user.set_password(DEMONSTRATION_PASSWORD)
                user.save(update_fields=["password"])
                created.append(account.username)
            RoleAssignment.objects.get_or_create(user=user, role=account.role)
        return created

    @transaction.atomic
    def _create_authenticator_devices(self) -> list[str]:
        """Give each account that needs a second factor a confirmed device, if it has none."""
        key = b32decode(DEMONSTRATION_TOTP_SECRET).hex()
        created = []
        for account in ACCOUNTS:
            if not _needs_second_factor(account):
                continue
            user = User.objects.get(username=account.username)
            if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
                continue
            TOTPDevice.objects.create(
                user=user, name="Demonstration authenticator", key=key, confirmed=True
            )
            created.append(account.username)
        return created

    def _import_sample_registers(self) -> list[str]:
        """Import each sample register not already stored, through the importer's actions."""
        # NOTE: the samples live in the source tree's tests/, so an installed wheel has none.
        if not SAMPLE_REGISTERS_DIR.is_dir():
            self.stdout.write(
                f"Skipped the sample registers: {SAMPLE_REGISTERS_DIR} not found. "
                "Run this command from a copy of the CPMP source."
            )
            return []

        gatekeeper = User.objects.get(username="gatekeeper")
        imported = []
        for name in SAMPLE_REGISTERS:
            content = (SAMPLE_REGISTERS_DIR / name).read_bytes()
            sha256 = hashlib.sha256(content).hexdigest()
            if CentralRecordImport.objects.filter(sha256=sha256, state=ImportState.STORED).exists():
                continue
            try:
                batch = preview_central_record_import(
                    file_name=name,
                    content=content,
                    # Findings as at today, so they agree with the statuses the register shows.
                    as_at=timezone.localdate(),
                    mapping=None,
                    acting_user=gatekeeper,
                )
                outcome = confirm_central_record_import(batch.pk, acting_user=gatekeeper)
            except ImportFailed as error:
                self.stdout.write(f"Skipped {name}: {error.message}")
                continue
            self.stdout.write(
                f"Imported {name}: {outcome.created} records stored, "
                f"{outcome.unchanged} already in the register."
            )
            imported.append(name)
        return imported
