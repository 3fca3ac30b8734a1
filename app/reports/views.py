"""Thin handlers for the annual report pages and files; the rules live in app.reports.annual."""
import io

from flask import current_app, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required

from ..services.clock import today
from ..services.errors import Invalid
from . import annual, exports


def _year(raw):
    return annual.parse_year(raw if raw not in (None, "") else today().year - 1)


def _page(year, report, texts=None, errors=None, status=200):
    return render_template(
        "reports/annual.html", year=year, report=report, years=range(today().year, annual.FIRST_YEAR - 1, -1),
        lines=exports.section3_lines(), columns=annual.COLUMNS, column_labels=annual.COLUMN_LABELS,
        kinds=annual.REMEDY_KINDS, outcomes=annual.SECTION4_COLUMNS,
        outcome_labels={**annual.OUTCOMES, "total": "总计"}, text_titles=annual.TEXT_SECTIONS,
        texts=texts if texts is not None else report.texts, errors=errors or {},
        may_edit=current_user.has_role(*annual.EDITOR_ROLES), difference_label=annual.difference_label,
        changed={(d["section"], d["row"], d["column"]) for d in report.differences}), status


@login_required
def annual_page():
    annual.require_reader(current_user)
    try:
        year = _year(request.args.get("year"))
    except Invalid as exc:
        flash(exc.message, "error")
        year = today().year - 1
    return _page(year, annual.annual_report(current_user, year))


@login_required
def save_texts(year):
    annual.require_editor(current_user)
    year = annual.parse_year(year)
    values = {key: request.form.get(key, "") for key in annual.TEXT_SECTIONS}
    try:
        annual.save_texts(current_user, year, values)
    except Invalid as exc:  # show the page again with what was typed
        flash(exc.message, "error")
        return _page(year, annual.annual_report(current_user, year), values, exc.fields, 422)
    flash("已保存年度报告文字部分", "success")
    return redirect(url_for("reports.annual_page", year=year))


@login_required
def freeze(year):
    row = annual.freeze(current_user, annual.parse_year(year))
    flash(f"{year} 年度报告已发布，数字已固定（SHA-256 {row.sha256[:16]}…）", "success")
    return redirect(url_for("reports.annual_page", year=year))


@login_required
def cell_cases(year):
    annual.require_reader(current_user)
    year = annual.parse_year(year)
    if request.args.get("remedy"):
        kind, outcome = request.args["remedy"], request.args.get("outcome", "total")
        found = annual.remedy_cases(current_user, year, kind, outcome)
        title = f"四、{annual.REMEDY_KINDS.get(kind, '')} · {({**annual.OUTCOMES, 'total': '总计'}).get(outcome, '')}"
    else:
        row, column = request.args.get("row", ""), request.args.get("column", "total")
        found = annual.cell_cases(current_user, year, row, column)
        title = f"{annual.ROW_LABELS.get(row, '')} · {annual.COLUMN_LABELS.get(column, '')}"
    return render_template("reports/cases.html", year=year, title=title, cases=found)


@login_required
def pdf(year):
    annual.require_reader(current_user)
    report = annual.annual_report(current_user, annual.parse_year(year))
    content = exports.pdf(report, current_app.config["AGENCY"], today())
    return send_file(io.BytesIO(content), mimetype="application/pdf", download_name=f"annual-report-{year}.pdf")


@login_required
def xlsx(year):
    annual.require_reader(current_user)
    report = annual.annual_report(current_user, annual.parse_year(year))
    return send_file(io.BytesIO(exports.xlsx(report)), download_name=f"annual-report-{year}.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
