"""Messages of the signed forms (DOC-5, EE-5): the rules' refusals and the signing steps."""

MESSAGES: dict[str, dict[str, str]] = {
    # the mail that a form waits for the employee (no personal data: no names, amounts or values)
    "mail.forms.subject_one": {
        "nl": "Er staat een formulier voor u klaar om te ondertekenen",
        "en": "A form is waiting for your signature",
    },
    "mail.forms.subject_many": {
        "nl": "Er staan {n} formulieren voor u klaar om te ondertekenen",
        "en": "{n} forms are waiting for your signature",
    },
    "mail.forms.greeting": {"nl": "Goedendag,", "en": "Hello,"},
    "mail.forms.intro": {
        "nl": "In het pensioenportaal staat een formulier voor u klaar. Bekijk en onderteken het na het inloggen:",
        "en": "A form is waiting for you in the pension portal. Review and sign it after signing in:",
    },
    "mail.forms.line": {"nl": "- Formulier van {employer}: {url}", "en": "- Form from {employer}: {url}"},
    "mail.forms.outro": {
        "nl": "Dit bericht is automatisch verstuurd; u kunt er niet op antwoorden.",
        "en": "This message was sent automatically; you cannot reply to it.",
    },
    "forms.unknown_kind": {"nl": "Onbekend soort formulier.", "en": "Unknown kind of form."},
    "forms.unknown_field": {
        "nl": "Dit veld hoort niet bij dit formulier.",
        "en": "This field is not part of this form.",
    },
    "forms.not_yours": {"nl": "Dit veld vult de werkgever in.", "en": "This field is filled in by the employer."},
    "forms.employees_own": {
        "nl": "Dit veld vult de medewerker zelf in.",
        "en": "This field is filled in by the employee.",
    },
    "forms.required": {"nl": "Vul dit veld in.", "en": "Please fill in this field."},
    "forms.amount_invalid": {
        "nl": "Vul een bedrag in euro's in, bijvoorbeeld 150,00.",
        "en": "Enter an amount in euros, e.g. 150.00.",
    },
    "forms.amount_below_minimum": {
        "nl": "Het bedrag is minimaal {minimum} per maand.",
        "en": "The amount is at least {minimum} a month.",
    },
    "forms.amount_above_limit": {
        "nl": "In {year} kunt u hoogstens {limit} per jaar inleggen (12 × het maandbedrag).",
        "en": "In {year} you can put in at most {limit} per year (12 × the monthly amount).",
    },
    "forms.no_limits": {
        "nl": "Voor {year} zijn er nog geen grenzen voor salarisuitruil vastgesteld.",
        "en": "There are no deferred-compensation limits for {year} yet.",
    },
    "forms.date_invalid": {"nl": "Vul een geldige datum in.", "en": "Enter a valid date."},
    "forms.start_not_first": {
        "nl": "De ingangsdatum is altijd de eerste van een maand.",
        "en": "The start date is always the first of a month.",
    },
    "forms.start_in_past": {
        "nl": "De ingangsdatum ligt niet vóór de huidige maand.",
        "en": "The start date cannot be before the current month.",
    },
    "forms.start_too_far": {
        "nl": "De ingangsdatum ligt hoogstens {months} maanden vooruit.",
        "en": "The start date is at most {months} months ahead.",
    },
    "forms.text_invalid": {"nl": "Vul tekst in.", "en": "Enter text."},
    "forms.text_too_long": {"nl": "Hoogstens {max} tekens.", "en": "At most {max} characters."},
    "forms.choice_invalid": {"nl": "Kies een van de mogelijkheden.", "en": "Choose one of the options."},
    "forms.persons_invalid": {
        "nl": "Vul per begunstigde een naam en geboortedatum in.",
        "en": "Enter a name and date of birth for each beneficiary.",
    },
    "forms.too_many_persons": {"nl": "Hoogstens {max} begunstigden.", "en": "At most {max} beneficiaries."},
    "forms.person_name_missing": {"nl": "Vul de naam in.", "en": "Enter the name."},
    "forms.birth_date_out_of_range": {
        "nl": "Deze geboortedatum kan niet kloppen.",
        "en": "This date of birth cannot be right.",
    },
    "forms.expired": {"nl": "Dit formulier is verlopen.", "en": "This form has expired."},
    "forms.not_expired": {"nl": "Dit formulier is nog niet verlopen.", "en": "This form has not expired yet."},
    "forms.already_signed": {"nl": "Dit formulier is al ondertekend.", "en": "This form has already been signed."},
    "forms.already_countersigned": {
        "nl": "Dit formulier is al medeondertekend.",
        "en": "This form has already been countersigned.",
    },
    "forms.closed": {"nl": "Dit formulier is afgesloten.", "en": "This form is closed."},
    "forms.not_allowed": {
        "nl": "Dat kan niet bij dit formulier in deze status.",
        "en": "That is not possible for this form in this status.",
    },
    "forms.changed_after_signing": {
        "nl": "Het formulier is gewijzigd nadat de medewerker tekende; medeondertekenen kan niet.",
        "en": "The form was changed after the employee signed; it cannot be countersigned.",
    },
    "forms.changed_since_viewed": {
        "nl": "Het formulier is gewijzigd sinds u het bekeek. Bekijk het opnieuw.",
        "en": "The form changed since you viewed it. Please review it again.",
    },
    "forms.eid_not_fresh": {
        "nl": "De eID meldde geen nieuwe inlog. Er is niets ondertekend; probeer het opnieuw.",
        "en": "The eID reported no new sign-in. Nothing was signed; please try again.",
    },
    "forms.eid_other_person": {
        "nl": "U logde bij de eID in als iemand anders dan de eigenaar van dit account. Er is niets ondertekend.",
        "en": "At the eID you signed in as someone other than this account's owner. Nothing was signed.",
    },
    "forms.eid_not_linked": {
        "nl": "Uw account is niet aan een eID gekoppeld. Onderteken met de verificatiecode.",
        "en": "Your account is not linked to an eID. Sign with the verification code.",
    },
    "forms.no_participants": {"nl": "Kies ten minste één deelnemer.", "en": "Choose at least one participant."},
    "forms.too_many_participants": {
        "nl": "Hoogstens {max} deelnemers tegelijk.",
        "en": "At most {max} participants at once.",
    },
    "forms.reason_too_long": {"nl": "Hoogstens {max} tekens.", "en": "At most {max} characters."},
    "forms.not_ready": {
        "nl": "Dit formulier wordt nog klaargemaakt. Probeer het over een minuut opnieuw.",
        "en": "This form is still being prepared. Please try again in a minute.",
    },
    "forms.participant_not_active": {
        "nl": "Deze deelname is niet meer actief (uit dienst of beëindigd); alleen een uitdienstformulier kan nog.",
        "en": "This participation is no longer active (exited or ended); only an exit form is still possible.",
    },
    "forms.already_open": {
        "nl": "Er staat al een formulier van deze soort open voor deze deelnemer.",
        "en": "A form of this kind is already open for this participant.",
    },
    "forms.file_missing": {
        "nl": "Het PDF-bestand van dit formulier ontbreekt.",
        "en": "The PDF file of this form is missing.",
    },
    "forms.pdf.employer": {"nl": "Werkgever", "en": "Employer"},
    "forms.pdf.name": {"nl": "Naam", "en": "Name"},
    "forms.pdf.birth_date": {"nl": "Geboortedatum", "en": "Date of birth"},
    "forms.pdf.participant_number": {"nl": "Deelnemersnummer", "en": "Participant number"},
    "forms.pdf.scheme": {"nl": "Regeling", "en": "Scheme"},
    "forms.pdf.reference": {"nl": "Kenmerk formulier: {id}", "en": "Form reference: {id}"},
    "forms.pdf.signing_note": {
        "nl": "Dit formulier wordt digitaal ondertekend. De handtekeningen staan in het PDF-bestand en zijn te controleren.",
        "en": "This form is signed digitally. The signatures are in the PDF file and can be verified.",
    },
    "forms.role.employee": {"nl": "Werknemer", "en": "Employee"},
    "forms.role.employer": {"nl": "Werkgever", "en": "Employer"},
    "forms.role.adviser": {"nl": "Adviseur namens de werkgever", "en": "Adviser on behalf of the employer"},
}
