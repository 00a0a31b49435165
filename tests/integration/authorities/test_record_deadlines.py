"""Deadlines of entries imported from the sample police register, worked out by hand."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse

from cpmp.authorities.models import Authorisation
from cpmp.authorities.record_deadlines import DeadlineState, RecordDeadline, record_deadlines
from cpmp.oversight.actions import confirm_central_record_import, preview_central_record_import
from tests.factories import a_gatekeeper

LONDON = ZoneInfo("Europe/London")
NOW = datetime(2024, 3, 31, 12, 0, tzinfo=LONDON)

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(samples_dir: Path) -> None:
    name = "police_cab_register.csv"
    batch = preview_central_record_import(
        file_name=name,
        content=(samples_dir / name).read_bytes(),
        as_at=date(2024, 3, 31),
        mapping=None,
        acting_user=None,
        from_command_line=True,
    )
    confirm_central_record_import(batch.pk, acting_user=None, from_command_line=True)


def _deadlines(reference: str) -> list[RecordDeadline]:
    return record_deadlines(Authorisation.objects.get(reference=reference), NOW)


def _at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, tzinfo=LONDON)


def test_set_review_never_held_is_missed(register: None) -> None:
    # DS/2023/005: first review due 14 March 2023, none recorded, cancelled 10 May 2023.
    review = _deadlines("DS/2023/005")[0]
    assert review.label == "Review set by the authorising officer"
    assert review.due_at == _at(2023, 3, 15)
    assert review.state is DeadlineState.MISSED


def test_juvenile_monthly_reviews_after_the_first_are_missed(register: None) -> None:
    # CHIS/2023/004, a juvenile source granted 10 April 2023 for 4 months (last day 9 August):
    # monthly reviews due 9 May, 9 June, 9 July and 9 August; one review held, on 10 May.
    monthly = [
        deadline
        for deadline in _deadlines("CHIS/2023/004")
        if deadline.label == "Monthly review of a juvenile source"
    ]
    assert [deadline.due_at for deadline in monthly] == [
        _at(2023, 5, 10),
        _at(2023, 6, 10),
        _at(2023, 7, 10),
        _at(2023, 8, 10),
    ]
    assert monthly[0].state is DeadlineState.MET
    assert monthly[0].met_on == date(2023, 5, 10)
    assert [deadline.state for deadline in monthly[1:3]] == [DeadlineState.MISSED] * 2
    # The 9 August review's week of grace outlasts the authorisation, which ended that night.
    assert monthly[3].state is DeadlineState.PASSED


def test_urgent_warrant_approved_by_third_working_day(register: None) -> None:
    # TEI/23/002 issued Fri 3 November 2023: working days Mon 6, Tue 7, Wed 8 November.
    approval = next(
        deadline for deadline in _deadlines("TEI/23/002") if "urgent warrant" in deadline.label
    )
    assert approval.due_at == _at(2023, 11, 9)
    assert approval.state is DeadlineState.MET
    assert approval.met_on == date(2023, 11, 6)


def test_intrusive_surveillance_notice_has_no_fixed_date(register: None) -> None:
    notice = next(
        deadline for deadline in _deadlines("IS/2023/001") if "Commissioner" in deadline.label
    )
    assert notice.due_at is None
    assert notice.state is DeadlineState.MET
    assert notice.met_on == date(2023, 3, 10)


def test_record_kept_three_years_from_cancellation(register: None) -> None:
    # DS/2023/001 was cancelled on 28 March 2023, before its period ended on 3 April.
    retention = _deadlines("DS/2023/001")[-1]
    assert retention.label == "Keep the record until at least"
    assert retention.due_at == _at(2026, 3, 29)
    assert retention.state is DeadlineState.UPCOMING


def test_refused_entry_has_no_deadlines(register: None) -> None:
    assert _deadlines("DS/2023/015") == []


def test_detail_page_lists_deadlines(register: None, client: Client) -> None:
    client.force_login(a_gatekeeper())
    record = Authorisation.objects.get(reference="TEI/23/002")

    page = client.get(reverse("authorities:detail", args=[record.pk])).content.decode()

    assert "Judicial Commissioner&#x27;s decision on the urgent warrant" in page
    assert "by 23:59 on 8 November 2023: met on 6 November 2023" in page
    assert "Keep the record until at least" in page
    # Cancelled 9 November 2023, so kept at least until 9 November 2026, a date now past.
    assert "23:59 on 9 November 2026: the minimum period is over" in page
