from flask_wtf import FlaskForm
from wtforms import (BooleanField, DateField, IntegerField, PasswordField, SelectField, SelectMultipleField,
                     StringField, TextAreaField, widgets)
from wtforms.validators import DataRequired, Length, NumberRange, Optional


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class ImportYearForm(FlaskForm):
    year = IntegerField("年份", validators=[DataRequired(), NumberRange(2000, 2100)])
    source = StringField("依据", default="国务院办公厅关于节假日安排的通知")
    schedule = TextAreaField("节假日和调休安排（每行：日期,holiday 或 workday,名称）", validators=[DataRequired()])


class SetDayForm(FlaskForm):
    day = DateField("日期", validators=[DataRequired()])
    working = BooleanField("工作日")
    name = StringField("名称（节日名或“调休上班”）", validators=[Optional()])


def _role_choices():
    from ..models import ROLES
    return [(code, label) for code, label in ROLES.items()]


class UserForm(FlaskForm):
    """Create (with a password) or edit a user; the department choices are filled in by the view."""
    username = StringField("用户名", validators=[DataRequired(message="请填写用户名"), Length(max=60)])
    display_name = StringField("姓名", validators=[DataRequired(message="请填写姓名"), Length(max=100)])
    email = StringField("电子邮箱（可选，用于邮件通知）", validators=[Optional(), Length(max=200)])
    department = SelectField("部门", choices=[], validate_choice=False)
    roles = MultiCheckboxField("角色", choices=_role_choices(), validate_choice=False)
    password = PasswordField("初始密码（至少 10 位，非常见密码）")


class PasswordResetForm(FlaskForm):
    password = PasswordField("新密码", validators=[DataRequired(message="请输入新密码")])
