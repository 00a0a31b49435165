"""The JSON API: token authentication, the error body, and endpoints over the same actions."""
