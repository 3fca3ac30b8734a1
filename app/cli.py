"""Administrator commands: ``flask --app app <command>``."""
import sys
from pathlib import Path

import click
from flask import current_app
from flask_migrate import upgrade

from workflows.specs import SpecInvalid
from workflows.xml import XmlRefused

from .extensions import db
from .services import calendar, clocks, history, lanes, processes, timers, users
from .services.errors import ServiceError


def _fail(message: str):
    click.echo(message, err=True)
    sys.exit(1)


def _transaction(action):
    """Run one administrative command as one transaction; a refusal exits 1 with its message."""
    try:
        result = action()
        db.session.commit()
        return result
    except ServiceError as exc:
        db.session.rollback()
        _fail(exc.message)


def register_cli(app):
    @app.cli.command("init-db")
    def init_db():
        """Create or upgrade the database schema (Alembic migrations)."""
        upgrade(directory=current_app.extensions["migrate"].directory)
        seeded = calendar.seed_from_library()
        db.session.commit()
        click.echo("database is up to date" + (f"; calendar seeded for {seeded[0]}–{seeded[-1]}" if seeded else ""))

    @app.cli.command("seed-demo")
    def seed_demo_cmd():
        """Load demo departments, users, lane assignments and the bundled processes."""
        from .seed import DEMO_PASSWORD, DEMO_USERS, seed_demo
        try:
            versions = seed_demo(current_app.config["BPMN_DIR"])
        except SpecInvalid as exc:
            _fail(f"bundled process is invalid:\n{exc}")
        for v in versions:
            click.echo(f"process {v.process_key} v{v.version} ({v.name})")
        click.echo(f"demo users ({', '.join(u[0] for u in DEMO_USERS)}), password: {DEMO_PASSWORD}")

    @app.cli.command("create-user")
    @click.argument("username")
    @click.option("--role", "roles", multiple=True, required=True, help="officer, head, supervisor, auditor, admin")
    @click.option("--department", default=None, help="department code, e.g. GKB")
    @click.option("--password", required=True)
    @click.option("--name", default=None, help="display name")
    def create_user(username, roles, department, password, name):
        """Create a user with one or more roles."""
        _transaction(lambda: users.create_user(username, password, list(roles), department, display_name=name))
        click.echo(f"created {username}")

    @app.cli.command("list-users")
    def list_users():
        """One line per user: username, roles, department (tab-separated)."""
        for u in users.list_users():
            click.echo("\t".join([u.username, ",".join(sorted(u.roles)), u.department.code if u.department else ""]))

    @app.cli.command("create-token")
    @click.argument("username")
    def create_token(username):
        """Create a personal API token; it is printed once, alone on the last line."""
        token = _transaction(lambda: users.create_token(username))
        click.echo(f"token for {username} (store it now; it cannot be shown again):")
        click.echo(token)

    @app.cli.command("deploy")
    @click.argument("file", type=click.Path(dir_okay=False))
    @click.option("--note", default="", help="change note")
    @click.option("--other-origin", is_flag=True,
                  help="confirm that a diagram drawn elsewhere replaces the process deployed under the same key")
    def deploy(file, note, other_origin):
        """Deploy FILE.bpmn (with the forms beside it) as a new process version."""
        path = Path(file)
        try:
            bpmn = path.read_bytes()
            version = processes.deploy(bpmn, processes.forms_beside(path, bpmn), actor=None, note=note,
                                       other_origin=other_origin)
            db.session.commit()
        except OSError as exc:
            _fail(f"cannot read {file}: {exc.strerror}")
        except (SpecInvalid, XmlRefused) as exc:
            db.session.rollback()
            hint = "\n（分配泳道：flask --app app lane-assign 流程标识 泳道名称 --role 角色 [--department 部门代码]）" \
                if "泳道分配" in str(exc) else ""
            _fail(f"{path.name} 无法部署：\n{exc}{hint}")
        except ServiceError as exc:
            db.session.rollback()
            _fail(f"{path.name} 未部署：{exc.message}（确认后可加 --other-origin 重新部署）")
        click.echo(f"deployed {version.process_key} v{version.version} ({version.content_hash[:12]})")

    @app.cli.command("lane-assign")
    @click.argument("process_key")
    @click.argument("lane")
    @click.option("--role", required=True, help="officer, head, supervisor, auditor, admin")
    @click.option("--department", default=None, help="department code, e.g. GKB (default: any department)")
    def lane_assign(process_key, lane, role, department):
        """Let ROLE (of --department, or of any) work the tasks of LANE in PROCESS_KEY."""
        row = _transaction(lambda: lanes.assign(None, process_key, lane, role, department))
        who = f"{row.role}" + (f" of {row.department.code}" if row.department else " of any department")
        click.echo(f"{process_key} / {row.lane}: {who}")

    @app.cli.command("worker")
    @click.option("--once", is_flag=True, help="fire what is due now, send queued mail, and exit")
    @click.option("--interval", default=10.0, show_default=True, help="seconds between polls")
    def worker(once, interval):
        """Run the timer worker (several may run, on several machines)."""
        if once:
            click.echo(f"fired timers of {timers.run_once()} case(s)")
            return
        click.echo(f"timer worker polling every {interval:g}s; Ctrl-C stops it")
        timers.run_forever(interval)

    @app.cli.command("calendar-import")
    @click.argument("year", type=int)
    @click.argument("file", type=click.File(encoding="utf-8"))
    @click.option("--source", default="国务院办公厅通知", help="where the schedule comes from")
    def calendar_import(year, file, source):
        """Import a year's holidays and make-up working days (lines: YYYY-MM-DD,holiday|workday,name)."""
        text = file.read()
        changed = _transaction(lambda: clocks.recompute(
            calendar.import_year(year, text, actor=None, source=source), None, f"{year}年节假日安排已公布"))
        click.echo(f"{year} published; {changed} open deadline(s) recomputed")

    @app.cli.command("calendar-set")
    @click.argument("day", type=click.DateTime(formats=["%Y-%m-%d"]))
    @click.option("--working/--holiday", required=True, help="a working day, or a day off")
    @click.option("--name", default=None, help="holiday name, e.g. 春节")
    def calendar_set(day, working, name):
        """Correct one day of the calendar."""
        reason = f"{day.date()} 调整为{'工作日' if working else '休息日'}"
        changed = _transaction(lambda: clocks.recompute(
            calendar.set_day(day.date(), working, name, actor=None), None, reason))
        click.echo(f"{day.date()} set to {'working day' if working else 'day off'}; {changed} deadline(s) recomputed")

    @app.cli.command("verify-history")
    def verify_history():
        """Verify every case's hash-chained history; exit 1 if anything was altered."""
        count, problems = history.verify_all()
        for p in problems:
            click.echo(f"case {p.case_id} event {p.seq}: {p.message}", err=True)
        if problems:
            sys.exit(1)
        click.echo(f"{count} cases verified, history intact")

    @app.cli.command("supervision-bulletin")
    @click.option("--from", "start", required=True, type=click.DateTime(formats=["%Y-%m-%d"]), help="first day")
    @click.option("--to", "end", required=True, type=click.DateTime(formats=["%Y-%m-%d"]), help="last day")
    @click.argument("out", type=click.Path(dir_okay=False, writable=True))
    def supervision_bulletin(start, end, out):
        """Write the supervision bulletin (督查通报) of a period as a PDF to OUT."""
        from .services.clock import today
        from .supervision import bulletin
        if end < start:
            _fail("--to is before --from")
        report = bulletin.build(start.date(), end.date(), today())
        Path(out).write_bytes(bulletin.render(report, current_app.config["AGENCY"], today()))
        click.echo(f"{report.item_count} item(s), {len(report.departments)} department(s) -> {out}")
