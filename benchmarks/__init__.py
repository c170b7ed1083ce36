"""Performance measurements at scale (issue 6); not part of the test run."""
