"""Collab Desktop: partners, joint agreements, sign-offs and PDFs for small charities."""

__version__ = "0.1.0"
APP_NAME = "Collab Desktop"
