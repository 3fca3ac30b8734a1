"""The user's own account page: change the password, manage personal API tokens."""
from flask import flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from .. import sessions
from ..extensions import db
from ..services import users
from ..services.cases import command
from ..services.errors import Invalid
from .forms import PasswordChangeForm, TokenForm


def _page(password_form=None, token_form=None, new_token=None, status=200):
    me = current_user._get_current_object()
    return render_template("auth/account.html", password_form=password_form or PasswordChangeForm(),
                           token_form=token_form or TokenForm(), tokens=users.tokens_of(me),
                           token_state=users.token_state, new_token=new_token), status


@login_required
def index():
    return _page()


@command
def _change(form):
    me = current_user._get_current_object()
    if form.new_password.data != form.confirm.data:
        raise Invalid("两次输入的新密码不一致", {"confirm": "不一致"})
    users.change_own_password(me, form.current_password.data, form.new_password.data)
    db.session.commit()
    sessions.start(me)  # every other session of this user ended with the new password; keep this one


@login_required
def change_password():
    form = PasswordChangeForm()
    if not form.validate_on_submit():
        return _page(password_form=form, status=422)
    try:
        _change(form)
    except Invalid as exc:
        for field, message in (exc.fields or {}).items():
            target = {"password": form.new_password}.get(field, getattr(form, field, None))
            if target is not None:
                target.errors = [*target.errors, message]
        flash(exc.message, "error")
        return _page(password_form=form, status=422)
    flash("密码已修改；其他设备上的登录已退出", "success")
    return redirect(url_for("auth.account_index"))


@login_required
def create_token():
    form = TokenForm()
    if not form.validate_on_submit():
        return _page(token_form=form, status=422)
    token = users.create_token(current_user.username, form.name.data, form.days.data)
    db.session.commit()
    return _page(new_token=token, status=201)


@login_required
def revoke_token(token_id):
    users.revoke_token(current_user._get_current_object(), token_id)
    db.session.commit()
    flash("令牌已撤销", "success")
    return redirect(url_for("auth.account_index"))
