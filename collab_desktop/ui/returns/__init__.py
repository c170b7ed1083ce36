"""The Returns page (issue 13)."""
