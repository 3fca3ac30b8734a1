"""Demo items of proactive disclosure (``flask seed-demo``): two published, one awaiting the confidentiality review."""
from app.services import cases
from app.services.clock import today

ITEMS = [
    {"title": "2026年老旧小区改造计划", "category": "plans", "topic": "construction", "issuer": "示范市住房和城乡建设局",
     "body": "今年计划改造老旧小区42个，涉及居民1.2万户。\n改造内容包括加装电梯、管网更新和适老化改造。"},
    {"title": "住房公积金缴存比例调整的通知", "category": "normative_documents", "topic": "construction",
     "issuer": "示范市住房和城乡建设局", "body": "自7月1日起，住房公积金缴存比例调整为5%至12%。"},
    {"title": "2026年基层医疗卫生机构名录", "category": "livelihood", "topic": "health", "issuer": "示范市卫生健康委员会",
     "body": "全市社区卫生服务中心和乡镇卫生院名录及服务时间。"},
]
BASIS = "《政府信息公开条例》第十九条、第二十条"


def _do(user, case, spec_name, data):
    task = next(t for t in cases.case_tasks(case, open_only=True) if t.spec_name == spec_name)
    return cases.complete_task(user, task.id, data, case.version)


def seed(users: dict) -> int:
    """Register the demo items through the services, as the officers would; returns how many."""
    drafters = {"示范市住房和城乡建设局": users["zjofficer"], "示范市卫生健康委员会": users["wjofficer"]}
    for number, item in enumerate(ITEMS):
        drafter = drafters[item["issuer"]]
        case = cases.start_case(drafter, "proactive_disclosure",
                                {**item, "written_on": today().isoformat(), "legal_basis": BASIS})
        case = _do(drafter, case, "prepare_item", {})
        if number == len(ITEMS) - 1:
            continue  # left with the confidentiality office
        case = _do(users["reviewer"], case, "secrecy_review", {"secrecy_result": "cleared"})
        _do(users["zjhead"], case, "approve_publication", {"approval_result": "approved"})
    return len(ITEMS)
