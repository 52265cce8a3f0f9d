"""The route table: every page of the portal, declared once. ``portal.py`` registers the pages from it, and the
guard and the menus take their access rules (front end, permission, menu entry) from it.

A new page is one ``Page(...)`` here. A page of a front end is guarded: ``SessionState.guard`` is its first
on_load by itself (it checks the principal on the server against the page's rule), so no entry can forget it.
A route that is not in this table has no rule, and the guard refuses it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import reflex as rx

from portal.components.shell import acting_shell
from portal.domain.roles import Access, FrontEnd, Perm, acting_route
from portal.pages import frontends as fe
from portal.pages import public
from portal.pages.employee.calculators import calculators_page
from portal.pages.employee.contracts import contracts_page
from portal.pages.employee.documents import my_documents_page
from portal.pages.employee.faq import faq_page
from portal.pages.employee.forms import my_form_page, my_forms_page
from portal.pages.employee.profile import confirm_email_page, profile_page, welcome_page
from portal.pages.employer.api_keys import api_keys_page
from portal.pages.employer.changes import changes_page
from portal.pages.employer.collective import collective_page
from portal.pages.employer.company import company_page
from portal.pages.employer.detail import detail_page
from portal.pages.employer.documents import documents_page
from portal.pages.employer.export import export_page
from portal.pages.employer.forms import forms_page
from portal.pages.employer.new_participant import new_participant_page
from portal.pages.employer.participants import participants_page
from portal.pages.employer.scheme import scheme_page
from portal.pages.employer.service import service_page
from portal.pages.employer.users import users_page
from portal.pages.intermediary.couplings import couplings_page
from portal.pages.intermediary.dashboard import intermediary_home
from portal.pages.intermediary.delivery import delivery_page
from portal.pages.intermediary.portfolio import intermediary_employer
from portal.pages.intermediary.reconciliation import reconciliation_page
from portal.pages.intermediary.tasks import tasks_page
from portal.state.acting import ActingState
from portal.state.activate import ActivateState
from portal.state.auth import SessionState
from portal.state.employee.calculators import CalculatorsState
from portal.state.employee.contracts import ContractsState
from portal.state.employee.documents import MyDocumentsState
from portal.state.employee.forms import FormState, MyFormsState
from portal.state.employee.profile import ConfirmEmailState, ProfileState, WelcomeState
from portal.state.employer.api_keys import ApiKeysState
from portal.state.employer.change_wizard import ChangeWizardState
from portal.state.employer.changes import ChangesState
from portal.state.employer.charts import ChartsState
from portal.state.employer.collective import CollectiveState
from portal.state.employer.company import CompanyState
from portal.state.employer.detail import DetailState
from portal.state.employer.documents import DocumentsState
from portal.state.employer.export import ExportState
from portal.state.employer.forms import EmployerFormsState
from portal.state.employer.home import HomeState
from portal.state.employer.new_participant import NewParticipantState
from portal.state.employer.participants import ParticipantOrderState, ParticipantRowsState, ParticipantsState
from portal.state.employer.scheme import SchemeState
from portal.state.employer.service import ServiceState
from portal.state.employer.statements import StatementHistoryState, StatementRunState
from portal.state.employer.users import UsersState
from portal.state.faq import FaqState
from portal.state.forgot import ForgotState
from portal.state.intermediary.couplings import CouplingsState
from portal.state.intermediary.dashboard import DashboardState
from portal.state.intermediary.delivery import DeliveryState
from portal.state.intermediary.portfolio import EmployerSummaryState
from portal.state.intermediary.reconciliation import ReconciliationState
from portal.state.intermediary.review import ReviewState
from portal.state.intermediary.tasks import TasksState
from portal.state.login import LoginState
from portal.state.password import PasswordStrengthState


@dataclass(frozen=True)
class Page:
    """One page: where it lives, its browser title, what it draws and loads, and who may open it."""

    route: str
    title: str
    component: Callable[[], rx.Component]
    on_load: tuple[Any, ...] = ()  # the page's own loaders (a guarded page's guard comes first by itself)
    shows: tuple[type[rx.State], ...] = ()  # states its parts use besides its loaders' (kept on a page load)
    front_end: FrontEnd | None = None  # None: a public page, no sign-in needed
    perm: Perm | None = None  # the permission it needs on its front end (None: everyone there)
    menu: str | None = None  # message key of its menu entry (None: not in the menu)

    @property
    def access(self) -> Access | None:
        """The guard's rule for this page (None for a public page)."""
        if self.front_end is None:
            return None
        return Access(self.route, self.front_end, self.perm, self.menu)

    @property
    def load_events(self) -> list[Any]:
        """What runs when the page loads: the guard first on a guarded page, then the page's loaders."""
        return [SessionState.guard, *self.on_load] if self.front_end is not None else list(self.on_load)


EMPLOYER, INTERMEDIARY, EMPLOYEE = FrontEnd.EMPLOYER, FrontEnd.INTERMEDIARY, FrontEnd.EMPLOYEE
LOGIN = "Inloggen · Login"
EMPLOYER_TITLE = "Werkgever · Employer"
INTERMEDIARY_TITLE = "Intermediair · Intermediary"
EMPLOYEE_TITLE = "Mijn pensioen · My pension"
PUBLIC_LOAD = SessionState.load_public  # a signed-in user is sent on to their own home

# Within a front end, the order of the entries is the order of its menu.
ROUTES: tuple[Page, ...] = (
    # public
    Page("/login", LOGIN, public.login_page, (PUBLIC_LOAD, LoginState.start)),
    Page("/", LOGIN, public.login_page, (PUBLIC_LOAD, LoginState.start)),
    Page(
        "/activate",
        "Activeren · Activate",
        public.activate_page,
        (PUBLIC_LOAD, ActivateState.start),
        shows=(PasswordStrengthState,),
    ),
    Page(
        "/forgot",
        "Vergeten · Forgotten",
        public.forgot_page,
        (PUBLIC_LOAD, ForgotState.start),
        shows=(PasswordStrengthState,),
    ),
    # the confirmation link (EE-4): for anyone, signed in or not (the link may be opened on another device)
    Page(
        "/confirm-email",
        "Bevestigen · Confirm",
        confirm_email_page,
        (SessionState.load_no_access, ConfirmEmailState.load),
    ),
    Page("/no-access", "Geen toegang · No access", public.no_access_page, (SessionState.load_no_access,)),
    # employer
    Page(
        "/employer",
        EMPLOYER_TITLE,
        fe.employer_home,
        (HomeState.load, ChartsState.load_home),
        front_end=EMPLOYER,
        menu="menu.home",
    ),
    Page(
        "/employer/participants",
        "Deelnemers · Participants",
        participants_page,
        (ParticipantsState.load,),
        shows=(ParticipantOrderState, ParticipantRowsState),
        front_end=EMPLOYER,
        perm=Perm.PARTICIPANTS_VIEW,
        menu="menu.participants",
    ),
    Page(
        "/employer/participants/new",
        "Nieuwe deelnemer · New participant",
        new_participant_page,
        (NewParticipantState.load,),
        front_end=EMPLOYER,
        perm=Perm.MUTATIONS_SUBMIT,
        menu="menu.new_participant",
    ),
    Page(
        "/employer/participants/[number]",
        "Deelnemer · Participant",
        detail_page,
        (DetailState.load, StatementHistoryState.load),
        shows=(ChangeWizardState,),
        front_end=EMPLOYER,
        perm=Perm.PARTICIPANTS_VIEW,
    ),
    Page(
        "/employer/collective",
        "Collectieve wijzigingen · Collective changes",
        collective_page,
        (CollectiveState.load,),
        front_end=EMPLOYER,
        perm=Perm.MUTATIONS_SUBMIT,
        menu="menu.collective",
    ),
    Page(
        "/employer/changes",
        "Ingediende wijzigingen · Submitted changes",
        changes_page,
        (ChangesState.load,),
        front_end=EMPLOYER,
        perm=Perm.PARTICIPANTS_VIEW,
        menu="menu.changes",
    ),
    Page(
        "/employer/export",
        "Export · Export",
        export_page,
        (ExportState.load,),
        front_end=EMPLOYER,
        perm=Perm.EXPORT,
        menu="menu.export",
    ),
    Page(
        "/employer/documents",
        "Documenten · Documents",
        documents_page,
        (DocumentsState.load,),
        front_end=EMPLOYER,
        menu="menu.documents",
    ),
    Page(  # DOC-5: forms the employee signs (prepared here, countersigned here)
        "/employer/forms",
        "Formulieren · Forms",
        forms_page,
        (EmployerFormsState.load,),
        front_end=EMPLOYER,
        perm=Perm.PARTICIPANTS_VIEW,
        menu="menu.forms",
    ),
    Page(
        "/employer/scheme",
        EMPLOYER_TITLE,
        scheme_page,
        (SchemeState.load,),
        shows=(ChartsState, StatementRunState),
        front_end=EMPLOYER,
        perm=Perm.SCHEME_VIEW,
        menu="menu.scheme",
    ),
    Page(
        "/employer/company",
        EMPLOYER_TITLE,
        company_page,
        (CompanyState.load,),
        front_end=EMPLOYER,
        perm=Perm.COMPANY_VIEW,
        menu="menu.company",
    ),
    Page(
        "/employer/users",
        EMPLOYER_TITLE,
        users_page,
        (UsersState.load,),
        front_end=EMPLOYER,
        perm=Perm.USERS_MANAGE,
        menu="menu.users",
    ),
    Page(  # API-1: the payroll package's API keys
        "/employer/api-keys",
        EMPLOYER_TITLE,
        api_keys_page,
        (ApiKeysState.load,),
        front_end=EMPLOYER,
        perm=Perm.USERS_MANAGE,
        menu="menu.api_keys",
    ),
    Page(  # EMP-1: every employer role (the FAQ, whom to contact, an idea for the adviser)
        "/employer/service",
        "Service & contact",
        service_page,
        (FaqState.load_employer, ServiceState.load),
        front_end=EMPLOYER,
        menu="menu.service",
    ),
    # intermediary
    Page(
        "/intermediary",
        INTERMEDIARY_TITLE,
        intermediary_home,
        (DashboardState.load, ReviewState.load),
        front_end=INTERMEDIARY,
        menu="menu.portfolio",
    ),
    Page(
        "/intermediary/employers/[employer_id]",
        INTERMEDIARY_TITLE,
        intermediary_employer,
        (ActingState.load, EmployerSummaryState.load),
        front_end=INTERMEDIARY,
        menu="acting.home",  # the first entry of the acting menu (``acting_menu``), not of the top menu
    ),
    Page(
        "/intermediary/tasks",
        INTERMEDIARY_TITLE,
        tasks_page,
        (TasksState.load,),
        front_end=INTERMEDIARY,
        perm=Perm.PORTFOLIO_VIEW,
        menu="menu.tasks",
    ),
    Page(
        "/intermediary/reconciliation",
        INTERMEDIARY_TITLE,
        reconciliation_page,
        (ReconciliationState.load,),
        front_end=INTERMEDIARY,
        perm=Perm.PORTFOLIO_VIEW,
        menu="menu.reconciliation",
    ),
    Page(
        "/intermediary/couplings",
        INTERMEDIARY_TITLE,
        couplings_page,
        (CouplingsState.load,),
        front_end=INTERMEDIARY,
        perm=Perm.ACT_FOR_EMPLOYER,
        menu="menu.couplings",
    ),
    # INT-5: the delivery of the outbox (linked from /intermediary/couplings; no menu entry of its own)
    Page(
        "/intermediary/couplings/delivery",
        INTERMEDIARY_TITLE,
        delivery_page,
        (DeliveryState.load,),
        front_end=INTERMEDIARY,
        perm=Perm.PORTFOLIO_VIEW,
    ),
    # employee
    Page(
        "/employee",
        EMPLOYEE_TITLE,
        contracts_page,
        (WelcomeState.check, ContractsState.load),
        front_end=EMPLOYEE,
        menu="menu.contracts",
    ),
    Page(
        "/employee/documents",
        EMPLOYEE_TITLE,
        my_documents_page,
        (MyDocumentsState.load, MyFormsState.load),
        front_end=EMPLOYEE,
        menu="menu.my_documents",
    ),
    # EE-5: the employee's forms, reached from My documents (no tab of their own: the bar keeps five)
    Page("/employee/forms", EMPLOYEE_TITLE, my_forms_page, (MyFormsState.load,), front_end=EMPLOYEE),
    Page("/employee/forms/[form_id]", EMPLOYEE_TITLE, my_form_page, (FormState.load,), front_end=EMPLOYEE),
    Page(
        "/employee/profile",
        EMPLOYEE_TITLE,
        profile_page,
        (ProfileState.load,),
        front_end=EMPLOYEE,
        menu="menu.profile",
    ),
    Page("/employee/welcome", EMPLOYEE_TITLE, welcome_page, (WelcomeState.start,), front_end=EMPLOYEE),
    Page(
        "/employee/faq",
        EMPLOYEE_TITLE,
        faq_page,
        (FaqState.load_employee,),
        front_end=EMPLOYEE,
        menu="menu.faq",
    ),
    Page(
        "/employee/calculators",
        EMPLOYEE_TITLE,
        calculators_page,
        (CalculatorsState.load,),
        front_end=EMPLOYEE,
        menu="menu.calculators",
    ),
)

# INT-2: the employer pages an adviser opens for an employer of the portfolio, each again under
# /intermediary/employers/[employer_id]: the same page (in the acting shell) and states, with the acting
# employer loaded after the guard (``ActingState``); every event there is narrowed to that employer.
ACTED: tuple[str, ...] = (
    "/employer/participants",
    "/employer/participants/new",
    "/employer/participants/[number]",
    "/employer/collective",
    "/employer/changes",
    "/employer/export",
    "/employer/documents",
    "/employer/forms",
    "/employer/scheme",
)


def acting_page(page: Page) -> Page:
    """The intermediary's twin of an employer page, for one employer of the portfolio (INT-2)."""
    employer_page: Callable[..., rx.Component] = page.component

    def component() -> rx.Component:
        return employer_page(acting_shell)

    component.__name__ = f"acting_{getattr(employer_page, '__name__', 'page')}"
    return Page(
        acting_route(page.route),
        page.title,
        component,
        (ActingState.load, *page.on_load),
        page.shows,
        front_end=INTERMEDIARY,
        perm=page.perm,
        menu=page.menu,
    )


ROUTES = ROUTES + tuple(acting_page(page) for page in ROUTES if page.route in ACTED)

# The guard's rules and the menus, derived from the table.
ACCESS: tuple[Access, ...] = tuple(rule for rule in (p.access for p in ROUTES) if rule is not None)
