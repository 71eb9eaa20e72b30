"""Tests of the pure rules package (a package so test module names cannot clash, e.g. test_cli)."""
