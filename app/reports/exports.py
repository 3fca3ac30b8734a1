"""The annual report as files: a PDF in the published layout (through the letters' WeasyPrint renderer and
fonts) and a spreadsheet (openpyxl; one sheet per section, numbers stored as numbers)."""
from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from ..letters.render import html_to_pdf, render_html
from . import annual


def section3_lines() -> list[tuple[str | None, str, str]]:
    """(group heading printed before the row or None, row code, row label), in the published order."""
    return [(annual.ROW_GROUPS.get(row), row, annual.ROW_LABELS[row]) for row in annual.ROWS]


def pdf(report: annual.AnnualReport, agency: dict, issued_on) -> bytes:
    html = render_html("reports/letters/annual_report.html", {
        "report": report, "agency": agency, "issued_on": issued_on, "lines": section3_lines(),
        "columns": annual.COLUMNS, "column_labels": annual.COLUMN_LABELS, "kinds": annual.REMEDY_KINDS,
        "outcomes": annual.SECTION4_COLUMNS, "outcome_labels": {**annual.OUTCOMES, "total": "总计"},
        "text_titles": annual.TEXT_SECTIONS,
        "title_lines": [agency["name"], f"{report.year}年政府信息公开工作年度报告"],
    })
    return html_to_pdf(html)


def xlsx(report: annual.AnnualReport) -> bytes:
    book = Workbook()
    bold = Font(bold=True)

    def sheet(title, header):
        ws = book.create_sheet(title)
        ws.append(header)
        for cell in ws[1]:
            cell.font = bold
        return ws

    book.remove(book.active)
    texts = sheet("一二五 文字部分", ["部分", "内容"])
    for key, title in annual.TEXT_SECTIONS.items():
        texts.append([title, report.texts.get(key, "")])
        texts.cell(texts.max_row, 2).alignment = Alignment(wrap_text=True, vertical="top")
    texts.column_dimensions["A"].width, texts.column_dimensions["B"].width = 40, 100

    s3 = sheet("三 收到和处理申请", ["行次", "项目", *[annual.COLUMN_LABELS[c] for c in annual.COLUMNS]])
    for heading, row, label in section3_lines():
        if heading and heading != label:
            s3.append(["", heading])
        s3.append([row, label, *[int(report.section3[row][c]) for c in annual.COLUMNS]])
    s3.column_dimensions["B"].width = 60

    s4 = sheet("四 行政复议和诉讼", ["类别", *[{**annual.OUTCOMES, "total": "总计"}[o] for o in annual.SECTION4_COLUMNS]])
    for kind, label in annual.REMEDY_KINDS.items():
        s4.append([label, *[int(report.section4[kind][o]) for o in annual.SECTION4_COLUMNS]])
    s4.column_dimensions["A"].width = 32

    s6 = sheet("六 其他需要报告的事项", ["项目", "数值"])
    for key, label in annual.SECTION6_LABELS.items():
        s6.append([label, int(report.section6[key])])
    s6.column_dimensions["A"].width = 32

    checks = sheet("校验", ["规则", "结果", "涉及案件"])
    for check in report.checks:
        checks.append([check["rule"], "通过" if check["ok"] else "未通过", "、".join(check["cases"])])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
