"""Submissions with known mistakes, graded by tests/test_hidden_battery.py."""
