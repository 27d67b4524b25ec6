"""Questionnaires: the consultation forms as data, and the machinery around them.

Shared by both audiences: a child fills one in (``families``), an IRO reads the
answers (``staff``). ``declarations`` and ``router`` are plain Python like the
domain rules; ``builder`` turns a declared step into a WTForms form; ``presenting``
lays answers out beside the questions they answered.
"""
