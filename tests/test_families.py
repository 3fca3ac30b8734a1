"""Process families: each process belongs to one family package, declared in one registry, and the generic
services never name a process (DESIGN.md "Process families are packages")."""
import ast
import re
from pathlib import Path

from lxml import etree

from app import families

ROOT = Path(__file__).resolve().parent.parent
BPMN_DIR = ROOT / "bpmn"
NS = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
      "spiffworkflow": "http://spiffworkflow.org/bpmn/schema/1.0/core"}


def bundled_processes():
    for path in sorted(BPMN_DIR.glob("*.bpmn")):
        root = etree.parse(str(path))
        yield root.find("bpmn:process", NS).get("id"), root


def operator_values(root, operator, parameter):
    """The constant values a process passes as ``parameter`` to ``operator`` (quoted strings only)."""
    found = set()
    for op in root.iterfind(".//spiffworkflow:serviceTaskOperator", NS):
        if op.get("id") != operator:
            continue
        for param in op.iterfind(".//spiffworkflow:parameter", NS):
            if param.get("id") == parameter and re.fullmatch(r"'[^']*'", param.get("value")):
                found.add(param.get("value").strip("'"))
    return found


def test_every_bundled_process_belongs_to_exactly_one_family():
    for key, _ in bundled_processes():
        assert families.for_process(key) is not None, key
    owners = [key for family in families.families() for key in family.processes]
    assert len(owners) == len(set(owners))


def test_every_letter_and_clock_a_process_uses_is_declared_by_its_family():
    for key, root in bundled_processes():
        family = families.for_process(key)
        letters = set(getattr(family.letters, "LETTER_KINDS", {}))
        assert operator_values(root, "generate_letter", "kind") <= letters, key
        assert operator_values(root, "clock", "kind") <= set(family.clock_kinds), key
        assert operator_values(root, "family_action", "name") <= set(family.actions), key


def test_no_two_letter_kinds_share_a_document_series():
    # Numbers <abbr><series>〔year〕N号 are counted per series: two kinds on one series would share a sequence.
    series = [s for family in families.families() for s in family.document_series.values()]
    assert len(series) == len(set(series))


def test_generic_services_name_no_process():
    keys = {key for family in families.families() for key in family.processes}
    for path in sorted((ROOT / "app" / "services").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        named = {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant)} & keys
        assert not named, f"{path.name} names {named}"


def test_unknown_process_has_no_family_letters():
    from app.services.errors import ServiceError
    try:
        families.letters("no_such_process")
    except ServiceError as exc:
        assert "没有可用的文书模板" in exc.message
    else:
        raise AssertionError("a process without a family must not get letters")


def test_demo_cases_of_each_family_are_made_once(app, client):
    from app.seed import seed_demo_cases
    made = seed_demo_cases()
    assert made == {"主动公开": 3, "政务信息报送": 4}
    listed = client.get("/api/public/v1/catalogue").get_json()
    assert listed["total"] == 2  # the third still waits for the confidentiality review
    assert seed_demo_cases() == {}
