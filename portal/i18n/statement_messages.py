"""Texts of benefit statements (DOC-3): the PDF, the request and its refusals, the detail and scheme pages."""

MESSAGES: dict[str, dict[str, str]] = {
    # the PDF
    "statement.file_stem": {"nl": "pensioenoverzicht", "en": "benefit-statement"},
    "statement.pdf.title": {"nl": "Pensioenoverzicht {year}", "en": "Benefit statement {year}"},
    "statement.pdf.greeting": {"nl": "Beste {name},", "en": "Dear {name},"},
    "statement.pdf.intro": {
        "nl": "Dit overzicht laat uw pensioenregeling zien zoals die was op {day}.",
        "en": "This statement shows your pension scheme as it was on {day}.",
    },
    "statement.pdf.name": {"nl": "Naam", "en": "Name"},
    "statement.pdf.birth_date": {"nl": "Geboortedatum (leeftijd)", "en": "Date of birth (age)"},
    "statement.pdf.employer": {"nl": "Werkgever", "en": "Employer"},
    "statement.pdf.scheme": {"nl": "Regeling", "en": "Scheme"},
    "statement.pdf.participant_number": {"nl": "Deelnemernummer", "en": "Participant number"},
    "statement.pdf.policy_number": {"nl": "Polisnummer", "en": "Policy number"},
    "statement.pdf.start": {"nl": "Deelnemer sinds", "en": "Participant since"},
    "statement.pdf.salary": {"nl": "Fulltime jaarsalaris", "en": "Full-time yearly salary"},
    "statement.pdf.parttime": {"nl": "Parttimepercentage", "en": "Part-time percentage"},
    "statement.pdf.max_salary": {"nl": "Maximum pensioengevend salaris", "en": "Maximum pensionable salary"},
    "statement.pdf.franchise": {"nl": "Franchise", "en": "Franchise (offset)"},
    "statement.pdf.pensionable_salary": {"nl": "Pensioengrondslag", "en": "Pensionable salary"},
    "statement.pdf.premium_mode": {"nl": "Premiesoort", "en": "Premium basis"},
    "statement.pdf.premium_percentage": {"nl": "Premiepercentage", "en": "Premium percentage"},
    "statement.pdf.yearly_premium": {"nl": "Premie per jaar", "en": "Premium per year"},
    "statement.pdf.monthly_premium": {"nl": "Premie per maand", "en": "Premium per month"},
    "statement.pdf.amount_contribution": {"nl": "Jaarlijkse inleg", "en": "Yearly contribution"},
    "statement.pdf.amount_accrual": {"nl": "Opbouw partnerpensioen per jaar", "en": "Partner pension accrual per year"},
    "statement.pdf.note_basis": {
        "nl": "Bedragen volgen uit de gegevens die uw werkgever heeft doorgegeven en de parameters van de regeling.",
        "en": "Amounts follow from the data your employer reported and the parameters of the scheme.",
    },
    "statement.pdf.note_questions": {
        "nl": "Klopt er iets niet? Neem contact op met uw werkgever.",
        "en": "Something not right? Please contact your employer.",
    },
    "statement.pdf.made_on": {"nl": "Gemaakt op {day}", "en": "Made on {day}"},
    # request and refusals
    "statement.year": {"nl": "Jaar", "en": "Year"},
    "statement.year_invalid": {
        "nl": "Kies een jaar van {first} tot en met {last}.",
        "en": "Choose a year from {first} to {last}.",
    },
    "statement.no_parameters": {
        "nl": "De regeling heeft geen parameters voor {year}; er kunnen geen overzichten worden gemaakt.",
        "en": "The scheme has no parameters for {year}; no statements can be made.",
    },
    "statement.no_participants": {
        "nl": "Op 1 januari {year} had deze regeling geen actieve deelnemers; er is niets te maken.",
        "en": "This scheme had no active participants on 1 January {year}; there is nothing to make.",
    },
    "statement.refused.not_active": {
        "nl": "Geen overzicht: deze deelnemer was op 1 januari {year} niet actief in de regeling.",
        "en": "No statement: this participant was not active in the scheme on 1 January {year}.",
    },
    "statement.refused.no_terms": {
        "nl": "Geen overzicht: er zijn geen salarisgegevens op 1 januari {year}.",
        "en": "No statement: there are no salary data on 1 January {year}.",
    },
    "statement.refused.no_parameters": {
        "nl": "Geen overzicht: de regeling heeft geen parameters voor {year}.",
        "en": "No statement: the scheme has no parameters for {year}.",
    },
    "statement.refused.premium.no_flat_percentage": {
        "nl": "Geen overzicht: de regeling heeft geen vast premiepercentage voor {year}.",
        "en": "No statement: the scheme has no flat premium percentage for {year}.",
    },
    "statement.refused.premium.unknown_mode": {
        "nl": "Geen overzicht: de premiesoort van deze deelnemer is onbekend.",
        "en": "No statement: this participant's premium basis is unknown.",
    },
    # scheme page
    "statement.section": {"nl": "Pensioenoverzichten", "en": "Benefit statements"},
    "statement.section_intro": {
        "nl": "Maak het jaarlijkse pensioenoverzicht (PDF) van alle deelnemers die op 1 januari actief waren, "
        "elk in de taal van de deelnemer.",
        "en": "Make the yearly benefit statement (PDF) of every participant who was active on 1 January, each in "
        "the participant's language.",
    },
    "statement.generate": {"nl": "Overzichten maken voor {year}", "en": "Generate statements for {year}"},
    "statement.status.queued": {"nl": "In de wachtrij…", "en": "Queued…"},
    "statement.status.running": {"nl": "Bezig: {done} van {total}", "en": "In progress: {done} of {total}"},
    "statement.status.done": {
        "nl": "Klaar: {made} overzichten gemaakt, {skipped} overgeslagen.",
        "en": "Done: {made} statements made, {skipped} skipped.",
    },
    "statement.status.failed": {
        "nl": "Het maken van de overzichten is mislukt. Probeer het opnieuw.",
        "en": "Making the statements failed. Please try again.",
    },
    "statement.status.interrupted": {
        "nl": "Het maken is onderbroken. Start het opnieuw; bestaande overzichten worden vervangen, niet verdubbeld.",
        "en": "The run was interrupted. Start it again; existing statements are replaced, not duplicated.",
    },
    "statement.progress_label": {"nl": "Voortgang pensioenoverzichten", "en": "Progress of the benefit statements"},
    # participant detail
    "statement.history": {"nl": "Pensioenoverzichten", "en": "Benefit statements"},
    "statement.none": {"nl": "Nog geen pensioenoverzichten.", "en": "No benefit statements yet."},
    "statement.col.year": {"nl": "Jaar", "en": "Year"},
    "statement.col.title": {"nl": "Document", "en": "Document"},
    "statement.col.created": {"nl": "Gemaakt op", "en": "Created"},
    "statement.col.language": {"nl": "Taal", "en": "Language"},
    "statement.open": {"nl": "Openen", "en": "Open"},
    "statement.open_label": {"nl": "{title} openen (PDF)", "en": "Open {title} (PDF)"},
    "statement.make_one": {"nl": "Overzicht {year} maken", "en": "Make statement {year}"},
    "statement.made_one": {"nl": "Het overzicht is gemaakt.", "en": "The statement has been made."},
}
