"""Texts of the dashboard charts (EMP-11): titles, axes, legends and the short summaries for screen readers."""

MESSAGES: dict[str, dict[str, str]] = {
    "chart.section": {"nl": "Cijfers in beeld", "en": "Figures at a glance"},
    "chart.premium.title": {"nl": "Premie per maand in {year}", "en": "Premium per month in {year}"},
    "chart.premium.axis": {"nl": "Premie", "en": "Premium"},
    "chart.premium.note": {
        "nl": "Schatting met de huidige salarissen en parttimepercentages; in- en uitdiensttredingen per maand.",
        "en": "Estimate with today's salaries and part-time percentages; hires and exits by month.",
    },
    "chart.premium.summary": {
        "nl": "Totale premie {year}: {total}. Hoogste maand: {month} met {amount}.",
        "en": "Total premium {year}: {total}. Highest month: {month} with {amount}.",
    },
    "chart.coverage.title": {"nl": "Premie en dekking per regeling", "en": "Premium and coverage per scheme"},
    "chart.coverage.premium": {"nl": "Premie per jaar", "en": "Premium per year"},
    "chart.coverage.amount": {"nl": "Verzekerd per jaar", "en": "Insured per year"},
    "chart.coverage.summary_line": {
        "nl": "{scheme}: premie {premium}, verzekerd {amount} per jaar",
        "en": "{scheme}: premium {premium}, insured {amount} per year",
    },
    "chart.status.title": {"nl": "Deelnemers per status", "en": "Participants by status"},
    "chart.age.title": {"nl": "Leeftijd van actieve deelnemers", "en": "Age of active participants"},
    "chart.age.under": {"nl": "jonger dan {n}", "en": "under {n}"},
    "chart.age.over": {"nl": "{n} en ouder", "en": "{n} and over"},
    "chart.salary.title": {
        "nl": "Fulltime jaarsalaris van actieve deelnemers",
        "en": "Full-time yearly salary of active participants",
    },
    "chart.salary.under": {"nl": "onder {n}", "en": "under {n}"},
    "chart.salary.over": {"nl": "{n} en meer", "en": "{n} and more"},
    "chart.count_axis": {"nl": "Aantal", "en": "Number"},
    "chart.summary_counts": {"nl": "{items}.", "en": "{items}."},
    "chart.none": {"nl": "Nog geen gegevens om te tonen.", "en": "No data to show yet."},
}
