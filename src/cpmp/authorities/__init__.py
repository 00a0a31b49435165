"""Covert authorisations: the register entries and, later, their whole lifecycle."""
