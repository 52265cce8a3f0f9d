"""The three shells: employer (desktop, side menu), intermediary (wide dashboard), employee (phone first)."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from portal.components.controls import language_button, logout_button, logout_form, theme_button
from portal.components.fields import text
from portal.components.ready import ready_marker, theme_sync
from portal.state.acting import ActingState
from portal.state.auth import SessionState

Shell = Callable[..., rx.Component]  # (title message key, *content) -> the page in its front end's frame


def _nav_link(item: rx.Var, **props) -> rx.Component:
    current = SessionState.router.page.path == item["route"]
    return rx.link(
        item["label"],
        href=item["route"],
        aria_current=rx.cond(current, "page", "false"),
        weight=rx.cond(current, "bold", "regular"),
        class_name="nav-link",
        **props,
    )


def _tab_link(item: rx.Var) -> rx.Component:
    """A tab of the employee's bottom bar: icon above a short label, a large touch target."""
    current = SessionState.router.page.path == item["route"]
    icon = rx.match(
        item["route"],
        ("/employee", rx.icon("file-text", size=20, aria_hidden="true")),
        ("/employee/documents", rx.icon("folder-open", size=20, aria_hidden="true")),
        ("/employee/profile", rx.icon("user-round", size=20, aria_hidden="true")),
        ("/employee/calculators", rx.icon("calculator", size=20, aria_hidden="true")),
        rx.icon("circle-help", size=20, aria_hidden="true"),
    )
    return rx.link(
        rx.vstack(icon, rx.text(item["label"], size="1"), spacing="1", align="center"),
        href=item["route"],
        aria_current=rx.cond(current, "page", "false"),
        weight=rx.cond(current, "bold", "regular"),
        underline="none",
        display="flex",
        justify_content="center",
        padding_y="0.6rem",
        min_height="3.5rem",
        class_name="tab-link",
    )


def _user_box() -> rx.Component:
    return rx.vstack(
        rx.text(SessionState.user_name, weight="bold", size="2", id="user-name"),
        rx.text(SessionState.role_label, size="1", color_scheme="gray", id="user-role"),
        spacing="0",
        align="end",
    )


def _header(front_end: str) -> rx.Component:
    return rx.flex(
        rx.hstack(
            rx.icon("shield-check", size=22, aria_hidden="true"),
            rx.text(text(f"frontend.{front_end}"), weight="bold", size="4"),
            align="center",
        ),
        rx.spacer(),
        _user_box(),
        language_button(),
        theme_button(),
        logout_button(),
        as_="header",
        align="center",
        spacing="3",
        padding_x="1rem",
        padding_y="0.75rem",
        border_bottom="1px solid var(--gray-a5)",
        wrap="wrap",
        width="100%",
    )


def _loading() -> rx.Component:
    return rx.center(rx.text(text("common.loading")), padding="2rem", role="status", id="page-loading")


def _side_menu_and_main(
    entries: rx.Component, menu_key: str, title_key: str, content: tuple[rx.Component, ...]
) -> rx.Component:
    """A side menu (a column on a phone) beside the page's main part with its heading."""
    return rx.flex(
        rx.el.nav(
            rx.vstack(entries, spacing="2", padding="1rem"),
            aria_label=text(menu_key),
            min_width="14rem",
            border_right="1px solid var(--gray-a5)",
            class_name="side-nav",
        ),
        rx.el.main(
            rx.heading(text(title_key), as_="h1", size="6", margin_bottom="1rem"),
            *content,
            padding="1.5rem",
            flex="1",
            min_width="0",
        ),
        direction={"initial": "column", "md": "row"},
        width="100%",
    )


def employer_shell(title_key: str, *content: rx.Component) -> rx.Component:
    """Employer front end: header, a side menu with the entries the roles allow (AUTH-4), content."""
    return rx.cond(
        SessionState.signed_in,
        rx.box(
            ready_marker(),
            theme_sync(),
            _header("employer"),
            _side_menu_and_main(
                rx.foreach(SessionState.menu_items, _nav_link), "common.main_navigation", title_key, content
            ),
            min_height="100vh",
            data_front_end="employer",
        ),
        _loading(),
    )


def _top_menu() -> rx.Component:
    """The intermediary front end's menu: one row under the header."""
    return rx.el.nav(
        rx.hstack(
            rx.foreach(SessionState.menu_items, _nav_link),
            spacing="5",
            padding_x="1rem",
            padding_y="0.5rem",
            wrap="wrap",
        ),
        aria_label=text("common.main_navigation"),
        border_bottom="1px solid var(--gray-a5)",
    )


def intermediary_shell(title_key: str, *content: rx.Component) -> rx.Component:
    """Intermediary front end: a wide dashboard with a top menu."""
    return rx.cond(
        SessionState.signed_in,
        rx.box(
            ready_marker(),
            theme_sync(),
            _header("intermediary"),
            _top_menu(),
            rx.el.main(
                rx.heading(text(title_key), as_="h1", size="6", margin_bottom="1rem"),
                *content,
                padding="1.5rem",
                width="100%",
            ),
            min_height="100vh",
            data_front_end="intermediary",
        ),
        _loading(),
    )


def _acting_link(item: rx.Var) -> rx.Component:
    current = SessionState.router.url.path == item[0]
    return rx.link(
        SessionState.t[item[1]],
        href=item[0],
        aria_current=rx.cond(current, "page", "false"),
        weight=rx.cond(current, "bold", "regular"),
        class_name="nav-link",
    )


def acting_banner() -> rx.Component:
    """INT-2: whom the adviser acts for, in words, with the way back to the portfolio."""
    return rx.callout.root(
        rx.callout.icon(rx.icon("briefcase", aria_hidden="true")),
        rx.flex(
            rx.text(
                SessionState.t["acting.banner"].to(str).replace("{employer}", ActingState.employer_name),
                weight="bold",
                id="acting-banner",
            ),
            rx.text(text("acting.banner_hint"), size="2"),
            rx.flex(
                rx.link(
                    text("acting.back"), href="/intermediary", id="acting-back", high_contrast=True, underline="always"
                ),
                rx.link(
                    text("acting.new_task"),
                    href=ActingState.task_link,
                    id="acting-new-task",
                    high_contrast=True,
                    underline="always",
                ),
                spacing="4",
                wrap="wrap",
            ),
            direction="column",
            spacing="1",
        ),
        color_scheme="amber",
        high_contrast=True,  # amber text on amber falls short of WCAG AA contrast otherwise
        role="region",
        aria_label=text("acting.region"),
        margin_x="1rem",
        margin_top="1rem",
    )


def acting_shell(title_key: str, *content: rx.Component) -> rx.Component:
    """An employer's page opened by an adviser (INT-2): the intermediary header and menu, the banner, and a
    side menu of the employer's pages under the employer's address."""
    return rx.cond(
        SessionState.signed_in,
        rx.box(
            ready_marker(),
            theme_sync(),
            _header("intermediary"),
            _top_menu(),
            acting_banner(),
            _side_menu_and_main(rx.foreach(ActingState.menu, _acting_link), "acting.menu", title_key, content),
            min_height="100vh",
            data_front_end="intermediary",
            data_acting="true",
        ),
        _loading(),
    )


def employee_shell(title_key: str, *content: rx.Component) -> rx.Component:
    """Employee front end, designed for a 390×844 phone first: compact header, bottom tab bar."""
    return rx.cond(
        SessionState.signed_in,
        rx.box(
            ready_marker(),
            theme_sync(),
            rx.flex(
                rx.vstack(
                    rx.text(text("frontend.employee"), weight="bold", size="3"),
                    rx.text(SessionState.user_name, size="1", color_scheme="gray", id="user-name"),
                    spacing="0",
                ),
                rx.spacer(),
                language_button(),
                theme_button(),
                logout_form(
                    rx.icon_button(
                        rx.icon("log-out", size=18, aria_hidden="true"),
                        type="submit",
                        variant="outline",
                        color_scheme="gray",
                        high_contrast=True,
                        aria_label=text("common.logout"),
                        title=text("common.logout"),
                        id="logout",
                    )
                ),
                as_="header",
                align="center",
                spacing="2",
                wrap="wrap",  # the buttons go to a second line on a very narrow screen (200 % zoom)
                padding="0.75rem",
                border_bottom="1px solid var(--gray-a5)",
                position="sticky",
                top="0",
                background="var(--color-background)",
                z_index="2",
            ),
            rx.el.main(
                rx.heading(text(title_key), as_="h1", size="5", margin_bottom="0.75rem"),
                *content,
                padding="1rem",
                padding_bottom="9rem",  # room for the bottom bar, also in its two rows
                max_width="40rem",
                margin_x="auto",
            ),
            rx.el.nav(
                rx.grid(
                    rx.foreach(SessionState.menu_items, _tab_link),
                    # one row on a phone; two rows when the screen is narrower (200 % zoom: 195 CSS pixels)
                    grid_template_columns="repeat(auto-fit, minmax(3.75rem, 1fr))",
                    width="100%",
                ),
                aria_label=text("common.main_navigation"),
                position="fixed",
                bottom="0",
                left="0",
                right="0",
                border_top="1px solid var(--gray-a5)",
                background="var(--color-background)",
                z_index="2",
            ),
            min_height="100vh",
            data_front_end="employee",
        ),
        _loading(),
    )


def coming_soon(feature: str) -> rx.Component:
    """Plain notice for a page that a later issue fills."""
    return rx.callout(
        SessionState.t["common.coming"].to(str).replace("{feature}", feature),
        icon="construction",
        color_scheme="gray",
        margin_top="1rem",
    )
