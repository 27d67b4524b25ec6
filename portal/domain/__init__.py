"""Domain rules in plain Python: no Flask, no database sessions, easy to test."""
