"""Texts of the API-keys page (API-1)."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "menu.api_keys": {"nl": "API-sleutels", "en": "API keys"},
    "api_keys.requested_by": {"nl": "API-sleutel ‘{name}’ (pk_{prefix}_…)", "en": "API key ‘{name}’ (pk_{prefix}_…)"},
    "api_keys.intro": {
        "nl": "Met een API-sleutel levert uw salarispakket mutaties aan via de API (nieuwe deelnemer, salaris- en "
        "deeltijdwijziging, uitdienst), met dezelfde controles als in het portaal. Een sleutel geldt alleen voor "
        "uw bedrijf; elk gebruik wordt vastgelegd. De documentatie staat op /api/v1/docs.",
        "en": "With an API key your payroll package submits mutations through the API (new participant, salary and "
        "part-time change, exit), with the same checks as in the portal. A key works for your company only; every "
        "use is recorded. The documentation is at /api/v1/docs.",
    },
    "api_keys.keys": {"nl": "Sleutels", "en": "Keys"},
    "api_keys.none": {"nl": "Er zijn nog geen API-sleutels.", "en": "There are no API keys yet."},
    "api_keys.name": {"nl": "Naam", "en": "Name"},
    "api_keys.prefix": {"nl": "Begin van de sleutel", "en": "Key starts with"},
    "api_keys.created": {"nl": "Aangemaakt", "en": "Created"},
    "api_keys.last_used": {"nl": "Laatst gebruikt", "en": "Last used"},
    "api_keys.status": {"nl": "Status", "en": "Status"},
    "api_keys.active": {"nl": "Actief", "en": "Active"},
    "api_keys.revoked": {"nl": "Ingetrokken", "en": "Revoked"},
    "api_keys.actions": {"nl": "Acties", "en": "Actions"},
    "api_keys.revoke": {"nl": "Intrekken", "en": "Revoke"},
    "api_keys.new": {"nl": "Nieuwe API-sleutel", "en": "New API key"},
    "api_keys.create": {"nl": "Sleutel aanmaken", "en": "Create key"},
    "api_keys.shown_once": {
        "nl": "Kopieer deze sleutel nu: hij wordt maar één keer getoond en is daarna niet meer op te vragen.",
        "en": "Copy this key now: it is shown only once and cannot be retrieved later.",
    },
    "api_keys.new_key": {"nl": "Nieuwe sleutel", "en": "New key"},
    "api_keys.revoke_title": {"nl": "Sleutel intrekken?", "en": "Revoke key?"},
    "api_keys.revoke_text": {
        "nl": "Na het intrekken weigert de API elke aanvraag met sleutel {name}. Dit kan niet ongedaan worden.",
        "en": "Once revoked, the API refuses every request with key {name}. This cannot be undone.",
    },
    "api_keys.revoked_done": {"nl": "Sleutel {name} is ingetrokken.", "en": "Key {name} has been revoked."},
    "api_keys.cancel": {"nl": "Annuleren", "en": "Cancel"},
    "api_key_name_required": {
        "nl": "Geef de sleutel een naam (hoogstens {max} tekens).",
        "en": "Give the key a name (at most {max} characters).",
    },
}
