"""The Agreements page and the agreement editor (its tabs, parts picker and actions)."""
