"""Administrator pages for accounts: create, edit roles and department, (de)activate, reset, unlock, tokens.

The rules (policy, who may do what, ending sessions) are in :mod:`app.services.users`; these views only
translate forms."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from ..extensions import db
from ..models import Department, User
from ..services import login, users
from ..services.cases import command
from ..services.errors import Invalid
from .forms import PasswordResetForm, UserForm


def _admin():
    if not current_user.has_role("admin"):
        abort(403)
    return current_user._get_current_object()


def _user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


def _department_choices():
    return [("", "（无）")] + [(d.code, f"{d.name}（{d.code}）") for d in
                              db.session.execute(select(Department).order_by(Department.id)).scalars()]


def _show_errors(form, exc: Invalid) -> None:
    for name, message in (exc.fields or {}).items():
        field = getattr(form, name, None)
        if field is not None:
            field.errors = [*field.errors, message]
    flash(exc.message, "error")


@login_required
def index():
    _admin()
    return render_template("admin/users.html", users=users.list_users(), locked=login.is_locked)


@command
def _create(actor, form):
    users.require_admin(actor)
    user = users.create_user(form.username.data.strip(), form.password.data or "", form.roles.data,
                             form.department.data or None, form.display_name.data, form.email.data)
    db.session.commit()
    return user


@login_required
def new():
    actor = _admin()
    form = UserForm()
    form.department.choices = _department_choices()
    if form.validate_on_submit():
        try:
            user = _create(actor, form)
        except Invalid as exc:
            _show_errors(form, exc)
        else:
            flash(f"已创建用户 {user.username}", "success")
            return redirect(url_for("admin.user", user_id=user.id))
    return render_template("admin/user_new.html", form=form), 422 if request.method == "POST" else 200


@command
def _update(actor, user, form):
    users.update_user(actor, user.username, roles=form.roles.data, department_code=form.department.data or None,
                      display_name=form.display_name.data, email=form.email.data)
    db.session.commit()


@login_required
def user(user_id):
    actor = _admin()
    target = _user(user_id)
    form = UserForm(obj=None if request.method == "POST" else target, username=target.username)
    form.department.choices = _department_choices()
    if request.method == "GET":
        form.department.data = target.department.code if target.department else ""
        form.roles.data = sorted(target.roles)
    status = 200
    if request.method == "POST":
        form.username.data = target.username  # not editable
        if form.validate_on_submit():
            try:
                _update(actor, target, form)
            except Invalid as exc:
                _show_errors(form, exc)
                status = 422
            else:
                flash("已保存", "success")
                return redirect(url_for("admin.user", user_id=target.id))
        else:
            status = 422
    return render_template("admin/user.html", form=form, target=target, reset_form=PasswordResetForm(),
                           tokens=users.tokens_of(target), token_state=users.token_state,
                           locked=login.is_locked(target.username),
                           revoke_url=lambda t: url_for("admin.revoke_token", user_id=target.id, token_id=t.id)), status


@command
def _action(fn):
    fn()
    db.session.commit()


@login_required
def set_active(user_id):
    actor = _admin()
    target = _user(user_id)
    active = request.form.get("active") == "1"
    _action(lambda: users.set_active(actor, target.username, active))
    flash("账户已启用" if active else "账户已停用，其登录和令牌均已失效", "success")
    return redirect(url_for("admin.user", user_id=target.id))


@login_required
def reset_password(user_id):
    actor = _admin()
    target = _user(user_id)
    form = PasswordResetForm()
    if not form.validate_on_submit():
        flash("请输入新密码", "error")
        return redirect(url_for("admin.user", user_id=target.id))
    try:
        _action(lambda: users.reset_password(actor, target.username, form.password.data))
    except Invalid as exc:
        flash(exc.message, "error")
    else:
        flash("密码已重置，该用户的登录已全部退出", "success")
    return redirect(url_for("admin.user", user_id=target.id))


@login_required
def unlock(user_id):
    actor = _admin()
    target = _user(user_id)
    _action(lambda: users.unlock(actor, target.username))
    flash("已解除登录锁定", "success")
    return redirect(url_for("admin.user", user_id=target.id))


@login_required
def revoke_token(user_id, token_id):
    actor = _admin()
    target = _user(user_id)
    _action(lambda: users.revoke_token(actor, token_id))
    flash("令牌已撤销", "success")
    return redirect(url_for("admin.user", user_id=target.id))
