"""People, ranks, roles and the predicates that decide who may see and do what."""
