"""Test suite of the project (a package, so test modules in different folders may share names)."""
