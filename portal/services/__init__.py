"""Use cases: one function per thing a user can do; authorization and transactions live here."""
