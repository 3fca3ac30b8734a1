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
    @click.option("--demo", is_flag=True, help="required: confirms that demo users with a published password "
                                                "are wanted (refused when BANJIAN_ENV=production)")
    def seed_demo_cmd(demo):
        """Load demo departments, users, lane assignments and the bundled processes (only with --demo)."""
        from .seed import DEMO_PASSWORD, DEMO_USERS, DemoRefused, seed_demo, seed_demo_cases
        if not demo:
            _fail("seed-demo creates users whose password is published in the README: run it with --demo, "
                  "and only on a demonstration system. For production create the first administrator with "
                  "`flask --app app create-user NAME --role admin` (the password is asked for).")
        try:
            versions = seed_demo(current_app.config["BPMN_DIR"])
        except DemoRefused as exc:
            _fail(str(exc))
        except SpecInvalid as exc:
            _fail(f"bundled process is invalid:\n{exc}")
        for v in versions:
            click.echo(f"process {v.process_key} v{v.version} ({v.name})")
        for title, count in seed_demo_cases().items():
            click.echo(f"demo cases: {title} {count}")
        click.echo(f"demo users ({', '.join(u[0] for u in DEMO_USERS)}), password: {DEMO_PASSWORD}")

    def _read_password() -> str:
        """A new password from a prompt (typed twice, not echoed) or, when piped, the first line of stdin —
        never from the command line, where other users and the shell history would see it."""
        if sys.stdin.isatty():
            return click.prompt("密码", hide_input=True, confirmation_prompt="再次输入密码")
        return sys.stdin.readline().rstrip("\r\n")

    @app.cli.command("create-user")
    @click.argument("username")
    @click.option("--role", "roles", multiple=True, required=True, help="officer, head, supervisor, auditor, admin")
    @click.option("--department", default=None, help="department code, e.g. GKB")
    @click.option("--name", default=None, help="display name")
    @click.option("--email", default=None, help="e-mail address for notifications")
    def create_user(username, roles, department, name, email):
        """Create a user with one or more roles; the password is read from a prompt or stdin."""
        password = _read_password()
        _transaction(lambda: users.create_user(username, password, list(roles), department, display_name=name,
                                               email=email))
        click.echo(f"created {username}")

    @app.cli.command("set-password")
    @click.argument("username")
    def set_password(username):
        """Set a user's password (from a prompt or stdin); ends the user's sessions and unlocks the login."""
        password = _read_password()
        _transaction(lambda: users.reset_password(None, username, password))
        click.echo(f"password of {username} changed")

    @app.cli.command("edit-user")
    @click.argument("username")
    @click.option("--role", "roles", multiple=True, required=True, help="the user's roles from now on")
    @click.option("--department", default=None, help="department code; omit for none")
    @click.option("--name", default=None, help="display name")
    @click.option("--email", default=None)
    def edit_user(username, roles, department, name, email):
        """Replace a user's roles and department (and name, e-mail when given)."""
        def action():
            user = users.get_user(username)
            return users.update_user(None, username, roles=list(roles), department_code=department,
                                     display_name=name or user.display_name, email=email or user.email)
        _transaction(action)
        click.echo(f"updated {username}")

    @app.cli.command("deactivate-user")
    @click.argument("username")
    def deactivate_user(username):
        """Deactivate a user: sessions end, tokens stop working, login is refused."""
        _transaction(lambda: users.set_active(None, username, False))
        click.echo(f"deactivated {username}")

    @app.cli.command("activate-user")
    @click.argument("username")
    def activate_user(username):
        """Reactivate a deactivated user."""
        _transaction(lambda: users.set_active(None, username, True))
        click.echo(f"activated {username}")

    @app.cli.command("unlock-user")
    @click.argument("username")
    def unlock_user(username):
        """Clear the login lock after too many wrong passwords."""
        _transaction(lambda: users.unlock(None, username))
        click.echo(f"unlocked {username}")

    @app.cli.command("list-users")
    def list_users():
        """One line per user: username, roles, department (tab-separated)."""
        for u in users.list_users():
            click.echo("\t".join([u.username, ",".join(sorted(u.roles)), u.department.code if u.department else ""]))

    @app.cli.command("create-token")
    @click.argument("username")
    @click.option("--name", default="命令行创建", help="what the token is for")
    @click.option("--days", default=None, type=int, help="days until it expires (default API_TOKEN_DAYS, 90)")
    def create_token(username, name, days):
        """Create a personal API token; it is printed once, alone on the last line."""
        token = _transaction(lambda: users.create_token(username, name, days))
        click.echo(f"token for {username} (store it now; it cannot be shown again):")
        click.echo(token)

    @app.cli.command("list-tokens")
    @click.argument("username")
    def list_tokens(username):
        """A user's tokens: id, name, state, expiry, last use (tab-separated)."""
        for t in users.tokens_of(users.get_user(username)):
            click.echo("\t".join([str(t.id), t.name, users.token_state(t),
                                  t.expires_at.isoformat() if t.expires_at else "",
                                  t.last_used_at.isoformat() if t.last_used_at else ""]))

    @app.cli.command("revoke-token")
    @click.argument("token_id", type=int)
    def revoke_token(token_id):
        """Revoke a token by its id (see list-tokens)."""
        _transaction(lambda: users.revoke_token(None, token_id))
        click.echo(f"revoked token {token_id}")

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
        """Verify every case: keyed history chain, documents and attachments against the SHA-256 in the chain,
        current data against its seal; exit 1 if anything was altered."""
        from .services import integrity
        reports = integrity.check_all(record=True)
        db.session.commit()
        problems = [p for r in reports for p in r.problems]
        for p in problems:
            click.echo(f"case {p.case_id} event {p.seq}: {p.message}", err=True)
        counts = {k: sum(getattr(r, k) for r in reports) for k in ("events", "documents", "attachments")}
        click.echo(f"{len(reports)} cases verified: {counts['events']} events, {counts['documents']} documents, "
                   f"{counts['attachments']} attachments, {len(reports)} data seals")
        if problems:
            sys.exit(1)
        click.echo("history intact")

    @app.cli.command("reseal-history")
    def reseal_history():
        """Re-key history written before keyed hashes (migration 0009): every chain whose plain SHA-256 hashes
        still verify is re-hashed with HISTORY_KEY and its case sealed; a chain that does not verify is left
        as it is and listed (run verify-history first)."""
        resealed, refused = _transaction(history.reseal_all)
        for case_id in refused:
            click.echo(f"case {case_id}: chain does not verify, left unkeyed", err=True)
        click.echo(f"{resealed} case(s) re-keyed")

    @app.cli.command("facts-rebuild")
    def facts_rebuild():
        """Recompute every case's counting facts (case_fact): run once after upgrading to revision 0012."""
        from .services import facts
        click.echo(f"facts rebuilt for {facts.rebuild_all()} case(s)")

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
        report = bulletin.issue(start.date(), end.date(), today())
        Path(out).write_bytes(bulletin.render(report, current_app.config["AGENCY"], today()))
        db.session.commit()  # the bulletin's number is taken
        click.echo(f"{report.number}: {report.item_count} item(s), {len(report.departments)} ranked, "
                   f"{len(report.nothing_due)} with nothing due -> {out}")
