"""States of the intermediary front end."""
