"""Participants context: the overview's read table, the overview queries, a participant's detail and the
charts of a scheme."""
