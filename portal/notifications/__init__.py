"""How invitations, reminders and safety alerts reach people.

Every message goes through a sender chosen from the authority's settings: the
printable letter (always there), email over SMTP, or GOV.UK Notify for email and
text messages. A sender never raises for a message it could not deliver: it says
so, and the failure is recorded as a Delivery for the IRO to see.
"""
