"""Texts of the account mails in Dutch and English (subject, body), formatted with ``str.format``.

Mails carry no secrets except the one-time code itself, and no personal data beyond the display name.
"""

from __future__ import annotations

from portal.core.mail import send_mail

TEXTS: dict[str, dict[str, tuple[str, str]]] = {
    "invitation": {
        "nl": (
            "Uw account voor het werkgeversportaal",
            (
                "Beste {name},\n\nEr is een account voor u aangemaakt. Activeer het via {url}\n"
                "Vul daar uw e-mailadres in; u ontvangt dan een verificatiecode.\n\nMet vriendelijke groet,\nHet portaal"
            ),
        ),
        "en": (
            "Your account for the benefits portal",
            (
                "Dear {name},\n\nAn account has been created for you. Activate it at {url}\n"
                "Enter your e-mail address there; you will then receive a verification code.\n\nKind regards,\nThe portal"
            ),
        ),
    },
    "employee_invitation": {
        "nl": (
            "Uw pensioen online bekijken",
            (
                "Beste {name},\n\nUw werkgever heeft u uitgenodigd voor het portaal, waar u uw pensioen en andere "
                "regelingen bekijkt.\nActiveer uw account via deze persoonlijke link:\n{url}\n\n"
                "De link werkt één keer en is {days} dagen geldig. U kunt daarna ook inloggen met uw eID.\n"
                "Verwachtte u deze uitnodiging niet? Dan kunt u dit bericht negeren.\n\n"
                "Met vriendelijke groet,\nHet portaal"
            ),
        ),
        "en": (
            "View your pension online",
            (
                "Dear {name},\n\nYour employer has invited you to the portal, where you can see your pension and "
                "other benefits.\nActivate your account with this personal link:\n{url}\n\n"
                "The link works once and is valid for {days} days. You can also sign in with your eID.\n"
                "Not expecting this invitation? Then you can ignore this message.\n\nKind regards,\nThe portal"
            ),
        ),
    },
    "activation_code": {
        "nl": (
            "Uw verificatiecode",
            (
                "Beste {name},\n\nUw verificatiecode is: {code}\n\nDe code is {minutes} minuten geldig en werkt één keer.\n"
                "Heeft u dit niet aangevraagd? Dan kunt u dit bericht negeren."
            ),
        ),
        "en": (
            "Your verification code",
            (
                "Dear {name},\n\nYour verification code is: {code}\n\nThe code is valid for {minutes} minutes and "
                "works once.\nDid you not ask for this? Then you can ignore this message."
            ),
        ),
    },
    "activated": {
        "nl": (
            "Uw account is geactiveerd",
            (
                "Beste {name},\n\nUw account is geactiveerd. U kunt inloggen via {url}\n\n"
                "Heeft u dit niet zelf gedaan? Neem dan direct contact met ons op."
            ),
        ),
        "en": (
            "Your account has been activated",
            (
                "Dear {name},\n\nYour account has been activated. You can log in at {url}\n\n"
                "Did you not do this yourself? Please contact us straight away."
            ),
        ),
    },
    "reset_code": {
        "nl": (
            "Code om uw wachtwoord te herstellen",
            (
                "Beste {name},\n\nUw code om een nieuw wachtwoord in te stellen is: {code}\n\n"
                "De code is {minutes} minuten geldig en werkt één keer.\n"
                "Heeft u dit niet aangevraagd? Dan kunt u dit bericht negeren; uw wachtwoord blijft ongewijzigd."
            ),
        ),
        "en": (
            "Code to reset your password",
            (
                "Dear {name},\n\nYour code to set a new password is: {code}\n\n"
                "The code is valid for {minutes} minutes and works once.\n"
                "Did you not ask for this? Then ignore this message; your password stays unchanged."
            ),
        ),
    },
    "password_changed": {
        "nl": (
            "Uw wachtwoord is gewijzigd",
            (
                "Beste {name},\n\nUw wachtwoord is zojuist gewijzigd en u bent overal uitgelogd.\n\n"
                "Heeft u dit niet zelf gedaan? Neem dan direct contact met ons op."
            ),
        ),
        "en": (
            "Your password has been changed",
            (
                "Dear {name},\n\nYour password has just been changed and you have been logged out everywhere.\n\n"
                "Did you not do this yourself? Please contact us straight away."
            ),
        ),
    },
    "username_reminder": {
        "nl": (
            "Uw gebruikersnaam",
            "Beste {name},\n\nUw gebruikersnaam is: {username}\n\nInloggen kan via {url}",
        ),
        "en": (
            "Your username",
            "Dear {name},\n\nYour username is: {username}\n\nYou can log in at {url}",
        ),
    },
}


def render(kind: str, language: str, **params: object) -> tuple[str, str]:
    """(subject, body) of mail ``kind`` in ``language`` (Dutch when the language is unknown)."""
    texts = TEXTS[kind]
    subject, body = texts.get(language) or texts["nl"]
    return subject.format(**params), body.format(**params)


def send_account_mail(to: str, kind: str, language: str, **params: object) -> None:
    """Render mail ``kind`` in the account's language and send it."""
    subject, body = render(kind, language, **params)
    send_mail(to, subject, body)
