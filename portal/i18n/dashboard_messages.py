"""Texts of the intermediary's portfolio dashboard (INT-1): figures, the employer table and its filters, charts."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # figures
    "dash.figures": {"nl": "Portefeuille in cijfers", "en": "Portfolio in figures"},
    "dash.fig.employers": {"nl": "Werkgevers", "en": "Employers"},
    "dash.fig.active": {"nl": "Actieve deelnemers", "en": "Active participants"},
    "dash.fig.dormant": {"nl": "Slapers", "en": "Dormant participants"},
    "dash.fig.premium": {"nl": "Jaarpremie {year}", "en": "Yearly premium {year}"},
    "dash.fig.reviews": {"nl": "Wijzigingen ter beoordeling", "en": "Changes waiting for review"},
    "dash.chart.tasks.title": {"nl": "Open taken per adviseur", "en": "Open tasks by adviser"},
    "dash.chart.tasks.nobody": {"nl": "Niemand", "en": "Nobody"},
    "dash.chart.tasks.summary": {
        "nl": "Open taken van uw kantoor per adviseur en status: {items}.",
        "en": "Your office's open tasks by adviser and status: {items}.",
    },
    "dash.fig.tasks_open": {"nl": "Openstaande taken", "en": "Open tasks"},
    "dash.fig.tasks_overdue": {"nl": "Taken over de vervaldatum", "en": "Tasks overdue"},
    "dash.fig.batches_failed": {"nl": "Collectieve wijzigingen mislukt", "en": "Collective changes failed"},
    "dash.fig.batches_waiting": {"nl": "Collectieve wijzigingen in behandeling", "en": "Collective changes waiting"},
    "dash.premium_note": {
        "nl": "Jaarpremie: per actieve deelnemer het salaris en deeltijdpercentage van vandaag met de "
        "regelingsparameters van dit jaar en de premiestaffel bij de leeftijd van vandaag (of de vaste premie).",
        "en": "Yearly premium: for every active participant, today's salary and part-time percentage with this "
        "year's scheme parameters and the age band of today's age (or the flat premium).",
    },
    "dash.live": {
        "nl": "Deze pagina werkt zichzelf bij als er in uw portefeuille iets verandert.",
        "en": "This page updates itself when something changes in your portfolio.",
    },
    # employer table
    "dash.employers": {"nl": "Werkgevers", "en": "Employers"},
    "dash.caption": {"nl": "Werkgevers in uw portefeuille", "en": "Employers in your portfolio"},
    "dash.col.employer": {"nl": "Werkgever", "en": "Employer"},
    "dash.col.kvk": {"nl": "KvK-nummer", "en": "Chamber of Commerce no."},
    "dash.col.group": {"nl": "Concern", "en": "Company group"},
    "dash.col.active": {"nl": "Actief", "en": "Active"},
    "dash.col.dormant": {"nl": "Slapers", "en": "Dormant"},
    "dash.col.premium": {"nl": "Jaarpremie", "en": "Yearly premium"},
    "dash.col.reviews": {"nl": "Te beoordelen", "en": "To review"},
    "dash.col.tasks_overdue": {"nl": "Taken te laat", "en": "Tasks overdue"},
    "dash.col.batches_failed": {"nl": "Mislukt", "en": "Failed"},
    "dash.col.batches_waiting": {"nl": "In behandeling", "en": "Waiting"},
    "dash.search": {
        "nl": "Zoek werkgever (naam of KvK-nummer)",
        "en": "Search employer (name or Chamber of Commerce no.)",
    },
    "dash.search_button": {"nl": "Zoeken", "en": "Search"},
    "dash.group_filter": {"nl": "Concern", "en": "Company group"},
    "dash.group_all": {"nl": "Alle concerns", "en": "All company groups"},
    "dash.attention_filter": {
        "nl": "Alleen werkgevers die aandacht vragen",
        "en": "Only employers that need attention",
    },
    "dash.attention": {"nl": "Vraagt aandacht", "en": "Needs attention"},
    "dash.none": {"nl": "Geen werkgevers gevonden.", "en": "No employers found."},
    "dash.range": {"nl": "{first}–{last} van {total}", "en": "{first}–{last} of {total}"},
    "dash.page_of": {"nl": "Pagina {page} van {pages}", "en": "Page {page} of {pages}"},
    "dash.previous": {"nl": "Vorige", "en": "Previous"},
    "dash.next": {"nl": "Volgende", "en": "Next"},
    # charts
    "dash.charts": {"nl": "Grafieken van de portefeuille", "en": "Portfolio charts"},
    "dash.chart.premium.title": {
        "nl": "Jaarpremie per werkgever ({year})",
        "en": "Yearly premium per employer ({year})",
    },
    "dash.chart.premium.summary": {
        "nl": "Jaarpremie {year} per werkgever, hoogste eerst: {items}.",
        "en": "Yearly premium {year} per employer, highest first: {items}.",
    },
    "dash.chart.rest": {"nl": "Overige werkgevers ({n})", "en": "Other employers ({n})"},
    "dash.chart.status.title": {
        "nl": "Deelnemers per status per werkgever",
        "en": "Participants by status per employer",
    },
    "dash.chart.status.summary": {
        "nl": "Deelnemers per werkgever, grootste eerst: {items}.",
        "en": "Participants per employer, largest first: {items}.",
    },
    "dash.chart.changes.title": {"nl": "Wijzigingen per week (12 weken)", "en": "Changes per week (12 weeks)"},
    "dash.chart.submitted": {"nl": "Ingediend", "en": "Submitted"},
    "dash.chart.processed": {"nl": "Verwerkt", "en": "Processed"},
    "dash.chart.changes.summary": {
        "nl": "Wijzigingen per week (ingediend / verwerkt), oudste week eerst: {items}.",
        "en": "Changes per week (submitted / processed), oldest week first: {items}.",
    },
    "dash.chart.week": {"nl": "week van {day}", "en": "week of {day}"},
    "dash.chart.empty": {"nl": "geen gegevens", "en": "no data"},
}
