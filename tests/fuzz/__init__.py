"""Fuzzing: hostile values posted to every form and API endpoint (hypothesis)."""
