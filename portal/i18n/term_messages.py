"""Terms explained (EE-2): the name and a short explanation of every coverage and term the employee sees, for the
"i" buttons (``portal.components.term_info``) and the glossary on the FAQ page. ``TERMS`` lists them in the
order of the glossary; every term has ``term.<key>.name`` and ``term.<key>.text`` in Dutch and English."""

TERMS: tuple[str, ...] = (
    "status_active",
    "status_passive",
    "status_ended",
    "contract_number",
    "scheme_number",
    "participant_number",
    "yearly_premium",
    "pensionable_salary",
    "franchise",
    "pension_base",
    "parttime_factor",
    "available_premium",
    "retirement_age",
    "partner_pension",
    "orphan_pension",
    "anw_gap",
    "death_cover",
    "disability_pension",
    "premium_waiver",
    "dormant_rights",
    "value_transfer",
)

# The term that explains a scheme of each kind (``Scheme.kind``), shown beside the scheme's name on a contract card.
TERM_OF_SCHEME_KIND: dict[str, str] = {
    "OP": "available_premium",
    "NP": "partner_pension",
    "WZP": "orphan_pension",
    "ANW": "anw_gap",
    "ORV": "death_cover",
    "WIA": "disability_pension",
    "WAIVER": "premium_waiver",
}

MESSAGES: dict[str, dict[str, str]] = {
    "term.explain": {"nl": "Uitleg: {term}", "en": "Explanation: {term}"},
    "term.close": {"nl": "Uitleg sluiten", "en": "Close explanation"},
    "term.status_active.name": {"nl": "actief contract", "en": "active contract"},
    "term.status_active.text": {
        "nl": "Uw werkgever betaalt nog premie voor deze regeling. U bouwt dus nog op, en de dekkingen lopen door.",
        "en": "Your employer still pays premium for this scheme. You are still building up, and the coverages "
        "continue.",
    },
    "term.status_passive.name": {"nl": "passief contract", "en": "passive contract"},
    "term.status_passive.text": {
        "nl": "Er wordt geen premie meer betaald, meestal omdat u uit dienst bent. Wat u heeft opgebouwd blijft "
        "staan tot uw pensioen (premievrije of 'slapende' rechten), maar er komt niets meer bij.",
        "en": "No premium is paid any more, usually because you left the employer. What you built up stays until "
        "you retire (paid-up or 'dormant' rights), but nothing new is added.",
    },
    "term.status_ended.name": {"nl": "beëindigd contract", "en": "ended contract"},
    "term.status_ended.text": {
        "nl": "Er staat niets meer op dit contract: het opgebouwde bedrag is uitgekeerd of overgedragen. U ziet het "
        "contract nog zes maanden na het einde; daarna verdwijnt het uit dit overzicht.",
        "en": "Nothing is left on this contract: what was built up has been paid out or transferred. You see the "
        "contract for six more months after it ended; then it disappears from this overview.",
    },
    "term.contract_number.name": {"nl": "contractnummer", "en": "contract number"},
    "term.contract_number.text": {
        "nl": "Het nummer van het contract tussen uw werkgever en de verzekeraar. Noem het als u de verzekeraar "
        "belt of mailt.",
        "en": "The number of the contract between your employer and the insurer. Mention it when you call or "
        "e-mail the insurer.",
    },
    "term.scheme_number.name": {"nl": "regelingnummer", "en": "scheme number"},
    "term.scheme_number.text": {
        "nl": "Onder één contract kunnen meer regelingen vallen, bijvoorbeeld ouderdomspensioen (OP) en "
        "partnerpensioen (NP). Elke regeling heeft een eigen nummer, vaak de laatste twee cijfers van het "
        "contractnummer (zoals 01).",
        "en": "One contract can hold several schemes, for example retirement pension (OP) and partner pension "
        "(NP). Each scheme has its own number, often the last two digits of the contract number (such as 01).",
    },
    "term.participant_number.name": {"nl": "deelnemersnummer", "en": "participant number"},
    "term.participant_number.text": {
        "nl": "Uw nummer als deelnemer in de regeling van deze werkgever. Bij een andere werkgever heeft u een "
        "ander nummer.",
        "en": "Your number as a participant in this employer's scheme. At another employer you have another number.",
    },
    "term.yearly_premium.name": {"nl": "jaarpremie", "en": "yearly premium"},
    "term.yearly_premium.text": {
        "nl": "Wat er per jaar voor deze regeling wordt betaald, berekend op uw gegevens van vandaag. Wie de "
        "premie betaalt (werkgever, of deels u via uw salaris) staat in de pensioenregeling van uw werkgever.",
        "en": "What is paid per year for this scheme, calculated on your data as of today. Who pays it (the "
        "employer, or partly you through your salary) is set out in your employer's pension scheme.",
    },
    "term.pensionable_salary.name": {"nl": "pensioengevend salaris", "en": "pensionable salary"},
    "term.pensionable_salary.text": {
        "nl": "Het deel van uw jaarsalaris (omgerekend naar een volledige baan) dat meetelt voor uw pensioen, tot "
        "het maximum van de regeling. De franchise gaat er nog af; zie 'pensioengrondslag'.",
        "en": "The part of your yearly salary (converted to a full-time job) that counts for your pension, up to "
        "the scheme's maximum. The franchise is still taken off; see 'pension base'.",
    },
    "term.franchise.name": {"nl": "franchise", "en": "franchise"},
    "term.franchise.text": {
        "nl": "Het deel van uw salaris waarover u geen pensioen opbouwt, omdat u daarvoor later AOW van de "
        "overheid krijgt. De regeling stelt het bedrag per jaar vast.",
        "en": "The part of your salary on which you build no pension, because the state pension (AOW) covers it "
        "later. The scheme sets the amount each year.",
    },
    "term.pension_base.name": {"nl": "pensioengrondslag", "en": "pension base"},
    "term.pension_base.text": {
        "nl": "Het bedrag waarover de premie wordt berekend: pensioengevend salaris min de franchise, maal uw "
        "deeltijdfactor. Voorbeeld: € 40.000 min € 18.475 franchise, bij 50% deeltijd, is € 10.762,50.",
        "en": "The amount the premium is calculated on: pensionable salary minus the franchise, times your "
        "part-time factor. Example: € 40,000 minus a € 18,475 franchise, working 50%, is € 10,762.50.",
    },
    "term.parttime_factor.name": {"nl": "deeltijdfactor", "en": "part-time factor"},
    "term.parttime_factor.text": {
        "nl": "Hoeveel u werkt ten opzichte van een volledige baan, bijvoorbeeld 80%. Uw pensioengrondslag en "
        "premie gaan naar verhouding omlaag.",
        "en": "How much you work compared with a full-time job, for example 80%. Your pension base and premium go "
        "down in proportion.",
    },
    "term.available_premium.name": {"nl": "beschikbarepremieregeling", "en": "available-premium scheme"},
    "term.available_premium.text": {
        "nl": "Een pensioenregeling waarin elk jaar een premie (de spaarbijdrage) op uw eigen rekening wordt gestort "
        "en belegd. Hoeveel pensioen u krijgt, hangt af van het rendement en van de rente als u met pensioen gaat.",
        "en": "A pension scheme in which a premium (the savings contribution) is paid into your own account and "
        "invested every year. How much pension you get depends on the returns and on interest rates when you "
        "retire.",
    },
    "term.retirement_age.name": {"nl": "pensioenleeftijd", "en": "retirement age"},
    "term.retirement_age.text": {
        "nl": "De leeftijd waarop uw pensioen volgens de regeling ingaat, vaak gelijk aan de AOW-leeftijd. Eerder "
        "of later stoppen kan soms; uw verzekeraar rekent het voor u uit.",
        "en": "The age at which your pension starts under the scheme, often the same as the state pension (AOW) "
        "age. Stopping earlier or later is sometimes possible; your insurer works it out for you.",
    },
    "term.partner_pension.name": {"nl": "partnerpensioen", "en": "partner pension"},
    "term.partner_pension.text": {
        "nl": "Een uitkering voor uw partner als u overlijdt. Per dienstjaar bouwt u een bedrag op; de regeling zegt "
        "wie als partner telt (getrouwd, geregistreerd of samenwonend met contract).",
        "en": "A benefit for your partner if you die. You build up an amount for each year of service; the scheme "
        "says who counts as a partner (married, registered or living together with a contract).",
    },
    "term.orphan_pension.name": {"nl": "wezenpensioen", "en": "orphan pension"},
    "term.orphan_pension.text": {
        "nl": "Een uitkering voor uw kinderen als u overlijdt, meestal tot ze 18 of 21 zijn (langer als ze studeren, "
        "als de regeling dat zegt).",
        "en": "A benefit for your children if you die, usually until they are 18 or 21 (longer while they study, "
        "if the scheme says so).",
    },
    "term.anw_gap.name": {"nl": "Anw-hiaat", "en": "ANW gap"},
    "term.anw_gap.text": {
        "nl": "De Anw is een uitkering van de overheid voor nabestaanden, maar alleen onder strenge voorwaarden "
        "(bijvoorbeeld een kind jonger dan 18). Een Anw-hiaatverzekering keert uit als uw partner die uitkering "
        "niet of maar deels krijgt.",
        "en": "The ANW is a state benefit for surviving dependants, but only under strict conditions (for example "
        "a child under 18). An ANW gap cover pays out when your partner gets none or only part of it.",
    },
    "term.death_cover.name": {"nl": "overlijdensrisicodekking", "en": "death cover"},
    "term.death_cover.text": {
        "nl": "Een bedrag dat ineens wordt uitgekeerd aan uw nabestaanden als u overlijdt terwijl u deelneemt.",
        "en": "A lump sum paid to your surviving dependants if you die while you take part in the scheme.",
    },
    "term.disability_pension.name": {"nl": "arbeidsongeschiktheidspensioen", "en": "disability pension"},
    "term.disability_pension.text": {
        "nl": "Een aanvulling op uw WIA-uitkering als u langdurig (deels) niet kunt werken door ziekte. Het vult vaak "
        "het inkomen aan boven het maximum dat de overheid verzekert (WIA-excedent).",
        "en": "A top-up of your WIA benefit if illness leaves you (partly) unable to work for a long time. It often "
        "covers income above the maximum the state insures (WIA excess).",
    },
    "term.premium_waiver.name": {
        "nl": "premievrijstelling bij arbeidsongeschiktheid",
        "en": "premium waiver on disability",
    },
    "term.premium_waiver.text": {
        "nl": "Als u arbeidsongeschikt wordt, gaat uw pensioenopbouw door zonder dat er (volledig) premie voor "
        "wordt betaald. De verzekeraar neemt die premie over, naar de mate waarin u arbeidsongeschikt bent.",
        "en": "If you become unable to work, your pension keeps building up without (full) premium being paid. The "
        "insurer takes that premium over, in proportion to how far you are unable to work.",
    },
    "term.dormant_rights.name": {"nl": "slapersrechten", "en": "dormant rights"},
    "term.dormant_rights.text": {
        "nl": "Wat u heeft opgebouwd bij een vorige werkgever. Het blijft bij die verzekeraar staan tot uw "
        "pensioen; er komt geen premie meer bij.",
        "en": "What you built up with a former employer. It stays with that insurer until you retire; no premium "
        "is added any more.",
    },
    "term.value_transfer.name": {"nl": "waardeoverdracht", "en": "value transfer"},
    "term.value_transfer.text": {
        "nl": "Het meenemen van uw opgebouwde pensioen naar de regeling van een nieuwe werkgever. Na overdracht "
        "staat er bij de oude verzekeraar niets meer; dat contract eindigt dan.",
        "en": "Taking the pension you built up to a new employer's scheme. After the transfer nothing is left with "
        "the old insurer; that contract then ends.",
    },
}
