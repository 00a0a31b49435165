"""Source management: contacts, tasking, payments, welfare and the potential-source clock."""
