"""Texts of insurer couplings (INT-4): the couplings page, the readiness check and the coupling rules' messages."""

MESSAGES: dict[str, dict[str, str]] = {
    "coupling.intro": {
        "nl": "Zet per verzekeraar de koppeling aan voor de hele portefeuille, een bedrijfsgroep of per regeling van "
        "een werkgever. De meest specifieke instelling telt. Wijzigingen die de koppeling niet doorgeeft, worden een "
        "taak.",
        "en": "Switch the coupling to an insurer on for the whole portfolio, a company group or one employer's scheme. "
        "The most specific setting wins. Changes the coupling does not carry become a task.",
    },
    "coupling.delivery_link": {"nl": "Verzendstatus van de koppelingen", "en": "Delivery status of the couplings"},
    "coupling.none": {"nl": "Geen verzekeraars in uw portefeuille.", "en": "No insurers in your portfolio."},
    "coupling.portfolio": {"nl": "Hele portefeuille", "en": "Whole portfolio"},
    "coupling.group": {"nl": "Bedrijfsgroep", "en": "Company group"},
    "coupling.scheme": {"nl": "Regeling", "en": "Scheme"},
    "coupling.on": {"nl": "Aan", "en": "On"},
    "coupling.off": {"nl": "Uit", "en": "Off"},
    "coupling.source.portfolio": {"nl": "uit de portefeuille", "en": "from the portfolio"},
    "coupling.source.group": {"nl": "uit groep {name}", "en": "from group {name}"},
    "coupling.source.scheme": {"nl": "eigen instelling", "en": "own setting"},
    "coupling.source.none": {"nl": "niet ingesteld", "en": "not set"},
    "coupling.check": {"nl": "Controleren en aanzetten", "en": "Check and switch on"},
    "coupling.switch_off": {"nl": "Uitzetten", "en": "Switch off"},
    "coupling.switch_on": {"nl": "Koppeling aanzetten", "en": "Switch the coupling on"},
    "coupling.check_title": {"nl": "Controle vóór aanzetten: {scope}", "en": "Check before switching on: {scope}"},
    "coupling.ready": {
        "nl": "Alles is compleet: de koppeling kan aan.",
        "en": "Everything is complete: the coupling can be switched on.",
    },
    "coupling.not_ready": {
        "nl": "Nog niet compleet. Vul eerst aan wat hieronder ontbreekt.",
        "en": "Not complete yet. First complete what is missing below.",
    },
    "coupling.fix": {"nl": "Aanvullen", "en": "Fix"},
    "coupling.auto_enrol_on": {"nl": "Aan bij WN zetten", "en": "Switch auto-enrolment on"},
    "coupling.more_participants": {
        "nl": "en nog {count} deelnemers met ontbrekende gegevens",
        "en": "and {count} more participants with missing data",
    },
    "coupling.saved_on": {"nl": "De koppeling staat aan.", "en": "The coupling is on."},
    "coupling.saved_off": {"nl": "De koppeling staat uit.", "en": "The coupling is off."},
    "coupling.missing.kvk_number": {"nl": "KvK-nummer (8 cijfers)", "en": "Chamber of Commerce number (8 digits)"},
    "coupling.missing.contract_number": {"nl": "contractnummer", "en": "contract number"},
    "coupling.missing.scheme_number": {"nl": "regelingnummer", "en": "scheme number"},
    "coupling.missing.scheme_number_asr": {
        "nl": "regelingnummer = laatste 2 cijfers van het contractnummer",
        "en": "scheme number = last 2 digits of the contract number",
    },
    "coupling.missing.auto_enrol": {
        "nl": "nieuwe werknemers automatisch aanmelden (aan bij WN)",
        "en": "auto-enrolment of new employees",
    },
    "coupling.missing.insurer_address": {
        "nl": "geen adres ingesteld: de beheerder van de portal stelt het adres van deze verzekeraar in "
        "(PORTAL_INSURER_URLS); tot dan blijven berichten wachten",
        "en": "no address configured: the portal's administrator sets this insurer's address (PORTAL_INSURER_URLS); "
        "until then messages would wait",
    },
    "coupling.missing.policy_number": {"nl": "individueel polisnummer", "en": "individual policy number"},
    "coupling.missing.nationality": {"nl": "nationaliteit", "en": "nationality"},
    "coupling.missing.communication_email": {"nl": "e-mailadres voor communicatie", "en": "communication e-mail"},
    "coupling.missing.country": {"nl": "land van het buitenlandse adres", "en": "country of the foreign address"},
    "coupling.missing.partner_start_date": {"nl": "ingangsdatum partnerrelatie", "en": "partner's start date"},
    # rule and use-case errors
    "coupling_not_ready": {
        "nl": "De koppeling kan nog niet aan: {employers} punten bij werkgevers/regelingen en {participants} "
        "deelnemers met ontbrekende gegevens.",
        "en": "The coupling cannot be switched on yet: {employers} items of employers/schemes and {participants} "
        "participants with missing data.",
    },
    "coupling_no_address": {
        "nl": "De koppeling met {insurer} kan nog niet aan: er is geen adres ingesteld om de berichten naartoe te "
        "sturen.",
        "en": "The coupling to {insurer} cannot be switched on yet: no address is configured to send its messages to.",
    },
    "coupling_scope_invalid": {"nl": "Onbekend bereik van de koppeling.", "en": "Unknown scope of the coupling."},
    "coupling_enabled_invalid": {"nl": "Kies aan of uit.", "en": "Choose on or off."},
    "coupling.not_allowed": {"nl": "Dit mag u niet instellen.", "en": "You may not set this."},
}
