"""Shared helpers for the CPython measurements (timing, rounding, environment)."""
