"""Form pieces with a visible label, the error at the field (role=alert) and accessible wiring."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import reflex as rx

from portal.state.auth import SessionState


def text(key: str) -> rx.Var:
    """A translated text of the session's language."""
    return SessionState.t[key]


def filled(template_key: str, **values: rx.Var) -> rx.Var:
    """A translated template with its ``{placeholders}`` replaced by vars, in the browser."""
    out = SessionState.t[template_key].to(str)
    for name, value in values.items():
        out = out.replace("{" + name + "}", value)
    return out


def field(
    label_key: str,
    name: str,
    errors: rx.Var,
    *,
    field_id: str | None = None,
    type: str | None = "text",
    autocomplete: str | None = None,
    hint: rx.Var | str | None = None,
    control: Callable[..., rx.Component] = rx.input,
    **props: Any,
) -> rx.Component:
    """A labelled input whose error (``errors[name]``) is shown under it and announced; ``hint``: a line under
    the field that it is described by (e.g. its length limit); ``control``: another control (``rx.text_area``,
    with ``type=None``)."""
    fid = field_id or f"f-{name}"
    error = errors.get(name, "")
    return rx.box(
        rx.el.label(text(label_key), html_for=fid, class_name="field-label"),
        control(
            id=fid,
            name=name,
            auto_complete=autocomplete,
            aria_invalid=rx.cond(error != "", "true", "false"),
            aria_describedby=f"{fid}-hint {fid}-error" if hint is not None else f"{fid}-error",
            size="3",
            width="100%",
            **({"type": type} if type is not None else {}),
            **props,
        ),
        rx.text(hint, id=f"{fid}-hint", size="1", color_scheme="gray") if hint is not None else rx.fragment(),
        rx.text(error, id=f"{fid}-error", role="alert", color_scheme="red", size="2", class_name="field-error"),
        width="100%",
        class_name="field",
    )


def strength_meter(strength: rx.Var) -> rx.Component:
    """Password strength shown while typing: weak / fair / strong, in words and colour."""
    colour = rx.match(strength, ("strong", "green"), ("fair", "amber"), ("weak", "red"), "gray")
    value = rx.match(strength, ("strong", 100), ("fair", 60), ("weak", 25), 0)
    return rx.box(
        rx.progress(value=value, color_scheme=colour, aria_label=text("strength.label"), size="1"),
        rx.text(
            rx.cond(strength != "", SessionState.t["strength." + strength.to(str)], text("strength.hint")),
            size="2",
            color_scheme=colour,
            aria_live="polite",
            id="password-strength",
        ),
        width="100%",
    )


def job_progress(running: rx.Var, pct: rx.Var, job: rx.Var, label_key: str, bar_id: str) -> rx.Component:
    """A background job's progress while it runs: a labelled bar and its status line (``job["text"]``)."""
    return rx.cond(
        running,
        rx.box(
            rx.el.label(text(label_key), html_for=bar_id, class_name="field-label"),
            rx.progress(value=pct, max=100, id=bar_id, aria_label=SessionState.t[label_key], max_width="28rem"),
            rx.text(job.get("text", ""), role="status", size="2", id=f"{bar_id}-text"),
            class_name="field",
        ),
    )


def or_separator(label_key: str) -> rx.Component:
    """A line with a word in its middle ("of", "or") between two ways of doing the same thing."""
    return rx.flex(
        rx.separator(size="4"),
        rx.text(text(label_key), size="2", white_space="nowrap"),
        rx.separator(size="4"),
        align="center",
        gap="0.5rem",
        width="100%",
    )


def submit_button(label_key: str, **props: Any) -> rx.Component:
    """The primary button of a form."""
    return rx.button(text(label_key), type="submit", size="3", width="100%", **props)


def notice(body: rx.Var | str, scheme: str = "blue") -> rx.Component:
    """An information callout (announced politely)."""
    return rx.callout(body, icon="info", color_scheme=scheme, role="status", width="100%")


def value_field(
    name: str, errors: rx.Var, values: rx.Var, *, type: str = "text", label_key: str = "", **props: Any
) -> rx.Component:
    """A labelled input (label ``field.<name>`` unless given) prefilled from the state's ``values`` (wizards)."""
    return field(label_key or f"field.{name}", name, errors, type=type, default_value=values.get(name, ""), **props)


def select_field(name: str, errors: rx.Var, values: rx.Var, options: list[tuple[str, str]]) -> rx.Component:
    """A labelled native select (options: value, label key) with its error at the field."""
    fid = f"f-{name}"
    error = errors.get(name, "")
    return rx.box(
        rx.el.label(text(f"field.{name}"), html_for=fid, class_name="field-label"),
        rx.el.select(
            rx.el.option(text("wiz.choose"), value=""),
            *[rx.el.option(text(label_key), value=value) for value, label_key in options],
            id=fid,
            name=name,
            default_value=values.get(name, ""),
            class_name="native-select",
            aria_describedby=f"{fid}-error",
            aria_invalid=rx.cond(error != "", "true", "false"),
        ),
        rx.text(error, id=f"{fid}-error", role="alert", color_scheme="red", size="2", class_name="field-error"),
        class_name="field",
    )


def scheme_choice(
    label_key: str,
    field_id: str,
    schemes: rx.Var,
    value: rx.Var,
    on_change: Any,
    more_than: int = 1,
    wide: bool = False,
    **box_props: Any,
) -> rx.Component:
    """A labelled native select of ``schemes`` (dicts with ``id`` and ``label``), shown only when there are more
    than ``more_than`` to choose from; ``wide`` makes it fill its box up to 28rem. The server checks the
    chosen id again."""
    size = {"width": "100%", "max_width": "28rem"} if wide else {}
    return rx.cond(
        schemes.length() > more_than,
        rx.box(
            rx.el.label(text(label_key), html_for=field_id, class_name="field-label"),
            rx.el.select(
                rx.foreach(schemes, lambda s: rx.el.option(s["label"], value=s["id"])),
                id=field_id,
                name="scheme",  # chosen through on_change; named so that a form never submits it by id
                value=value,
                on_change=on_change,
                class_name="native-select",
                **size,
            ),
            **box_props,
        ),
    )
