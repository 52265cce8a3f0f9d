"""Reflex configuration: telemetry off, Radix themes on, sitemap off, one port in prod mode, CORS (HTTP routes
and the event websocket) only for the portal's own origin (``PORTAL_BASE_URL``), not Reflex's default ``*``."""

import os

import reflex as rx

from portal.core.config import own_origins

config = rx.Config(
    app_name="portal",
    telemetry_enabled=False,
    show_built_with_reflex=False,
    plugins=[rx.plugins.RadixThemesPlugin(theme=rx.theme(accent_color="indigo", radius="medium"))],
    disable_plugins=[rx.plugins.SitemapPlugin],
    # only the portal's own origin may open the event websocket or read responses with credentials
    cors_allowed_origins=own_origins(os.environ.get("PORTAL_BASE_URL", "http://localhost:3000")),
    # a tab's stored states (disk or Redis) are deleted once untouched for as long as a session may idle
    redis_token_expiration=60 * int(os.environ.get("PORTAL_IDLE_MINUTES", "30")),
)
