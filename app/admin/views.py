"""Administrator pages: the working-day calendar."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..extensions import db
from ..services import calendar as calendar_service
from ..services import clocks
from ..services.cases import command
from .forms import ImportYearForm, SetDayForm


@command
def _import(form):
    years = calendar_service.import_year(form.year.data, form.schedule.data, current_user, form.source.data)
    changed = clocks.recompute(years, current_user, f"{form.year.data}年节假日安排已公布")
    db.session.commit()
    return changed


@command
def _set(form):
    years = calendar_service.set_day(form.day.data, form.working.data, form.name.data or None, current_user)
    changed = clocks.recompute(years, current_user,
                               f"{form.day.data} 调整为{'工作日' if form.working.data else '休息日'}")
    db.session.commit()
    return changed


@login_required
def calendar():
    if not current_user.has_role("admin"):
        abort(403)
    import_form, day_form = ImportYearForm(prefix="imp"), SetDayForm(prefix="day")
    if request.method == "POST":
        if "imp-year" in request.form and import_form.validate_on_submit():
            changed = _import(import_form)
            flash(f"{import_form.year.data}年安排已导入并公布，重算了 {changed} 个期限", "success")
            return redirect(url_for("admin.calendar"))
        if "day-day" in request.form and day_form.validate_on_submit():
            changed = _set(day_form)
            flash(f"{day_form.day.data} 已更新，重算了 {changed} 个期限", "success")
            return redirect(url_for("admin.calendar"))
    return render_template("admin/calendar.html", years=calendar_service.years(),
                           import_form=import_form, day_form=day_form,
                           changes=calendar_service.recent_changes())
