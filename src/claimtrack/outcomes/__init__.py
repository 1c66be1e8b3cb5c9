"""What later happened, linked to the statements it settles."""
