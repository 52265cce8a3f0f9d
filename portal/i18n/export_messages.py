"""Texts of the participant export and its history (EMP-5), on the page and in the file."""

MESSAGES: dict[str, dict[str, str]] = {
    "export.intro": {
        "nl": "Download een Excel-bestand met de deelnemers van een regeling zoals ze op een gekozen datum waren. "
        "Zo kunt u historische gegevens inzien en vergelijken. Eerder gemaakte bestanden staan in de exportgeschiedenis.",
        "en": "Download an Excel file with the participants of a scheme as they were on a chosen date, to look back "
        "and compare. Files made earlier are listed in the export history.",
    },
    "export.scheme": {"nl": "Regeling", "en": "Scheme"},
    "export.as_of": {"nl": "Peildatum", "en": "As-of date"},
    "export.as_of_hint": {
        "nl": "Een datum in het verleden, of tot drie maanden vooruit.",
        "en": "A date in the past, or up to three months ahead.",
    },
    "export.generate": {"nl": "Export maken", "en": "Generate export"},
    "export.queued_notice": {
        "nl": "Uw export wordt gemaakt. Hij verschijnt hieronder zodra hij klaar is.",
        "en": "Your export is being generated. It appears below when it is ready.",
    },
    "export.history": {"nl": "Exportgeschiedenis", "en": "Export history"},
    "export.none": {"nl": "Nog geen exports gemaakt.", "en": "No exports generated yet."},
    "export.col.requested_at": {"nl": "Aangevraagd op", "en": "Requested at"},
    "export.col.as_of": {"nl": "Peildatum", "en": "As-of date"},
    "export.col.by": {"nl": "Door", "en": "By"},
    "export.col.rows": {"nl": "Regels", "en": "Rows"},
    "export.col.state": {"nl": "Status", "en": "Status"},
    "export.col.file": {"nl": "Bestand", "en": "File"},
    "export.download": {"nl": "Downloaden", "en": "Download"},
    "export.download_label": {
        "nl": "Export met peildatum {day} downloaden",
        "en": "Download the export as of {day}",
    },
    "export.on_behalf": {"nl": "namens de werkgever", "en": "on behalf of the employer"},
    "export.status.queued": {"nl": "In de wachtrij", "en": "Queued"},
    "export.status.processing": {"nl": "Wordt gemaakt", "en": "Being generated"},
    "export.status.ready": {"nl": "Klaar", "en": "Ready"},
    "export.status.failed": {"nl": "Mislukt", "en": "Failed"},
    "export.failed_message": {
        "nl": "Het bestand kon niet worden gemaakt. Probeer het opnieuw of neem contact op met uw adviseur.",
        "en": "The file could not be generated. Try again or contact your adviser.",
    },
    "export.no_schemes": {"nl": "Er zijn geen regelingen om te exporteren.", "en": "There are no schemes to export."},
    # ------------------------------------------------------------------------------ in the file itself
    "export.file_stem": {"nl": "deelnemers", "en": "participants"},
    "export.sheet_name": {"nl": "Deelnemers", "en": "Participants"},
    "export.sheet_title": {
        "nl": "Deelnemersbestand {employer} — {scheme} — peildatum {day}",
        "en": "Participant file {employer} — {scheme} — as of {day}",
    },
    "export.sheet_subtitle": {"nl": "Gemaakt op {moment} door {by}", "en": "Generated on {moment} by {by}"},
    "export.col.number": {"nl": "Deelnemernummer", "en": "Participant number"},
    "export.col.name": {"nl": "Naam", "en": "Name"},
    "export.col.bsn": {"nl": "BSN", "en": "BSN"},
    "export.col.birth_date": {"nl": "Geboortedatum", "en": "Date of birth"},
    "export.col.date_in_service": {"nl": "Datum in dienst", "en": "Date in service"},
    "export.col.salary": {"nl": "Fulltime salaris (€)", "en": "Full-time salary (€)"},
    "export.col.parttime": {"nl": "Parttime %", "en": "Part-time %"},
    "export.col.status": {"nl": "Status", "en": "Status"},
    "export.col.exit_date": {"nl": "Datum uit dienst", "en": "Exit date"},
}
