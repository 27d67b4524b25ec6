"""The upload form for a case management system's CSV export."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired

from portal.web.forms import PortalForm

# Excel saves "Unicode text" as .txt; everything else should be .csv.
ALLOWED_EXTENSIONS = ("csv", "txt")
ACCEPT = ".csv,text/csv"


class UploadForm(PortalForm):
    csv_file = FileField(
        _l("CSV file from your case management system"),
        description=_l(
            "A .csv file of up to 2 MB and 5,000 rows, with the column names in the first "
            "row. Write dates as YYYY-MM-DD or DD/MM/YYYY, for example 2026-03-01 or 01/03/2026."
        ),
        validators=[
            FileRequired(message=_l("Select a CSV file to import")),
            FileAllowed(
                ALLOWED_EXTENSIONS,
                message=_l(
                    "The selected file must be a CSV file (ending .csv). Save it from your "
                    "spreadsheet as “CSV UTF-8”."
                ),
            ),
        ],
    )
