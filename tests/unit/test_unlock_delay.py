"""The growing wait after repeated wrong tries, with a clock the test moves by hand."""

from __future__ import annotations

from collab_desktop.services.unlock_delay import FailureDelay


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_the_first_mistakes_are_free_then_the_wait_doubles_up_to_half_a_minute():
    clock = Clock()
    delay = FailureDelay(clock)
    waits = []
    for _ in range(10):
        assert delay.may_try()
        waits.append(delay.failed())
        clock.now += waits[-1]  # the person waits as told
    assert waits == [0, 0, 0, 2, 4, 8, 16, 30, 30, 30]


def test_a_try_during_the_wait_is_not_allowed_and_the_message_counts_down():
    clock = Clock()
    delay = FailureDelay(clock)
    for _ in range(FailureDelay.FREE_TRIES + 2):
        delay.failed()
    assert delay.wait_left() == 4
    assert not delay.may_try()
    assert delay.message() == "Several tries were wrong. Wait 4 seconds, then try again."
    clock.now += 3.2
    assert delay.message().startswith("Several tries were wrong. Wait 1 second,")
    clock.now += 0.8
    assert delay.may_try() and delay.wait_left() == 0


def test_success_forgets_the_mistakes():
    clock = Clock()
    delay = FailureDelay(clock)
    for _ in range(6):
        delay.failed()
    delay.succeeded()
    assert delay.may_try() and delay.failures == 0
    assert delay.failed() == 0
