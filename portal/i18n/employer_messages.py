"""Texts of the employer's scheme, company and accounts pages (EMP-7, EMP-8, EMP-9) and their form messages."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # form validation (services.validation)
    "form.too_long": {"nl": "Gebruik hier hoogstens {limit} tekens.", "en": "Use at most {limit} characters here."},
    "form.invalid_characters": {
        "nl": "Dit veld bevat tekens die niet zijn toegestaan.",
        "en": "This field contains characters that are not allowed.",
    },
    "form.phone_invalid": {
        "nl": "Vul een geldig telefoonnummer in, bijvoorbeeld 010-4567890 of +31 10 456 7890.",
        "en": "Enter a valid telephone number, for example 010-4567890 or +31 10 456 7890.",
    },
    "form.country_invalid": {"nl": "Kies een land uit de lijst.", "en": "Choose a country from the list."},
    "form.postcode_invalid": {
        "nl": "Vul een geldige postcode in, bijvoorbeeld 3000 BD.",
        "en": "Enter a valid Dutch postcode, for example 3000 BD.",
    },
    "form.postcode_foreign_invalid": {
        "nl": "Vul een geldige postcode in (letters, cijfers, spatie of streepje).",
        "en": "Enter a valid postcode (letters, digits, space or hyphen).",
    },
    # home tiles (EMP-1)
    "home.count.active": {"nl": "{n} actief", "en": "{n} active"},
    "home.count.open_changes": {"nl": "{n} in behandeling", "en": "{n} in progress"},
    "home.count.unread": {"nl": "{n} ongelezen", "en": "{n} unread"},
    # scheme page (EMP-7)
    "scheme.no_changes": {
        "nl": "Wijzigingen in de regeling kunt u niet via het portaal doorgeven. Neem hiervoor contact op met de verzekeraar of uw adviseur.",
        "en": "Changes to the scheme cannot be made through the portal. Please contact the insurer or your adviser.",
    },
    "scheme.choose": {"nl": "Kies een regeling", "en": "Choose a scheme"},
    "scheme.none": {"nl": "Er zijn geen regelingen gevonden.", "en": "No schemes were found."},
    "scheme.details": {"nl": "Gegevens van de regeling", "en": "Scheme details"},
    "scheme.kind": {"nl": "Soort regeling", "en": "Kind of scheme"},
    "scheme.kind.OP": {"nl": "Ouderdomspensioen (OP)", "en": "Retirement pension (OP)"},
    "scheme.kind.NP": {"nl": "Nabestaandenpensioen (NP)", "en": "Partner pension (NP)"},
    "scheme.kind.ANW": {"nl": "Anw-hiaatverzekering", "en": "ANW gap cover"},
    "scheme.kind.WIA": {"nl": "WIA-excedentverzekering", "en": "WIA excess disability cover"},
    "scheme.kind.WAIVER": {
        "nl": "Premievrijstelling bij arbeidsongeschiktheid",
        "en": "Premium waiver on disability",
    },
    "scheme.name": {"nl": "Naam", "en": "Name"},
    "scheme.contract_number": {"nl": "Contractnummer", "en": "Contract number"},
    "scheme.scheme_number": {"nl": "Regelingnummer", "en": "Scheme number"},
    "scheme.insurer": {"nl": "Verzekeraar", "en": "Insurer"},
    "scheme.start_date": {"nl": "Ingangsdatum", "en": "Start date"},
    "scheme.end_date": {"nl": "Einddatum", "en": "End date"},
    "scheme.auto_enrol": {
        "nl": "Nieuwe medewerkers automatisch aanmelden",
        "en": "Enrol new employees automatically",
    },
    "scheme.yes": {"nl": "Ja", "en": "Yes"},
    "scheme.no": {"nl": "Nee", "en": "No"},
    "scheme.settings": {"nl": "Instelling voor de koppeling", "en": "Setting for the coupling"},
    "scheme.settings_intro": {
        "nl": 'Staat dit aan, dan worden nieuwe medewerkers direct aangemeld voor deze regeling ("aan bij WN"). '
        "Dit is nodig voordat de koppeling met de verzekeraar aan kan.",
        "en": "When on, new employees are enrolled in this scheme at once. The coupling to the insurer needs it "
        "before it can be switched on.",
    },
    "scheme.auto_enrol_saved_on": {
        "nl": "Nieuwe medewerkers worden voortaan automatisch aangemeld.",
        "en": "New employees are now enrolled automatically.",
    },
    "scheme.auto_enrol_saved_off": {
        "nl": "Nieuwe medewerkers worden niet meer automatisch aangemeld.",
        "en": "New employees are no longer enrolled automatically.",
    },
    "scheme.active": {"nl": "Actieve deelnemers", "en": "Active participants"},
    "scheme.dormant": {"nl": "Slapers", "en": "Dormant participants"},
    "scheme.coverage": {"nl": "Dekking", "en": "Coverage"},
    "scheme.coverage.OP": {
        "nl": "Ouderdomspensioen op basis van beschikbare premie: de werkgever betaalt per deelnemer een premie over de pensioengrondslag, waarmee een pensioenkapitaal wordt opgebouwd.",
        "en": "Retirement pension on a defined-contribution basis: the employer pays a premium per participant over the pensionable salary, which builds up a pension capital.",
    },
    "scheme.coverage.NP": {
        "nl": "Nabestaandenpensioen op risicobasis: bij overlijden vóór de pensioendatum ontvangt de partner een levenslang pensioen. Het opbouwpercentage per dienstjaar staat hieronder.",
        "en": "Partner pension on a risk basis: if the participant dies before retirement, the partner receives a lifelong pension. The accrual per year of service is shown below.",
    },
    "scheme.coverage.other": {
        "nl": "De dekking staat in het pensioenreglement of de polisvoorwaarden bij Documenten.",
        "en": "The coverage is set out in the pension regulations or policy conditions under Documents.",
    },
    "scheme.mode.staffel": {
        "nl": "Premie: een leeftijdsafhankelijk percentage (staffel) van de pensioengrondslag.",
        "en": "Premium: an age-related percentage (age bands) of the pensionable salary.",
    },
    "scheme.mode.flat": {
        "nl": "Premie: een vast percentage van de pensioengrondslag, voor alle leeftijden gelijk.",
        "en": "Premium: a flat percentage of the pensionable salary, the same at every age.",
    },
    "scheme.mode.staffel_or_flat": {
        "nl": "Premie: per deelnemer een leeftijdsafhankelijke staffel of een vast percentage (overgang naar de nieuwe pensioenwet).",
        "en": "Premium: per participant either age bands or a flat percentage (transition to the new pension law).",
    },
    "scheme.mode.none": {"nl": "Voor dit jaar is geen premie vastgelegd.", "en": "No premium is set for this year."},
    "scheme.mode_short.staffel": {"nl": "Staffel", "en": "Age bands"},
    "scheme.mode_short.flat": {"nl": "Vast percentage", "en": "Flat percentage"},
    "scheme.mode_short.staffel_or_flat": {"nl": "Staffel of vast percentage", "en": "Age bands or flat"},
    "scheme.mode_short.none": {"nl": "—", "en": "—"},
    "scheme.basis": {
        "nl": "Pensioengrondslag = (fulltime pensioengevend salaris tot het maximum − franchise) × parttimepercentage.",
        "en": "Pensionable basis = (full-time pensionable salary up to the maximum − franchise) × part-time percentage.",
    },
    "scheme.parameters": {"nl": "Parameters per jaar", "en": "Parameters per year"},
    "scheme.no_parameters": {
        "nl": "Voor deze regeling zijn nog geen jaarparameters vastgelegd.",
        "en": "No yearly parameters have been set for this scheme yet.",
    },
    "scheme.year": {"nl": "Jaar", "en": "Year"},
    "scheme.max_salary": {"nl": "Maximum pensioengevend salaris", "en": "Maximum pensionable salary"},
    "scheme.franchise": {"nl": "Franchise", "en": "Franchise (offset)"},
    "scheme.premium_mode": {"nl": "Premie", "en": "Premium"},
    "scheme.flat_percentage": {"nl": "Vast premiepercentage", "en": "Flat premium"},
    "scheme.accrual": {"nl": "Opbouw per dienstjaar", "en": "Accrual per year of service"},
    "scheme.bands": {"nl": "Premiestaffel", "en": "Premium age bands"},
    "scheme.bands_intro": {
        "nl": "Premie als percentage van de pensioengrondslag, naar leeftijd van de deelnemer.",
        "en": "Premium as a percentage of the pensionable basis, by the participant's age.",
    },
    "scheme.age": {"nl": "Leeftijd", "en": "Age"},
    # company page (EMP-8)
    "company.my_details": {"nl": "Mijn gegevens", "en": "My details"},
    "company.my_company": {"nl": "Mijn bedrijf", "en": "My company"},
    "company.my_adviser": {"nl": "Mijn adviseur", "en": "My adviser"},
    "company.my_name": {"nl": "Naam", "en": "Name"},
    "company.my_email": {"nl": "E-mailadres", "en": "E-mail address"},
    "company.my_username": {"nl": "Gebruikersnaam", "en": "Username"},
    "company.edit_me": {"nl": "Mijn gegevens aanpassen", "en": "Change my details"},
    "company.edit_company": {"nl": "Adres en contactpersoon aanpassen", "en": "Change address and contact person"},
    "company.save": {"nl": "Opslaan", "en": "Save"},
    "company.cancel": {"nl": "Annuleren", "en": "Cancel"},
    "company.saved": {"nl": "Uw wijzigingen zijn opgeslagen.", "en": "Your changes have been saved."},
    "company.name": {"nl": "Bedrijfsnaam", "en": "Company name"},
    "company.kvk": {"nl": "KvK-nummer", "en": "Chamber of Commerce no."},
    "company.postal_address": {"nl": "Postadres", "en": "Postal address"},
    "company.street": {"nl": "Straat of postbus", "en": "Street or PO box"},
    "company.house_number": {"nl": "Nummer", "en": "Number"},
    "company.postcode": {"nl": "Postcode", "en": "Postcode"},
    "company.city": {"nl": "Plaats", "en": "Town or city"},
    "company.country": {"nl": "Land", "en": "Country"},
    "company.contact_person": {"nl": "Contactpersoon", "en": "Contact person"},
    "company.contact_name": {"nl": "Naam contactpersoon", "en": "Contact person's name"},
    "company.contact_email": {"nl": "E-mailadres contactpersoon", "en": "Contact person's e-mail"},
    "company.contact_phone": {"nl": "Telefoonnummer contactpersoon", "en": "Contact person's telephone"},
    "company.only_address": {
        "nl": "U kunt hier alleen het postadres en de contactpersoon aanpassen. Klopt de bedrijfsnaam of het KvK-nummer niet? Neem dan contact op met de verzekeraar.",
        "en": "Only the postal address and the contact person can be changed here. Is the company name or Chamber of Commerce number wrong? Please contact the insurer.",
    },
    "company.read_only": {
        "nl": "Het postadres en de contactpersoon kunnen worden aangepast door gebruikers met de rol Finance of User management.",
        "en": "The postal address and contact person can be changed by users with the Finance or User management role.",
    },
    "company.adviser_name": {"nl": "Adviseur", "en": "Adviser"},
    "company.adviser_email": {"nl": "E-mailadres", "en": "E-mail address"},
    "company.adviser_phone": {"nl": "Telefoonnummer", "en": "Telephone"},
    "company.adviser_read_only": {
        "nl": "Deze gegevens kunt u niet zelf aanpassen. Neem contact op met de verzekeraar als ze niet kloppen.",
        "en": "You cannot change these details yourself. Please contact the insurer if they are wrong.",
    },
    "mail.email_changed.subject": {"nl": "Uw e-mailadres is gewijzigd", "en": "Your e-mail address has been changed"},
    "mail.email_changed.body": {
        "nl": "Beste {name},\n\nHet e-mailadres van uw portaalaccount is zojuist gewijzigd. Berichten gaan voortaan naar het nieuwe adres.\n\nHeeft u dit niet zelf gedaan? Neem dan direct contact met ons op.",
        "en": "Dear {name},\n\nThe e-mail address of your portal account has just been changed. Messages now go to the new address.\n\nDid you not do this yourself? Please contact us straight away.",
    },
    # accounts page (EMP-9)
    "users.intro": {
        "nl": "Maak accounts aan voor collega's en geef ze één of meer rollen. Een nieuwe gebruiker ontvangt een e-mail om het account te activeren.",
        "en": "Create accounts for colleagues and give them one or more roles. A new user receives an e-mail to activate the account.",
    },
    "users.accounts": {"nl": "Accounts van uw bedrijf", "en": "Your company's accounts"},
    "users.name": {"nl": "Naam", "en": "Name"},
    "users.username": {"nl": "Gebruikersnaam", "en": "Username"},
    "users.email": {"nl": "E-mailadres", "en": "E-mail address"},
    "users.roles": {"nl": "Rollen", "en": "Roles"},
    "users.status": {"nl": "Status", "en": "Status"},
    "users.actions": {"nl": "Acties", "en": "Actions"},
    "users.status.invited": {"nl": "Uitgenodigd", "en": "Invited"},
    "users.status.active": {"nl": "Actief", "en": "Active"},
    "users.status.disabled": {"nl": "Uitgeschakeld", "en": "Disabled"},
    "users.this_is_you": {"nl": "Dit bent u", "en": "This is you"},
    "users.change_roles": {"nl": "Rollen wijzigen", "en": "Change roles"},
    "users.change_roles_for": {"nl": "Rollen van {name}", "en": "Roles of {name}"},
    "users.save_roles": {"nl": "Rollen opslaan", "en": "Save roles"},
    "users.disable": {"nl": "Uitschakelen", "en": "Disable"},
    "users.enable": {"nl": "Inschakelen", "en": "Enable"},
    "users.disable_title": {"nl": "Account uitschakelen?", "en": "Disable account?"},
    "users.enable_title": {"nl": "Account weer inschakelen?", "en": "Enable account again?"},
    "users.disable_text": {
        "nl": "{name} kan daarna niet meer inloggen; een open sessie wordt direct beëindigd. U kunt het account later weer inschakelen.",
        "en": "{name} can no longer sign in; an open session ends at once. You can enable the account again later.",
    },
    "users.enable_text": {
        "nl": "{name} kan daarna weer inloggen met de bestaande gegevens.",
        "en": "{name} can then sign in again with the existing details.",
    },
    "users.new": {"nl": "Nieuw account aanmaken", "en": "Create a new account"},
    "users.new_intro": {
        "nl": "Kies minstens één rol. Rollen zijn te combineren, bijvoorbeeld HR en Finance.",
        "en": "Choose at least one role. Roles can be combined, for example HR and Finance.",
    },
    "users.create": {"nl": "Account aanmaken", "en": "Create account"},
    "users.role_hint.user_management": {
        "nl": "Alle rechten, en accounts aanmaken en beheren.",
        "en": "All rights, and creating and managing accounts.",
    },
    "users.role_hint.hr": {
        "nl": "Wijzigingen doorgeven, exporteren, regeling- en deelnemergegevens inzien; geen financiële documenten.",
        "en": "Submit changes, export, view scheme and participant data; no financial documents.",
    },
    "users.role_hint.finance": {
        "nl": "Alleen financiële documenten en regelingdetails inzien; contactgegevens aanpassen.",
        "en": "Only financial documents and scheme details; may change contact details.",
    },
    "users.invited": {
        "nl": "Het account is aangemaakt. Er is een e-mail gestuurd naar {email} om het te activeren.",
        "en": "The account has been created. An e-mail has been sent to {email} to activate it.",
    },
    "users.roles_saved": {"nl": "De rollen van {name} zijn opgeslagen.", "en": "The roles of {name} have been saved."},
    "users.disabled_done": {
        "nl": "Het account van {name} is uitgeschakeld.",
        "en": "The account of {name} has been disabled.",
    },
    "users.enabled_done": {
        "nl": "Het account van {name} is weer ingeschakeld.",
        "en": "The account of {name} has been enabled again.",
    },
    "users.roles_required": {"nl": "Kies minstens één rol.", "en": "Choose at least one role."},
    "users.not_yourself": {
        "nl": "U kunt uw eigen rollen en account hier niet wijzigen. Vraag een andere beheerder.",
        "en": "You cannot change your own roles or account here. Ask another user manager.",
    },
    "users.shared_account": {
        "nl": "Dit account werkt ook voor een ander bedrijf en kan daarom niet worden uitgeschakeld. U kunt wel de rollen voor uw bedrijf wijzigen.",
        "en": "This account also works for another company and so cannot be disabled. You can change its roles for your company.",
    },
}
