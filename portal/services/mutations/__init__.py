"""Mutations context: one participant's change (salary/part-time, exit, partner/child, new participant) from
draft to preview, submission and review."""
