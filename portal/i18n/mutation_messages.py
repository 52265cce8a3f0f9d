"""Texts for the mutation rules (MUT-1..6): error keys of ``FieldError``/``RuleError``, plausibility warnings,
and labels for kinds, statuses, review reasons and changed fields. ``email_invalid`` and ``language_invalid``
come from ``auth_messages``. Parameters are filled with ``str.format`` (dates arrive as ISO strings).
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # ---------------------------------------------------------------- amounts and percentages
    "salary_required": {
        "nl": "Vul het bruto jaarsalaris in, bijvoorbeeld 52.242,28.",
        "en": "Enter the gross yearly salary, for example 52,242.28.",
    },
    "salary_invalid": {
        "nl": "Vul het salaris in als bedrag met hoogstens twee decimalen, bijvoorbeeld 52.242,28.",
        "en": "Enter the salary as an amount with at most two decimals, for example 52,242.28.",
    },
    "salary_not_positive": {
        "nl": "Het salaris moet groter zijn dan 0. Vul het bruto jaarsalaris in.",
        "en": "The salary must be more than 0. Enter the gross yearly salary.",
    },
    "salary_too_high": {
        "nl": "Het salaris moet lager zijn dan € {limit}. Controleer het bedrag.",
        "en": "The salary must be below € {limit}. Check the amount.",
    },
    "parttime_required": {
        "nl": "Vul het parttimepercentage in, bijvoorbeeld 100 of 80,5.",
        "en": "Enter the part-time percentage, for example 100 or 80.5.",
    },
    "parttime_range": {
        "nl": "Vul een parttimepercentage in van 0 tot en met 100, bijvoorbeeld 80,5.",
        "en": "Enter a part-time percentage from 0 to 100, for example 80.5.",
    },
    "parttime_decimals": {
        "nl": "Het parttimepercentage mag hoogstens drie decimalen hebben, bijvoorbeeld 87,125.",
        "en": "The part-time percentage may have at most three decimals, for example 87.125.",
    },
    "change_required": {
        "nl": "Vul een nieuw salaris, een nieuw parttimepercentage of allebei in.",
        "en": "Enter a new salary, a new part-time percentage, or both.",
    },
    "no_change": {
        "nl": "Dit is al de waarde op deze datum. Vul een andere waarde of een andere datum in.",
        "en": "This is already the value on this date. Enter another value or another date.",
    },
    # ---------------------------------------------------------------- dates
    "date_required": {
        "nl": "Vul een datum in (dd-mm-jjjj).",
        "en": "Enter a date (dd-mm-yyyy).",
    },
    "date_invalid": {
        "nl": "Deze datum bestaat niet. Vul een datum in als dd-mm-jjjj.",
        "en": "This is not a valid date. Enter a date as dd-mm-yyyy.",
    },
    "date_too_far_ahead": {
        "nl": "De datum mag hoogstens {months} maanden in de toekomst liggen. Kies een eerdere datum.",
        "en": "The date may be at most {months} months in the future. Choose an earlier date.",
    },
    "date_too_far_back": {
        "nl": "De datum mag hoogstens {months} maanden in het verleden liggen. Kies een latere datum.",
        "en": "The date may be at most {months} months in the past. Choose a later date.",
    },
    "date_before_start": {
        "nl": "De datum ligt vóór de datum in dienst ({start_date}). Kies een datum vanaf de datum in dienst.",
        "en": "The date is before the date of hire ({start_date}). Choose a date on or after the date of hire.",
    },
    "date_after_exit": {
        "nl": "De deelnemer is per {end_date} uit dienst. Kies een datum vóór de datum uit dienst.",
        "en": "The participant leaves on {end_date}. Choose a date before the exit date.",
    },
    "date_before_contract": {
        "nl": "De regeling loopt pas vanaf {start_date}. Kies een ingangsdatum vanaf die datum.",
        "en": "The scheme only runs from {start_date}. Choose a start date on or after that date.",
    },
    "date_after_contract": {
        "nl": "De regeling is per {end_date} beëindigd. Neem contact op met uw adviseur.",
        "en": "The scheme ended on {end_date}. Please contact your adviser.",
    },
    "exit_before_hire": {
        "nl": "De datum uit dienst moet na de datum in dienst ({hire_date}) liggen.",
        "en": "The exit date must be after the date of hire ({hire_date}).",
    },
    "exit_exists": {
        "nl": "Voor deze deelnemer is al een uitdiensttreding per {end_date} doorgegeven.",
        "en": "An exit on {end_date} has already been submitted for this participant.",
    },
    "exit_pending": {
        "nl": "Er staat al een uitdiensttreding voor deze deelnemer ter beoordeling. Wacht de beoordeling af.",
        "en": "An exit for this participant is already waiting for review. Please wait for the outcome.",
    },
    "birth_date_future": {
        "nl": "De geboortedatum mag niet in de toekomst liggen.",
        "en": "The date of birth cannot be in the future.",
    },
    "start_before_birth": {
        "nl": "De ingangsdatum ligt vóór de geboortedatum. Controleer beide datums.",
        "en": "The start date is before the date of birth. Check both dates.",
    },
    "participant_too_young": {
        "nl": "Een deelnemer is op de ingangsdatum minstens {age} jaar. Controleer de geboortedatum.",
        "en": "A participant is at least {age} years old on the start date. Check the date of birth.",
    },
    # ---------------------------------------------------------------- people and relations
    "bsn_required": {
        "nl": "Vul het burgerservicenummer (BSN) in; dat is altijd nodig.",
        "en": "Enter the citizen service number (BSN); it is always required.",
    },
    "bsn_invalid": {
        "nl": "Dit is geen geldig burgerservicenummer. Een BSN heeft 9 cijfers en voldoet aan de elfproef.",
        "en": "This is not a valid citizen service number. A BSN has 9 digits and passes the eleven test.",
    },
    "bsn_already_participant": {
        "nl": "Iemand met dit BSN neemt al deel aan deze regeling. Zoek de deelnemer op in het overzicht.",
        "en": "Someone with this BSN already participates in this scheme. Look the participant up in the overview.",
    },
    "bsn_person_mismatch": {
        "nl": "Dit BSN hoort bij iemand met een andere geboortedatum. Controleer het BSN en de geboortedatum.",
        "en": "This BSN belongs to someone with another date of birth. Check the BSN and the date of birth.",
    },
    "relation_bsn_own": {
        "nl": "Dit is het BSN van de deelnemer zelf. Vul het BSN van de partner of het kind in.",
        "en": "This is the participant's own BSN. Enter the BSN of the partner or child.",
    },
    "relation_exists": {
        "nl": "Deze persoon is al als partner of kind van de deelnemer geregistreerd.",
        "en": "This person is already registered as the participant's partner or child.",
    },
    "relation_kind_invalid": {
        "nl": "Kies partner of kind.",
        "en": "Choose partner or child.",
    },
    "partner_type_invalid": {
        "nl": "Kies de relatievorm: gehuwd, geregistreerd partnerschap of samenwonend.",
        "en": "Choose the relationship: married, registered partnership or cohabiting.",
    },
    "relation_start_required": {
        "nl": "Vul de ingangsdatum van de relatie in (datum huwelijk, partnerregistratie of samenwonen).",
        "en": "Enter the start date of the relationship (date of marriage, registration or cohabitation).",
    },
    "partner_exists": {
        "nl": "De deelnemer heeft al een partner. Er kan maar één partner tegelijk zijn geregistreerd.",
        "en": "The participant already has a partner. Only one partner can be registered at a time.",
    },
    "last_name_required": {
        "nl": "Vul de achternaam in.",
        "en": "Enter the last name.",
    },
    "text_too_long": {
        "nl": "Deze tekst is te lang: hoogstens {limit} tekens.",
        "en": "This text is too long: at most {limit} characters.",
    },
    "text_invalid": {
        "nl": "Deze tekst bevat tekens die niet zijn toegestaan (zoals tabs of regeleinden).",
        "en": "This text contains characters that are not allowed (such as tabs or line breaks).",
    },
    "gender_invalid": {
        "nl": "Kies man, vrouw, X of onbekend.",
        "en": "Choose male, female, X or unknown.",
    },
    "country_invalid": {
        "nl": "Kies een land uit de lijst.",
        "en": "Choose a country from the list.",
    },
    "postcode_invalid": {
        "nl": "Vul een Nederlandse postcode in als 1234 AB.",
        "en": "Enter a Dutch postcode as 1234 AB.",
    },
    # ---------------------------------------------------------------- locks, concurrency, review
    "participant_dormant": {
        "nl": "Deze deelnemer is uit dienst (slaper). Wijzigingen op een slaper zijn niet mogelijk.",
        "en": "This participant has left (dormant). Changes on a dormant participant are not possible.",
    },
    "scheme_collective_lock": {
        "nl": "Er wordt nu een collectieve wijziging op deze regeling verwerkt. Probeer het later opnieuw.",
        "en": "A collective change is being processed on this scheme. Please try again later.",
    },
    "changed_elsewhere": {
        "nl": "Deze deelnemer is intussen door iemand anders gewijzigd. Open de deelnemer opnieuw en voer de wijziging nog eens in.",
        "en": "Someone else changed this participant in the meantime. Open the participant again and enter your change once more.",
    },
    "warnings_unacknowledged": {
        "nl": "Lees de waarschuwingen en bevestig ze voordat u de wijziging indient.",
        "en": "Read the warnings and confirm them before you submit the change.",
    },
    "not_reviewable": {
        "nl": "Deze wijziging wacht niet (meer) op beoordeling.",
        "en": "This change is not (or no longer) waiting for review.",
    },
    "decision_invalid": {
        "nl": "Kies goedkeuren of afwijzen.",
        "en": "Choose approve or reject.",
    },
    "reason_required": {
        "nl": "Vul de reden van afwijzing in; de werkgever ziet deze reden.",
        "en": "Enter the reason for the rejection; the employer will see it.",
    },
    "status_invalid": {
        "nl": "Kies een status uit de lijst.",
        "en": "Choose a status from the list.",
    },
    # ---------------------------------------------------------------- plausibility warnings (MUT-5)
    "salary_increase_large": {
        "nl": "Het salaris stijgt met {percent}%. Klopt dat? Controleer het bedrag.",
        "en": "The salary goes up by {percent}%. Is that right? Check the amount.",
    },
    "salary_decrease_large": {
        "nl": "Het salaris daalt met {percent}%. Klopt dat? Controleer het bedrag.",
        "en": "The salary goes down by {percent}%. Is that right? Check the amount.",
    },
    "parttime_zero": {
        "nl": "U zet het parttimepercentage op 0%. Dan wordt er geen pensioen meer opgebouwd. Klopt dat?",
        "en": "You set the part-time percentage to 0%. No more pension will then be built up. Is that right?",
    },
    "exit_far_back": {
        "nl": "De datum uit dienst ligt meer dan {months} maanden terug. Klopt die datum?",
        "en": "The exit date is more than {months} months ago. Is that date right?",
    },
    "start_far_back": {
        "nl": "De ingangsdatum ligt meer dan {months} maand terug. Er kan premie met terugwerkende kracht volgen.",
        "en": "The start date is more than {months} month ago. Premium may be charged retroactively.",
    },
    "previous_employer_contract": {
        "nl": "U neemt een contract van een vorige werkgever over. Controleer met uw adviseur of de voorwaarden aansluiten.",
        "en": "You are taking over a contract from a previous employer. Check with your adviser that the terms fit.",
    },
    "illness_premium_waiver_disability": {
        "nl": "Premie stopzetten tijdens langdurige ziekte terwijl er een arbeidsongeschiktheidsdekking is: u loopt het risico het arbeidsongeschiktheidspensioen zelf te moeten betalen.",
        "en": "Suspending premium during long illness while there is disability cover: you risk having to pay the disability pension yourself.",
    },
    # ---------------------------------------------------------------- labels
    "mutation.kind.salary_parttime": {"nl": "Salaris/parttime wijziging", "en": "Salary/part-time change"},
    "mutation.kind.exit": {"nl": "Uitdiensttreding", "en": "Exit"},
    "mutation.kind.partner": {"nl": "Partner toegevoegd", "en": "Partner added"},
    "mutation.kind.child": {"nl": "Kind toegevoegd", "en": "Child added"},
    "mutation.kind.new_participant": {"nl": "Nieuwe deelname", "en": "New participant"},
    "mutation.kind.deferred_compensation": {
        "nl": "Salarisuitruil (ondertekend)",
        "en": "Deferred compensation (signed)",
    },
    "mutation.kind.join_decision": {"nl": "Keuze deelname (ondertekend)", "en": "Decision to join (signed)"},
    "mutation.status.submitted": {"nl": "Ingediend", "en": "Submitted"},
    "mutation.status.needs_review": {"nl": "Wordt beoordeeld", "en": "Needs review"},
    "mutation.status.processed": {"nl": "Verwerkt", "en": "Processed"},
    "mutation.status.rejected": {"nl": "Afgewezen", "en": "Rejected"},
    "mutation.review.retroactive": {
        "nl": "De wijziging gaat verder terug in de tijd dan de regeling zonder beoordeling toestaat.",
        "en": "The change reaches further back than the scheme allows without review.",
    },
    "mutation.review.plausibility": {
        "nl": "De wijziging heeft een waarschuwing die u heeft bevestigd.",
        "en": "The change carries a warning that you confirmed.",
    },
    "mutation.needs_review_notice": {
        "nl": "Uw wijziging is ingediend en wordt eerst beoordeeld door uw adviseur of de verzekeraar. U ziet de status bij Ingediende wijzigingen.",
        "en": "Your change has been submitted and will first be reviewed by your adviser or the insurer. You can follow its status under Submitted changes.",
    },
    "mutation.processed_notice": {
        "nl": "Uw wijziging is ingediend en verwerkt.",
        "en": "Your change has been submitted and processed.",
    },
    "mutation.field.salary": {"nl": "Fulltime salaris", "en": "Full-time salary"},
    "mutation.field.deferral_amount": {"nl": "Salarisuitruil per maand", "en": "Deferred compensation per month"},
    "mutation.field.deferral_start": {"nl": "Ingangsdatum salarisuitruil", "en": "Deferred compensation start"},
    "mutation.field.join_decision": {"nl": "Neemt deel", "en": "Joins"},
    "mutation.field.parttime_pct": {"nl": "Parttimepercentage", "en": "Part-time percentage"},
    "mutation.field.parttime": {"nl": "Parttimepercentage", "en": "Part-time percentage"},
    "mutation.field.end_date": {"nl": "Datum uit dienst", "en": "Exit date"},
    "mutation.field.status": {"nl": "Status", "en": "Status"},
    "mutation.field.start_date": {"nl": "Ingangsdatum", "en": "Start date"},
    "mutation.field.partner_type": {"nl": "Relatievorm", "en": "Relationship"},
    "mutation.partner_type.married": {"nl": "Gehuwd", "en": "Married"},
    "mutation.partner_type.registered": {"nl": "Geregistreerd partnerschap", "en": "Registered partnership"},
    "mutation.partner_type.cohabiting": {"nl": "Samenwonend", "en": "Cohabiting"},
}
