"""Data access: small typed functions named as questions or commands.

Views call these; they never build queries themselves. Every function that
reads a person's records takes the signed-in person and scopes by them.
"""
