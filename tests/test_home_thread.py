"""HomeThread: a widget's handlers run on the thread (and loop) the widget was made on."""

from __future__ import annotations

import asyncio
import threading

from quiz_widgets.ui.home_thread import HomeThread


def test_a_call_from_another_thread_waits_for_the_home_loop_and_keeps_its_order():
    ran: list[tuple[str, int]] = []

    async def main() -> list[tuple[str, int]]:
        home = HomeThread()
        handler = home.wrap(lambda n: ran.append((threading.current_thread().name, n)))
        sender = threading.Thread(target=lambda: [handler(n) for n in range(5)], name="subshell")
        sender.start()
        sender.join()
        seen_before_yield = list(ran)  # the loop has not been free since: nothing ran yet
        for _ in range(3):
            await asyncio.sleep(0)
        return seen_before_yield

    before = asyncio.run(main())
    assert before == []
    assert ran == [("MainThread", n) for n in range(5)]


def test_a_call_on_the_home_thread_runs_at_once():
    ran: list[int] = []

    async def main() -> None:
        HomeThread().call(ran.append, 1)
        assert ran == [1]

    asyncio.run(main())


def test_without_a_running_loop_the_call_runs_where_it_is_made():
    # Plain Python (a script, the in-process tests): nothing would ever run a queued call.
    home = HomeThread()
    names: list[str] = []
    t = threading.Thread(
        target=lambda: home.call(lambda: names.append(threading.current_thread().name)), name="other"
    )
    t.start()
    t.join()
    assert names == ["other"]


def test_a_closed_home_loop_runs_the_call_in_the_caller():
    names: list[str] = []

    async def make() -> HomeThread:
        return HomeThread()

    home = asyncio.run(make())  # asyncio.run closes its loop on return
    t = threading.Thread(
        target=lambda: home.call(lambda: names.append(threading.current_thread().name)), name="late"
    )
    t.start()
    t.join()
    assert names == ["late"]
