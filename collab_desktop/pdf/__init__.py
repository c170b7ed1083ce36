"""ReportLab document builders. Plain data in, PDF out; no Qt and no database here."""
