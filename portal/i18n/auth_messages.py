"""User-facing texts for the account services' FieldError keys (and the password-strength labels).

Parameters are filled with ``str.format`` (e.g. ``{minutes}``). ``login_invalid`` is deliberately the same
for an unknown username and a wrong password.
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "email_invalid": {
        "nl": "Vul een geldig e-mailadres in, bijvoorbeeld naam@bedrijf.nl.",
        "en": "Enter a valid e-mail address, for example name@company.com.",
    },
    "email_taken": {
        "nl": "Er bestaat al een account met dit e-mailadres.",
        "en": "An account with this e-mail address already exists.",
    },
    "display_name_required": {
        "nl": "Vul een naam in.",
        "en": "Enter a name.",
    },
    "roles_invalid": {
        "nl": "Kies minstens één geldige rol.",
        "en": "Choose at least one valid role.",
    },
    "code_invalid": {
        "nl": "Deze code klopt niet of is verlopen. Vraag zo nodig een nieuwe code aan.",
        "en": "This code is incorrect or has expired. Request a new code if needed.",
    },
    "invitation_invalid": {
        "nl": "Deze link werkt niet (meer). Een uitnodigingslink werkt één keer en is beperkt geldig. Heeft u al "
        "een account? Log dan in. Anders: activeer met uw e-mailadres, of vraag uw werkgever om een nieuwe uitnodiging.",
        "en": "This link does not work (any more). An invitation link works once and for a limited time. Do you "
        "have an account already? Then sign in. Otherwise: activate with your e-mail address, or ask your employer "
        "for a new invitation.",
    },
    "activation_invalid": {
        "nl": "Deze activering is niet meer geldig. Begin opnieuw met uw e-mailadres.",
        "en": "This activation is no longer valid. Start again with your e-mail address.",
    },
    "username_invalid": {
        "nl": "Een gebruikersnaam heeft 3 tot 64 tekens: letters a-z, cijfers, punt, liggend streepje of streepje.",
        "en": "A username has 3 to 64 characters: letters a-z, digits, dot, underscore or hyphen.",
    },
    "username_taken": {
        "nl": "Deze gebruikersnaam is al in gebruik. Kies een andere.",
        "en": "This username is already taken. Choose another one.",
    },
    "password_weak": {
        "nl": "Dit wachtwoord is te zwak. Gebruik minstens 10 tekens met letters en cijfers of leestekens, "
        "en geen voor de hand liggende woorden of reeksen.",
        "en": "This password is too weak. Use at least 10 characters with letters and digits or symbols, "
        "and no obvious words or sequences.",
    },
    "login_invalid": {
        "nl": "Gebruikersnaam of wachtwoord is onjuist.",
        "en": "Username or password is incorrect.",
    },
    "login_locked": {
        "nl": "Te veel mislukte pogingen: uw account is tijdelijk geblokkeerd. Probeer het over {minutes} minuten opnieuw.",
        "en": "Too many failed attempts: your account is locked for now. Try again in {minutes} minutes.",
    },
    "totp_invalid": {
        "nl": "Deze code klopt niet. Vul de 6 cijfers uit uw authenticator-app in.",
        "en": "This code is incorrect. Enter the 6 digits from your authenticator app.",
    },
    "totp_unavailable": {
        "nl": "Inloggen met de authenticator-app lukt nu niet door een storing bij ons. Probeer het later opnieuw of neem contact met ons op.",
        "en": "Signing in with the authenticator app is not possible right now because of a fault on our side. Try again later or contact us.",
    },
    "mail_rate_limited": {
        "nl": "Er zijn te veel e-mails gevraagd. Probeer het over {minutes} minuten opnieuw.",
        "en": "Too many e-mails have been asked for. Try again in {minutes} minutes.",
    },
    "totp_replayed": {
        "nl": "Deze code is al gebruikt. Wacht op de volgende code in uw app.",
        "en": "This code has already been used. Wait for the next code in your app.",
    },
    "recovery_invalid": {
        "nl": "Deze herstelcode klopt niet of is al gebruikt.",
        "en": "This recovery code is incorrect or has already been used.",
    },
    "language_invalid": {
        "nl": "Kies Nederlands of Engels.",
        "en": "Choose Dutch or English.",
    },
    "theme_invalid": {
        "nl": "Kies licht of donker.",
        "en": "Choose light or dark.",
    },
    "strength_weak": {"nl": "Zwak", "en": "Weak"},
    "strength_fair": {"nl": "Redelijk", "en": "Fair"},
    "strength_strong": {"nl": "Sterk", "en": "Strong"},
}


def auth_message(key: str, language: str = "nl", **params: object) -> str:
    """The text of ``key`` in ``language`` (Dutch fallback), formatted with ``params``; the key if unknown."""
    texts = MESSAGES.get(key)
    if texts is None:
        return key
    text = texts.get(language) or texts["nl"]
    return text.format(**params) if params else text
