"""Privacy (issue 15): everything about one person (subject_access), erasing or anonymising
them (erasure), and keeping records no longer than needed (retention). No Qt here."""
