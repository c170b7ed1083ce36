"""Agreements: versions and their parties, duties and sign-offs, the templates they are
made from, who plays each part, and the printable document frozen for signing. No Qt here."""
