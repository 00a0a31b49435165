"""Bookings and deployments of covert assets, never outside a live authority, and their recovery."""
