"""Texts of the sign-in with the national eID (AUTH-6): the login page's button and why a sign-in was refused."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "eid.sign_in": {"nl": "Inloggen met eID", "en": "Sign in with eID"},
    "eid.sign_in_hint": {
        "nl": "Voor werknemers: log in met uw nationale eID, zonder wachtwoord of code van ons.",
        "en": "For employees: sign in with your national eID, no password or code of ours needed.",
    },
    "eid.or": {"nl": "of met gebruikersnaam", "en": "or with a username"},
    "eid.refused.title": {"nl": "Inloggen met eID is niet gelukt", "en": "Sign-in with eID did not succeed"},
    "eid.refused.nothing_linked": {
        "nl": "Er is niets gekoppeld en niemands gegevens zijn getoond. Probeer het opnieuw of neem contact op met uw werkgever.",
        "en": "Nothing was linked and no one's data was shown. Try again, or contact your employer.",
    },
    "eid.refused.state": {
        "nl": "De aanmelding hoort niet bij dit venster of is verlopen. Begin opnieuw met “Inloggen met eID”.",
        "en": "The sign-in does not belong to this window or has expired. Start again with “Sign in with eID”.",
    },
    "eid.refused.code_refused": {
        "nl": "De eID-dienst heeft de aanmelding niet bevestigd (bijvoorbeeld omdat deze al gebruikt is). Begin opnieuw.",
        "en": "The eID service did not confirm the sign-in (for example because it was already used). Start again.",
    },
    "eid.refused.provider_error": {
        "nl": "De aanmelding bij de eID-dienst is afgebroken.",
        "en": "The sign-in at the eID service was cancelled.",
    },
    "eid.refused.provider_unreachable": {
        "nl": "De eID-dienst is nu niet bereikbaar. Probeer het later opnieuw of log in met uw gebruikersnaam.",
        "en": "The eID service cannot be reached now. Try again later, or sign in with your username.",
    },
    "eid.refused.token_signature": {
        "nl": "De bevestiging van de eID-dienst had geen geldige handtekening.",
        "en": "The eID service's confirmation did not carry a valid signature.",
    },
    "eid.refused.token_unsigned": {
        "nl": "De bevestiging van de eID-dienst was niet ondertekend.",
        "en": "The eID service's confirmation was not signed.",
    },
    "eid.refused.token_issuer": {
        "nl": "De bevestiging kwam niet van de eID-dienst van dit portaal.",
        "en": "The confirmation did not come from this portal's eID service.",
    },
    "eid.refused.token_audience": {
        "nl": "De bevestiging van de eID-dienst was voor een andere toepassing bestemd.",
        "en": "The eID service's confirmation was meant for another application.",
    },
    "eid.refused.token_expired": {
        "nl": "De bevestiging van de eID-dienst is verlopen. Begin opnieuw.",
        "en": "The eID service's confirmation has expired. Start again.",
    },
    "eid.refused.token_nonce": {
        "nl": "De bevestiging hoort niet bij deze aanmelding. Begin opnieuw.",
        "en": "The confirmation does not belong to this sign-in. Start again.",
    },
    "eid.refused.token_invalid": {
        "nl": "De bevestiging van de eID-dienst was onvolledig of ongeldig.",
        "en": "The eID service's confirmation was incomplete or invalid.",
    },
    "eid.refused.claim_subject": {
        "nl": "De eID-dienst gaf geen vaste identiteit mee.",
        "en": "The eID service did not pass a stable identity.",
    },
    "eid.refused.claim_missing": {
        "nl": "De eID-dienst gaf geen burgerservicenummer of rijksregisternummer mee.",
        "en": "The eID service did not pass a citizen service number or national register number.",
    },
    "eid.refused.claim_invalid": {
        "nl": "Het nummer dat de eID-dienst meegaf is geen geldig burgerservicenummer, rijksregisternummer of BIS-nummer.",
        "en": "The number the eID service passed is not a valid citizen service number, national register number or BIS number.",
    },
    "eid.refused.unknown_person": {
        "nl": "Wij kennen geen deelnemer met dit nummer. Uw werkgever meldt u bij ons aan; vraag hem ernaar.",
        "en": "We know no participant with this number. Your employer registers you with us; please ask them.",
    },
    "eid.refused.ambiguous_person": {
        "nl": "Dit nummer hoort bij meer dan één persoon in onze gegevens. Neem contact op met uw werkgever.",
        "en": "This number belongs to more than one person in our records. Please contact your employer.",
    },
    "eid.refused.no_participation": {
        "nl": "U hebt (nog) geen pensioen- of verzekeringsdeelname bij ons, dus er is niets om te tonen.",
        "en": "You have no pension or insurance participation with us (yet), so there is nothing to show.",
    },
    "eid.refused.subject_mismatch": {
        "nl": "Deze eID is al aan een ander account gekoppeld.",
        "en": "This eID is already linked to another account.",
    },
    "eid.refused.account_disabled": {
        "nl": "Uw account is geblokkeerd. Neem contact op met uw werkgever.",
        "en": "Your account has been disabled. Please contact your employer.",
    },
    "eid.refused.session": {
        "nl": "De sessie kon niet worden geopend. Begin opnieuw.",
        "en": "The session could not be opened. Start again.",
    },
}
