"""Background work (PLT-3): the huey queue, its tasks, and the in-process consumer of the embedded set-up."""
