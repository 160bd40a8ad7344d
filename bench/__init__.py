"""The benchmark of the portal (DESIGN.md "Public contracts": ``make bench``): a synthetic
dataset (bench/generate.py), the floor the product is timed against (bench/floor.py) and
the driver that runs the scenarios and writes bench/RESULTS.md (bench/run.py)."""
