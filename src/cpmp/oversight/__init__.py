"""Oversight: the central record, imports from legacy registers, and what inspectors see."""
