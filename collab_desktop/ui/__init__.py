"""Qt widgets, dialogs and table models. Talks to services only: no SQL, no ORM queries."""
