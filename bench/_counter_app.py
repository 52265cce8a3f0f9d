"""The portal app plus a bare counter page (``/bench/counter``): the baseline event the browser benchmarks
compare against. Not part of the production app: a benchmark serves it by pointing Reflex at this module
(``REFLEX_APP_MODULE_IMPORT=bench._counter_app`` in the app's environment), so the portal has no switch for it."""

import reflex as rx

from portal.portal import app


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


app.add_page(counter_page, route="/bench/counter", title="bench")
