"""Risk assessments of sources, undercover officers, tactics and deployments, and their register."""
