"""States of the employee front end (EE-*)."""
