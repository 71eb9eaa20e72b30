"""Benchmarks run by `make bench`; each figure is printed beside its ratio to a floor or target."""
