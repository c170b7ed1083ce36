"""Privacy (issue 15) on screen: everything about a person, anonymising or erasing them, and
the retention rules in Preferences."""
