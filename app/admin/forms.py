from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, NumberRange, Optional


class ImportYearForm(FlaskForm):
    year = IntegerField("年份", validators=[DataRequired(), NumberRange(2000, 2100)])
    source = StringField("依据", default="国务院办公厅关于节假日安排的通知")
    schedule = TextAreaField("节假日和调休安排（每行：日期,holiday 或 workday,名称）", validators=[DataRequired()])


class SetDayForm(FlaskForm):
    day = DateField("日期", validators=[DataRequired()])
    working = BooleanField("工作日")
    name = StringField("名称（节日名或“调休上班”）", validators=[Optional()])
