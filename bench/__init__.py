"""Benchmarks run by `make bench`; each figure is printed next to its ratio to a floor or a target."""
