"""Reflex states: thin, per page; the principal always comes from the server-side session."""
