"""Texts of the reconciliation against the insurer (INT-7): the page, the report, its xlsx and its tasks."""

MESSAGES: dict[str, dict[str, str]] = {
    "reconciliation.title": {"nl": "Afstemming met verzekeraar", "en": "Reconciliation with the insurer"},
    "reconciliation.intro": {
        "nl": "Upload de deelnemers- of premielijst van de verzekeraar (xlsx of csv) en zie de verschillen met "
        "het portaal op een peildatum. Verwachte kolommen: deelnemer- of polisnummer, BSN, geboortedatum, status, "
        "salaris, deeltijdpercentage en jaarpremie (Nederlandse of Engelse kopjes).",
        "en": "Upload the insurer's participant or premium list (xlsx or csv) and see the differences with the "
        "portal as of a date. Expected columns: participant or policy number, BSN, date of birth, status, salary, "
        "part-time % and yearly premium (Dutch or English headers).",
    },
    "reconciliation.employer": {"nl": "Werkgever", "en": "Employer"},
    "reconciliation.scheme": {"nl": "Regeling", "en": "Scheme"},
    "reconciliation.as_of": {"nl": "Peildatum", "en": "As-of date"},
    "reconciliation.money_tolerance": {"nl": "Marge bedragen (€)", "en": "Tolerance amounts (€)"},
    "reconciliation.parttime_tolerance": {"nl": "Marge deeltijd (%-punt)", "en": "Tolerance part-time (points)"},
    "reconciliation.file": {"nl": "Lijst van de verzekeraar (xlsx of csv)", "en": "Insurer's list (xlsx or csv)"},
    "reconciliation.compare": {"nl": "Vergelijken", "en": "Compare"},
    "reconciliation.no_file": {"nl": "Kies eerst een bestand.", "en": "Choose a file first."},
    "reconciliation.upload_failed": {
        "nl": "Het bestand kon niet worden verstuurd. Probeer het opnieuw.",
        "en": "The file could not be sent. Please try again.",
    },
    "reconciliation.report": {"nl": "Verschillen", "en": "Differences"},
    "reconciliation.summary": {
        "nl": "{file} op {day}: {insurer} regels van de verzekeraar, {portal} deelnames in het portaal, "
        "{matched} gekoppeld; marges {money} en {parttime} %-punt.",
        "en": "{file} as of {day}: {insurer} insurer lines, {portal} participations in the portal, {matched} "
        "matched; tolerances {money} and {parttime} points.",
    },
    "reconciliation.premium_totals": {
        "nl": "Jaarpremie verzekerden: verzekeraar {insurer}, portaal {portal}.",
        "en": "Yearly premium of the insured: insurer {insurer}, portal {portal}.",
    },
    "reconciliation.none": {"nl": "Geen verschillen gevonden.", "en": "No differences found."},
    "reconciliation.download": {"nl": "Download rapport (xlsx)", "en": "Download report (xlsx)"},
    "reconciliation.filter": {"nl": "Soort verschil", "en": "Kind of difference"},
    "reconciliation.all": {"nl": "Alle soorten", "en": "All kinds"},
    "reconciliation.col.kind": {"nl": "Soort", "en": "Kind"},
    "reconciliation.col.number": {"nl": "Nummer", "en": "Number"},
    "reconciliation.col.name": {"nl": "Naam", "en": "Name"},
    "reconciliation.col.portal": {"nl": "Portaal", "en": "Portal"},
    "reconciliation.col.insurer": {"nl": "Verzekeraar", "en": "Insurer"},
    "reconciliation.col.delta": {"nl": "Verschil", "en": "Difference"},
    "reconciliation.col.task": {"nl": "Taak", "en": "Task"},
    "reconciliation.make_task": {"nl": "Maak taak", "en": "Make task"},
    "reconciliation.task_made": {"nl": "Taak gemaakt", "en": "Task made"},
    "reconciliation.previous": {"nl": "Vorige", "en": "Previous"},
    "reconciliation.next": {"nl": "Volgende", "en": "Next"},
    "reconciliation.page": {"nl": "{first}–{last} van {total}", "en": "{first}–{last} of {total}"},
    "reconciliation.line": {"nl": "regel {line}", "en": "line {line}"},
    "reconciliation.status.active": {"nl": "verzekerd", "en": "insured"},
    "reconciliation.status.ended": {"nl": "beëindigd", "en": "ended"},
    "reconciliation.kind.insured_exited": {
        "nl": "Verzekerd bij verzekeraar, uit dienst in portaal",
        "en": "Insured at the insurer, exited in the portal",
    },
    "reconciliation.kind.insured_unknown": {
        "nl": "Verzekerd bij verzekeraar, onbekend in portaal",
        "en": "Insured at the insurer, unknown in the portal",
    },
    "reconciliation.kind.unknown_at_insurer": {
        "nl": "Actief in portaal, onbekend bij verzekeraar",
        "en": "Active in the portal, unknown to the insurer",
    },
    "reconciliation.kind.ended_at_insurer": {
        "nl": "Actief in portaal, beëindigd bij verzekeraar",
        "en": "Active in the portal, ended at the insurer",
    },
    "reconciliation.kind.salary": {"nl": "Salaris wijkt af", "en": "Salary differs"},
    "reconciliation.kind.parttime": {"nl": "Deeltijdpercentage wijkt af", "en": "Part-time % differs"},
    "reconciliation.kind.premium": {"nl": "Jaarpremie wijkt af", "en": "Yearly premium differs"},
    "reconciliation.task_title": {
        "nl": "Afstemming: {what} — {who} {values}",
        "en": "Reconciliation: {what} — {who} {values}",
    },
    "reconciliation.task_values": {
        "nl": "(portaal {portal}, verzekeraar {insurer})",
        "en": "(portal {portal}, insurer {insurer})",
    },
    "reconciliation.row_problem": {"nl": "regel {line}, {column}: {reason}", "en": "line {line}, {column}: {reason}"},
    "reconciliation.xlsx.sheet": {"nl": "Verschillen", "en": "Differences"},
    "reconciliation.xlsx.totals": {"nl": "Totalen", "en": "Totals"},
    "reconciliation.xlsx.title": {
        "nl": "Afstemming regeling {scheme} op {day}",
        "en": "Reconciliation of scheme {scheme} as of {day}",
    },
    "reconciliation.xlsx.tolerance": {
        "nl": "Marges: bedragen {money}, deeltijd {parttime} %-punt",
        "en": "Tolerances: amounts {money}, part-time {parttime} points",
    },
    "reconciliation.xlsx.rows": {
        "nl": "Regels verzekeraar: {insurer}; deelnames portaal: {portal}; gekoppeld: {matched}",
        "en": "Insurer lines: {insurer}; portal participations: {portal}; matched: {matched}",
    },
    "reconciliation.xlsx.premium": {
        "nl": "Jaarpremie verzekerden: verzekeraar {insurer}, portaal {portal}",
        "en": "Yearly premium of the insured: insurer {insurer}, portal {portal}",
    },
    # --------------------------------------------------------------------------------------------- errors
    "reconciliation_file_type": {
        "nl": "Dit bestand is geen xlsx- of csv-bestand.",
        "en": "This file is not an xlsx or csv file.",
    },
    "reconciliation_columns": {
        "nl": "De kolommen kloppen niet. Ontbrekend: {missing}. Dubbel: {duplicate}. Verwacht: deelnemer- of "
        "polisnummer, BSN, geboortedatum, status, salaris, deeltijdpercentage, jaarpremie.",
        "en": "The columns are not right. Missing: {missing}. Twice: {duplicate}. Expected: participant or "
        "policy number, BSN, date of birth, status, salary, part-time %, yearly premium.",
    },
    "reconciliation_rows": {
        "nl": "{count} cellen zijn niet te lezen, bijvoorbeeld {first}. Er is niets opgeslagen.",
        "en": "{count} cells cannot be read, for example {first}. Nothing was stored.",
    },
    "reconciliation_date": {"nl": "Vul een geldige peildatum in.", "en": "Enter a valid as-of date."},
    "reconciliation_tolerance": {
        "nl": "Een marge is een getal van 0 of meer.",
        "en": "A tolerance is a number of 0 or more.",
    },
    "reconciliation_value_empty": {"nl": "leeg", "en": "empty"},
    "reconciliation_value_number": {"nl": "geen getal", "en": "not a number"},
    "reconciliation_value_money": {"nl": "geen geldig bedrag", "en": "not a valid amount"},
    "reconciliation_value_parttime": {"nl": "geen percentage van 0 tot 100", "en": "not a percentage 0 to 100"},
    "reconciliation_value_date": {"nl": "geen datum", "en": "not a date"},
    "reconciliation_value_bsn": {"nl": "geen BSN", "en": "not a BSN"},
    "reconciliation_value_status": {"nl": "onbekende status", "en": "unknown status"},
    "reconciliation_value_identity": {
        "nl": "geen nummer en geen BSN met geboortedatum",
        "en": "no number and no BSN with date of birth",
    },
    "reconciliation_value_repeated": {"nl": "nummer komt twee keer voor", "en": "number appears twice"},
    # ------------------------------------------------------------------------------ the job, the insurer's records
    "reconciliation.fetch": {"nl": "Ophalen bij de verzekeraar", "en": "Fetch from the insurer"},
    "reconciliation.fetch_intro": {
        "nl": "Deze regeling is gekoppeld met een verzekeraar: vergelijk in plaats van een bestand de gegevens die "
        "de verzekeraar zelf heeft. Verzekeraar:",
        "en": "This scheme is coupled with an insurer: instead of a file, compare the records the insurer has. "
        "Insurer:",
    },
    "reconciliation.progress": {"nl": "Voortgang van de vergelijking", "en": "Progress of the comparison"},
    "reconciliation.running": {
        "nl": "Het bestand wordt vergeleken met het portaal…",
        "en": "The file is being compared with the portal…",
    },
    "reconciliation.fetching": {
        "nl": "De gegevens van {insurer} worden opgehaald en vergeleken met het portaal…",
        "en": "The records of {insurer} are being fetched and compared with the portal…",
    },
    "reconciliation.job_failed": {
        "nl": "De vergelijking is mislukt; er is niets opgeslagen. Probeer het opnieuw.",
        "en": "The comparison failed; nothing was stored. Please try again.",
    },
    "reconciliation_no_adapter": {
        "nl": "Voor deze regeling staat geen koppeling met een verzekeraar aan waarvan de gegevens kunnen worden "
        "opgehaald.",
        "en": "This scheme has no coupling switched on with an insurer whose records can be fetched.",
    },
    "reconciliation_fetch_failed": {
        "nl": "{insurer} gaf geen bruikbaar antwoord ({reason}). Er is niets opgeslagen; probeer het later opnieuw.",
        "en": "{insurer} gave no usable answer ({reason}). Nothing was stored; please try again later.",
    },
    "reconciliation_fetch_empty": {
        "nl": "{insurer} kent geen deelnemers in deze regeling. Er is niets opgeslagen.",
        "en": "{insurer} knows no participants in this scheme. Nothing was stored.",
    },
    "reconciliation_out_of_scope": {
        "nl": "Deze werkgever hoort niet (meer) bij uw portefeuille. Er is niets opgeslagen.",
        "en": "This employer is not (or no longer) in your portfolio. Nothing was stored.",
    },
}
