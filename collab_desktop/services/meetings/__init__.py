"""Meetings of a collaboration, engagement over time, agreement reviews and what needs
attention (issue 14).

Nothing is imported here: attention.py answers the home page before SQLAlchemy is loaded
(services/quick_open.py), so this package must cost nothing to enter."""
