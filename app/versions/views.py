"""Thin handlers for process versions and case migration; the rules live in services.versions."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..ids import parse_id
from ..services import versions
from ..services.errors import Invalid
from workflows.version_diff import CHANGE_WORDS


@login_required
def index():
    return render_template("versions/index.html", processes=versions.process_list(current_user))


@login_required
def process_versions(process_key):
    rows = versions.version_list(current_user, process_key)
    return render_template("versions/versions.html", process_key=process_key, rows=rows,
                           may_migrate=current_user.has_role(*versions.MIGRATE_ROLES))


@login_required
def compare(process_key):
    rows = versions.version_list(current_user, process_key)
    newest = rows[0].version
    old = parse_id(request.args.get("old")) or max(newest - 1, 1)
    new = parse_id(request.args.get("new")) or newest
    if old == new:
        raise Invalid("请选择两个不同的版本")
    diff = versions.compare(current_user, process_key, old, new)
    return render_template("versions/compare.html", process_key=process_key, rows=rows, old=old, new=new,
                           diff=diff, CHANGE_WORDS=CHANGE_WORDS)


@login_required
def migration(process_key):
    target, previews = versions.preview(current_user, process_key)
    return render_template("versions/migration.html", process_key=process_key, target=target, previews=previews,
                           safe_count=sum(1 for p in previews if p.safe))


def _confirmed(process_key) -> bool:
    """A migration runs only with its confirmation box ticked (checked here too: the box is not enough)."""
    versions.require_migrate(current_user)
    if request.form.get("confirm") == "yes":
        return True
    flash("请先勾选确认：迁移后案件按新版本继续办理，不会自动迁回原版本", "error")
    return False


@login_required
def migrate_one(process_key, case_id):
    if not _confirmed(process_key):
        return redirect(url_for("versions.migration", process_key=process_key))
    case = versions.migrate_case(current_user, case_id)
    flash(f"案件 {case.tracking_number} 已迁移到第 {case.process_version.version} 版", "success")
    return redirect(url_for("versions.migration", process_key=process_key))


@login_required
def migrate_all(process_key):
    if not _confirmed(process_key):
        return redirect(url_for("versions.migration", process_key=process_key))
    results = versions.migrate_all_safe(current_user, process_key)
    moved = [r for r in results if r.migrated]
    skipped = [r for r in results if not r.migrated]
    flash(f"已迁移 {len(moved)} 件；未迁移 {len(skipped)} 件", "success")
    for r in skipped:
        flash(f"{r.tracking_number} 未迁移：{r.reason}", "error")
    return redirect(url_for("versions.migration", process_key=process_key))
