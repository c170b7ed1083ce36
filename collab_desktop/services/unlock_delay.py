"""A short, growing wait after wrong passphrases or recovery codes typed one after another.

Guessing at the keyboard is slow anyway (each passphrase try takes a third of a second of
key derivation, on purpose), so this is about courtesy as much as defence: the first few
mistakes cost nothing, then the wait doubles up to half a minute. It is kept in memory only:
someone with the files can guess without the app, which the slow derivation is there for.
The clock is injected, so the policy is tested without sleeping.
"""

from __future__ import annotations

import time
from collections.abc import Callable

__all__ = ["FailureDelay"]


class FailureDelay:
    FREE_TRIES = 3  # mistakes before any wait
    FIRST_WAIT = 2.0  # seconds after the first mistake beyond those
    LONGEST_WAIT = 30.0

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._failures = 0
        self._until = 0.0

    @property
    def failures(self) -> int:
        return self._failures

    def wait_left(self) -> float:
        """Seconds before the next try is allowed (0 when it is allowed now)."""
        return max(0.0, self._until - self._clock())

    def may_try(self) -> bool:
        return self.wait_left() <= 0

    def failed(self) -> float:
        """Count one mistake; return the wait it imposes (seconds, maybe 0)."""
        self._failures += 1
        extra = self._failures - self.FREE_TRIES
        wait = 0.0 if extra <= 0 else min(self.LONGEST_WAIT, self.FIRST_WAIT * 2 ** (extra - 1))
        self._until = self._clock() + wait
        return wait

    def succeeded(self) -> None:
        self._failures = 0
        self._until = 0.0

    def message(self) -> str:
        """What to show while a wait is running, e.g. "Wait 4 seconds, then try again."."""
        seconds = max(1, round(self.wait_left() + 0.49))
        unit = "second" if seconds == 1 else "seconds"
        return f"Several tries were wrong. Wait {seconds} {unit}, then try again."
