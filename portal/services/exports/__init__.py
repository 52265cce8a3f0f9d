"""Exports context: participant files as of a date, written in the background."""
