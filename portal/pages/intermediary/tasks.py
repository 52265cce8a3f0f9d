"""Tasks and tickets (INT-3): my to-do list or the office's, the board by status, filters, reassigning, one
opened task (edit, comment, complete, second check) and a new task. Every field has a visible label."""

from __future__ import annotations

from typing import Any

import reflex as rx

from portal.components.fields import field, text
from portal.components.shell import intermediary_shell
from portal.components.table import Column, Sorting, data_table, none_yet
from portal.state.intermediary.tasks import TasksState as S

KINDS = (
    "advice_exit",
    "advice_warning",
    "review",
    "batch_failed",
    "data_missing",
    "general",
    "coupling_manual",
    "reconciliation",
)
HAND_KINDS = ("general", "advice_exit", "advice_warning", "data_missing")
STATUSES = ("open", "in_progress", "waiting", "done", "cancelled")


def _label(key: str, fid: str) -> rx.Component:
    return rx.el.label(text(key), html_for=fid, class_name="field-label")


def _select(key: str, fid: str, name: str, options: Any, value: Any = None, errors: Any = None) -> rx.Component:
    """A labelled native select; ``options`` is a list of (value, label Var) or a list Var of dicts id/label."""
    if isinstance(options, rx.Var):
        children: Any = [rx.foreach(options, lambda o: rx.el.option(o["label"], value=o["id"]))]
    else:
        children = [rx.el.option(label, value=v) for v, label in options]
    error = errors.get(name, "") if errors is not None else ""
    props: dict[str, Any] = {} if value is None else {"default_value": value}
    return rx.box(
        _label(key, fid),
        rx.el.select(
            *children, id=fid, name=name, class_name="native-select", aria_describedby=f"{fid}-error", **props
        ),
        rx.text(error, id=f"{fid}-error", role="alert", color_scheme="red", size="2", class_name="field-error"),
        class_name="field",
    )


def _kinds(keys: tuple[str, ...], any_first: bool = True) -> list[tuple[str, Any]]:
    first = [("", text("task.filter.any"))] if any_first else []
    return first + [(k, text(f"task.kind.{k}")) for k in keys]


def _views() -> rx.Component:
    def button(view: str, key: str) -> rx.Component:
        return rx.button(
            text(key),
            on_click=S.set_view(view),
            variant=rx.cond(S.view == view, "solid", "outline"),
            aria_pressed=rx.cond(S.view == view, "true", "false"),
        )

    return rx.hstack(button("mine", "task.view.mine"), button("office", "task.view.office"), spacing="2")


def _board() -> rx.Component:
    return rx.el.section(
        rx.heading(text("task.board"), as_="h2", size="4", id="task-board-title"),
        rx.hstack(
            rx.foreach(
                S.board,
                lambda b: rx.button(
                    b["label"], ": ", b["count"], variant="soft", on_click=S.show_status(b["status"]), size="2"
                ),
            ),
            spacing="2",
            wrap="wrap",
            margin_y="0.5rem",
        ),
        aria_labelledby="task-board-title",
    )


def _filters() -> rx.Component:
    statuses = [("", text("task.filter.any")), ("open_any", text("task.filter.open_any"))]
    statuses += [(s, text(f"task.status.{s}")) for s in STATUSES]
    return rx.form(
        rx.flex(
            _select("task.filter.employer", "tf-employer", "employer", S.employer_filter, S.f_employer),
            _select("task.filter.kind", "tf-kind", "kind", _kinds(KINDS), S.f_kind),
            _select("task.filter.assignee", "tf-assignee", "assignee", S.adviser_filter, S.f_assignee),
            _select("task.filter.status", "tf-status", "status", statuses, S.f_status),
            rx.box(
                rx.el.input(type="checkbox", id="tf-overdue", name="overdue", default_checked=S.f_overdue),
                rx.el.label(text("task.filter.overdue"), html_for="tf-overdue", margin_left="0.4rem"),
                align_self="center",
            ),
            rx.button(text("task.filter.apply"), type="submit", align_self="end"),
            spacing="3",
            wrap="wrap",
            align="end",
        ),
        on_submit=S.filter,
        aria_label=text("task.filters"),
    )


def _title_cell(r: rx.Var) -> Any:
    return (
        rx.el.button(r["title"], on_click=S.open(r["id"]), class_name="link-button", aria_label=r["title"]),
        rx.cond(r["number"] != "", rx.text(r["number"], size="1", color_scheme="gray")),
    )


def _due_cell(r: rx.Var) -> Any:
    return (
        rx.text(r["due"], as_="span", color_scheme=rx.cond(r["overdue"] == "1", "red", "gray"), weight="medium"),
        rx.cond(
            r["overdue"] == "1",
            rx.badge(text("task.overdue"), color_scheme="red", high_contrast=True, margin_left="0.4rem"),
        ),
    )


def _check_cell(r: rx.Var) -> Any:
    return rx.checkbox(
        checked=S.selected.contains(r["id"]),
        on_change=lambda checked: S.toggle(r["id"], checked),
        aria_label=r["title"],
    )


COLUMNS = (
    Column("task.col.select", _check_cell),
    Column("task.col.title", _title_cell, names_row=True),
    Column("task.col.employer", lambda r: r["employer"], sort="employer"),
    Column("task.col.kind", lambda r: r["kind"], sort="kind"),
    Column("task.col.assignee", lambda r: r["assignee"]),
    Column("task.col.due", _due_cell, nowrap=True, sort="due_date"),
    Column("task.col.follow_up", lambda r: r["follow_up"], nowrap=True, sort="follow_up_date"),
    Column("task.col.status", lambda r: r["status"], sort="status"),
)


def _card_line(key: str, value: Any) -> rx.Component:
    """One labelled value of a task's card: the column's header as its visible label."""
    return rx.el.div(
        rx.el.dt(text(key), ":", class_name="task-card-label"),
        rx.el.dd(value, class_name="task-card-value"),
        class_name="task-card-line",
    )


def _card(r: rx.Var) -> rx.Component:
    """A task on a phone: select box and title (the link that opens it), then every column with its label."""
    return rx.el.li(
        rx.card(
            rx.flex(
                _check_cell(r),
                rx.box(*_title_cell(r)),
                spacing="3",
                align="start",
            ),
            rx.el.dl(
                _card_line("task.col.employer", r["employer"]),
                _card_line("task.col.kind", r["kind"]),
                _card_line("task.col.assignee", r["assignee"]),
                _card_line("task.col.due", rx.fragment(*_due_cell(r))),
                _card_line("task.col.follow_up", r["follow_up"]),
                _card_line("task.col.status", r["status"]),
                class_name="task-card-lines",
            ),
            width="100%",
            class_name=rx.cond(r["overdue"] == "1", "task-overdue", ""),
        ),
        list_style="none",
    )


def _phone_sort() -> rx.Component:
    """On a phone (cards, no column headers): the sort column as a labelled choice."""
    options = [(key, text(label)) for key, label in SORT_LABELS]
    return rx.box(
        _label("task.sort_by", "ts-sort"),
        rx.el.select(
            *[rx.el.option(label, value=v) for v, label in options],
            id="ts-sort",
            value=S.sort_by,
            on_change=S.sort,
            class_name="native-select",
        ),
        display=rx.breakpoints(initial="block", md="none"),
        margin_bottom="0.75rem",
    )


SORT_LABELS = (
    ("due_date", "task.col.due"),
    ("follow_up_date", "task.col.follow_up"),
    ("employer", "task.col.employer"),
    ("kind", "task.col.kind"),
    ("status", "task.col.status"),
)


def _list() -> rx.Component:
    return rx.box(
        rx.form(
            rx.flex(
                _select("task.reassign", "tr-assignee", "assignee", S.adviser_options, None, S.list_errors),
                rx.button(text("task.reassign_button"), type="submit", align_self="end"),
                spacing="3",
                align="end",
                wrap="wrap",
            ),
            rx.text(S.list_errors.get("tasks", ""), role="alert", color_scheme="red", size="2"),
            on_submit=S.reassign,
            margin_y="0.75rem",
        ),
        _phone_sort(),
        data_table(
            COLUMNS,
            S.rows,
            name="task.caption",
            table_id="tasks",
            sorting=Sorting(S.sort_by, S.ascending, S.sort),
            row_props=lambda r: {"class_name": rx.cond(r["overdue"] == "1", "task-overdue", "")},
            card=_card,
        ),
        none_yet("task.none", S.rows.length() == 0),
        rx.hstack(
            rx.button(text("task.previous"), on_click=S.turn(-1), disabled=S.page <= 1, variant="soft"),
            rx.text(S.page_text, aria_live="polite"),
            rx.button(text("task.next"), on_click=S.turn(1), disabled=S.page >= S.pages, variant="soft"),
            spacing="3",
            align="center",
            margin_top="0.75rem",
        ),
    )


def _comment(c: rx.Var) -> rx.Component:
    return rx.el.li(
        rx.text(c["author"], " · ", c["at"], size="1", color_scheme="gray"),
        rx.text(c["text"], white_space="pre-wrap"),
        margin_bottom="0.5rem",
    )


def _detail() -> rx.Component:
    task = S.task
    statuses = [(s, text(f"task.status.{s}")) for s in STATUSES if s != "done"]
    return rx.cond(
        task.get("id", "") != "",
        rx.card(
            rx.heading(task["title"], as_="h2", size="4", id="task-detail-title", tab_index=-1),
            rx.text(task["employer"], " ", task["number"], " · ", task["kind"], " · ", task["status_label"], size="2"),
            rx.cond(task["about"] != "", rx.callout(task["about"], icon="info", margin_top="0.5rem")),
            rx.cond(task["overdue"] == "1", rx.text(text("task.overdue"), color_scheme="red", weight="bold")),
            rx.cond(task["needs_check"] == "1", rx.text(text("task.needs_check"), size="2", color_scheme="gray")),
            rx.form(
                rx.grid(
                    field(
                        "task.field.title", "title", S.task_errors, field_id="td-title", default_value=task["own_title"]
                    ),
                    field(
                        "task.field.due_date",
                        "due_date",
                        S.task_errors,
                        field_id="td-due",
                        type="date",
                        default_value=task["due"],
                    ),
                    field(
                        "task.field.follow_up_date",
                        "follow_up_date",
                        S.task_errors,
                        field_id="td-follow",
                        type="date",
                        default_value=task["follow_up"],
                    ),
                    _select(
                        "task.field.assignee",
                        "td-assignee",
                        "assignee",
                        S.adviser_options,
                        task["assignee"],
                        S.task_errors,
                    ),
                    _select("task.field.status", "td-status", "status", statuses, task["status"], S.task_errors),
                    columns=rx.breakpoints(initial="1", md="3"),
                    spacing="3",
                ),
                rx.text(S.task_errors.get("lock_version", ""), role="alert", color_scheme="red", size="2"),
                rx.button(text("task.save"), type="submit", margin_top="0.5rem"),
                on_submit=S.save,
                key=task["id"] + task["status"],
                margin_top="0.75rem",
            ),
            rx.hstack(
                rx.cond(
                    task["completable"] == "1",
                    rx.button(text("task.complete"), on_click=S.complete, color_scheme="green"),
                ),
                rx.cond(
                    task["awaiting_check"] == "1",
                    rx.hstack(
                        rx.button(text("task.approve_check"), on_click=S.approve_check, color_scheme="green"),
                        rx.button(text("task.reject_check"), on_click=S.reject_check, variant="soft"),
                        spacing="2",
                    ),
                ),
                rx.button(text("task.close_detail"), on_click=S.close, variant="outline"),
                spacing="3",
                margin_top="0.75rem",
            ),
            rx.text(S.task_errors.get("check", ""), role="alert", color_scheme="red", size="2"),
            rx.text(S.task_errors.get("status", ""), role="alert", color_scheme="red", size="2"),
            rx.heading(text("task.comments"), as_="h3", size="3", margin_top="1rem"),
            rx.cond(
                S.comments.length() > 0,
                rx.el.ul(rx.foreach(S.comments, _comment), padding_left="0", list_style_type="none"),
                rx.text(text("task.no_comments"), size="2"),
            ),
            rx.form(
                rx.el.label(text("task.field.comment"), html_for="td-comment", class_name="field-label"),
                rx.text_area(id="td-comment", name="comment", max_length=5000, width="100%", rows="3"),
                rx.text(S.task_errors.get("comment", ""), role="alert", color_scheme="red", size="2"),
                rx.button(text("task.add_comment"), type="submit", margin_top="0.5rem"),
                on_submit=S.add_comment,
                reset_on_submit=True,
            ),
            margin_y="1rem",
            id="task-detail",
        ),
    )


def _new_task() -> rx.Component:
    return rx.el.section(
        rx.heading(text("task.new"), as_="h2", size="4", id="task-new-title", margin_top="1.5rem"),
        rx.form(
            rx.grid(
                _select("task.field.employer", "tn-employer", "employer", S.employer_options, S.new_employer, S.errors),
                _select("task.field.kind", "tn-kind", "kind", _kinds(HAND_KINDS, any_first=False), None, S.errors),
                field("task.field.title", "title", S.errors, field_id="tn-title", max_length=200),
                field("task.field.due_date", "due_date", S.errors, field_id="tn-due", type="date"),
                field("task.field.follow_up_date", "follow_up_date", S.errors, field_id="tn-follow", type="date"),
                _select("task.field.assignee", "tn-assignee", "assignee", S.adviser_options, None, S.errors),
                columns=rx.breakpoints(initial="1", md="3"),
                spacing="3",
            ),
            rx.cond(S.new_about != "", rx.text(S.new_about, size="2", margin_top="0.5rem")),
            rx.button(text("task.create"), type="submit", margin_top="0.5rem"),
            on_submit=S.create,
            reset_on_submit=False,
            key=S.new_employer + S.employer_options.length().to(str),
        ),
        aria_labelledby="task-new-title",
    )


def tasks_page() -> rx.Component:
    """INT-3: /intermediary/tasks."""
    return intermediary_shell(
        "menu.tasks",
        rx.text(text("task.intro"), color_scheme="gray", margin_bottom="0.75rem"),
        rx.cond(S.notice != "", rx.callout(S.notice, icon="check", role="status", margin_bottom="0.5rem")),
        rx.cond(S.warning != "", rx.callout(S.warning, icon="triangle_alert", color_scheme="amber", role="status")),
        _views(),
        _board(),
        _filters(),
        _detail(),
        _list(),
        _new_task(),
        rx.checkbox(text("task.digest_toggle"), checked=S.digest, on_change=S.toggle_digest, margin_top="1.5rem"),
    )
