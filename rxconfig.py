"""Reflex configuration: telemetry off, Radix themes on, sitemap off, one port in prod mode, and CORS (HTTP
routes and websocket) only for the portal's own origin (``PORTAL_BASE_URL``), not Reflex's default ``*``."""

from urllib.parse import urlsplit

import reflex as rx

from portal.config import get_settings

_base = urlsplit(get_settings().base_url)

config = rx.Config(
    app_name="portal",
    telemetry_enabled=False,
    show_built_with_reflex=False,
    plugins=[rx.plugins.RadixThemesPlugin(theme=rx.theme(accent_color="indigo", radius="medium"))],
    disable_plugins=[rx.plugins.SitemapPlugin],
    cors_allowed_origins=[f"{_base.scheme}://{_base.netloc}"],
)
