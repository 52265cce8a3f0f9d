"""Texts of the employer documents page (DOC-1, DOC-2), the notification mails (DOC-4) and the demo PDFs."""

MESSAGES: dict[str, dict[str, str]] = {
    "doc.intro": {
        "nl": "Facturen, boekingsoverzichten en aanmaningen (financieel) en het pensioenreglement, de "
        "uitvoeringsovereenkomst en aanvullingen (juridisch) per regeling. Nieuwe documenten zijn gemarkeerd "
        "tot iemand van uw organisatie ze opent.",
        "en": "Invoices, booking statements and reminders (financial) and the pension regulations, administration "
        "agreement and addenda (legal) per scheme. New documents stay marked until someone in your organisation "
        "opens them.",
    },
    "doc.scheme": {"nl": "Regeling", "en": "Scheme"},
    "doc.all_schemes": {"nl": "Alle regelingen", "en": "All schemes"},
    "doc.category": {"nl": "Soort documenten", "en": "Kind of documents"},
    "doc.category.financial": {"nl": "Financieel", "en": "Financial"},
    "doc.category.legal": {"nl": "Juridisch", "en": "Legal"},
    "doc.category.statement": {"nl": "Pensioenoverzicht", "en": "Benefit statement"},
    "doc.kind.invoice": {"nl": "Factuur", "en": "Invoice"},
    "doc.kind.booking_statement": {"nl": "Boekingsoverzicht", "en": "Booking statement"},
    "doc.kind.reminder": {"nl": "Aanmaning", "en": "Reminder"},
    "doc.kind.regulations": {"nl": "Pensioenreglement", "en": "Pension regulations"},
    "doc.kind.administration_agreement": {"nl": "Uitvoeringsovereenkomst", "en": "Administration agreement"},
    "doc.kind.addendum": {"nl": "Addendum", "en": "Addendum"},
    "doc.kind.benefit_statement": {"nl": "Pensioenoverzicht", "en": "Benefit statement"},
    "doc.kind.signed_form": {"nl": "Ondertekend formulier", "en": "Signed form"},
    "doc.list": {"nl": "Documenten", "en": "Documents"},
    "doc.col.title": {"nl": "Titel", "en": "Title"},
    "doc.col.kind": {"nl": "Soort", "en": "Kind"},
    "doc.col.period": {"nl": "Periode", "en": "Period"},
    "doc.col.date": {"nl": "Datum", "en": "Date"},
    "doc.col.scheme": {"nl": "Regeling", "en": "Scheme"},
    "doc.col.status": {"nl": "Status", "en": "Status"},
    "doc.col.open": {"nl": "Bekijken", "en": "View"},
    "doc.new": {"nl": "Nieuw", "en": "New"},
    "doc.new_sr": {"nl": "ongelezen document", "en": "unread document"},
    "doc.read": {"nl": "Gelezen", "en": "Read"},
    "doc.open": {"nl": "Openen", "en": "Open"},
    "doc.open_label": {"nl": "{title} openen", "en": "Open {title}"},
    "doc.none": {"nl": "Er zijn nog geen documenten.", "en": "There are no documents yet."},
    "doc.unread_summary": {"nl": "{n} ongelezen", "en": "{n} unread"},
    "doc.viewer": {"nl": "Document bekijken", "en": "View document"},
    "doc.viewer_frame": {"nl": "PDF: {title}", "en": "PDF: {title}"},
    "doc.download": {"nl": "Downloaden (PDF)", "en": "Download (PDF)"},
    "doc.download_label": {"nl": "Downloaden (PDF): {title}", "en": "Download (PDF): {title}"},
    "doc.open_new_tab": {"nl": "PDF openen", "en": "Open PDF"},
    "doc.open_new_tab_label": {"nl": "PDF openen: {title}", "en": "Open PDF: {title}"},
    "doc.close": {"nl": "Sluiten", "en": "Close"},
    "doc.link_hint": {
        "nl": "De links zijn een kwartier geldig en werken alleen voor u. Open het document opnieuw voor een nieuwe link.",
        "en": "The links are valid for fifteen minutes and only work for you. Open the document again for a new link.",
    },
    "doc.not_available": {
        "nl": "Dit document is niet beschikbaar of u heeft er geen toegang toe.",
        "en": "This document is not available or you have no access to it.",
    },
    "doc.no_rights": {
        "nl": "U heeft geen rechten om documenten te bekijken.",
        "en": "You are not allowed to view documents.",
    },
    # notification preference on the company page (PLT-2)
    "doc.notify_label": {
        "nl": "E-mail mij als er een nieuw document voor mij is",
        "en": "E-mail me when there is a new document for me",
    },
    "doc.notify_hint": {
        "nl": "Het bericht bevat alleen een link naar het portaal, geen persoonsgegevens of bedragen.",
        "en": "The message only holds a link to the portal, no personal data or amounts.",
    },
    "doc.notify_on": {"nl": "Meldingen per e-mail staan aan.", "en": "Notification e-mails are on."},
    "doc.notify_off": {"nl": "Meldingen per e-mail staan uit.", "en": "Notification e-mails are off."},
    "doc.notify_invalid": {"nl": "Kies aan of uit.", "en": "Choose on or off."},
    "doc.notify_heading": {"nl": "Meldingen", "en": "Notifications"},
    # the notification mail (DOC-4): no personal data, no amounts, no titles (a statement's title names a person)
    "mail.documents.subject_one": {
        "nl": "Nieuw document in het portaal",
        "en": "New document in the portal",
    },
    "mail.documents.subject_many": {
        "nl": "{n} nieuwe documenten in het portaal",
        "en": "{n} new documents in the portal",
    },
    "mail.documents.greeting": {"nl": "Goedendag,", "en": "Hello,"},  # no names: no personal data in these mails
    "mail.documents.intro": {
        "nl": "Er staat nieuwe informatie voor u klaar in het portaal:",
        "en": "New information is waiting for you in the portal:",
    },
    "mail.documents.line": {
        "nl": "- {kind} ({category}), {employer}: {url}",
        "en": "- {kind} ({category}), {employer}: {url}",
    },
    "mail.documents.own_line": {"nl": "- {kind}: {url}", "en": "- {kind}: {url}"},
    "mail.documents.outro": {
        "nl": "U moet eerst inloggen om een document te bekijken.\n\nWilt u deze berichten niet meer ontvangen? "
        "Zet ze uit bij 'Mijn gegevens' in het portaal.\n\nMet vriendelijke groet,\nHet portaal",
        "en": "You sign in first to view a document.\n\nNo longer want these messages? Turn them off under "
        "'My details' in the portal.\n\nKind regards,\nThe portal",
    },
    # the demo PDFs
    "pdf.invoice_title": {"nl": "Premiefactuur {period} ({kind})", "en": "Premium invoice {period} ({kind})"},
    "pdf.booking_title": {"nl": "Boekingsoverzicht {period} ({kind})", "en": "Booking statement {period} ({kind})"},
    "pdf.reminder_title": {"nl": "Aanmaning {period} ({kind})", "en": "Reminder {period} ({kind})"},
    "pdf.regulations_title": {
        "nl": "Pensioenreglement {period} ({kind})",
        "en": "Pension regulations {period} ({kind})",
    },
    "pdf.agreement_title": {
        "nl": "Uitvoeringsovereenkomst ({kind})",
        "en": "Administration agreement ({kind})",
    },
    "pdf.addendum_title": {"nl": "Addendum {period} ({kind})", "en": "Addendum {period} ({kind})"},
}
