"""E-mail reminders of deadlines to the people concerned, each sent once."""
