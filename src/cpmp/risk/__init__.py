"""Risk assessments of sources, undercover officers, tactics and deployments, and the risk register."""
