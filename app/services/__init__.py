"""Services: every command is one transaction; access is checked here, not in views."""
