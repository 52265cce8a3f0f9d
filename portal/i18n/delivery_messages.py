"""Texts of the delivery of the insurer outbox (INT-5): the page /intermediary/couplings/delivery."""

MESSAGES: dict[str, dict[str, str]] = {
    "delivery.title": {"nl": "Verzending naar verzekeraars", "en": "Delivery to insurers"},
    "delivery.intro": {
        "nl": "Mutaties die via een koppeling naar de verzekeraar gaan, per verzekeraar. Een mislukt bericht houdt "
        "de latere berichten van dezelfde deelnemer tegen tot u het opnieuw verstuurt of annuleert.",
        "en": "Changes that go to the insurer over a coupling, per insurer. A failed message holds back the later "
        "messages of the same participant until you send it again or cancel it.",
    },
    "delivery.back": {"nl": "Terug naar koppelingen", "en": "Back to couplings"},
    "delivery.counts": {"nl": "Berichten per verzekeraar", "en": "Messages per insurer"},
    "delivery.col.insurer": {"nl": "Verzekeraar", "en": "Insurer"},
    "delivery.col.sent": {"nl": "Verzonden", "en": "Sent"},
    "delivery.col.waiting": {"nl": "Wachtend", "en": "Waiting"},
    "delivery.col.retrying": {"nl": "Opnieuw proberen", "en": "Retrying"},
    "delivery.col.failed": {"nl": "Mislukt", "en": "Failed"},
    "delivery.none": {"nl": "Nog geen berichten naar verzekeraars.", "en": "No messages to insurers yet."},
    "delivery.no_address": {"nl": "geen adres ingesteld", "en": "not configured"},
    "delivery.no_address_text": {
        "nl": "er is geen adres om naar deze verzekeraar te versturen; de wachtende berichten gaan pas weg als de "
        "beheerder het adres instelt (PORTAL_INSURER_URLS)",
        "en": "there is no address to send to this insurer; the waiting messages go only once the administrator "
        "configures it (PORTAL_INSURER_URLS)",
    },
    "delivery.failed_title": {"nl": "Mislukte berichten", "en": "Failed messages"},
    "delivery.failed_none": {"nl": "Geen mislukte berichten.", "en": "No failed messages."},
    "delivery.answer": {"nl": "Antwoord van de verzekeraar", "en": "The insurer's answer"},
    "delivery.attempts": {"nl": "Pogingen", "en": "Attempts"},
    "delivery.created": {"nl": "Aangemaakt", "en": "Created"},
    "delivery.retry": {"nl": "Opnieuw versturen", "en": "Send again"},
    "delivery.cancel": {"nl": "Annuleren", "en": "Cancel"},
    "delivery.retried": {
        "nl": "Het bericht wordt opnieuw verstuurd.",
        "en": "The message will be sent again.",
    },
    "delivery.cancelled": {"nl": "Het bericht is geannuleerd.", "en": "The message has been cancelled."},
    "delivery.not_failed": {
        "nl": "Dit bericht is niet (meer) mislukt; vernieuw de pagina.",
        "en": "This message has not failed (any more); reload the page.",
    },
    "delivery.not_allowed": {
        "nl": "U kunt dit bericht niet wijzigen.",
        "en": "You cannot change this message.",
    },
    "delivery.refresh": {"nl": "Vernieuwen", "en": "Refresh"},
    "delivery.kind.hire": {"nl": "Indienst", "en": "Hire"},
    "delivery.kind.exit": {"nl": "Uitdienst", "en": "Exit"},
    "delivery.kind.salary": {"nl": "Salariswijziging", "en": "Salary change"},
    "delivery.kind.parttime": {"nl": "Wijziging deeltijd", "en": "Part-time change"},
    "delivery.kind.salary_parttime": {"nl": "Salaris en deeltijd", "en": "Salary and part-time"},
    "delivery.kind.deferred_compensation": {"nl": "Salarisuitruil", "en": "Deferred compensation"},
    "delivery.kind.retro_after_exit": {
        "nl": "Terugwerkende wijziging na uitdienst",
        "en": "Retroactive change after exit",
    },
}
