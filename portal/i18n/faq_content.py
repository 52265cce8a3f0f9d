"""FAQ texts (EE-2, EMP-1): the employee's and the employer's questions and answers in Dutch and English. They
describe only what the portal does today. Kept out of the page-wide message table (they are long, and only the
FAQ pages need them): the FAQ state searches them on the server and sends the matches."""

from __future__ import annotations

from portal.i18n import normalise_language

QA = dict[str, dict[str, str]]  # {"q": {"nl", "en"}, "a": {"nl", "en"}}

EMPLOYEE: dict[str, QA] = {
    "what_see": {
        "q": {
            "nl": "Wat zie ik onder 'Mijn contracten'?",
            "en": "What do I see under 'My contracts'?",
        },
        "a": {
            "nl": "Al uw groepsverzekeringen: per contract de werkgever, de verzekeraar, het contractnummer, uw "
            "deelnemersnummer en de status, en per regeling de looptijd, de jaarpremie, het pensioengevend salaris "
            "en de dekking. Ook contracten van vorige werkgevers staan erbij.",
            "en": "All your group insurance contracts: for each contract the employer, the insurer, the contract "
            "number, your participant number and the status, and for each scheme the period, the yearly premium, "
            "the pensionable salary and the coverage. Contracts of former employers are included.",
        },
    },
    "statuses": {
        "q": {
            "nl": "Wat betekenen actief, passief en beëindigd?",
            "en": "What do active, passive and ended mean?",
        },
        "a": {
            "nl": "Actief: er wordt nog premie betaald en u bouwt op. Passief: er wordt geen premie meer betaald "
            "(meestal omdat u uit dienst bent), maar wat u heeft opgebouwd blijft staan. Beëindigd: er staat niets "
            "meer op het contract, bijvoorbeeld na een waardeoverdracht.",
            "en": "Active: premium is still paid and you are building up. Passive: no premium is paid any more "
            "(usually because you left), but what you built up remains. Ended: nothing is left on the contract, "
            "for example after a value transfer.",
        },
    },
    "ended_visible": {
        "q": {
            "nl": "Hoe lang zie ik een beëindigd contract?",
            "en": "How long do I see an ended contract?",
        },
        "a": {
            "nl": "Zes maanden na de einddatum. Op de kaart staat tot welke dag u het nog ziet; daarna verdwijnt het "
            "uit het overzicht.",
            "en": "For six months after its end date. The card says until which day you can see it; after that it "
            "disappears from the overview.",
        },
    },
    "former_employer": {
        "q": {
            "nl": "Waarom zie ik een contract van een vorige werkgever?",
            "en": "Why do I see a contract of a former employer?",
        },
        "a": {
            "nl": "Wat u bij een vorige werkgever heeft opgebouwd, blijft van u (slapersrechten). Zolang er iets op "
            "staat, ziet u dat contract hier als passief, met het label 'Vorige werkgever'. Ook na uw vertrek houdt "
            "u toegang tot uw eigen gegevens.",
            "en": "What you built up with a former employer stays yours (dormant rights). As long as something is "
            "left, you see that contract here as passive, labelled 'Former employer'. You keep access to your own "
            "data after you leave.",
        },
    },
    "figures": {
        "q": {
            "nl": "Hoe worden de bedragen berekend?",
            "en": "How are the amounts calculated?",
        },
        "a": {
            "nl": "Uit de gegevens die uw werkgever heeft doorgegeven (salaris, deeltijdpercentage, datum in dienst) "
            "en de cijfers van de regeling voor dit jaar (franchise, maximum salaris, premiepercentages), per de "
            "datum bovenaan de pagina. Wat u uiteindelijk krijgt, staat in het pensioenreglement van uw werkgever "
            "en bij de verzekeraar.",
            "en": "From the data your employer has reported (salary, part-time percentage, date of joining) and the "
            "scheme's figures for this year (franchise, maximum salary, premium percentages), as of the date at the "
            "top of the page. What you finally receive is set out in your employer's pension regulations and by "
            "the insurer.",
        },
    },
    "data_wrong": {
        "q": {
            "nl": "Mijn salaris of deeltijdpercentage klopt niet. Kan ik dat aanpassen?",
            "en": "My salary or part-time percentage is wrong. Can I change it?",
        },
        "a": {
            "nl": "Nee, dat kan niet in het portaal: uw werkgever houdt uw gegevens bij en geeft wijzigingen door. "
            "Neem contact op met de personeelsafdeling (HR) van uw werkgever; na hun wijziging ziet u de nieuwe "
            "bedragen hier.",
            "en": "No, not in the portal: your employer keeps your data and reports changes. Contact your "
            "employer's HR department; once they have changed it, you see the new amounts here.",
        },
    },
    "terms": {
        "q": {
            "nl": "Wat betekenen woorden als franchise of premievrijstelling?",
            "en": "What do words like franchise or premium waiver mean?",
        },
        "a": {
            "nl": "Tik op de 'i' naast een woord op uw contractkaart voor een korte uitleg. Onder de vragen op deze "
            "pagina staan alle begrippen op een rij.",
            "en": "Tap the 'i' beside a word on your contract card for a short explanation. Below the questions on "
            "this page you find all terms together.",
        },
    },
    "changed_jobs": {
        "q": {
            "nl": "Ik ga naar een andere werkgever. Wat gebeurt er met mijn pensioen?",
            "en": "I am moving to another employer. What happens to my pension?",
        },
        "a": {
            "nl": "Uw werkgever geeft uw uitdiensttreding door; vanaf dan is het contract passief en blijft uw "
            "opgebouwde pensioen staan. U kunt het soms meenemen naar de regeling van uw nieuwe werkgever "
            "(waardeoverdracht); vraag dat aan bij de verzekeraar van uw nieuwe werkgever.",
            "en": "Your employer reports that you leave; from then on the contract is passive and your pension built "
            "up so far remains. You can sometimes take it to your new employer's scheme (value transfer); ask the "
            "insurer of your new employer.",
        },
    },
    "contact": {
        "q": {
            "nl": "Wie kan ik bellen of mailen met een vraag?",
            "en": "Whom can I call or e-mail with a question?",
        },
        "a": {
            "nl": "Over uw gegevens (salaris, deeltijd, partner, uitdiensttreding): de personeelsafdeling (HR) van "
            "uw werkgever. Over uw pensioen of verzekering zelf: de verzekeraar op uw contractkaart; noem uw "
            "contract- en deelnemersnummer.",
            "en": "About your data (salary, part-time, partner, leaving): your employer's HR department. About your "
            "pension or insurance itself: the insurer on your contract card; mention your contract and participant "
            "number.",
        },
    },
    "language": {
        "q": {
            "nl": "Kan ik het portaal in het Engels zien?",
            "en": "Can I see the portal in Dutch?",
        },
        "a": {
            "nl": "Ja. Met de wereldbol bovenaan wisselt u tussen Nederlands en Engels; het portaal onthoudt uw keuze.",
            "en": "Yes. The globe at the top switches between Dutch and English; the portal remembers your choice.",
        },
    },
    "privacy": {
        "q": {
            "nl": "Wie kan mijn gegevens zien?",
            "en": "Who can see my data?",
        },
        "a": {
            "nl": "U ziet alleen uw eigen contracten. Uw werkgever en diens adviseur zien de gegevens die zij voor de "
            "regeling nodig hebben.",
            "en": "You see only your own contracts. Your employer and its adviser see the data they need for the "
            "scheme.",
        },
    },
}

EMPLOYER: dict[str, QA] = {
    "new_participant": {
        "q": {
            "nl": "Hoe meld ik een nieuwe deelnemer aan?",
            "en": "How do I enrol a new participant?",
        },
        "a": {
            "nl": "Via 'Nieuwe deelnemer' in het menu (HR en Gebruikersbeheer): kies de regeling, vul de gegevens in, "
            "controleer de samenvatting en verstuur. Veel nieuwe deelnemers tegelijk meldt u met een Excel-bestand "
            "onder 'Collectieve wijzigingen'.",
            "en": "Through 'New participant' in the menu (HR and User management): choose the scheme, fill in the "
            "data, check the summary and send. Many new participants at once go in an Excel file under "
            "'Collective changes'.",
        },
    },
    "salary_change": {
        "q": {
            "nl": "Hoe geef ik een salaris- of deeltijdwijziging door?",
            "en": "How do I report a change of salary or part-time percentage?",
        },
        "a": {
            "nl": "Open de deelnemer onder 'Deelnemers' en kies 'Salaris en/of parttimepercentage wijzigen'. Vul het "
            "volledige (fulltime) jaarsalaris in; het parttimepercentage staat apart. Voor alle deelnemers tegelijk "
            "gebruikt u 'Collectieve wijzigingen'.",
            "en": "Open the participant under 'Participants' and choose 'Change salary and/or part-time "
            "percentage'. Enter the full-time yearly salary; the part-time percentage is separate. For all "
            "participants at once, use 'Collective changes'.",
        },
    },
    "exit": {
        "q": {
            "nl": "Hoe geef ik een uitdiensttreding door?",
            "en": "How do I report that someone leaves?",
        },
        "a": {
            "nl": "Open de deelnemer onder 'Deelnemers' en kies 'Uitdiensttreding doorgeven'. De medewerker houdt "
            "daarna toegang tot de eigen gegevens; uw adviseur krijgt een taak om hem of haar te informeren.",
            "en": "Open the participant under 'Participants' and choose 'Report an exit'. The employee keeps access "
            "to their own data afterwards; your adviser gets a task to inform them.",
        },
    },
    "dates": {
        "q": {
            "nl": "Hoe ver vooruit of terug mag een wijzigingsdatum liggen?",
            "en": "How far ahead or back may a change take effect?",
        },
        "a": {
            "nl": "Een wijziging mag tot drie maanden in de toekomst ingaan. Met terugwerkende kracht mag ook; ligt "
            "de datum verder terug dan de regeling toestaat, dan wordt de wijziging eerst beoordeeld.",
            "en": "A change may take effect up to three months in the future. Backdated changes are allowed; if the "
            "date lies further back than the scheme allows, the change is reviewed first.",
        },
    },
    "needs_review": {
        "q": {
            "nl": "Wat betekent 'Wordt beoordeeld'?",
            "en": "What does 'Needs review' mean?",
        },
        "a": {
            "nl": "Uw adviseur of de verzekeraar kijkt de wijziging eerst na. U ziet de uitkomst onder 'Ingediende "
            "wijzigingen': verwerkt, of afgewezen met de reden.",
            "en": "Your adviser or the insurer checks the change first. You see the outcome under 'Submitted "
            "changes': processed, or rejected with the reason.",
        },
    },
    "dormant": {
        "q": {
            "nl": "Waarom kan ik een slaper niet wijzigen?",
            "en": "Why can I not change a dormant participant?",
        },
        "a": {
            "nl": "Een slaper is uit dienst en bouwt bij u niets meer op; het portaal neemt voor hem of haar geen "
            "wijzigingen aan. Klopt er iets niet, neem dan contact op met uw adviseur.",
            "en": "A dormant participant has left and no longer builds up with you; the portal takes no changes for "
            "them. If something is wrong, contact your adviser.",
        },
    },
    "documents": {
        "q": {
            "nl": "Waar vind ik facturen en het pensioenreglement?",
            "en": "Where do I find invoices and the pension regulations?",
        },
        "a": {
            "nl": "Onder 'Documenten', per regeling. Financiële documenten ziet u met de rol Financiën, juridische "
            "documenten met de rol HR; Gebruikersbeheer ziet beide.",
            "en": "Under 'Documents', per scheme. Financial documents are for the Finance role, legal documents for "
            "the HR role; User management sees both.",
        },
    },
    "scheme_change": {
        "q": {
            "nl": "Kan ik de pensioenregeling zelf aanpassen?",
            "en": "Can I change the pension scheme myself?",
        },
        "a": {
            "nl": "Nee. Onder 'Pensioenregeling' ziet u de regeling, maar een wijziging van de regeling of het "
            "contract gaat via uw adviseur of de verzekeraar; hun gegevens staan op deze pagina.",
            "en": "No. Under 'Scheme' you see the scheme, but a change of the scheme or the contract goes through "
            "your adviser or the insurer; their contact data are on this page.",
        },
    },
    "accounts": {
        "q": {
            "nl": "Hoe maak ik een account aan voor een collega?",
            "en": "How do I create an account for a colleague?",
        },
        "a": {
            "nl": "Met de rol Gebruikersbeheer, onder 'Portaalaccounts'. Kies de rollen (HR, Financiën, "
            "Gebruikersbeheer; ook samen); de collega krijgt een activatiemail.",
            "en": "With the User management role, under 'Portal accounts'. Choose the roles (HR, Finance, User "
            "management; combinable); your colleague receives an activation e-mail.",
        },
    },
    "company_data": {
        "q": {
            "nl": "Hoe wijzig ik ons adres of de contactpersoon?",
            "en": "How do I change our address or contact person?",
        },
        "a": {
            "nl": "Onder 'Mijn gegevens' (met de rol Financiën of Gebruikersbeheer). Naam en KvK-nummer wijzigt u via "
            "uw adviseur.",
            "en": "Under 'My details' (with the Finance or User management role). The name and KvK number are "
            "changed through your adviser.",
        },
    },
    "idea": {
        "q": {
            "nl": "Ik heb een idee of verbeterpunt voor het portaal. Waar laat ik dat?",
            "en": "I have an idea or improvement for the portal. Where do I send it?",
        },
        "a": {
            "nl": "In het formulier 'Heeft u een goed idee?' op deze pagina. Uw bericht komt als taak bij uw "
            "adviseurskantoor terecht.",
            "en": "In the form 'Have a good idea?' on this page. Your message reaches your adviser's office as a task.",
        },
    },
}

AUDIENCES: dict[str, dict[str, QA]] = {"employee": EMPLOYEE, "employer": EMPLOYER}


def questions(audience: str, lang: str) -> list[tuple[str, str, str]]:
    """(key, question, answer) of ``audience``'s FAQ in ``lang`` (Dutch for an unknown language), in order."""
    lang = normalise_language(lang)
    return [(key, qa["q"][lang], qa["a"][lang]) for key, qa in AUDIENCES.get(audience, {}).items()]
