"""Things every page needs: the login loader, error pages, template helpers."""
from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from flask_login import current_user

from .extensions import db, login_manager
from .models import ROLES, User
from .services import notifications, processes, reading
from .services.clock import today
from .services.errors import ServiceError

STATUS_LABELS = {
    "active": "办理中", "suspended": "已暂停", "incident": "故障待处理", "terminated": "已终止", "archived": "已办结归档", "withdrawn": "视为放弃申请", "completed": "已办结",
}
DEADLINE_STATES = {"running": "计时中", "paused": "已暂停", "met": "已按期办结", "overdue": "已超期"}
# (a deadline stopped after its due date is "overdue" too: its explanation says by how much)
TASK_STATES = {"ready": "待办", "completed": "已办", "cancelled": "已取消"}
EVENT_LABELS = {
    "case_started": "登记", "task_created": "生成待办", "task_claimed": "认领", "task_released": "退回",
    "task_completed": "办理", "document_generated": "生成文书", "case_completed": "办结",
    "comment_added": "评论", "task_reassigned": "转办", "case_suspended": "暂停", "case_resumed": "恢复",
    "case_terminated": "终止", "case_rewound": "回退", "incident_opened": "故障", "incident_retried": "重试", "case_migrated": "版本迁移",
    "attachment_added": "附件",
    "clock_changed": "期限变动", "due_date_changed": "期限重算", "notification": "通知", "timer_fired": "定时触发",
}


def due_class(due, today_):
    """Inbox colour of a due date: overdue, due soon (the inbox filter's threshold), or nothing."""
    from .services.filters import DUE_SOON_DAYS
    if due is None:
        return ""
    days = (due - today_).days
    return "overdue" if days < 0 else ("due-soon" if days <= DUE_SOON_DAYS else "")


def register_ui(app):
    @login_manager.user_loader
    def load_user(user_id):
        return db.session.get(User, int(user_id))

    @app.errorhandler(ServiceError)
    def service_error(exc):
        db.session.rollback()
        if request.blueprint == "api":
            from .api.views import error_response
            return error_response(exc)
        if exc.status in (403, 404):
            return render_template("error.html", message=exc.message), exc.status
        flash(exc.message, "error")
        return redirect(request.referrer or url_for("inbox.index"))

    def http_error(message, status):
        if request.path.startswith("/api/"):
            return jsonify({"error": message}), status
        return render_template("error.html", message=message), status

    @app.errorhandler(403)
    def forbidden(_exc):
        return http_error("您无权访问该页面", 403)

    @app.errorhandler(404)
    def not_found(_exc):
        return http_error("页面不存在", 404)

    @app.errorhandler(405)
    def not_allowed(_exc):
        return http_error("不支持该请求方法", 405)

    @app.errorhandler(CSRFError)
    def csrf_failed(_exc):
        return http_error("表单已过期或来源不明（CSRF 校验失败），请刷新页面后重试", 400)

    @app.context_processor
    def helpers():
        return {
            "ROLES": ROLES, "STATUS_LABELS": STATUS_LABELS, "TASK_STATES": TASK_STATES,
            "EVENT_LABELS": EVENT_LABELS, "DEADLINE_STATES": DEADLINE_STATES, "me": current_user,
            "unread": notifications.unread_count(current_user) if current_user.is_authenticated else 0,
            "today": today(), "due_class": due_class,
            # Case data as the reader may see it (confidential fields removed): lists print it from here.
            "case_data": lambda case: reading.visible_data(current_user, case),
            # A callable: only pages that render the navigation pay for the query.
            "startable_processes": lambda: processes.startable(current_user) if current_user.is_authenticated else [],
        }

    @app.template_filter("local")
    def local_time(dt):
        from zoneinfo import ZoneInfo
        if dt is None:
            return ""
        return dt.astimezone(ZoneInfo(app.config["TIMEZONE"])).strftime("%Y-%m-%d %H:%M")
