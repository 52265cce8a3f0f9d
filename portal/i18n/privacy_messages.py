"""Texts of the access request (AVG-inzage / GDPR access request): the button on the participant detail and the
read-me inside the ZIP."""

MESSAGES: dict[str, dict[str, str]] = {
    "privacy.export_button": {"nl": "Gegevens exporteren (AVG-inzage)", "en": "Export personal data (GDPR access)"},
    "privacy.export_hint": {
        "nl": "Alles wat het portaal over deze persoon bewaart, als ZIP-bestand voor een verzoek om inzage.",
        "en": "Everything the portal holds about this person, as a ZIP file for an access request.",
    },
    "privacy.file_stem": {"nl": "avg-inzage", "en": "gdpr-access"},
    "privacy.readme_name": {"nl": "LEESMIJ.txt", "en": "README.txt"},
    "privacy.readme": {
        "nl": "Inzage in persoonsgegevens (AVG artikel 15)\n\n"
        "person.json bevat alles wat het portaal over deze persoon bewaart, bij deze werkgever: persoonsgegevens, "
        "dienstverbanden met alle versies (ook vervangen versies), deelnames, partner en kinderen, mutaties, "
        "documenten en formulieren (de PDF's staan in de mappen documents/ en forms/), taken, het gebruikersaccount "
        "(zonder wachtwoord of tweede factor) en de auditregels over deze persoon.\n"
        "Bedragen zijn decimale teksten (52242.28), datums en tijdstippen ISO 8601 (2026-11-01).\n"
        "Formaat: {format}\n",
        "en": "Access to personal data (GDPR article 15)\n\n"
        "person.json holds everything the portal keeps about this person at this employer: personal data, "
        "employments with every version (superseded ones too), participations, partner and children, changes, "
        "documents and forms (the PDFs are in the folders documents/ and forms/), tasks, the user account "
        "(without password or second factor) and the audit events about this person.\n"
        "Amounts are decimal texts (52242.28), dates and moments ISO 8601 (2026-11-01).\n"
        "Format: {format}\n",
    },
}
