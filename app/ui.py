"""Things every page needs: the login loader, error pages, template helpers."""
from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError
from flask_login import current_user

from .extensions import db, login_manager
from .models import ROLES
from .services import notifications, processes, reading
from .services.clock import today
from .services.errors import ServiceError
from .supervision import bulletin as supervision_bulletin

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
    "attachment_added": "附件", "remedy_added": "登记复议诉讼", "remedy_updated": "更新复议诉讼",
    "document_delivered_online": "电子送达",
    "clock_changed": "期限变动", "due_date_changed": "期限重算", "notification": "通知", "timer_fired": "定时触发",
}


HTTP_MESSAGES = {
    400: "请求格式不正确", 401: "需要登录", 408: "请求超时", 409: "请求与当前状态冲突", 410: "该资源已不存在",
    411: "缺少请求长度", 413: "上传的内容过大", 414: "网址过长", 415: "不支持的内容类型",
    422: "请求内容无法处理", 429: "请求过于频繁，请稍后再试", 431: "请求头过大", 501: "不支持该功能",
    503: "服务暂时不可用",
}


def due_class(due, today_):
    """Inbox colour of a due date: overdue, due soon (the inbox filter's threshold), or nothing."""
    from .services.filters import DUE_SOON_DAYS
    if due is None:
        return ""
    days = (due - today_).days
    return "overdue" if days < 0 else ("due-soon" if days <= DUE_SOON_DAYS else "")


def register_ui(app):
    from . import sessions
    login_manager.user_loader(sessions.load)

    def public_page() -> bool:
        """Pages of the public side get its own error page (the officers' one links into the intranet)."""
        return request.blueprint == "public" or bool(app.config.get("PUBLIC_ONLY"))

    @app.errorhandler(ServiceError)
    def service_error(exc):
        db.session.rollback()
        if request.blueprint in ("api", "public_api"):
            from .api.views import error_response
            return error_response(exc)
        if public_page() and not request.path.startswith("/api/"):
            return render_template("public/error.html", message=exc.message), exc.status
        if exc.status in (403, 404):
            return render_template("error.html", message=exc.message), exc.status
        flash(exc.message, "error")
        return redirect(request.referrer or url_for("inbox.index"))

    def http_error(message, status):
        if request.path.startswith("/api/"):
            return jsonify({"error": message}), status
        if public_page():
            return render_template("public/error.html", message=message), status
        return render_template("error.html", message=message), status

    @app.errorhandler(403)
    def forbidden(_exc):
        return http_error("您无权访问该页面", 403)

    @app.errorhandler(404)
    def not_found(_exc):
        return http_error("页面不存在", 404)

    @app.errorhandler(405)
    def not_allowed(exc):
        response, status = http_error("不支持该请求方法", 405)
        response = app.make_response((response, status))
        if getattr(exc, "valid_methods", None):
            response.headers["Allow"] = ", ".join(sorted(exc.valid_methods))
        return response

    @app.errorhandler(HTTPException)
    def other_http_error(exc):
        # Werkzeug's English pages never reach a person: every other HTTP error in Chinese (or JSON on /api).
        return http_error(HTTP_MESSAGES.get(exc.code, "请求无法处理"), exc.code or 400)

    @app.errorhandler(InternalServerError)
    def internal_error(exc):
        db.session.rollback()
        app.logger.error("unhandled error on %s %s", request.method, request.path,
                         exc_info=getattr(exc, "original_exception", None) or exc)
        return http_error("服务器内部错误，请稍后再试；错误已记录", 500)

    @app.errorhandler(429)
    def too_many(_exc):
        return http_error("请求过于频繁，请稍后再试", 429)

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
            "may_read_bulletin": lambda: supervision_bulletin.may_read(current_user),
        }

    @app.template_filter("local")
    def local_time(dt):
        from zoneinfo import ZoneInfo
        if dt is None:
            return ""
        return dt.astimezone(ZoneInfo(app.config["TIMEZONE"])).strftime("%Y-%m-%d %H:%M")
