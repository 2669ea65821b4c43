"""The upload of a workbook to any import (planning/importing): one check of its size and type."""

from django import forms
from django.utils.translation import gettext_lazy as _

from planning.importing import DEFAULT_LIMITS


class WorkbookUploadForm(forms.Form):
    """An .xlsx file within the import framework's upload limit; `wrong_type_message` says which workbook."""

    wrong_type_message = _("Upload an Excel workbook (.xlsx): use the template.")

    file = forms.FileField(label=_("Excel file (.xlsx)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = DEFAULT_LIMITS.max_upload_bytes
        if upload.size > limit:
            raise forms.ValidationError(_("The file is larger than %(size)s MB.") % {"size": limit // (1024 * 1024)})
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(self.wrong_type_message)
        return upload
