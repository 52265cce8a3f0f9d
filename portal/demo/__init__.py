"""Demo and generated data (``portal setup --demo``, tests and benchmarks). Production code never imports it."""
