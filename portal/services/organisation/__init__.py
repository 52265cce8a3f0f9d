"""Organisation context: employers and their company data, the intermediary's portfolio, schemes and scheme
access."""
