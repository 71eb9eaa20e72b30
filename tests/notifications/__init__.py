"""Tests of the notifications room."""
