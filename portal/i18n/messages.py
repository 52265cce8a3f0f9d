"""User-facing texts of the portal in Dutch and English (key → {lang: text})."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # general
    "app.name": {"nl": "Pensioen- en verzekeringsportaal", "en": "Benefits portal"},
    "app.tagline": {
        "nl": "Uw collectieve pensioen- en groepsverzekeringen, bij elke verzekeraar.",
        "en": "Your collective pension and group insurance schemes, with every insurer.",
    },
    "common.continue": {"nl": "Verder", "en": "Continue"},
    "common.back": {"nl": "Terug", "en": "Back"},
    "common.required": {"nl": "Dit veld is verplicht.", "en": "This field is required."},
    "common.language": {"nl": "Taal", "en": "Language"},
    "common.switch_language": {"nl": "Language: English", "en": "Taal: Nederlands"},
    "common.theme_dark": {"nl": "Donkere modus", "en": "Dark mode"},
    "common.theme_light": {"nl": "Lichte modus", "en": "Light mode"},
    "common.toggle_theme": {"nl": "Wissel licht/donker", "en": "Toggle light/dark"},
    "common.logout": {"nl": "Uitloggen", "en": "Log out"},
    "common.menu": {"nl": "Menu", "en": "Menu"},
    "common.main_navigation": {"nl": "Hoofdmenu", "en": "Main navigation"},
    "common.signed_in_as": {"nl": "Ingelogd als", "en": "Signed in as"},
    "common.coming": {
        "nl": "Deze pagina wordt in een volgende versie gevuld ({feature}).",
        "en": "This page is filled in a coming release ({feature}).",
    },
    "common.to_login": {"nl": "Naar inloggen", "en": "To sign in"},
    "common.loading": {"nl": "Bezig met laden…", "en": "Loading…"},
    # roles
    "role.user_management": {"nl": "User management", "en": "User management"},
    "role.hr": {"nl": "HR", "en": "HR"},
    "role.finance": {"nl": "Finance", "en": "Finance"},
    "role.adviser": {"nl": "Adviseur", "en": "Adviser"},
    "role.employee": {"nl": "Deelnemer", "en": "Participant"},
    "frontend.employer": {"nl": "Werkgeversportaal", "en": "Employer portal"},
    "frontend.intermediary": {"nl": "Intermediairportaal", "en": "Intermediary portal"},
    "frontend.employee": {"nl": "Mijn pensioen", "en": "My pension"},
    # login
    "login.title": {"nl": "Inloggen", "en": "Sign in"},
    "login.username": {"nl": "Gebruikersnaam", "en": "Username"},
    "login.password": {"nl": "Wachtwoord", "en": "Password"},
    "login.submit": {"nl": "Inloggen", "en": "Sign in"},
    "login.forgot_username": {"nl": "Gebruikersnaam vergeten?", "en": "Forgot your username?"},
    "login.forgot_password": {"nl": "Wachtwoord vergeten?", "en": "Forgot your password?"},
    "login.first_visit": {
        "nl": "Eerste bezoek? Activeer uw account",
        "en": "First visit? Activate your account",
    },
    "login.totp_title": {"nl": "Tweestapsverificatie", "en": "Two-step verification"},
    "login.totp_intro": {
        "nl": "Vul de code van 6 cijfers uit uw authenticator-app in.",
        "en": "Enter the 6-digit code from your authenticator app.",
    },
    "login.totp_code": {"nl": "Verificatiecode", "en": "Verification code"},
    "login.totp_submit": {"nl": "Bevestigen", "en": "Verify"},
    "login.use_recovery": {"nl": "Een herstelcode gebruiken", "en": "Use a recovery code"},
    "login.use_totp": {"nl": "De authenticator-app gebruiken", "en": "Use the authenticator app"},
    "login.recovery_code": {"nl": "Herstelcode", "en": "Recovery code"},
    "login.setup_title": {"nl": "Tweestapsverificatie instellen", "en": "Set up two-step verification"},
    "login.setup_intro": {
        "nl": "Scan de QR-code met een authenticator-app (bijvoorbeeld Google of Microsoft Authenticator) "
        "en vul daarna de code in die de app toont.",
        "en": "Scan the QR code with an authenticator app (for example Google or Microsoft Authenticator), "
        "then enter the code the app shows.",
    },
    "login.setup_qr_alt": {
        "nl": "QR-code om de tweestapsverificatie in te stellen",
        "en": "QR code to set up two-step verification",
    },
    "login.setup_manual": {
        "nl": "Kunt u niet scannen? Voer deze sleutel in:",
        "en": "Cannot scan? Enter this key:",
    },
    "login.recovery_title": {"nl": "Uw herstelcodes", "en": "Your recovery codes"},
    "login.recovery_intro": {
        "nl": "Bewaar deze tien codes op een veilige plek. Elke code werkt één keer als u uw telefoon niet bij "
        "de hand hebt. U ziet ze alleen nu.",
        "en": "Keep these ten codes in a safe place. Each works once when you do not have your phone. "
        "They are shown only now.",
    },
    "login.recovery_saved": {
        "nl": "Ik heb de codes bewaard, verder",
        "en": "I have saved the codes, continue",
    },
    "login.expired": {
        "nl": "U bent uitgelogd omdat u een tijd niet actief was. Log opnieuw in.",
        "en": "You were signed out after a period of inactivity. Please sign in again.",
    },
    "login.logged_out": {"nl": "U bent uitgelogd.", "en": "You have been signed out."},
    # password strength
    "strength.label": {"nl": "Sterkte van het wachtwoord", "en": "Password strength"},
    "strength.weak": {"nl": "Wachtwoord zwak", "en": "Weak password"},
    "strength.fair": {"nl": "Wachtwoord matig", "en": "Fair password"},
    "strength.strong": {"nl": "Wachtwoord sterk", "en": "Strong password"},
    "strength.hint": {
        "nl": "Minimaal 10 tekens; combineer letters, cijfers en leestekens.",
        "en": "At least 10 characters; combine letters, digits and punctuation.",
    },
    # activation
    "activate.title": {"nl": "Account activeren", "en": "Activate your account"},
    "activate.email": {"nl": "E-mailadres", "en": "E-mail address"},
    "activate.send_code": {"nl": "Stuur verificatiecode", "en": "Send verification code"},
    "activate.code_sent": {
        "nl": "Als dit adres is uitgenodigd, is er nu een verificatiecode naartoe gestuurd. Geen e-mail "
        "ontvangen binnen enkele minuten? Dan is dit adres niet uitgenodigd: vraag uw werkgever of adviseur.",
        "en": "If this address has been invited, a verification code is on its way. No e-mail within a few "
        "minutes? Then this address has not been invited: ask your employer or adviser.",
    },
    "activate.code": {"nl": "Verificatiecode", "en": "Verification code"},
    "activate.verify": {"nl": "Code controleren", "en": "Check code"},
    "activate.choose": {
        "nl": "Kies een gebruikersnaam en wachtwoord.",
        "en": "Choose a username and password.",
    },
    "activate.invited": {
        "nl": "Welkom {name}. Uw uitnodiging is geldig: kies een gebruikersnaam en wachtwoord. Bij de eerste keer "
        "inloggen stelt u de tweede stap (authenticator-app) in.",
        "en": "Welcome {name}. Your invitation is valid: choose a username and password. At your first sign-in "
        "you set up the second step (authenticator app).",
    },
    "activate.eid_hint": {
        "nl": "Liever geen wachtwoord en authenticator-app? Log dan in met uw eID.",
        "en": "Rather no password and authenticator app? Then sign in with your eID.",
    },
    "activate.eid": {"nl": "Inloggen met eID", "en": "Sign in with eID"},
    "activate.with_email": {"nl": "Activeren met e-mailadres en code", "en": "Activate with e-mail address and code"},
    "activate.username": {"nl": "Gebruikersnaam", "en": "Username"},
    "activate.password": {"nl": "Wachtwoord", "en": "Password"},
    "activate.submit": {"nl": "Account activeren", "en": "Activate account"},
    "activate.done": {
        "nl": "Uw account is geactiveerd. U ontvangt een bevestiging per e-mail. U kunt nu inloggen.",
        "en": "Your account is activated. A confirmation is on its way by e-mail. You can now sign in.",
    },
    # forgot
    "forgot.title": {"nl": "Gegevens vergeten", "en": "Forgotten details"},
    "forgot.password_tab": {"nl": "Wachtwoord vergeten", "en": "Forgot password"},
    "forgot.username_tab": {"nl": "Gebruikersnaam vergeten", "en": "Forgot username"},
    "forgot.username": {"nl": "Gebruikersnaam", "en": "Username"},
    "forgot.email": {"nl": "E-mailadres", "en": "E-mail address"},
    "forgot.send_code": {"nl": "Stuur herstelcode", "en": "Send reset code"},
    "forgot.code_sent": {
        "nl": "Als deze gebruikersnaam bestaat, is er een code gestuurd naar het bijbehorende e-mailadres.",
        "en": "If this username exists, a code has been sent to its e-mail address.",
    },
    "forgot.code": {"nl": "Herstelcode uit de e-mail", "en": "Reset code from the e-mail"},
    "forgot.new_password": {"nl": "Nieuw wachtwoord", "en": "New password"},
    "forgot.set_password": {"nl": "Wachtwoord opslaan", "en": "Save password"},
    "forgot.password_done": {
        "nl": "Uw wachtwoord is gewijzigd. U kunt nu inloggen.",
        "en": "Your password has been changed. You can now sign in.",
    },
    "forgot.send_username": {"nl": "Stuur mijn gebruikersnaam", "en": "Send my username"},
    "forgot.username_sent": {
        "nl": "Als er een account bij dit adres hoort, hebben we de gebruikersnaam naar dit adres gestuurd.",
        "en": "If an account belongs to this address, we have sent the username to it.",
    },
    # no access
    "noaccess.title": {"nl": "Geen toegang", "en": "No access"},
    "noaccess.text": {
        "nl": "U heeft geen toegang tot deze pagina of deze gegevens. Deze poging is vastgelegd.",
        "en": "You do not have access to this page or these data. This attempt has been recorded.",
    },
    "noaccess.home": {"nl": "Naar mijn startpagina", "en": "To my home page"},
    # menus
    "menu.home": {"nl": "Home", "en": "Home"},
    "menu.participants": {"nl": "Deelnemers", "en": "Participants"},
    "menu.new_participant": {"nl": "Nieuwe deelnemer", "en": "New participant"},
    "menu.collective": {"nl": "Collectieve wijzigingen", "en": "Collective changes"},
    "menu.changes": {"nl": "Ingediende wijzigingen", "en": "Submitted changes"},
    "menu.export": {"nl": "Export", "en": "Export"},
    "menu.documents": {"nl": "Documenten", "en": "Documents"},
    "menu.scheme": {"nl": "Pensioenregeling", "en": "Scheme"},
    "menu.company": {"nl": "Mijn gegevens", "en": "My details"},
    "menu.users": {"nl": "Portaalaccounts", "en": "Portal accounts"},
    "menu.portfolio": {"nl": "Portefeuille", "en": "Portfolio"},
    "menu.tasks": {"nl": "Taken", "en": "Tasks"},
    "menu.couplings": {"nl": "Koppelingen", "en": "Couplings"},
    "menu.reconciliation": {"nl": "Afstemming", "en": "Reconciliation"},
    "menu.contracts": {"nl": "Contracten", "en": "Contracts"},
    "title.contracts": {"nl": "Mijn contracten", "en": "My contracts"},
    "menu.my_documents": {"nl": "Documenten", "en": "Documents"},
    "menu.profile": {"nl": "Profiel", "en": "Profile"},
    "menu.faq": {"nl": "Vragen", "en": "FAQ"},
    # home pages
    "home.welcome": {"nl": "Welkom, {name}", "en": "Welcome, {name}"},
    "home.employer_intro": {
        "nl": "Regel hier direct de wijzigingen voor uw pensioen- en verzekeringsregelingen.",
        "en": "Arrange changes to your pension and insurance schemes here, directly.",
    },
    "home.intermediary_intro": {
        "nl": "Uw portefeuille van werkgevers in één overzicht.",
        "en": "Your portfolio of employers at a glance.",
    },
    "home.employers": {"nl": "Werkgevers", "en": "Employers"},
    "home.company": {"nl": "Werkgever", "en": "Employer"},
    # portfolio (INT-1, first part)
    "portfolio.caption": {"nl": "Werkgevers in uw portefeuille", "en": "Employers in your portfolio"},
    "portfolio.employer": {"nl": "Werkgever", "en": "Employer"},
    "portfolio.kvk": {"nl": "KvK-nummer", "en": "Chamber of Commerce no."},
    "portfolio.group": {"nl": "Concern", "en": "Company group"},
    "portfolio.active": {"nl": "Actieve deelnemers", "en": "Active participants"},
    "portfolio.dormant": {"nl": "Slapers", "en": "Dormant"},
    "portfolio.empty": {
        "nl": "Er staan nog geen werkgevers in uw portefeuille.",
        "en": "Your portfolio holds no employers yet.",
    },
    "employer.address": {"nl": "Postadres", "en": "Postal address"},
    "employer.contact": {"nl": "Contactpersoon", "en": "Contact person"},
    "employer.schemes": {"nl": "Regelingen", "en": "Schemes"},
    "employer.kind": {"nl": "Soort", "en": "Kind"},
    "employer.number": {"nl": "Contract- en regelingnummer", "en": "Contract and scheme number"},
    "employer.scheme_name": {"nl": "Regeling", "en": "Scheme"},
    "employer.insurer": {"nl": "Verzekeraar", "en": "Insurer"},
    "employer.back": {"nl": "Terug naar de portefeuille", "en": "Back to the portfolio"},
}
