"""Texts of the employee's documents (EE-3) and profile (EE-4) pages, the first-sign-in step, the confirmation
link's page and its mail."""

MESSAGES: dict[str, dict[str, str]] = {
    # documents
    "mydocs.intro": {
        "nl": "Uw meest recente pensioenoverzicht per contract, ook van vorige werkgevers.",
        "en": "Your latest benefit statement per contract, also from former employers.",
    },
    "mydocs.latest": {"nl": "Laatste pensioenoverzichten", "en": "Latest benefit statements"},
    "mydocs.none": {
        "nl": "Er is nog geen pensioenoverzicht voor u. U krijgt een e-mail zodra er een klaarstaat.",
        "en": "There is no benefit statement for you yet. You will get an e-mail as soon as one is ready.",
    },
    "mydocs.archive": {"nl": "Mijn archief", "en": "My archive"},
    "mydocs.archive_intro": {
        "nl": "Eerdere pensioenoverzichten die u al eens geopend of gedownload hebt.",
        "en": "Earlier benefit statements you have opened or downloaded before.",
    },
    "mydocs.archive_none": {"nl": "Uw archief is nog leeg.", "en": "Your archive is still empty."},
    "mydocs.statement_title": {"nl": "Pensioenoverzicht {year}", "en": "Benefit statement {year}"},
    "mydocs.made_on": {"nl": "Gemaakt op", "en": "Made on"},
    "mydocs.language.nl": {"nl": "Nederlands", "en": "Dutch"},
    "mydocs.language.en": {"nl": "Engels", "en": "English"},
    "mydocs.open": {"nl": "Bekijken", "en": "View"},
    "mydocs.open_label": {"nl": "Bekijken: {title}, {employer}", "en": "View: {title}, {employer}"},
    "mydocs.not_available": {
        "nl": "Dit document is niet beschikbaar voor u.",
        "en": "This document is not available to you.",
    },
    # profile
    "profile.personal": {"nl": "Persoonsgegevens", "en": "Personal details"},
    "profile.name": {"nl": "Naam", "en": "Name"},
    "profile.birth_date": {"nl": "Geboortedatum", "en": "Date of birth"},
    "profile.national_id": {"nl": "Rijksregister- of BSN-nummer", "en": "National id number"},
    "profile.employer_keeps": {
        "nl": "Deze gegevens beheert uw werkgever. Klopt er iets niet? Neem contact op met uw werkgever:",
        "en": "Your employer keeps these details. Is something wrong? Please contact your employer:",
    },
    "profile.no_contact": {"nl": "de personeelsdienst", "en": "the HR department"},
    "profile.private_email": {"nl": "Privé-e-mailadres", "en": "Private e-mail address"},
    "profile.private_email_intro": {
        "nl": "Zo kunnen we u ook na uw vertrek bij uw werkgever laten weten dat er een nieuw document is. "
        "Een adres telt pas mee als u het bevestigd hebt via de link in de e-mail die we ernaar sturen.",
        "en": "So that we can tell you about a new document even after you leave your employer. An address "
        "counts only once you have confirmed it through the link in the e-mail we send to it.",
    },
    "profile.private_email_current": {"nl": "Bevestigd adres:", "en": "Confirmed address:"},
    "profile.none_set": {"nl": "nog geen", "en": "none yet"},
    "profile.pending": {"nl": "Wacht op bevestiging:", "en": "Waiting for confirmation:"},
    "profile.new_private_email": {"nl": "Nieuw privé-e-mailadres", "en": "New private e-mail address"},
    "profile.send_confirmation": {"nl": "Bevestigingsmail sturen", "en": "Send confirmation e-mail"},
    "profile.remove_email": {"nl": "Privé-e-mailadres verwijderen", "en": "Remove private e-mail address"},
    "profile.email_sent": {
        "nl": "We hebben een bevestigingsmail gestuurd naar {email}. Klik op de link in die e-mail.",
        "en": "We have sent a confirmation e-mail to {email}. Please click the link in that e-mail.",
    },
    "profile.email_already_sent": {
        "nl": "Er is al een bevestigingsmail naar {email} onderweg; de link daarin werkt nog.",
        "en": "A confirmation e-mail to {email} has already been sent; its link still works.",
    },
    "profile.email_removed": {
        "nl": "Uw privé-e-mailadres is verwijderd.",
        "en": "Your private e-mail address is removed.",
    },
    "profile.email_unchanged": {
        "nl": "Dit is al uw bevestigde adres.",
        "en": "This is your confirmed address already.",
    },
    "profile.mail_failed": {
        "nl": "De e-mail kon niet verstuurd worden. Probeer het later opnieuw.",
        "en": "The e-mail could not be sent. Please try again later.",
    },
    "profile.too_many_mails": {
        "nl": "U hebt het afgelopen uur al vaak een bevestigingsmail gevraagd. Probeer het later opnieuw.",
        "en": "You have asked for confirmation e-mails many times in the past hour. Please try again later.",
    },
    "profile.value_invalid": {"nl": "Kies ja of nee.", "en": "Choose yes or no."},
    "profile.statement_language": {"nl": "Taal van uw pensioenoverzichten", "en": "Language of your statements"},
    "profile.statement_language_legend": {"nl": "Taal", "en": "Language"},
    "profile.language.nl": {"nl": "Nederlands", "en": "Dutch (Nederlands)"},
    "profile.language.en": {"nl": "Engels (English)", "en": "English"},
    "profile.statement_language_note": {
        "nl": "Uw volgende pensioenoverzicht wordt in deze taal gemaakt.",
        "en": "Your next benefit statement will be made in this language.",
    },
    "profile.language_saved": {"nl": "De taal is opgeslagen.", "en": "The language is saved."},
    "profile.notifications": {"nl": "Meldingen", "en": "Notifications"},
    "profile.notify_label": {
        "nl": "E-mail mij als er een nieuw document is",
        "en": "E-mail me when there is a new document",
    },
    "profile.notify_note": {
        "nl": "De e-mail gaat naar elk bevestigd adres en bevat geen persoonsgegevens, alleen een link.",
        "en": "The e-mail goes to every confirmed address and holds no personal data, only a link.",
    },
    "profile.notify_saved": {
        "nl": "U krijgt een e-mail bij een nieuw document.",
        "en": "You will get an e-mail for a new document.",
    },
    "profile.notify_off_saved": {
        "nl": "U krijgt geen e-mail meer bij een nieuw document.",
        "en": "You will no longer get an e-mail for a new document.",
    },
    # the step after the first sign-in
    "profile.welcome_title": {"nl": "Welkom", "en": "Welcome"},
    "profile.welcome_intro": {
        "nl": "Wilt u ook een privé-e-mailadres opgeven? Dan kunnen we u bereiken, ook na uw vertrek bij uw "
        "werkgever. U ontvangt één bevestigingsmail.",
        "en": "Would you like to give a private e-mail address as well? Then we can reach you, also after you "
        "leave your employer. You will receive one confirmation e-mail.",
    },
    "profile.welcome_skip": {"nl": "Nu niet", "en": "Not now"},
    "profile.welcome_later": {
        "nl": "U kunt het later altijd opgeven bij Mijn profiel.",
        "en": "You can always add it later under My profile.",
    },
    "profile.welcome_sent": {
        "nl": "We hebben een bevestigingsmail gestuurd naar:",
        "en": "We have sent a confirmation e-mail to:",
    },
    "profile.welcome_continue": {"nl": "Verder naar mijn contracten", "en": "Go on to my contracts"},
    # the confirmation link
    "profile.confirm_title": {"nl": "E-mailadres bevestigen", "en": "Confirm e-mail address"},
    "profile.confirmed": {"nl": "Bedankt, dit adres is bevestigd:", "en": "Thank you, this address is confirmed:"},
    "profile.confirm_invalid": {
        "nl": "Deze link werkt niet meer: hij is al gebruikt, verlopen of vervangen door een nieuwere. "
        "Vraag een nieuwe aan bij Mijn profiel.",
        "en": "This link no longer works: it was used already, has expired or was replaced by a newer one. "
        "Ask for a new one under My profile.",
    },
    "profile.to_profile": {"nl": "Naar mijn profiel", "en": "To my profile"},
    "profile.to_login": {"nl": "Naar inloggen", "en": "To sign in"},
    "mail.confirm_email.subject": {"nl": "Bevestig uw e-mailadres", "en": "Confirm your e-mail address"},
    "mail.confirm_email.body": {
        "nl": "Goedendag,\n\nU hebt dit adres opgegeven als privé-e-mailadres voor uw pensioenportaal. "
        "Bevestig het via deze link (één keer te gebruiken, {hours} uur geldig):\n{url}\n\n"
        "Hebt u dit niet gevraagd? Dan kunt u dit bericht negeren; het adres wordt dan niet gebruikt.",
        "en": "Hello,\n\nYou gave this address as the private e-mail address for your pension portal. "
        "Please confirm it through this link (works once, valid for {hours} hours):\n{url}\n\n"
        "Did you not ask for this? Then you can ignore this message; the address will not be used.",
    },
}
