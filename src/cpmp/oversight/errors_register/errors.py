"""Errors the relevant errors register raises."""

from __future__ import annotations

from cpmp.errors import CpmpError


class ErrorStepInvalid(CpmpError):
    """A step that the error's status or the values given do not allow."""

    code = "relevant_error_step_invalid"
