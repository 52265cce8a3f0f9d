"""Texts of the employee's calculators (EE-6): deferred compensation, the projection of the retirement capital,
their fields, messages, results and chart summaries."""

MESSAGES: dict[str, dict[str, str]] = {
    "menu.calculators": {"nl": "Berekenen", "en": "Calculators"},
    "title.calculators": {"nl": "Berekenen", "en": "Calculators"},
    "calc.intro": {
        "nl": "Reken uit wat ruilen van brutoloon voor pensioen u netto kost, en wat u bij pensioen ongeveer hebt.",
        "en": "Work out what exchanging gross pay for pension costs you net, and roughly what you will have at "
        "retirement.",
    },
    "calc.estimate": {
        "nl": "Dit is een schatting, geen advies of toezegging. De uitkomst kan anders zijn dan wat u later echt "
        "krijgt of betaalt.",
        "en": "This is an estimate, not advice or a promise. The outcome may differ from what you will actually "
        "receive or pay.",
    },
    "calc.none": {
        "nl": "U hebt geen actieve pensioenregeling met een beschikbare premie. De rekenhulpen zijn er alleen "
        "voor zo'n regeling.",
        "en": "You have no active pension scheme with an available premium. The calculators are only for such a "
        "scheme.",
    },
    "calc.no_year": {
        "nl": "Voor {year} zijn nog geen rekenwaarden bekend. Probeer het later opnieuw.",
        "en": "No calculation figures are known for {year} yet. Please try again later.",
    },
    "calc.participation": {"nl": "Regeling", "en": "Scheme"},
    "calc.participation_at": {"nl": "{scheme} bij {employer}", "en": "{scheme} at {employer}"},
    "calc.premium_today": {"nl": "Jaarpremie nu", "en": "Yearly premium today"},
    "calc.compute": {"nl": "Bereken", "en": "Calculate"},
    # deferred compensation
    "calc.deferral.heading": {"nl": "Brutoloon ruilen voor pensioen", "en": "Exchange gross pay for pension"},
    "calc.deferral.help": {
        "nl": "U legt elke maand een deel van uw brutoloon in voor uw pensioen. Daarover betaalt u nu geen "
        "loonheffing, dus uw nettoloon daalt minder dan het bedrag dat u inlegt.",
        "en": "Each month you put part of your gross pay into your pension. You pay no wage tax on it now, so "
        "your net pay drops by less than the amount you put in.",
    },
    "calc.field.wage": {"nl": "Uw brutoloon per jaar (€)", "en": "Your gross pay per year (€)"},
    "calc.field.wage_hint": {
        "nl": "Ingevuld met uw salaris × deeltijdpercentage bij de werkgever; pas het aan als het anders is.",
        "en": "Filled in with your salary × part-time percentage at the employer; change it if it differs.",
    },
    "calc.field.amount": {
        "nl": "Bedrag per maand dat u inlegt, bruto (€)",
        "en": "Amount per month you put in, gross (€)",
    },
    "calc.field.amount_hint": {
        "nl": "In {year} samen hoogstens {limit} per jaar.",
        "en": "In {year} at most {limit} per year in total.",
    },
    "calc.result.net_before": {"nl": "Nettoloon per maand nu", "en": "Net pay per month now"},
    "calc.result.net_after": {"nl": "Nettoloon per maand daarna", "en": "Net pay per month after"},
    "calc.result.net_change": {"nl": "Verschil netto per maand", "en": "Difference in net pay per month"},
    "calc.result.tax_saved": {
        "nl": "Minder belasting en premies per maand",
        "en": "Less tax and contributions per month",
    },
    "calc.result.pension_before": {"nl": "Pensioeninleg per jaar nu", "en": "Pension contribution per year now"},
    "calc.result.pension_after": {"nl": "Pensioeninleg per jaar daarna", "en": "Pension contribution per year after"},
    "calc.deferral.sentence": {
        "nl": "U legt {amount} per maand in. Uw nettoloon daalt met ongeveer {net} per maand; uw pensioeninleg "
        "stijgt met {yearly} per jaar.",
        "en": "You put in {amount} per month. Your net pay drops by about {net} per month; your pension "
        "contribution rises by {yearly} per year.",
    },
    "calc.chart.deferral.title": {"nl": "Uw brutoloon per maand, verdeeld", "en": "Your gross pay per month, split"},
    "calc.chart.before": {"nl": "Nu", "en": "Now"},
    "calc.chart.after": {"nl": "Met inleg", "en": "With deferral"},
    "calc.chart.net": {"nl": "Netto", "en": "Net"},
    "calc.chart.tax": {"nl": "Belasting en premies", "en": "Tax and contributions"},
    "calc.chart.pension": {"nl": "Naar pensioen", "en": "To pension"},
    "calc.chart.deferral.summary": {
        "nl": "Nu: netto {net_before}, belasting en premies {tax_before}. Met inleg: netto {net_after}, "
        "belasting en premies {tax_after}, naar pensioen {amount}.",
        "en": "Now: net {net_before}, tax and contributions {tax_before}. With deferral: net {net_after}, "
        "tax and contributions {tax_after}, to pension {amount}.",
    },
    # projection
    "calc.projection.heading": {"nl": "Uw pensioenkapitaal bij pensioen", "en": "Your pension capital at retirement"},
    "calc.projection.help": {
        "nl": "We rekenen met de premie van nu tot uw pensioenleeftijd van {age} jaar ({years} jaar), met drie "
        "rendementen.",
        "en": "We calculate with today's premium up to your retirement age of {age} ({years} years), with three "
        "returns.",
    },
    "calc.projection.unknown_capital": {
        "nl": "Hoeveel u al hebt opgebouwd, staat niet in onze gegevens. Vult u niets in, dan rekenen we vanaf "
        "€ 0. Uw verzekeraar vermeldt het op uw pensioenoverzicht.",
        "en": "How much you have built up so far is not in our data. If you leave it empty, we start from € 0. "
        "Your insurer shows it on your pension statement.",
    },
    "calc.field.extra": {"nl": "Extra inleg per maand (€)", "en": "Extra contribution per month (€)"},
    "calc.field.start": {
        "nl": "Wat u nu al hebt opgebouwd (€, als u het weet)",
        "en": "What you have built up so far (€, if you know)",
    },
    "calc.scenario.pessimistic": {"nl": "Somber", "en": "Pessimistic"},
    "calc.scenario.neutral": {"nl": "Neutraal", "en": "Neutral"},
    "calc.scenario.optimistic": {"nl": "Gunstig", "en": "Optimistic"},
    "calc.scenario.line": {"nl": "{scenario} ({rate} per jaar)", "en": "{scenario} ({rate} a year)"},
    "calc.result.contribution": {"nl": "Inleg per jaar", "en": "Contribution per year"},
    "calc.result.total": {"nl": "Totale inleg tot pensioen", "en": "Total contributions until retirement"},
    "calc.projection.sentence": {
        "nl": "Bij {age} jaar hebt u naar schatting tussen {low} en {high}; neutraal {mid}.",
        "en": "At {age} you will have an estimated {low} to {high}; neutral {mid}.",
    },
    "calc.projection.reached": {
        "nl": "U hebt de pensioenleeftijd van {age} jaar bereikt: er valt niets meer vooruit te rekenen.",
        "en": "You have reached the retirement age of {age}: there is nothing left to project.",
    },
    "calc.chart.projection.title": {"nl": "Kapitaal naar leeftijd", "en": "Capital by age"},
    "calc.chart.projection.summary": {
        "nl": "Kapitaal bij {age} jaar: {items}.",
        "en": "Capital at age {age}: {items}.",
    },
    # parameters
    "calc.params.heading": {"nl": "Rekenwaarden {year}", "en": "Figures for {year}"},
    "calc.params.brackets": {"nl": "Loonheffing", "en": "Wage tax"},
    "calc.params.bracket": {"nl": "{rate} vanaf {start}", "en": "{rate} from {start}"},
    "calc.params.social": {"nl": "Premies volksverzekeringen", "en": "Social contributions"},
    "calc.params.social_value": {"nl": "{rate} tot {ceiling}", "en": "{rate} up to {ceiling}"},
    "calc.params.limit": {"nl": "Hoogste inleg per jaar", "en": "Maximum deferral per year"},
    "calc.params.age": {"nl": "Pensioenleeftijd", "en": "Retirement age"},
    "calc.params.returns": {"nl": "Rendementen", "en": "Returns"},
    "calc.params.note": {
        "nl": "Illustratieve waarden, zonder heffingskortingen. {note}",
        "en": "Illustrative figures, without tax credits. {note}",
    },
    # field messages
    "calc.required": {"nl": "Vul een bedrag in.", "en": "Enter an amount."},
    "calc.not_a_number": {
        "nl": "Vul een bedrag in cijfers in, bijvoorbeeld 150 of 1.250,50.",
        "en": "Enter an amount in figures, for example 150 or 1,250.50.",
    },
    "calc.negative": {"nl": "Het bedrag mag niet negatief zijn.", "en": "The amount cannot be negative."},
    "calc.too_many_decimals": {"nl": "Gebruik hoogstens twee decimalen.", "en": "Use at most two decimals."},
    "calc.too_high": {"nl": "Dit bedrag is te hoog.", "en": "This amount is too high."},
    "calc.wage_not_positive": {
        "nl": "Uw brutoloon moet hoger zijn dan € 0.",
        "en": "Your gross pay must be more than € 0.",
    },
    "calc.amount_not_positive": {
        "nl": "Het bedrag moet hoger zijn dan € 0.",
        "en": "The amount must be more than € 0.",
    },
    "calc.above_limit": {
        "nl": "In {year} kunt u hoogstens {limit} per jaar inleggen (12 × het maandbedrag).",
        "en": "In {year} you can put in at most {limit} per year (12 × the monthly amount).",
    },
    "calc.above_wage": {
        "nl": "U kunt niet meer inleggen dan uw brutoloon.",
        "en": "You cannot put in more than your gross pay.",
    },
    "calc.not_available": {
        "nl": "Voor deze regeling kunt u niet rekenen: hij is niet actief of heeft geen beschikbare premie.",
        "en": "You cannot use this scheme: it is not active or has no available premium.",
    },
    "calc.no_parameters": {
        "nl": "Voor {year} zijn nog geen rekenwaarden bekend.",
        "en": "No calculation figures are known for {year} yet.",
    },
}
