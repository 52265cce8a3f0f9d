"""Pages of the intermediary front end."""
