"""The Reflex app: public pages, the three front ends with server-side guards, and our own HTTP routes."""

from __future__ import annotations

import reflex as rx

from portal.api.routes import api
from portal.api.security_headers import SecurityHeaders
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
from portal.state.binding import SessionBindingMiddleware, page_shows, states_of
from portal.state.employer.change_wizard import ChangeWizardState
from portal.state.employer.changes import ChangesState
from portal.state.employer.charts import ChartsState
from portal.state.employer.collective import CollectiveState
from portal.state.employer.company import CompanyState
from portal.state.employer.detail import DetailState
from portal.state.employer.documents import DocumentsState
from portal.state.employer.export import ExportState
from portal.state.employer.home import HomeState
from portal.state.employer.new_participant import NewParticipantState
from portal.state.employer.participants import ParticipantOrderState, ParticipantRowsState, ParticipantsState
from portal.state.employer.scheme import SchemeState
from portal.state.employer.statements import StatementHistoryState, StatementRunState
from portal.state.employer.users import UsersState
from portal.state.forgot import ForgotState
from portal.state.intermediary import EmployerSummaryState, PortfolioState, ReviewState
from portal.state.login import LoginState
from portal.state.password import PasswordStrengthState


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
    api_transformer=[api, SecurityHeaders],  # our routes, then security headers on every response
    theme=None,
    stylesheets=["/portal.css"],
    head_components=[rx.el.meta(name="viewport", content="width=device-width, initial-scale=1")],
)
app.add_middleware(SessionBindingMiddleware())  # page state belongs to the session that filled it
app.register_lifespan_task(job_consumer)  # the embedded job queue runs inside the app process (PLT-3)


def page(component, route: str, title: str, on_load: list, shows: tuple = ()) -> None:
    """Add a page and record the states it shows (its on_load states and ``shows``): a page load resets the
    states of every other page (``portal.state.binding``)."""
    app.add_page(component, route=route, title=title, on_load=on_load)
    page_shows(route, *states_of(on_load), *shows)


LOGIN = "Inloggen · Login"
page(public.login_page, "/login", LOGIN, [SessionState.load_public, LoginState.start])
page(public.login_page, "/", LOGIN, [SessionState.load_public, LoginState.start])
page(
    public.activate_page,
    "/activate",
    "Activeren · Activate",
    [SessionState.load_public, ActivateState.start],
    shows=(PasswordStrengthState,),
)
page(
    public.forgot_page,
    "/forgot",
    "Vergeten · Forgotten",
    [SessionState.load_public, ForgotState.start],
    shows=(PasswordStrengthState,),
)
page(public.no_access_page, "/no-access", "Geen toegang · No access", [SessionState.load_no_access])

GUARD = SessionState.guard
EMPLOYER = "Werkgever · Employer"
page(fe.employer_home, "/employer", EMPLOYER, [GUARD, HomeState.load, ChartsState.load_home])
page(
    participants_page,
    "/employer/participants",
    "Deelnemers · Participants",
    [GUARD, ParticipantsState.load],
    shows=(ParticipantOrderState, ParticipantRowsState),
)
page(changes_page, "/employer/changes", "Ingediende wijzigingen · Submitted changes", [GUARD, ChangesState.load])
page(
    collective_page,
    "/employer/collective",
    "Collectieve wijzigingen · Collective changes",
    [GUARD, CollectiveState.load],
)
page(
    new_participant_page,
    "/employer/participants/new",
    "Nieuwe deelnemer · New participant",
    [GUARD, NewParticipantState.load],
)
page(
    detail_page,
    "/employer/participants/[number]",
    "Deelnemer · Participant",
    [GUARD, DetailState.load, StatementHistoryState.load],
    shows=(ChangeWizardState,),
)
page(export_page, "/employer/export", "Export · Export", [GUARD, ExportState.load])
page(documents_page, "/employer/documents", "Documenten · Documents", [GUARD, DocumentsState.load])
page(
    employer_scheme.scheme_page,
    "/employer/scheme",
    EMPLOYER,
    [GUARD, SchemeState.load],
    shows=(ChartsState, StatementRunState),
)
page(employer_company.company_page, "/employer/company", EMPLOYER, [GUARD, CompanyState.load])
page(employer_users.users_page, "/employer/users", EMPLOYER, [GUARD, UsersState.load])

INTERMEDIARY = "Intermediair · Intermediary"
page(fe.intermediary_home, "/intermediary", INTERMEDIARY, [GUARD, PortfolioState.load, ReviewState.load])
page(
    fe.intermediary_employer, "/intermediary/employers/[employer_id]", INTERMEDIARY, [GUARD, EmployerSummaryState.load]
)
for route, key, feature in (
    ("/intermediary/tasks", "menu.tasks", "INT-3"),
    ("/intermediary/couplings", "menu.couplings", "INT-4"),
):
    page(fe.intermediary_page(key, feature), route, INTERMEDIARY, [GUARD])

EMPLOYEE = "Mijn pensioen · My pension"
page(fe.employee_home, "/employee", EMPLOYEE, [GUARD])
for route, key, feature in (
    ("/employee/documents", "menu.my_documents", "EE-3"),
    ("/employee/profile", "menu.profile", "EE-4"),
    ("/employee/faq", "menu.faq", "EE-2"),
):
    page(fe.employee_page(key, feature), route, EMPLOYEE, [GUARD])
