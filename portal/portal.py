"""The Reflex app: public pages, the three front ends with server-side guards, and our own HTTP routes."""

from __future__ import annotations

import os

import reflex as rx

from portal.api.routes import api
from portal.jobs.consumer import lifespan as job_consumer
from portal.pages import frontends as fe
from portal.pages import public
from portal.pages.employer import company as employer_company
from portal.pages.employer import scheme as employer_scheme
from portal.pages.employer import users as employer_users
from portal.pages.employer.changes import changes_page
from portal.pages.employer.collective import collective_page
from portal.pages.employer.detail import detail_page
from portal.pages.employer.documents import documents_page
from portal.pages.employer.export import export_page
from portal.pages.employer.new_participant import new_participant_page
from portal.pages.employer.participants import participants_page
from portal.state.activate import ActivateState
from portal.state.auth import SessionState
from portal.state.employer.changes import ChangesState
from portal.state.employer.charts import ChartsState
from portal.state.employer.collective import CollectiveState
from portal.state.employer.company import CompanyState
from portal.state.employer.detail import DetailState
from portal.state.employer.documents import DocumentsState
from portal.state.employer.export import ExportState
from portal.state.employer.home import HomeState
from portal.state.employer.new_participant import NewParticipantState
from portal.state.employer.participants import ParticipantsState
from portal.state.employer.scheme import SchemeState
from portal.state.employer.statements import StatementHistoryState
from portal.state.employer.users import UsersState
from portal.state.forgot import ForgotState
from portal.state.intermediary import EmployerSummaryState, PortfolioState, ReviewState
from portal.state.login import LoginState


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
    api_transformer=api,
    theme=None,
    stylesheets=["/portal.css"],
    head_components=[rx.el.meta(name="viewport", content="width=device-width, initial-scale=1")],
)
app.register_lifespan_task(job_consumer)  # the embedded job queue runs inside the app process (PLT-3)

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

app.add_page(
    fe.employer_home,
    route="/employer",
    title="Werkgever · Employer",
    on_load=[GUARD, HomeState.load, ChartsState.load_home],
)
app.add_page(
    participants_page,
    route="/employer/participants",
    title="Deelnemers · Participants",
    on_load=[GUARD, ParticipantsState.load],
)
app.add_page(
    changes_page,
    route="/employer/changes",
    title="Ingediende wijzigingen · Submitted changes",
    on_load=[GUARD, ChangesState.load],
)
app.add_page(
    collective_page,
    route="/employer/collective",
    title="Collectieve wijzigingen · Collective changes",
    on_load=[GUARD, CollectiveState.load],
)
app.add_page(
    new_participant_page,
    route="/employer/participants/new",
    title="Nieuwe deelnemer · New participant",
    on_load=[GUARD, NewParticipantState.load],
)
app.add_page(
    detail_page,
    route="/employer/participants/[number]",
    title="Deelnemer · Participant",
    on_load=[GUARD, DetailState.load, StatementHistoryState.load],
)
app.add_page(
    export_page,
    route="/employer/export",
    title="Export · Export",
    on_load=[GUARD, ExportState.load],
)
app.add_page(
    documents_page,
    route="/employer/documents",
    title="Documenten · Documents",
    on_load=[GUARD, DocumentsState.load],
)
for page, route, state in (
    (employer_scheme.scheme_page, "/employer/scheme", SchemeState),
    (employer_company.company_page, "/employer/company", CompanyState),
    (employer_users.users_page, "/employer/users", UsersState),
):
    app.add_page(page, route=route, title="Werkgever · Employer", on_load=[GUARD, state.load])

app.add_page(
    fe.intermediary_home,
    route="/intermediary",
    title="Intermediair · Intermediary",
    on_load=[GUARD, PortfolioState.load, ReviewState.load],
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

if os.environ.get("PORTAL_BENCH_PAGE") == "1":  # benchmarks only: a bare event to compare against
    from portal.pages.bench import counter_page

    app.add_page(counter_page, route="/bench/counter", title="bench")
