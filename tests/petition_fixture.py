"""A deterministic fixture of petitions with known duplicates (重复信访, XF 19), for the duplicate check.

Ten petitioners raise 24 matters; 16 matters are raised again by the same person — paraphrased, with typos,
with the ID number written differently (spaces, a lower-case x, the old 15-digit number), without an ID but
with name and phone (the phone written differently, the name mistyped); neighbours raise 8 of the matters
in their own words (not a repeat by the same petitioner); six more people raise unrelated matters.
``FIXTURE`` lists ``(key, data, duplicate_of_keys)`` in registration order.
"""
PEOPLE = [
    ("王建国", "110101196803071215", "13901010001", "示范市东城区和平里3号"),
    ("李秀英", "11010519720415302X", "13901010002", "示范市朝阳区安华路7号"),
    ("张伟", "110108198011226655", "13901010003", "示范市海淀区学院路12号"),
    ("刘芳", "110102198507190028", "13901010004", "示范市西城区月坛北街5号"),
    ("陈志强", "110106197609093313", "13901010005", "示范市丰台区丰台路20号"),
    ("杨丽", "110107199003304424", "13901010006", "示范市石景山区鲁谷路9号"),
    ("赵明", "110109196512125531", "13901010007", "示范市门头沟区新桥路2号"),
    ("黄桂兰", "110111195808086640", "13901010008", "示范市房山区良乡镇西路4号"),
    ("周海涛", "110112198302027719", "13901010009", "示范市通州区新华大街88号"),
    ("吴敏", "110113199212128826", "13901010010", "示范市顺义区府前街6号"),
]

# (subject, content, paraphrased subject, paraphrased content)
MATTERS = [
    ("小区旁工地夜间施工噪声扰民", "和平里三号院东侧工地连续两周在夜间22时后施工，打桩声音很大，影响居民休息，请求责令停止夜间施工。",
     "工地晚上施工太吵", "我家东边的工地最近半个月每天晚上十点以后还在打桩施工，噪声严重影响休息，要求相关部门制止夜间施工。"),
    ("拖欠工资三个月未发", "本人在示范建筑公司工作，公司已拖欠本人三个月工资共计一万八千元，多次讨要未果，请求帮助追讨欠薪。",
     "建筑公司欠薪", "示范建筑公司欠我三个月的工资一万八千元一直不给，找公司讨要多次都没有结果，请政府帮忙追回被拖欠的工资。"),
    ("养老金待遇核定错误", "本人退休后养老金核定时未计入1985年至1990年的工龄，导致每月养老金偏低，请求重新核定养老金待遇。",
     "退休工龄漏算养老金偏低", "退休核定养老金的时候漏算了我1985年到1990年的工龄，每月养老金少了不少，要求重新核定。"),
    ("小区垃圾清运不及时", "安华路七号小区垃圾站的垃圾经常三四天不清运，气味难闻，蚊蝇滋生，请求督促物业和环卫部门及时清运。",
     "垃圾站好几天没人清运", "我们小区垃圾站经常好几天都没人来清运垃圾，臭味很大，招了很多蚊子苍蝇，希望督促环卫和物业按时清运。"),
    ("医院乱收费问题", "本人在示范市第三医院住院期间被重复收取检查费和床位费共计二千三百元，请求核查并退还多收费用。",
     "第三医院重复收费", "我在第三医院住院的时候，检查费和床位费被重复收了两千三百元，请卫生部门核查，退还多收的钱。"),
    ("学校违规收取补课费", "学院路中学初三年级在周末组织有偿补课，每名学生收取补课费八百元，请求教育部门查处。",
     "中学周末有偿补课", "学院路中学初三年级周末搞有偿补课，每个学生要交八百元补课费，要求教育局调查处理。"),
    ("道路破损长期未修", "月坛北街五号门前道路路面塌陷破损已半年，多次有行人摔倒，请求尽快修复路面。",
     "门前路面塌陷没人修", "月坛北街五号门口的路面塌陷破损半年了，好几次有人在这里摔倒，请有关部门赶快把路修好。"),
    ("违章建筑占用消防通道", "三号院内有住户在楼间搭建彩钢房，占用消防通道，存在严重安全隐患，请求依法拆除。",
     "楼间彩钢房堵消防通道", "我们院里有人在两栋楼中间盖了彩钢板房，把消防通道堵住了，安全隐患很大，要求城管依法拆除。"),
    ("低保申请未获批准", "本人患重病丧失劳动能力，家庭收入低于本市低保标准，申请最低生活保障被街道驳回，请求重新审核。",
     "低保被驳回要求复核", "我得了重病不能干活，家里收入比低保标准还低，街道却驳回了我的低保申请，请求重新审核我的低保。"),
    ("物业公司擅自提高物业费", "丰台路二十号小区物业公司未经业主大会同意，将物业费从每平方米一元五角提高到二元五角，请求查处。",
     "物业费被擅自上涨", "小区物业没开业主大会就把物业费从一块五一平米涨到两块五，业主都不同意，请求有关部门查处。"),
    ("自来水水质发黄", "鲁谷路九号楼近一个月自来水发黄有异味，无法饮用，请求供水部门检测水质并整改。",
     "家里自来水发黄有味", "这一个月以来鲁谷路九号楼的自来水一直发黄，还有怪味，没法喝，请供水公司来检测水质并处理。"),
    ("征地补偿款未足额发放", "新桥村集体土地被征收后，村民应得的征地补偿款至今只发放了一半，请求核查补偿款去向。",
     "征地补偿只发一半", "我们新桥村的地被征收以后，补偿款到现在只发了一半，剩下的不知道去哪了，请求调查补偿款的去向。"),
    ("燃气管道老化漏气", "良乡镇西路四号楼燃气管道老化，楼道内经常有燃气味，请求燃气公司更换管道。",
     "楼道燃气味管道老化", "西路四号楼的燃气管道用了很多年已经老化，楼道里常常闻到煤气味，要求燃气公司赶紧更换管道。"),
    ("商户占道经营影响通行", "新华大街八十八号附近商户长期占用人行道摆摊经营，行人只能走机动车道，请求城管治理。",
     "人行道被商户摆摊占用", "新华大街八十八号一带的商户天天在人行道上摆摊，行人被逼到机动车道上走，很危险，请城管整治。"),
    ("公交线路调整不便出行", "府前街公交站原有的九路公交车被取消，周边老年居民出行十分不便，请求恢复该线路。",
     "九路公交被取消", "府前街站的九路公交车取消了，附近的老人出门很不方便，希望公交公司把这条线路恢复。"),
    ("房屋漏水开发商拒绝维修", "本人购买的商品房交付不到两年，卫生间和外墙多处漏水，开发商以过保修期为由拒绝维修，请求督促维修。",
     "新房漏水开发商不修", "我买的新房交房还不到两年，卫生间和外墙好几处漏水，开发商说过了保修期不给修，请求住建部门督促开发商维修。"),
    ("反映村干部优亲厚友", "新桥村村委会在分配扶贫物资时优先分给村干部亲属，真正困难的村民没有得到，请求调查。", "", ""),
    ("建议增设社区养老服务站", "和平里社区老年人多，建议在社区增设养老服务站，提供助餐和日间照料服务。", "", ""),
    ("噪声扰民的广场舞", "学院路公园每晚广场舞音响音量过大，持续到晚上十点，影响周边居民休息，请求管理。", "", ""),
    ("取暖费收费标准有异议", "本人所在小区取暖费按建筑面积收取，阁楼也计入面积，收费不合理，请求核查。", "", ""),
    ("违规发放停车证", "安华路七号小区物业向外来车辆发放停车证收费，导致业主无处停车，请求查处。", "", ""),
    ("建议延长图书馆开放时间", "示范市图书馆周末下午五点闭馆，建议延长至晚上八点，方便上班族借阅。", "", ""),
    ("检举食品店销售过期食品", "月坛北街一家便利店多次销售过期面包和牛奶，请求市场监管部门查处。", "", ""),
    ("户籍迁移手续办理缓慢", "本人为子女办理户籍迁入已提交材料三个月，派出所至今未办结，请求督促办理。", "", ""),
]

# Matters (index) raised again by their petitioner, and how the repeat differs.
REPEATS = [
    (0, "paraphrase"), (1, "id_lower"), (2, "paraphrase"), (3, "id_old15"), (4, "no_id"), (5, "name_typo"),
    (6, "paraphrase"), (7, "typo"), (8, "no_id"), (9, "id_spaced"), (10, "paraphrase"), (11, "typo"),
    (12, "name_typo"), (13, "no_id"), (14, "paraphrase"), (15, "id_old15"),
]
NEIGHBOURS = [0, 3, 6, 7, 10, 13, 18, 20]  # matters a neighbour raises in similar words

OTHERS = [
    ("孙红梅", "110114198806061122", "13901010011", "示范市昌平区回龙观路1号",
     "建议增加地铁末班车时间", "回龙观地铁站末班车太早，建议延长地铁运营时间至夜间十一点半。"),
    ("马超", "110115197707073345", "13901010012", "示范市大兴区黄村路3号",
     "农村宅基地确权纠纷", "本人宅基地与邻居发生界址争议，村委会确权登记有误，请求依法重新确权。"),
    ("朱丽娟", "110116198404045566", "13901010013", "示范市怀柔区青春路8号",
     "检举企业偷排污水", "青春路附近一家印染厂夜间向河道偷排污水，河水发黑发臭，请求环保部门查处。"),
    ("胡军", "110117196911117788", "13901010014", "示范市平谷区府前街10号",
     "残疾人补贴未按时发放", "本人为二级肢体残疾，今年残疾人两项补贴已有四个月未发放，请求尽快发放。"),
    ("林静", "110118199505059900", "13901010015", "示范市密云区鼓楼街2号",
     "幼儿园入园难", "本片区公办幼儿园学位不足，孩子报名未被录取，请求增加公办学位。"),
    ("郭永", "110119197303032211", "13901010016", "示范市延庆区妫水街5号",
     "供暖温度不达标", "今冬家中室温只有十四度，低于规定的十八度，请求供热公司整改。"),
]

_TYPOS = {"施工": "施公", "工资": "工姿", "养老金": "养老今", "清运": "清云", "收费": "收废", "补课": "补科",
          "道路": "到路", "消防": "消访", "低保": "底保", "物业": "物叶", "水质": "水值", "补偿": "补尝",
          "燃气": "然气", "经营": "经迎", "线路": "线露", "维修": "维休"}
_NAME_TYPOS = {"王建国": "王建囯", "李秀英": "李秀瑛", "张伟": "张玮", "刘芳": "刘方", "陈志强": "陈智强",
               "杨丽": "杨莉", "赵明": "赵铭", "黄桂兰": "黄贵兰", "周海涛": "周海滔", "吴敏": "吴敏"}


def _typo(text: str) -> str:
    for right, wrong in _TYPOS.items():
        text = text.replace(right, wrong, 1)
    return text


def _old_id(id18: str) -> str:
    """The 15-digit resident ID a person had before 1999: no century, no check digit."""
    return id18[:6] + id18[8:17]


def _petitioner(index: int) -> dict:
    name, id_number, phone, address = PEOPLE[index % len(PEOPLE)]
    return {"petitioner_name": name, "id_number": id_number, "contact_phone": phone, "contact_address": address}


def _day(n: int) -> str:
    return f"2026-{1 + n // 28:02d}-{1 + n % 28:02d}"


def build() -> list[tuple[str, dict, set[str]]]:
    out = []
    for i, (subject, content, *_rest) in enumerate(MATTERS):
        out.append((f"m{i}", {**_petitioner(i), "channel": "letter", "received_on": _day(i), "category": "claim",
                               "subject": subject, "content": content}, set()))
    for n, i in enumerate(NEIGHBOURS):
        subject, content, *_rest = MATTERS[i]
        neighbour = _petitioner(i + 5)  # another of the ten, never the one who raised it
        out.append((f"n{i}", {**neighbour, "channel": "visit", "visitors_count": 1, "received_on": _day(30 + n),
                               "category": "claim", "subject": subject,
                               "content": "我是附近居民，" + content.replace("本人", "我们")}, set()))
    for n, (name, id_number, phone, address, subject, content) in enumerate(OTHERS):
        out.append((f"o{n}", {"petitioner_name": name, "id_number": id_number, "contact_phone": phone,
                               "contact_address": address, "channel": "online", "received_on": _day(40 + n),
                               "category": "suggestion" if subject.startswith("建议") else "claim",
                               "subject": subject, "content": content}, set()))
    for n, (i, how) in enumerate(REPEATS):
        subject, content, subject2, content2 = MATTERS[i]
        data = {**_petitioner(i), "channel": "phone", "received_on": _day(50 + n), "category": "claim",
                "subject": subject, "content": content}
        if how == "paraphrase":
            data.update(subject=subject2, content=content2)
        elif how == "typo":
            data.update(subject=_typo(subject), content=_typo(content))
        elif how == "id_spaced":
            data.update(id_number=" ".join([data["id_number"][:6], data["id_number"][6:14], data["id_number"][14:]]),
                        content=content2)
        elif how == "id_lower":
            data.update(id_number=data["id_number"].lower(), subject=subject2)
        elif how == "id_old15":
            data.update(id_number=_old_id(data["id_number"]), content=_typo(content2))
        elif how == "no_id":
            data.pop("id_number")
            data.update(contact_phone="+86 " + data["contact_phone"][:3] + "-" + data["contact_phone"][3:],
                        content=content2)
        elif how == "name_typo":
            data.pop("id_number")
            data.update(petitioner_name=_NAME_TYPOS[data["petitioner_name"]], content=_typo(content))
        out.append((f"r{i}", data, {f"m{i}"}))
    return out


FIXTURE = build()
