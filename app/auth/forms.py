from flask_wtf import FlaskForm
from wtforms import IntegerField, PasswordField, StringField
from wtforms.validators import DataRequired, Length, NumberRange


class LoginForm(FlaskForm):
    username = StringField("用户名", validators=[DataRequired(message="请输入用户名"), Length(max=60)])
    password = PasswordField("密码", validators=[DataRequired(message="请输入密码")])


class PasswordChangeForm(FlaskForm):
    current_password = PasswordField("当前密码", validators=[DataRequired(message="请输入当前密码")])
    new_password = PasswordField("新密码", validators=[DataRequired(message="请输入新密码")])
    confirm = PasswordField("再次输入新密码", validators=[DataRequired(message="请再次输入新密码")])


class TokenForm(FlaskForm):
    name = StringField("令牌名称（用途，如“档案系统对接”）",
                       validators=[DataRequired(message="请填写令牌名称"), Length(max=100, message="最多 100 个字符")])
    days = IntegerField("有效期（天）", default=90,
                        validators=[DataRequired(message="请填写有效期"),
                                    NumberRange(1, 3650, message="有效期应为 1–3650 天")])
