"""Infrastructure beside the models: settings, database and unit of work, clock, mail, xlsx, SQL helpers, PDF
fonts, CSRF tokens. No business rules and no use cases live here."""
