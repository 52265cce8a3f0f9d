"""Pure business rules: no I/O, no Reflex, no SQLModel, no clock (pass ``today``/``now`` in)."""
