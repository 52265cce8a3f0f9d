"""Pages of the employee front end (EE-*)."""
