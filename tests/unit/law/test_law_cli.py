"""``cpmp law``: worked examples through ``main``, invalid input and the generated rule book."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cpmp.law.book import render_markdown
from cpmp.law_cli import generated_section, main

REPOSITORY = Path(__file__).resolve().parents[3]
DOCS = REPOSITORY / "docs" / "law.md"
CPMP = Path(sys.executable).parent / "cpmp"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, object]:
    status = main(list(argv))
    captured = capsys.readouterr()
    assert status == 0, captured.err
    result: dict[str, object] = json.loads(captured.out)
    return result


def test_t01_plain_three_months(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(
        capsys,
        "deadlines",
        "--kind", "directed-surveillance",
        "--granted", "2026-01-01T09:30",
        "--authoriser", "superintendent",
    )  # fmt: skip
    assert result["takes_effect_at"] == "2026-01-01T09:30:00+00:00"
    assert result["last_day"] == "2026-03-31"
    assert result["expires_at"] == "2026-04-01T00:00:00+01:00"
    assert result["authoriser_permitted"] is True
    assert result["authoriser_problem"] is None
    assert result["commissioner_requirement"] == "none"
    assert result["commissioner_due_at"] is None
    assert result["statutory_review_due_at"] is None
    assert result["renewal_window_opens_at"] is None
    assert "ripa-s43-3-c-surveillance-3-months" in result["rules"]  # type: ignore[operator]


def test_t03_thirty_first_of_month(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "deadlines", "--kind", "directed-surveillance", "--granted", "2026-01-31")
    assert result["last_day"] == "2026-04-29"
    assert result["expires_at"] == "2026-04-30T00:00:00+01:00"
    assert result["expires_at_later_reading"] == "2026-05-01T00:00:00+01:00"


def test_t07_urgent_oral_spring_change(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(
        capsys,
        "deadlines",
        "--kind", "directed-surveillance",
        "--granted", "2026-03-27T10:00",
        "--oral", "--urgent",
        "--authoriser", "superintendent",
    )  # fmt: skip
    assert result["expires_at"] == "2026-03-30T11:00:00+01:00"
    assert result["authoriser_permitted"] is True
    assert "ripa-s43-3-a-urgent-72-hours" in result["rules"]  # type: ignore[operator]


def test_t10_renewal_ends_29_june(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(
        capsys,
        "deadlines",
        "--kind", "directed-surveillance",
        "--granted", "2026-03-20",
        "--renews", "2026-04-01T00:00:00+01:00",
        "--authoriser", "superintendent",
    )  # fmt: skip
    # Conventions C5 and C2: the renewal begins with 31 March and ends on 29 June; the worked
    # example's 30 June is the later reading, shown for information only.
    assert result["takes_effect_at"] == "2026-04-01T00:00:00+01:00"
    assert result["first_day"] == "2026-03-31"
    assert result["last_day"] == "2026-06-29"
    assert result["expires_at"] == "2026-06-30T00:00:00+01:00"
    assert result["last_day_later_reading"] == "2026-06-30"
    assert result["event"] == "renewal"


def test_t16_intrusive_effective_on_approval(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(
        capsys,
        "deadlines",
        "--kind", "intrusive-surveillance",
        "--granted", "2026-05-05T11:00",
        "--approved", "2026-05-07T15:00",
        "--force", "county",
        "--authoriser", "chief-constable",
    )  # fmt: skip
    assert result["takes_effect_at"] == "2026-05-07T15:00:00+01:00"
    assert result["expires_at"] == "2026-08-07T00:00:00+01:00"
    assert result["commissioner_requirement"] == "prior-approval"
    assert result["commissioner_due_at"] is None
    assert result["authoriser_permitted"] is True


def test_t16_without_approval_has_no_expiry(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(
        capsys, "deadlines", "--kind", "intrusive-surveillance", "--granted", "2026-05-05T11:00"
    )
    assert result["awaiting_approval"] is True
    assert result["takes_effect_at"] is None
    assert result["expires_at"] is None


def test_t19_adult_chis_twelve_months(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(
        capsys,
        "deadlines",
        "--kind", "chis",
        "--granted", "2026-03-15",
        "--authoriser", "superintendent",
    )  # fmt: skip
    assert result["expires_at"] == "2027-03-15T00:00:00+00:00"
    assert result["review_required_before_renewal"] is True
    assert "ripa-s43-6-chis-review-before-renewal" in result["rules"]  # type: ignore[operator]


def test_t22_juvenile_four_months(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(
        capsys,
        "deadlines",
        "--kind", "juvenile-chis",
        "--granted", "2026-01-30",
        "--authoriser", "commander",
    )  # fmt: skip
    assert result["expires_at"] == "2026-05-30T00:00:00+01:00"
    assert result["statutory_review_due_at"] == "2026-02-28T00:00:00+00:00"
    assert result["authoriser_permitted"] is True


def test_t22_superintendent_may_not_authorise_juvenile(
    capsys: pytest.CaptureFixture[str],
) -> None:
    result = run(
        capsys,
        "deadlines",
        "--kind", "juvenile-chis",
        "--granted", "2026-01-30",
        "--authoriser", "superintendent",
    )  # fmt: skip
    assert result["authoriser_permitted"] is False
    assert "commander" in str(result["authoriser_problem"])


def test_t29_criminal_conduct_notice(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(
        capsys,
        "deadlines",
        "--kind", "criminal-conduct",
        "--granted", "2026-07-10T16:00",
        "--authoriser", "superintendent",
    )  # fmt: skip
    assert result["commissioner_requirement"] == "notify"
    assert result["commissioner_due_at"] == "2026-07-18T00:00:00+01:00"
    assert result["expires_at"] == "2027-07-10T00:00:00+01:00"


def test_t29_cancellation_notice(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(
        capsys,
        "deadlines",
        "--kind", "criminal-conduct",
        "--granted", "2026-07-10T16:00",
        "--cancelled", "2026-08-03T12:00",
    )  # fmt: skip
    assert result["event"] == "cancellation"
    assert result["commissioner_due_at"] == "2026-08-11T00:00:00+01:00"
    assert result["retention_until"] == "2029-08-03"


def test_t32_property_interference_notice(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(
        capsys,
        "deadlines",
        "--kind", "property-interference",
        "--granted", "2026-06-10",
        "--force", "county",
        "--authoriser", "chief-constable",
    )  # fmt: skip
    assert result["takes_effect_at"] == "2026-06-10"
    assert result["expires_at"] == "2026-09-10T00:00:00+01:00"
    assert result["commissioner_requirement"] == "notify"
    assert result["commissioner_due_at"] is None


def test_t35_warrant_and_renewal_window(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(
        capsys,
        "deadlines",
        "--kind", "equipment-interference",
        "--granted", "2026-01-10",
        "--approved", "2026-01-10",
        "--force", "county",
        "--authoriser", "chief-constable",
    )  # fmt: skip
    assert result["expires_at"] == "2026-07-10T00:00:00+01:00"
    assert result["renewal_window_opens_at"] == "2026-06-10T00:00:00+01:00"
    assert result["renewal_window_closes_at"] == "2026-07-10T00:00:00+01:00"
    assert result["commissioner_requirement"] == "prior-approval"


def test_t35_renewed_warrant(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(
        capsys,
        "deadlines",
        "--kind", "equipment-interference",
        "--granted", "2026-06-20",
        "--approved", "2026-06-20",
        "--renews", "2026-07-10T00:00:00+01:00",
    )  # fmt: skip
    assert result["first_day"] == "2026-07-10"
    assert result["expires_at"] == "2027-01-10T00:00:00+00:00"
    assert result["commissioner_requirement"] == "prior-approval"


def test_t36_urgent_warrant_over_easter(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(
        capsys,
        "deadlines",
        "--kind", "equipment-interference",
        "--granted", "2026-04-02T18:00",
        "--urgent",
        "--force", "county",
        "--authoriser", "chief-constable",
    )  # fmt: skip
    assert result["commissioner_requirement"] == "approval-of-urgent-issue"
    assert result["commissioner_due_at"] == "2026-04-10T00:00:00+01:00"
    assert result["expires_at"] == "2026-04-14T00:00:00+01:00"


def test_delegate_makes_urgent_warrant(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(
        capsys,
        "deadlines",
        "--kind", "equipment-interference",
        "--granted", "2026-04-02T18:00",
        "--urgent",
        "--authoriser", "commander",
    )  # fmt: skip
    assert result["authoriser_urgent_only"] is True
    assert result["commissioner_requirement"] == "approval-of-urgent-issue"
    assert result["expires_at"] == "2026-04-14T00:00:00+01:00"


def test_inspector_grant_lasts_72_hours(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(
        capsys,
        "deadlines",
        "--kind", "directed-surveillance",
        "--granted", "2026-10-23T10:00",
        "--urgent",
        "--authoriser", "inspector",
    )  # fmt: skip
    assert result["authoriser_permitted"] is True
    assert result["authoriser_urgent_only"] is True
    assert result["expires_at"] == "2026-10-26T09:00:00+00:00"


def test_inspector_without_urgency_is_flagged(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(
        capsys,
        "deadlines",
        "--kind", "chis",
        "--granted", "2026-10-23T10:00",
        "--authoriser", "inspector",
    )  # fmt: skip
    assert result["authoriser_permitted"] is False
    assert "urgent" in str(result["authoriser_problem"])
    assert result["expires_at"] == "2026-10-26T09:00:00+00:00"


def test_t41_error_report_over_easter(capsys: pytest.CaptureFixture[str]) -> None:
    result = run(capsys, "error-report-due", "--established", "2026-04-01")
    assert result["due_at"] == "2026-04-18T00:00:00+01:00"
    assert result["outside_limit_at"] == "2026-04-18T00:00:00+01:00"


def test_error_report_scottish_holiday_differs(capsys: pytest.CaptureFixture[str]) -> None:
    # St Andrew's Day, Mon 30 Nov 2026, is a Scottish bank holiday only.
    result = run(capsys, "error-report-due", "--established", "2026-11-27")
    assert result["due_last_day"] == "2026-12-11"
    assert result["outside_limit_last_day"] == "2026-12-14"


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (["deadlines", "--kind", "wiretap", "--granted", "2026-01-01"], "wiretap"),
        (
            ["deadlines", "--kind", "chis", "--granted", "2026-01-01", "--authoriser", "bishop"],
            "bishop",
        ),
        (["deadlines", "--kind", "chis", "--granted", "2026-13-01"], "2026-13-01"),
        (["deadlines", "--kind", "chis", "--granted", "yesterday"], "yesterday"),
        (["deadlines", "--kind", "chis", "--granted", "2026-01-01", "--force", "psni"], "psni"),
        (
            ["deadlines", "--kind", "chis", "--granted", "2026-05-01", "--renews", "2026-04-01"],
            "renewal",
        ),
        (
            [
                "deadlines", "--kind", "directed-surveillance",
                "--granted", "2026-04-01T00:00", "--renews", "2026-04-01T00:00",
            ],
            "renewal",
        ),
        (["deadlines", "--kind", "criminal-conduct", "--granted", "2021-09-14"], "2021-09-15"),
        (
            ["deadlines", "--kind", "directed-surveillance", "--granted", "2026-03-29T01:30"],
            "clocks went forward",
        ),
        (
            [
                "deadlines", "--kind", "equipment-interference", "--granted", "2026-05-01",
                "--approved", "2026-05-01", "--renews", "2026-07-10",
            ],
            "renewal period",
        ),
        (
            [
                "deadlines", "--kind", "chis", "--granted", "2026-05-01",
                "--cancelled", "2026-04-01",
            ],
            "before --granted",
        ),
        (["error-report-due", "--established", "1 April"], "1 April"),
    ],
)  # fmt: skip
def test_invalid_input_exits_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], named: str
) -> None:
    status = main(argv)
    captured = capsys.readouterr()
    assert status == 2
    assert captured.out == ""
    assert named in captured.err


def test_rules_text_lists_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules"]) == 0
    output = capsys.readouterr().out
    assert "ranks-2010-order-superintendent" in output
    assert "applies: from 2018-08-15 to now" in output
    assert "source: RIPA 2000 s.43(3)(a)" in output


def test_docs_law_md_matches_rule_book() -> None:
    document = DOCS.read_text(encoding="utf-8")
    assert generated_section(document) == render_markdown().strip(), (
        "docs/law.md is out of date with the rule book: run "
        "`.venv/bin/cpmp law rules --format markdown --update docs/law.md`"
    )


def test_installed_command_answers_t36() -> None:
    completed = subprocess.run(  # noqa: S603 (a fixed argument list, no shell)
        [
            str(CPMP), "law", "deadlines",
            "--kind", "equipment-interference",
            "--granted", "2026-04-02T18:00",
            "--urgent",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )  # fmt: skip
    assert completed.returncode == 0, completed.stderr
    result = json.loads(completed.stdout)
    assert result["commissioner_due_at"] == "2026-04-10T00:00:00+01:00"
    assert result["expires_at"] == "2026-04-14T00:00:00+01:00"


def test_installed_command_rejects_unknown_kind() -> None:
    completed = subprocess.run(  # noqa: S603 (a fixed argument list, no shell)
        [str(CPMP), "law", "deadlines", "--kind", "wiretap", "--granted", "2026-01-01"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert completed.returncode == 2
    assert "wiretap" in completed.stderr
    assert "directed-surveillance" in completed.stderr
