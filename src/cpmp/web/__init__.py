"""The GOV.UK-styled pages: layout, sign-in, home."""
