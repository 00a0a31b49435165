"""The append-only, hash-chained audit of every read of a protected record and every change."""
