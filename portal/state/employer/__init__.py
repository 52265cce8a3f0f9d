"""Employer front end."""
