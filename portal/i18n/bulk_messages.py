"""Texts of collective changes (BULK-1..5, EMP-6 collective): the page, the files, and every reason a file or
a row is refused. Parameters are filled with ``str.format``."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------------------------------------ page
    "bulk.title": {"nl": "Collectieve wijzigingen", "en": "Collective changes"},
    "bulk.intro": {
        "nl": "Geef wijzigingen voor veel deelnemers tegelijk door met een Excel-bestand. Elk bestand wordt eerst regel voor regel gecontroleerd; pas als alles klopt voert u het in één keer door.",
        "en": "Report changes for many participants at once with an Excel file. Every file is checked row by row first; only when everything is right do you apply it, all at once.",
    },
    "bulk.tab.salary": {"nl": "Salaris en parttime", "en": "Salary and part-time"},
    "bulk.tab.new": {"nl": "Nieuwe deelnemers", "en": "New participants"},
    "bulk.tab.email": {"nl": "Zakelijke e-mailadressen", "en": "Business e-mail addresses"},
    "bulk.tab.raise": {"nl": "Integrale verhoging", "en": "Integral raise"},
    "bulk.effective": {"nl": "Ingangsdatum", "en": "Effective date"},
    "bulk.effective_hint": {
        "nl": "Hoogstens drie maanden in de toekomst.",
        "en": "At most three months in the future.",
    },
    "bulk.step1_salary": {
        "nl": "1. Kies de ingangsdatum en download het bestand met alle actieve deelnemers.",
        "en": "1. Choose the effective date and download the file with all active participants.",
    },
    "bulk.step2_salary": {
        "nl": "2. Vul in kolom F het nieuwe fulltime salaris en/of in kolom G het nieuwe parttimepercentage in. Laat een cel leeg als er niets verandert.",
        "en": "2. Enter the new full-time salary in column F and/or the new part-time % in column G. Leave a cell empty when nothing changes.",
    },
    "bulk.step3": {"nl": "3. Upload het ingevulde bestand.", "en": "3. Upload the completed file."},
    "bulk.step1_new": {
        "nl": "1. Download het invulbestand. Regel 2 is een voorbeeld: overschrijf of verwijder die. De ingangsdatum mag per regel verschillen, van drie maanden terug tot drie maanden vooruit.",
        "en": "1. Download the template. Row 2 is an example: overwrite or remove it. The start date may differ per row, from three months back to three months ahead.",
    },
    "bulk.step1_email": {
        "nl": "1. Download de deelnemerslijst en vul in kolom E het zakelijke e-mailadres in (voor de uitnodiging voor Mijn pensioen).",
        "en": "1. Download the participant list and enter the business e-mail address in column E (for the invitation to My pension).",
    },
    "bulk.download": {"nl": "Download Excel-bestand", "en": "Download Excel file"},
    "bulk.download_template": {"nl": "Download invulbestand", "en": "Download template"},
    "bulk.file": {"nl": "Ingevuld bestand (.xlsx, hoogstens 20 MB)", "en": "Completed file (.xlsx, at most 20 MB)"},
    "bulk.upload": {"nl": "Uploaden en controleren", "en": "Upload and check"},
    "bulk.no_file": {"nl": "Kies eerst een bestand.", "en": "Choose a file first."},
    "bulk.upload_refused": {
        "nl": "Het uploaden is geweigerd. Laad de pagina opnieuw en probeer het nog eens.",
        "en": "The upload was refused. Reload the page and try again.",
    },
    "bulk.upload_failed": {
        "nl": "Het bestand kon niet worden verstuurd. Controleer de verbinding en probeer het nog eens.",
        "en": "The file could not be sent. Check the connection and try again.",
    },
    "bulk.current": {"nl": "Laatst geüpload", "en": "Latest upload"},
    "bulk.apply": {"nl": "Wijzigingen doorvoeren", "en": "Apply the changes"},
    "bulk.discard": {"nl": "Intrekken", "en": "Discard"},
    "bulk.discard_title": {"nl": "Wijziging intrekken?", "en": "Discard this change?"},
    "bulk.discard_text": {
        "nl": "Deze wijziging wordt niet doorgevoerd; er verandert niets aan de gegevens. U kunt hetzelfde bestand daarna opnieuw uploaden.",
        "en": "This change will not be applied; no data changes. You can upload the same file again afterwards.",
    },
    "bulk.discard_cancel": {"nl": "Terug", "en": "Back"},
    "bulk.discarded_text": {
        "nl": "Ingetrokken; er is niets gewijzigd. U kunt een nieuw of hetzelfde bestand uploaden.",
        "en": "Discarded; nothing was changed. You can upload a new file or the same one again.",
    },
    "bulk.ready_text": {
        "nl": "Alle {rows} regels zijn gecontroleerd: {changes} deelnemer(s) wijzigen. Er is nog niets doorgevoerd.",
        "en": "All {rows} rows were checked: {changes} participant(s) change. Nothing has been applied yet.",
    },
    "bulk.rejected_text": {
        "nl": "Het bestand is afgekeurd; er is niets gewijzigd. Verbeter de regels hieronder en upload het bestand opnieuw.",
        "en": "The file was rejected; nothing was changed. Correct the rows below and upload the file again.",
    },
    "bulk.failed_text": {
        "nl": "Doorvoeren is mislukt; er is niets gewijzigd.",
        "en": "Applying failed; nothing was changed.",
    },
    "bulk.processed_text": {
        "nl": "Doorgevoerd: {changes} deelnemer(s) gewijzigd.",
        "en": "Applied: {changes} participant(s) changed.",
    },
    "bulk.running_text": {
        "nl": "Bezig… Individuele wijzigingen op deze regeling zijn tijdelijk niet mogelijk.",
        "en": "Working… Individual changes on this scheme are not possible for the moment.",
    },
    "bulk.progress": {"nl": "Voortgang", "en": "Progress"},
    "bulk.report_download": {"nl": "Download het bestand met foutmeldingen", "en": "Download the file with errors"},
    "bulk.more_issues": {
        "nl": "… en nog {count} melding(en): zie het bestand met foutmeldingen.",
        "en": "… and {count} more: see the file with errors.",
    },
    "bulk.to_changes": {"nl": "Naar ingediende wijzigingen collectief", "en": "To submitted collective changes"},
    "bulk.percentage": {"nl": "Verhoging in procenten", "en": "Raise in percent"},
    "bulk.percentage_hint": {"nl": "Bijvoorbeeld 2,5 voor 2,5%.", "en": "For example 2.5 for 2.5%."},
    "bulk.preview": {"nl": "Bekijk het effect", "en": "Preview the effect"},
    "bulk.raise_submit": {"nl": "Verhoging indienen", "en": "Submit the raise"},
    "bulk.raise_summary": {
        "nl": "{count} deelnemer(s). Salarissen samen: {before} → {after}. Jaarpremie samen: {premium_before} → {premium_after}.",
        "en": "{count} participant(s). Salaries together: {before} → {after}. Yearly premium together: {premium_before} → {premium_after}.",
    },
    "bulk.raise_sample": {"nl": "Voorbeelden", "en": "Examples"},
    "bulk.col.number": {"nl": "Deelnemer", "en": "Participant"},
    "bulk.col.name": {"nl": "Naam", "en": "Name"},
    "bulk.col.old": {"nl": "Fulltime salaris nu", "en": "Full-time salary now"},
    "bulk.col.new": {"nl": "Nieuw fulltime salaris", "en": "New full-time salary"},
    "bulk.col.premium_old": {"nl": "Premie nu", "en": "Premium now"},
    "bulk.col.premium_new": {"nl": "Nieuwe premie", "en": "New premium"},
    "bulk.scheme": {"nl": "Regeling", "en": "Scheme"},
    "bulk.no_rights": {
        "nl": "U kunt met uw rol geen wijzigingen doorgeven.",
        "en": "Your role cannot submit changes.",
    },
    # ------------------------------------------------------------------------------------- the files
    "bulk.sheet_name": {"nl": "Deelnemers", "en": "Participants"},
    "bulk.notes_name": {"nl": "Toelichting", "en": "Instructions"},
    "bulk.notes_salary": {
        "nl": "Collectieve salaris- en parttimewijziging per {date} voor {scheme}. Vul kolom F (nieuw fulltime salaris) en/of G (nieuw parttimepercentage) in; laat leeg wat niet wijzigt. Wijzig de andere kolommen niet. Het salaris is het fulltime jaarsalaris (bij 100%); het parttimepercentage staat apart.",
        "en": "Collective salary and part-time change as of {date} for {scheme}. Fill in column F (new full-time salary) and/or G (new part-time %); leave empty what does not change. Do not change the other columns. The salary is the full-time yearly salary (at 100%); the part-time % is separate.",
    },
    "bulk.notes_email": {
        "nl": "Zakelijke e-mailadressen voor {scheme}. Vul kolom E in; laat leeg wat niet wijzigt.",
        "en": "Business e-mail addresses for {scheme}. Fill in column E; leave empty what does not change.",
    },
    "bulk.notes_new": {
        "nl": "Nieuwe deelnemers voor {scheme}. Regel 2 is een voorbeeld: overschrijf of verwijder die. Eén deelnemer per regel. Vul het fulltime jaarsalaris in (het salaris bij 100%); het parttimepercentage staat in een eigen kolom.",
        "en": "New participants for {scheme}. Row 2 is an example: overwrite or remove it. One participant per row. Enter the full-time yearly salary (the salary at 100%); the part-time % has its own column.",
    },
    "bulk.error_column": {"nl": "Foutmelding", "en": "Error"},
    "bulk.report_suffix": {"nl": "foutmeldingen", "en": "errors"},
    "bulk.row": {"nl": "Regel {row}", "en": "Row {row}"},
    "bulk.column": {"nl": "kolom {column}", "en": "column {column}"},
    # ------------------------------------------------------------------------------------- statuses
    "batch.status.validating": {"nl": "Wordt gecontroleerd", "en": "Being checked"},
    "batch.status.rejected": {"nl": "Afgekeurd", "en": "Rejected"},
    "batch.status.ready": {"nl": "Gecontroleerd, wacht op doorvoeren", "en": "Checked, waiting to be applied"},
    "batch.status.queued": {"nl": "In de wachtrij", "en": "Queued"},
    "batch.status.processing": {"nl": "Wordt verwerkt", "en": "Processing"},
    "batch.status.processed": {"nl": "Verwerkt", "en": "Processed"},
    "batch.status.failed": {"nl": "Mislukt", "en": "Failed"},
    "batch.status.discarded": {"nl": "Ingetrokken", "en": "Discarded"},
    "batch.kind.salary_parttime": {"nl": "Salaris en parttime", "en": "Salary and part-time"},
    "batch.kind.new_participants": {"nl": "Nieuwe deelnemers", "en": "New participants"},
    "batch.kind.business_email": {"nl": "Zakelijke e-mailadressen", "en": "Business e-mail addresses"},
    "batch.kind.integral_raise": {"nl": "Integrale verhoging {pct}%", "en": "Integral raise {pct}%"},
    "changes.collective": {"nl": "Ingediend collectief", "en": "Submitted collective"},
    "changes.individual": {"nl": "Ingediend individueel", "en": "Submitted individually"},
    "changes.col.file": {"nl": "Bestand", "en": "File"},
    "changes.col.kind": {"nl": "Soort", "en": "Kind"},
    "changes.col.uploaded_by": {"nl": "Door", "en": "By"},
    "changes.col.uploaded_at": {"nl": "Geüpload op", "en": "Uploaded at"},
    "changes.col.rows": {"nl": "Regels", "en": "Rows"},
    "changes.col.counts": {"nl": "Gewijzigd / fout", "en": "Changed / failed"},
    "changes.col.report": {"nl": "Rapport", "en": "Report"},
    "changes.col.actions": {"nl": "Acties", "en": "Actions"},
    "changes.no_batches": {"nl": "Nog geen collectieve wijzigingen.", "en": "No collective changes yet."},
    # -------------------------------------------------------------------------- reasons (BULK-5)
    "file_required": {"nl": "Kies een Excel-bestand (.xlsx).", "en": "Choose an Excel file (.xlsx)."},
    "file_empty": {"nl": "Het bestand is leeg.", "en": "The file is empty."},
    "file_too_large": {
        "nl": "Het bestand is groter dan {limit_mb} MB. Splits het bestand of verwijder overbodige tabbladen.",
        "en": "The file is larger than {limit_mb} MB. Split it or remove unneeded sheets.",
    },
    "file_not_xlsx": {
        "nl": "Dit is geen Excel-bestand (.xlsx). Sla het bestand op als Excel-werkmap (.xlsx) en upload het opnieuw.",
        "en": "This is not an Excel file (.xlsx). Save it as an Excel workbook (.xlsx) and upload it again.",
    },
    "file_password": {
        "nl": "Het bestand is met een wachtwoord beveiligd. Verwijder het wachtwoord en upload het opnieuw.",
        "en": "The file is protected with a password. Remove the password and upload it again.",
    },
    "file_corrupt": {
        "nl": "Het bestand is beschadigd en kan niet worden gelezen. Download het bestand opnieuw.",
        "en": "The file is damaged and cannot be read. Download the file again.",
    },
    "file_formulas": {
        "nl": "Het bestand bevat formules. Vul waarden in (plakken als waarden) en upload het opnieuw.",
        "en": "The file contains formulas. Enter values (paste as values) and upload it again.",
    },
    "file_too_many_rows": {
        "nl": "Het bestand heeft meer dan {limit} regels.",
        "en": "The file has more than {limit} rows.",
    },
    "file_no_rows": {"nl": "Het bestand heeft geen regels.", "en": "The file has no rows."},
    "file_no_changes": {
        "nl": "Er staat geen enkele wijziging in het bestand.",
        "en": "The file does not contain any change.",
    },
    "file_missing": {
        "nl": "Het geüploade bestand is niet meer beschikbaar. Upload het opnieuw.",
        "en": "The uploaded file is no longer available. Upload it again.",
    },
    "file_duplicate": {
        "nl": "Dit bestand is al eerder geüpload (wijziging {batch}, door {by}). Hetzelfde bestand wordt niet twee keer verwerkt.",
        "en": "This file was uploaded before (change {batch}, by {by}). The same file is not processed twice.",
    },
    "column_missing": {
        "nl": "Kolom {column} ontbreekt; verwacht: '{expected}'. Gebruik het gedownloade bestand zonder kolommen te verplaatsen.",
        "en": "Column {column} is missing; expected: '{expected_en}'. Use the downloaded file without moving columns.",
    },
    "column_renamed": {
        "nl": "Kolom {column} heet '{found}'; verwacht: '{expected}'. Gebruik het gedownloade bestand zonder kolommen te wijzigen.",
        "en": "Column {column} is called '{found}'; expected: '{expected_en}'. Use the downloaded file without changing columns.",
    },
    "number_missing": {"nl": "Het deelnemersnummer ontbreekt.", "en": "The participant number is missing."},
    "duplicate_row": {
        "nl": "Deze deelnemer staat al op regel {first_row}.",
        "en": "This participant is already on row {first_row}.",
    },
    "unknown_participant": {
        "nl": "Onbekend deelnemersnummer in deze regeling.",
        "en": "Unknown participant number in this scheme.",
    },
    "not_a_number": {"nl": "Vul een getal in.", "en": "Enter a number."},
    "example_row": {
        "nl": "Regel 2 is nog de voorbeeldregel. Overschrijf of verwijder die.",
        "en": "Row 2 is still the example row. Overwrite or remove it.",
    },
    "kind_invalid": {"nl": "Onbekende soort wijziging.", "en": "Unknown kind of change."},
    "collective_too_far_back": {
        "nl": "Een collectieve wijziging kan ingaan vanaf {date}. Neem voor eerdere data contact op met uw adviseur.",
        "en": "A collective change can take effect from {date}. For earlier dates, contact your adviser.",
    },
    "batch_discard_checking": {
        "nl": "Dit bestand wordt nog gecontroleerd. Wacht tot de controle klaar is; daarna kunt u het intrekken.",
        "en": "This file is still being checked. Wait until the check is done; then you can discard it.",
    },
    "batch_discard_applying": {
        "nl": "Deze wijziging wordt al doorgevoerd en kan niet meer worden ingetrokken.",
        "en": "This change is already being applied and can no longer be discarded.",
    },
    "batch_discard_applied": {
        "nl": "Deze wijziging is al doorgevoerd en kan niet meer worden ingetrokken.",
        "en": "This change has already been applied and can no longer be discarded.",
    },
    "batch_discard_done": {"nl": "Deze wijziging is al ingetrokken.", "en": "This change was already discarded."},
    "batch_not_discardable": {
        "nl": "Deze wijziging kan niet (meer) worden ingetrokken.",
        "en": "This change cannot be discarded (any more).",
    },
    "batch_not_ready": {
        "nl": "Deze wijziging kan niet (meer) worden doorgevoerd.",
        "en": "This change cannot be applied (any more).",
    },
    "percentage_invalid": {
        "nl": "Vul een percentage in, bijvoorbeeld 2,5.",
        "en": "Enter a percentage, for example 2.5.",
    },
    "percentage_range": {
        "nl": "Het percentage moet tussen {low} en {high} liggen en mag niet 0 zijn.",
        "en": "The percentage must be between {low} and {high} and not 0.",
    },
    "apply_error": {
        "nl": "Er ging iets mis bij het doorvoeren; er is niets gewijzigd. Probeer het later opnieuw.",
        "en": "Something went wrong while applying; nothing was changed. Try again later.",
    },
    "rows_failed": {
        "nl": "Bij het doorvoeren klopten niet alle regels meer; er is niets gewijzigd.",
        "en": "When applying, not all rows were valid any more; nothing was changed.",
    },
}
MESSAGES.update(
    {
        "mutation.kind.business_email": {"nl": "Zakelijk e-mailadres", "en": "Business e-mail address"},
        "mutation.field.business_email": {"nl": "Zakelijk e-mailadres", "en": "Business e-mail address"},
        # adviser review (MUT-6) on the intermediary home
        "review.title": {"nl": "Wijzigingen ter beoordeling", "en": "Changes to review"},
        "review.intro": {
            "nl": "Deze wijzigingen wachten op uw beoordeling. Goedkeuren voert de wijziging nu door; bij afkeuren ziet de werkgever uw reden.",
            "en": "These changes wait for your review. Approving applies the change now; when you reject it, the employer sees your reason.",
        },
        "review.none": {
            "nl": "Er wachten geen wijzigingen op beoordeling.",
            "en": "No changes are waiting for review.",
        },
        "review.approve": {"nl": "Goedkeuren", "en": "Approve"},
        "review.reject": {"nl": "Afkeuren", "en": "Reject"},
        "review.reason": {"nl": "Reden van afkeuren", "en": "Reason for rejecting"},
        "review.approved": {
            "nl": "De wijziging is goedgekeurd en doorgevoerd.",
            "en": "The change was approved and applied.",
        },
        "review.rejected": {"nl": "De wijziging is afgekeurd.", "en": "The change was rejected."},
        "review.not_allowed": {
            "nl": "U kunt deze wijziging niet (meer) beoordelen.",
            "en": "You cannot review this change (any more).",
        },
        "review.col.employer": {"nl": "Werkgever", "en": "Employer"},
        "review.col.participant": {"nl": "Deelnemer", "en": "Participant"},
        "review.col.change": {"nl": "Wijziging", "en": "Change"},
        "review.col.decision": {"nl": "Beslissing", "en": "Decision"},
    }
)
