"""Texts of the FAQ pages (EE-2: the employee's questions and terms; EMP-1: the employer's "Service & contact" with
whom to contact and "Have a good idea?"). The questions and answers themselves are in ``faq_content``."""

MESSAGES: dict[str, dict[str, str]] = {
    "menu.service": {"nl": "Service & contact", "en": "Service & contact"},
    "faq.intro": {
        "nl": "Antwoorden op veelgestelde vragen over uw contracten en deze site.",
        "en": "Answers to frequently asked questions about your contracts and this site.",
    },
    "faq.questions": {"nl": "Veelgestelde vragen", "en": "Frequently asked questions"},
    "faq.search_label": {"nl": "Zoek in de vragen", "en": "Search the questions"},
    "faq.search_hint": {
        "nl": "Bijvoorbeeld: franchise, uit dienst, premie",
        "en": "For example: franchise, leaving, premium",
    },
    "faq.search": {"nl": "Zoeken", "en": "Search"},
    "faq.clear": {"nl": "Alles tonen", "en": "Show all"},
    "faq.found": {
        "nl": "{questions} vragen en {terms} begrippen gevonden",
        "en": "{questions} questions and {terms} terms found",
    },
    "faq.found_questions": {"nl": "{questions} vragen gevonden", "en": "{questions} questions found"},
    "faq.none": {
        "nl": "Geen vragen gevonden. Probeer een ander woord, of neem contact met ons op.",
        "en": "No questions found. Try another word, or contact us.",
    },
    "faq.terms": {"nl": "Begrippen", "en": "Terms"},
    "faq.terms_intro": {
        "nl": "Tik op de 'i' voor een korte uitleg. Dezelfde uitleg staat naast de woorden op uw contractkaarten.",
        "en": "Tap the 'i' for a short explanation. The same explanation is beside the words on your contract cards.",
    },
    "faq.employee_contact": {
        "nl": "Klopt er iets niet in uw gegevens? Uw werkgever houdt ze bij: neem contact op met de "
        "personeelsafdeling (HR). Met vragen over uw pensioen zelf kunt u bij de verzekeraar op uw contractkaart "
        "terecht.",
        "en": "Is something wrong in your data? Your employer keeps it: contact the HR department. With questions "
        "about the pension itself, turn to the insurer on your contract card.",
    },
    # ----------------------------------------------------------------------------- employer: service & contact
    "service.intro": {
        "nl": "Veelgestelde vragen, de contactgegevens van uw adviseur en verzekeraars, en uw ideeën voor het portaal.",
        "en": "Frequently asked questions, the contact data of your adviser and insurers, and your ideas for the "
        "portal.",
    },
    "service.contact": {"nl": "Contact", "en": "Contact"},
    "service.office": {"nl": "Uw adviseur", "en": "Your adviser"},
    "service.office_hint": {
        "nl": "Voor vragen over het portaal, uw regeling en wijzigingen die niet via het portaal kunnen.",
        "en": "For questions about the portal, your scheme and changes the portal cannot take.",
    },
    "service.no_office": {"nl": "Er is geen adviseur bekend.", "en": "No adviser is known."},
    "service.insurers": {"nl": "Verzekeraars van uw contracten", "en": "Insurers of your contracts"},
    "service.insurers_hint": {
        "nl": "Voor een wijziging van de regeling of het contract zelf.",
        "en": "For a change of the scheme or the contract itself.",
    },
    "service.no_insurers": {"nl": "Er zijn geen contracten bekend.", "en": "No contracts are known."},
    "service.phone": {"nl": "Telefoon", "en": "Phone"},
    "service.email": {"nl": "E-mail", "en": "E-mail"},
    "service.website": {"nl": "Website", "en": "Website"},
    "service.unknown": {"nl": "niet bekend", "en": "not known"},
    "service.idea": {"nl": "Heeft u een goed idee?", "en": "Have a good idea?"},
    "service.idea_intro": {
        "nl": "Heeft u een idee of verbeterpunt voor het portaal? Laat het ons weten: uw bericht gaat naar uw "
        "adviseur.",
        "en": "Do you have an idea or improvement for the portal? Let us know: your message goes to your adviser.",
    },
    "service.subject": {"nl": "Onderwerp", "en": "Subject"},
    "service.subject_hint": {"nl": "Hoogstens {limit} tekens.", "en": "At most {limit} characters."},
    "service.message": {"nl": "Uw bericht", "en": "Your message"},
    "service.message_hint": {"nl": "Hoogstens {limit} tekens.", "en": "At most {limit} characters."},
    "service.send": {"nl": "Versturen", "en": "Send"},
    "service.sent": {
        "nl": "Dank u wel. Uw idee '{subject}' is naar {office} gestuurd.",
        "en": "Thank you. Your idea '{subject}' has been sent to {office}.",
    },
    "idea_subject_required": {"nl": "Geef een onderwerp op.", "en": "Enter a subject."},
    "idea_message_required": {"nl": "Schrijf uw bericht.", "en": "Write your message."},
    "idea_no_office": {
        "nl": "Uw bedrijf heeft geen adviseur in het portaal; uw bericht kon niet worden verstuurd.",
        "en": "Your company has no adviser in the portal; your message could not be sent.",
    },
}
