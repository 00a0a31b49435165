"""CPMP, the Covert Policing Management Platform."""
