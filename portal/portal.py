"""The Reflex app: public pages, the three front ends with server-side guards, and our own HTTP routes."""

from __future__ import annotations

import reflex as rx

from portal.api.routes import api
from portal.pages import frontends as fe
from portal.pages import public
from portal.state.activate import ActivateState
from portal.state.auth import SessionState
from portal.state.forgot import ForgotState
from portal.state.intermediary import EmployerSummaryState, PortfolioState
from portal.state.login import LoginState

app = rx.App(
    api_transformer=api,
    theme=None,
    stylesheets=["/portal.css"],
    head_components=[rx.el.meta(name="viewport", content="width=device-width, initial-scale=1")],
)

app.add_page(
    public.login_page,
    route="/login",
    title="Inloggen · Login",
    on_load=[SessionState.load_public, LoginState.start],
)
app.add_page(
    public.login_page,
    route="/",
    title="Inloggen · Login",
    on_load=[SessionState.load_public, LoginState.start],
)
app.add_page(
    public.activate_page,
    route="/activate",
    title="Activeren · Activate",
    on_load=[SessionState.load_public, ActivateState.start],
)
app.add_page(
    public.forgot_page,
    route="/forgot",
    title="Vergeten · Forgotten",
    on_load=[SessionState.load_public, ForgotState.start],
)
app.add_page(
    public.no_access_page,
    route="/no-access",
    title="Geen toegang · No access",
    on_load=SessionState.load_no_access,
)

GUARD = SessionState.guard

app.add_page(fe.employer_home, route="/employer", title="Werkgever · Employer", on_load=GUARD)
for route, key, feature in (
    ("/employer/participants", "menu.participants", "EMP-2"),
    ("/employer/participants/new", "menu.new_participant", "EMP-4"),
    ("/employer/changes", "menu.changes", "EMP-6"),
    ("/employer/collective", "menu.collective", "BULK"),
    ("/employer/export", "menu.export", "EMP-5"),
    ("/employer/documents", "menu.documents", "DOC-1"),
    ("/employer/scheme", "menu.scheme", "EMP-7"),
    ("/employer/company", "menu.company", "EMP-8"),
    ("/employer/users", "menu.users", "EMP-9"),
):
    app.add_page(fe.employer_page(key, feature), route=route, title="Werkgever · Employer", on_load=GUARD)

app.add_page(
    fe.intermediary_home,
    route="/intermediary",
    title="Intermediair · Intermediary",
    on_load=[GUARD, PortfolioState.load],
)
app.add_page(
    fe.intermediary_employer,
    route="/intermediary/employers/[employer_id]",
    title="Intermediair · Intermediary",
    on_load=[GUARD, EmployerSummaryState.load],
)
for route, key, feature in (
    ("/intermediary/tasks", "menu.tasks", "INT-3"),
    ("/intermediary/couplings", "menu.couplings", "INT-4"),
):
    app.add_page(fe.intermediary_page(key, feature), route=route, title="Intermediair · Intermediary", on_load=GUARD)

app.add_page(fe.employee_home, route="/employee", title="Mijn pensioen · My pension", on_load=GUARD)
for route, key, feature in (
    ("/employee/documents", "menu.my_documents", "EE-3"),
    ("/employee/profile", "menu.profile", "EE-4"),
    ("/employee/faq", "menu.faq", "EE-2"),
):
    app.add_page(fe.employee_page(key, feature), route=route, title="Mijn pensioen · My pension", on_load=GUARD)
