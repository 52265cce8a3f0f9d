"""Texts of the employee front end's contracts page (EE-1, EE-7): statuses in words, card labels, notes."""

MESSAGES: dict[str, dict[str, str]] = {
    "contracts.intro": {
        "nl": "Al uw groepsverzekeringen, ook die van vorige werkgevers.",
        "en": "All your group insurance contracts, including those of former employers.",
    },
    "contracts.as_of": {"nl": "Stand per {day}", "en": "As of {day}"},
    "contracts.list": {"nl": "Uw contracten", "en": "Your contracts"},
    "contracts.none": {
        "nl": "Er zijn geen contracten om te tonen. Een beëindigd contract ziet u tot zes maanden na het einde.",
        "en": "There are no contracts to show. An ended contract is shown until six months after it ended.",
    },
    "contracts.status": {"nl": "Status", "en": "Status"},
    "contracts.status.active": {"nl": "Actief", "en": "Active"},
    "contracts.status.passive": {"nl": "Passief", "en": "Passive"},
    "contracts.status.ended": {"nl": "Beëindigd", "en": "Ended"},
    "contracts.status_help.active": {
        "nl": "Er wordt nog premie betaald.",
        "en": "Premium is still being paid.",
    },
    "contracts.status_help.passive": {
        "nl": "Er wordt geen premie meer betaald; het opgebouwde bedrag blijft staan.",
        "en": "No more premium is paid; what was built up remains.",
    },
    "contracts.status_help.ended": {
        "nl": "Het opgebouwde bedrag is uitgekeerd of overgedragen; alles staat op nul.",
        "en": "What was built up has been paid out or transferred; everything is nil.",
    },
    "contracts.former_employer_note": {"nl": "Vorige werkgever", "en": "Former employer"},
    "contracts.insurer": {"nl": "Verzekeraar", "en": "Insurer"},
    "contracts.contract_number": {"nl": "Contractnummer", "en": "Contract number"},
    "contracts.scheme": {"nl": "Regeling", "en": "Scheme"},
    "contracts.participant_number": {"nl": "Deelnemersnummer", "en": "Participant number"},
    "contracts.period": {"nl": "Looptijd", "en": "Period"},
    "contracts.since": {"nl": "sinds {start}", "en": "since {start}"},
    "contracts.from_to": {"nl": "{start} t/m {end}", "en": "{start} to {end}"},
    "contracts.premium": {"nl": "Jaarpremie", "en": "Yearly premium"},
    "contracts.no_premium": {"nl": "Geen premie", "en": "No premium"},
    "contracts.pensionable_salary": {"nl": "Pensioengevend salaris", "en": "Pensionable salary"},
    "contracts.pensionable_salary_at_exit": {
        "nl": "Pensioengevend salaris bij uitdienst",
        "en": "Pensionable salary when you left",
    },
    "contracts.amount.contribution": {"nl": "Spaarbijdrage per jaar", "en": "Savings contribution per year"},
    "contracts.amount.accrual": {
        "nl": "Partnerpensioen per dienstjaar",
        "en": "Partner pension per year of service",
    },
    "contracts.coverage": {"nl": "Dekking", "en": "Coverage"},
    "contracts.coverage_nil": {"nl": "Geen dekking meer", "en": "No coverage left"},
    "contracts.reserve_kept": {
        "nl": "Het gespaarde kapitaal blijft staan; er komt niets meer bij.",
        "en": "The capital saved stays; nothing new is added.",
    },
    "contracts.shown_until": {
        "nl": "Dit contract ziet u hier tot en met {day}.",
        "en": "You can see this contract here until {day}.",
    },
    "contracts.not_computed": {
        "nl": "Premie en dekking zijn nu niet te berekenen.",
        "en": "Premium and coverage cannot be computed right now.",
    },
    "contracts.not_started": {
        "nl": "Dit contract gaat nog in; premie en dekking volgen.",
        "en": "This contract has not started yet; premium and coverage follow.",
    },
}
