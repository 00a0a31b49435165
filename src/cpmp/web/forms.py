"""Forms for the sign-in and second-factor pages, with GOV.UK error messages."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm


class SignInForm(AuthenticationForm):
    """Django's sign-in form with messages in GOV.UK style.

    A wrong username and a wrong password get the same message, so the page does not
    reveal which usernames exist.
    """

    error_messages = {
        "invalid_login": "The username or password is wrong",
        "inactive": "The username or password is wrong",
    }

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["username"].widget.attrs.update(
            {"class": "govuk-input", "spellcheck": "false", "autocomplete": "username"}
        )
        self.fields["password"].widget.attrs.update(
            {"class": "govuk-input", "autocomplete": "current-password"}
        )

    def summary_errors(self) -> list[tuple[str, str]]:
        """Return (field id, message) pairs for the error summary, in page order."""
        pairs = [("id_username", str(message)) for message in self.non_field_errors()]
        for name in ("username", "password"):
            pairs.extend((f"id_{name}", str(message)) for message in self.errors.get(name, []))
        return pairs


class SecondFactorCodeForm(forms.Form):
    """The 6-digit code from an authenticator app. The view checks it against the device."""

    code = forms.CharField(
        max_length=20,
        strip=True,
        error_messages={"required": "Enter the 6-digit code from your authenticator app"},
    )

    def clean_code(self) -> str:
        # People often type the code as it is shown, in two groups of three.
        code = "".join(self.cleaned_data["code"].split())
        if not (len(code) == 6 and code.isascii() and code.isdigit()):
            raise forms.ValidationError("The code must be 6 digits, like 123456")
        return code

    def summary_errors(self) -> list[tuple[str, str]]:
        """Return (field id, message) pairs for the error summary."""
        return [("id_code", str(message)) for message in self.errors.get("code", [])]
