"""Deconfliction: matching subjects, places, vehicles and identifiers across operations."""
