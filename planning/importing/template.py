"""The .xlsx template of an import, built from its columns: bilingual headers (required ones marked
*), widths, text-formatted columns, dropdowns and typed-value checks, and a bilingual guide sheet."""

import io

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .columns import Column

GUIDE_SHEET = "Hướng dẫn (Guide)"
TEMPLATE_ROWS = 500  # rows of the template that carry the text format and the dropdowns
YES_NO_LIST = "Có / không (Yes / no)"


def template_workbook(columns: tuple[Column, ...], *, sheet: str, title: str, intro: str) -> bytes:
    """`title` and `intro` head the guide (already bilingual: the template serves both languages)."""
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    guide = workbook.create_sheet(GUIDE_SHEET)
    bold = Font(bold=True)
    wrap = Alignment(wrap_text=True, vertical="top")

    for index, column in enumerate(columns, start=1):
        cell = worksheet.cell(row=1, column=index, value=f"{column.header} *" if column.required else column.header)
        cell.font, cell.alignment = bold, wrap
        cell.fill = PatternFill("solid", fgColor="FCE4D6" if column.required else "DDEBF7")
        letter = get_column_letter(index)
        worksheet.column_dimensions[letter].width = column.width
        if column.text_format:
            worksheet.column_dimensions[letter].number_format = "@"
            for row in range(2, TEMPLATE_ROWS + 2):
                worksheet[f"{letter}{row}"].number_format = "@"  # typed numbers stay text: a leading zero, "1.10"
    worksheet.row_dimensions[1].height = 45
    worksheet.freeze_panes = "A2"

    guide["A1"] = title
    guide["A1"].font = Font(bold=True, size=13)
    guide["A2"] = intro
    guide["A2"].alignment = wrap
    guide.merge_cells("A2:E2")
    guide.row_dimensions[2].height = 60
    titles = ("Cột (Column)", "Tiêu đề (Header)", "Bắt buộc (Required)", "Hướng dẫn (Vietnamese)", "Guide (English)")
    for index, heading in enumerate(titles, start=1):
        guide.cell(row=4, column=index, value=heading).font = bold
    for offset, column in enumerate(columns):
        row = 5 + offset
        guide.cell(row=row, column=1, value=get_column_letter(offset + 1))
        guide.cell(row=row, column=2, value=column.header)
        guide.cell(row=row, column=3, value="Có (Yes)" if column.required else "Không (No)")
        guide.cell(row=row, column=4, value=column.guide_vi).alignment = wrap
        guide.cell(row=row, column=5, value=column.guide_en).alignment = wrap
    for letter, width in zip("ABCDEF", (8, 34, 14, 50, 50, 3), strict=True):
        guide.column_dimensions[letter].width = width

    # Dropdowns: one list per distinct set of values, kept on the guide and shared by its columns.
    lists: dict[tuple[str, ...], list[tuple[Column, str]]] = {}
    for index, column in enumerate(columns, start=1):
        values = tuple(column.template_values())
        if values:
            lists.setdefault(values, []).append((column, get_column_letter(index)))
    if lists:
        guide.cell(row=4, column=7, value="Giá trị trong danh sách chọn (Values of the dropdowns)").font = bold
    for offset, (values, targets) in enumerate(lists.items()):
        index = 7 + offset
        letter = get_column_letter(index)
        guide.cell(row=5, column=index, value=targets[0][0].header if len(targets) == 1 else YES_NO_LIST).font = bold
        guide.column_dimensions[letter].width = 30
        for row, value in enumerate(values, start=6):
            guide.cell(row=row, column=index, value=value)
        validation = DataValidation(
            type="list", formula1=f"'{GUIDE_SHEET}'!${letter}$6:${letter}${5 + len(values)}", allow_blank=True, errorStyle="warning", showErrorMessage=True
        )
        validation.error = "Giá trị không có trong danh sách. (This value is not in the list.)"
        for _column, target in targets:
            validation.add(f"{target}2:{target}{TEMPLATE_ROWS + 1}")
        worksheet.add_data_validation(validation)
    for index, column in enumerate(columns, start=1):
        typed = column.template_validation()
        if typed:
            validation = DataValidation(**typed, allow_blank=True, errorStyle="warning", showErrorMessage=True)
            validation.error = f"{column.guide_vi} ({column.guide_en})"[:255]
            letter = get_column_letter(index)
            validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
            worksheet.add_data_validation(validation)

    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
