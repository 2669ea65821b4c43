"""The portal's own date and number formats (settings.FORMAT_MODULE_PATH), one module per language.

Django's own Vietnamese formats read nothing typed (they fall back to the month-first American
input formats, so 02/01/2025 became 1 February) and show dates as d-m-Y; its English ones read
month-first. Both are replaced here, once for every form, page and export.
"""
