"""The viewer of one PDF (DOC-1, EE-3): links signed for the user, the frame on a wide screen."""

from __future__ import annotations

from typing import Any

import reflex as rx

from portal.components.fields import text


def pdf_viewer(s: rx.Var, on_close: Any, prefix: str) -> rx.Component:
    """The opened PDF of ``s`` (id, title, meta, view_link, download_link, frame_title, open_label,
    download_label): "Download" and "Open PDF" links, and the PDF in a frame from the medium breakpoint on
    (a phone gets the links only). Element ids start with ``prefix-``."""
    return rx.cond(
        s.contains("id"),
        rx.el.section(
            rx.card(
                rx.flex(
                    rx.box(
                        rx.heading(text("doc.viewer"), as_="h2", size="4", id=f"{prefix}-viewer-title"),
                        rx.text(s["title"], weight="bold"),
                        rx.text(s["meta"], size="2", color_scheme="gray"),
                        min_width="0",
                    ),
                    rx.button(
                        rx.icon("x", size=16, aria_hidden="true"),
                        text("doc.close"),
                        on_click=on_close,
                        variant="soft",
                        color_scheme="gray",
                        size="2",
                    ),
                    justify="between",
                    align="start",
                    gap="0.75rem",
                ),
                rx.flex(
                    rx.link(
                        rx.icon("download", size=16, aria_hidden="true"),
                        text("doc.download"),
                        href=s["download_link"],
                        aria_label=s["download_label"],
                        reload_document=True,  # the browser fetches our route itself (a file, not a page)
                        high_contrast=True,
                        class_name="download-link",
                        id=f"{prefix}-download",
                    ),
                    rx.link(
                        rx.icon("external-link", size=16, aria_hidden="true"),
                        text("doc.open_new_tab"),
                        href=s["view_link"],
                        aria_label=s["open_label"],
                        reload_document=True,
                        is_external=True,
                        high_contrast=True,
                        class_name="download-link",
                        id=f"{prefix}-open-tab",
                    ),
                    gap="1.25rem",
                    wrap="wrap",
                    margin_y="0.75rem",
                ),
                pdf_frame(s["view_link"], s["frame_title"], f"{prefix}-frame", "75vh"),
                rx.text(text("doc.link_hint"), size="1", color_scheme="gray", margin_top="0.5rem"),
                size="2",
            ),
            id=f"{prefix}-viewer",
            aria_labelledby=f"{prefix}-viewer-title",
            margin_bottom="1rem",
        ),
    )


def pdf_frame(src: Any, title: Any, frame_id: str, height: str, **style: Any) -> rx.Component:
    """The PDF in a frame on a wide screen; a phone gets none (it opens the PDF itself through the links)."""
    return rx.box(
        rx.el.iframe(
            src=src,
            title=title,
            id=frame_id,
            width="100%",
            height="100%",
            border="1px solid var(--gray-a6)",
            border_radius="var(--radius-2)",
        ),
        height=height,
        display=rx.breakpoints(initial="none", md="block"),
        **style,
    )
