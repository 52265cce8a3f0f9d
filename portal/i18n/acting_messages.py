"""Texts of acting for an employer (INT-2): the banner, its menu, the history and the documents note."""

MESSAGES: dict[str, dict[str, str]] = {
    "acting.banner": {"nl": "U handelt namens {employer}", "en": "You are acting for {employer}"},
    "acting.banner_hint": {
        "nl": "Wat u hier doet, wordt vastgelegd als gedaan door uw kantoor namens deze werkgever.",
        "en": "What you do here is recorded as done by your office on behalf of this employer.",
    },
    "acting.region": {"nl": "Handelen namens een werkgever", "en": "Acting for an employer"},
    "acting.back": {"nl": "Terug naar de portefeuille", "en": "Back to the portfolio"},
    "acting.menu": {"nl": "Pagina's van de werkgever", "en": "Employer pages"},
    "acting.home": {"nl": "Overzicht werkgever", "en": "Employer overview"},
    "acting.open": {"nl": "Openen namens de werkgever", "en": "Open on behalf of the employer"},
    "acting.history_by": {
        "nl": "{name} ({office}, namens de werkgever)",
        "en": "{name} ({office}, on behalf of the employer)",
    },
    "acting.documents_note": {
        "nl": "U bekijkt de documenten als adviseur: een document openen haalt de markering 'ongelezen' voor de "
        "werkgever niet weg.",
        "en": "You are viewing the documents as an adviser: opening a document does not clear the employer's "
        "unread marker.",
    },
    "acting.new_task": {"nl": "Taak aanmaken voor deze werkgever", "en": "New task about this employer"},
    "acting.new_participant_task": {"nl": "Taak aanmaken over deze deelnemer", "en": "New task about this participant"},
}
