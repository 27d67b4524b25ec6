"""One catalogue of validation messages, so each is written (and translated) once."""

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext

ENTER_CODE = _l("Enter the code from your invitation")
ENTER_CONTACT = _l("Enter your email address or mobile number")
CONTACT_NOT_VALID = _l(
    "Enter an email address like name@example.com, or a UK mobile number like 07700 900123"
)
CODE_NOT_FOUND = _l("We could not find that code. Check it and try again.")
ENTER_SECRET = _l("Enter your PIN or secret word")
CHOOSE_SECRET = _l("Choose a PIN or a secret word")
SECRET_TOO_SHORT = _l("Your secret word must be at least 4 letters")
PIN_TOO_SHORT = _l("Your PIN must be at least 4 numbers")
SECRET_TOO_LONG = _l("Your PIN or secret word must be 64 characters or fewer")
SECRETS_DIFFERENT = _l("The two entries are different. Type the same thing in both boxes.")
CONFIRM_SECRET = _l("Type your PIN or secret word again")
CHOOSE_AN_OPTION = _l("Choose one of the options shown")
ANSWER_TOO_LONG = _l("Your answer must be %(max)s characters or fewer")
ENTER_EMAIL = _l("Enter your email address")
ENTER_PASSWORD = _l("Enter your password")
WRONG_STAFF_SIGN_IN = _l("The email address or password is not right")
STAFF_LOCKED = _l("This account is locked after too many tries. Contact your administrator.")
DESCRIBE_ACTION = _l("Say what you did to keep the child safe")
ENTER_TWO_FACTOR_CODE = _l("Enter the code from your authenticator app")
WRONG_TWO_FACTOR_CODE = _l(
    "That code is not right, or was already used. Wait for the next code and try again."
)
TWO_FACTOR_NEEDS_RESET = _l(
    "Your two-factor sign-in cannot be checked. Ask your administrator to reset your "
    "two-factor sign-in."
)
ENTER_A_DATE = _l("Enter a real date, for example 27 3 2027")

# WTForms' own messages, which forms show for input no browser would send (see
# portal.web.forms). Listed so they are extracted into our catalogues.
WTFORMS_MESSAGES = (
    _l("Not a valid choice."),
    _l("Invalid Choice: could not coerce."),
    _l("Not a valid time value."),
    _l("Not a valid date value."),
    _l("Not a valid integer value."),
    _l("This field is required."),
    _l("Invalid input."),
    lazy_ngettext(
        "'%(value)s' is not a valid choice for this field.",
        "'%(value)s' are not valid choices for this field.",
        1,
    ),
)

SECRET_HIDDEN_CHARACTERS = _l(
    "Your PIN or secret word has a hidden character in it. "
    "Use only letters, numbers and symbols you can see."
)
