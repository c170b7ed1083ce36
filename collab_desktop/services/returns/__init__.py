"""Monitoring returns (issue 13): counted from the records, drafted from the lead's template,
signed off, sent and collated. No Qt here."""
