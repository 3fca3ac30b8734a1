"""Give a diagram's main process a new key (id), e.g. to bring in a file whose ``Process_1`` is taken.

References to the process inside the file follow it: a participant's ``processRef`` and a call
activity's ``calledElement``.  Process keys are used as identifiers everywhere (URLs, API, lane
assignments), so a new key is refused unless it is a plain identifier.
"""
import re

from lxml import etree

from .specs import SpecInvalid, main_process
from .validation import SpecError
from .xml import NSMAP, XmlRefused, parse_bpmn_xml

KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]{0,99}")


def rename_process(bpmn: bytes, new_key: str) -> bytes:
    """The same file with its main process's id (and the references to it) changed to ``new_key``."""
    new_key = (new_key or "").strip()
    if not KEY.fullmatch(new_key):
        raise SpecInvalid([SpecError("", "", f"流程标识“{new_key}”不合法：须以字母或下划线开头，"
                                             "只能含字母、数字、下划线和连字符，不超过 100 个字符")])
    try:
        root = parse_bpmn_xml(bpmn)
    except XmlRefused as exc:
        raise SpecInvalid([SpecError("", "", str(exc))]) from None
    process = main_process(root)
    old = process.get("id")
    if root.xpath("//*[@id=$key]", key=new_key):
        raise SpecInvalid([SpecError(new_key, "", f"文件中已有标识为“{new_key}”的元素，请换一个流程标识")])
    process.set("id", new_key)
    for el in root.iter(f"{{{NSMAP['bpmn']}}}participant"):
        if el.get("processRef") == old:
            el.set("processRef", new_key)
    for el in root.iter(f"{{{NSMAP['bpmn']}}}callActivity"):
        if el.get("calledElement") == old:
            el.set("calledElement", new_key)
    for el in root.iter("{http://www.omg.org/spec/BPMN/20100524/DI}BPMNPlane"):
        if el.get("bpmnElement") == old:
            el.set("bpmnElement", new_key)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
