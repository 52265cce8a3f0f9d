"""The Reflex app: the pages of the route table (public pages and the three guarded front ends), and our own
HTTP routes."""

from __future__ import annotations

import reflex as rx

from portal.api.first_view import FirstView
from portal.api.routes import api
from portal.api.security_headers import SecurityHeaders
from portal.jobs.consumer import lifespan as job_consumer
from portal.pages.routes import ACCESS, ROUTES
from portal.services.dashboard.warmup import lifespan as dashboard_warmup
from portal.state.auth import use_access_rules
from portal.state.binding import SessionBindingMiddleware, page_shows, states_of


def _no_reflex_upload_endpoint() -> None:
    """Reflex serves ``POST /_upload`` (and its upload folder) once a page has used ``rx.upload``, and remembers
    that in a marker file under ``.web/backend`` across builds. That endpoint acts for whoever knows a tab's
    client token; the portal uploads through its own route (``/api/collective/upload``), so a marker left by an
    older build must not bring the endpoint back."""
    from reflex import constants
    from reflex.utils import prerequisites

    (prerequisites.get_backend_dir() / constants.Dirs.UPLOAD_IS_USED).unlink(missing_ok=True)


_no_reflex_upload_endpoint()

app = rx.App(
    # our routes, the employee home's first view, then security headers on every response
    api_transformer=[api, FirstView, SecurityHeaders],
    theme=None,
    stylesheets=["/portal.css"],
    head_components=[rx.el.meta(name="viewport", content="width=device-width, initial-scale=1")],
)
app.add_middleware(SessionBindingMiddleware())  # page state belongs to the session that filled it
app.register_lifespan_task(job_consumer)  # the embedded job queue runs inside the app process (PLT-3)
app.register_lifespan_task(dashboard_warmup)  # the portfolios' dashboard figures, counted ahead (INT-1)


# Every page from the one route table; each records the states it shows (its loaders' and ``shows``): a page
# load resets the states of every other page (``portal.state.binding``).
for _page in ROUTES:
    app.add_page(_page.component, route=_page.route, title=_page.title, on_load=_page.load_events)
    page_shows(_page.route, *states_of(_page.load_events), *_page.shows)
use_access_rules(ACCESS)  # the guard and the menus follow the same table
