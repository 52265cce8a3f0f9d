"""A bare counter page, registered only when PORTAL_BENCH_PAGE=1: the baseline event of the benchmarks."""

import reflex as rx


class CounterState(rx.State):
    count: int = 0

    @rx.event
    def increment(self):
        self.count += 1


def counter_page() -> rx.Component:
    return rx.box(
        rx.button("+1", on_click=CounterState.increment, id="increment"),
        rx.text(CounterState.count, id="count"),
        padding="1rem",
    )
