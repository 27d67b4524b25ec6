from portal.web.forms import PortalForm


class ChooseForm(PortalForm):
    """Only a CSRF token: each invitation's button posts it."""
