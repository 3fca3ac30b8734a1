"""What "semantically identical" means for a BPMN file that went through the modeler.

Two files are the same when they hold the same elements with the same ids, attributes (namespace URIs,
not prefixes), extension elements, conditions, scripts and DI, in any order of siblings and attributes and
with any indentation.  Comments and namespace declarations are not meaning.
"""
from lxml import etree

from workflows.xml import BPMN_NS, parse_bpmn_xml

# Attribute values the BPMN 2.0 schema gives by default: writing one or leaving it out means the same,
# and bpmn-moddle leaves them out.
DEFAULTS = {("cancelActivity", "true"), ("isInterrupting", "true"), ("parallelMultiple", "false"),
            ("isSequential", "false"), ("isForCompensation", "false"), ("triggeredByEvent", "false"),
            ("isImmediate", "true"), ("instantiate", "false"), ("gatewayDirection", "Unspecified"),
            ("implementation", "##unspecified"), ("isClosed", "false"), ("processType", "None")}


def _node(el) -> tuple:
    text = (el.text or "").strip()
    bpmn = etree.QName(el).namespace == BPMN_NS
    attrs = tuple(sorted((k, v.strip()) for k, v in el.attrib.items()
                         if not (bpmn and (k, v.strip()) in DEFAULTS)))
    children = tuple(sorted(_node(c) for c in el.iterchildren(etree.Element)))
    return (el.tag, attrs, text, children)


def canonical(bpmn: bytes | str) -> tuple:
    """A hashable, order-free form of the whole document."""
    return _node(parse_bpmn_xml(bpmn.encode("utf-8") if isinstance(bpmn, str) else bpmn))


def differences(before: bytes | str, after: bytes | str, limit: int = 10) -> list[str]:
    """Readable paths where ``after`` lost, gained or changed something of ``before`` (empty: identical)."""
    out: list[str] = []

    def walk(a, b, path):
        if len(out) >= limit:
            return
        if a[0] != b[0] or a[1] != b[1] or a[2] != b[2]:
            out.append(f"{path}: {a[:3]} != {b[:3]}")
            return
        left, right = list(a[3]), list(b[3])
        for child in list(left):
            if child in right:
                left.remove(child)
                right.remove(child)
        # pair what is left by tag and id, to point at the changed element rather than its parent
        for child in left:
            key = (child[0], dict(child[1]).get("id"))
            match = next((r for r in right if (r[0], dict(r[1]).get("id")) == key), None)
            if match is None:
                out.append(f"{path}/{_name(child)}: lost")
            else:
                right.remove(match)
                walk(child, match, f"{path}/{_name(child)}")
        for child in right:
            out.append(f"{path}/{_name(child)}: added")

    walk(canonical(before), canonical(after), "")
    return out


def _name(node) -> str:
    ident = dict(node[1]).get("id")
    return etree.QName(node[0]).localname + (f"[{ident}]" if ident else "")
