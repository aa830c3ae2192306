"""The corpus wording of data/corpus.json, table by table: asks ruled out, answer types laws add, degrees, purpose
articles, and which article states what is asked (pure)."""
from __future__ import annotations

import dataclasses
import re

import pytest

from assistant.conditions import Range, fit
from assistant.corpus_assistant import (anyones_penalty_first, article_forms, asked_form, asked_item, breached, carried_intent,
                                        best_sentence_states_through, bound_sentence_first, bounds, by_parts, citing_pattern,
                                        answers_every_part, cited_articles,
                                        cited_first, condition_met_first, conditions, cited_items, corpus_texts, lead_in, named_party_duty,
                                        own_item_lines, stated_item_line,
                                        defining_article, deferral, deferred, degree_missing, district_cities,
                                        document_mentions, item_sentences,
                                        listed_items, mentioned_document, subject_sentence_first,
                                        lawful_form, lexicon_for, named_party_first, not_asked, offenders, place_names,
                                        restated_first,
                                        restating, speaks_for_document, stated_through, stating_article, stating_form, stating_further,
                                        stating_phrase, with_evidence,
                                        with_cities, with_place_names, without_fines)
from assistant.figures import quantities_en
from assistant.rules import load_rules
from assistant.store.corpus import is_framing
from assistant.types import Clause, Hit, Verdict


@pytest.fixture(scope="module")
def rules():
    return with_evidence(load_rules(), corpus_texts()["evidence"], corpus_texts()["answer_types"])


@pytest.mark.parametrize("question, asks, kept", [
    ("调解要收费吗？一般多长时间内调解完？", ("amount", "deadline"), ("deadline",)),  # whether, then how long
    ("物业一直没在电梯里贴救援电话，投诉了能罚物业吗？", ("contact",), ()),  # a phone to be posted, not asked for
    ("电梯里要公示的救援电话号码是多少？", ("contact",), ("contact",)),
    ("这算价格欺诈吗？", ("amount",), ()),  # 价格 named, no quantity asked
    ("能拿到多少赔偿？", ("amount",), ("amount",)),
    ("交强险的保险费率由哪个机构审批？", ("rate",), ()),
    ("个人所得税的税率是多少？", ("rate",), ("rate",)),
    ("一个记分周期最多能减几分？", ("amount_each",), ()),  # points are not money
    ("每个企业最多补贴多少钱？", ("amount_each",), ("amount_each",)),
    ("How many days does the agency have to decide?", ("deadline", "count"), ("deadline",)),
    ("我去法院当陪审员那几天，单位能扣工资吗？", ("deadline",), ()),
    ("燃气费拖了几个月没交，燃气公司能直接停气吗？", ("deadline",), ()),  # a time gone by, not asked
    ("热水器用了没几天就坏了，能退吗？", ("deadline",), ()),
    ("擅自填埋湿地，罚款标准是多少？", ("eligibility", "penalty"), ("penalty",)),  # a fine's scale, no criteria
    ("需要提前几天通知？", ("deadline",), ("deadline",)),
    ("除了可能被罚款，还要交环境保护税吗？", ("penalty",), ()),
    ("那要是带着易燃易爆物品进园呢？除了赔偿还会罚款吗？", ("penalty",), ("penalty",)),  # the fine is after 还: asked
    ("会被罚多少？", ("penalty",), ("penalty",)),
    ("开车的时候拿着手机接个电话，法律上有明确禁止吗？", ("contact",), ()),  # a call made, not a number asked
    ("我接到冒充公检法的电话，钱还能被冻结追回来吗？", ("contact",), ()),  # a call taken
    # a call to be made, beside the number asked for it
    ("浙江的未成年人维权专用电话号码是多少？孩子被欺负了想打电话咨询一下", ("contact",), ("contact",)),
    ("投诉电话是多少啊？想赶紧打电话投诉。", ("contact",), ("contact",)),
    ("有没有办法查我名下到底有几张电话卡？", ("contact",), ()),  # a SIM card is no contact
    ("What penalty for selling data to people running phone scams?", ("contact",), ()),
    ("符合再生育条件但没补办生育证，罚多少？", ("eligibility", "penalty"), ("penalty",)),  # the condition is a premise
    ("需要符合什么条件才能申请？", ("eligibility",), ("eligibility",)),
    ("农民工工资专用账户要公示多少天才能申请注销？", ("eligibility", "deadline"), ("deadline",)),  # the days, not the criteria
    # whether something is eligible, not the criteria
    ("Are donations of property for volunteer services eligible for tax benefits?", ("eligibility",), ()),
    ("What conditions must an organisation meet to be eligible for the subsidy?", ("eligibility",),
     ("eligibility",)),
    ("超过几个月不交要罚款？", ("deadline",), ("deadline",)),
    ("没投保被查到，罚款怎么计算？", ("procedure", "penalty"), ("penalty",)),  # computed: the article states it
    # … and in English: the amount's rule (暂按上月缴费数额的110%确定), not how to apply
    ("If an employer fails to declare, how is the amount due provisionally determined?", ("procedure",), ()),
    ("How is the fine calculated for late payment?", ("procedure", "penalty"), ("penalty",)),
    ("How is the application form submitted?", ("procedure",), ("procedure",)),
    ("国务院的实施办法，分别从多大年龄开始要求承担义务植树？", ("eligibility", "age"), ("age",)),  # how old, not criteria
    # whether a figure must be told, not the figure (开发商有没有义务告诉我…保修多久？)
    ("开发商有没有义务告诉我这房子耗能多少、保温层保修多久？", ("amount", "deadline"), ()),
    ("保温层保修多久？", ("deadline",), ("deadline",)),
    ("能告诉我罚款是多少吗？", ("amount",), ("amount",)),
    ("How is the lost-profit part of the compensation calculated?", ("procedure",), ()),
    ("申请的年龄要求和其他条件是什么？", ("eligibility",), ("eligibility",)),
    ("怎么申请执业注册？", ("procedure",), ("procedure",)),
    ("会受到什么处罚？", ("penalty",), ("penalty",)),
    ("公园要因为维修停闭几天，这需要哪个部门批准？", ("deadline",), ()),  # a few days, then who approves
    ("停车场收多少钱，是哪个部门定的标准？", ("amount",), ()),  # the body that sets the sum is asked
    ("停车费每小时多少钱？", ("amount",), ("amount",)),
    ("我自己还有没有别的渠道能查到卡里还剩多少钱？", ("amount",), ()),  # how to find the balance out is asked
    ("要在几天之内把清算人名单报登记机关备案？", ("deadline", "names"), ("deadline",)),  # a list to file
    ("我停车场里有辆车一停好几个月没人来开，我该怎么处理？", ("deadline",), ()),  # a period told
    ("跟税务局对应交多少税有争议，能不能先不交直接去法院起诉？", ("amount",), ()),  # the sum in dispute is the setting
    ("Can anyone publish the name and address of a person living with HIV?", ("place",), ()),  # personal data
    ("Where is the address of the registration office?", ("place",), ("place",)),
    ("我几年前被行政拘留过几天，现在还能报考辅警吗？", ("deadline",), ()),  # periods told, none asked
    ("被拘留过好几个月，还能申请吗？", ("deadline",), ()),
    ("被拘留的话要关几天？", ("deadline",), ("deadline",)),
    ("停车场入口那里必须挂出来哪些信息？", ("place",), ()),  # at the entrance: no place asked
    ("施工工地要在出入口公示哪些信息？", ("place",), ()),  # at the gates: no place asked
    ("科技档案的保管期限分为哪几种？", ("deadline",), ()),  # the kinds of period, not one
    ("档案的保管期限是多少年？", ("deadline",), ("deadline",)),
    ("网上申报入口在哪里？", ("place",), ("place",)),
])
def test_asks_ruled_out_by_the_wording(question, asks, kept):
    assert not_asked(question, asks, corpus_texts()["not_asked"]) == kept


@pytest.mark.parametrize("question, asked", [
    ("平台会被罚多少？", "penalty"),
    ("医院把血卖了会受到什么处罚？", "penalty"),
    ("What is the penalty for driving without insurance?", "penalty"),
    ("开车上路没放保险标志，被交警查到会怎么处理？", "penalty"),
    ("转手卖给药贩子换点现金，被发现会怎样？", "penalty"),  # what befalls one: the penalty
    ("要是既不排查也不报告，被责令限期改正后到期还不改呢？", "penalty"),  # not put right in time: its penalty
    ("有人在禁养区偷偷下了海带筏子，这事归哪个部门罚？", "penalty"),  # the body that fines: the penalty article
    ("预付卡违规了，是哪个部门来罚？", "penalty"),
    ("伪造货币的总面额在多少以上属于数额特别巨大？", "figure"),
    ("试用期工资最低是多少？", "figure"),
    # how much a fine is, asked as such
    ("要是有人在古树上钉钉子挂招牌，一般罚多少？", "fine"),
    ("按国家的规定最多能罚多少？", "fine"),
    ("What's the maximum fine for that?", "fine"),
    ("那管理部门可以罚他多少钱？", "fine"),  # the one fined named between
    ("那家店被查到了，罚了那家公司多少钱？", "fine"),
    ("超载被抓到要罚司机几千块？", "fine"),
    ("在景区里偷采石头，最高能罚到多少钱？", "fine"),  # 罚到: up to
    # a condition that something is not done, asking what then: its consequence
    ("如果过了期限一直没交呢？", "penalty"),
    ("要是不按时申报的话呢？", "penalty"),
    ("那要是有人没什么理由就是不种呢？", "penalty"),  # a duty to plant left undone
    ("如果他不参加呢？", "penalty"),
    ("那要是它一直拖着不去备案呢？", "penalty"),  # 不去备案: not going to file
    ("要是一直不公示，或者公示的内容是假的呢？", "penalty"),  # another failing said after a comma
    ("And what if they don't pay on time?", "penalty"),
    # an age: a figure in years of life, not any figure
    ("孩子满几岁必须送去上小学？", "age"),
    ("宁波的旅游景区对多大年纪以上的老人要实行门票减免？", "age"),
    ("从事道路客运的驾驶员年龄上限是多少？", "age"),
    ("正团职军官服现役的最高年龄是多少？", "age"),
    ("国务院那个实施办法规定的起始年龄又是多少？", "age"),  # 又: asked again of another document
    ("那河南省人大的决议呢？年龄是怎么划的？", "age"),
    ("At what age must children start compulsory schooling?", "age"),
    ("What is the minimum age to serve as a people's assessor?", "age"),
    # a distance: how far from something a thing may be
    ("上海这边的路边小吃摊，离小学校们口至少得隔多远才能摆？", "distance"),
    ("学校附近多少米以内不能开网吧？", "distance"),
    ("How far from a school must a food stall be?", "distance"),
])
def test_answer_types_laws_add_are_asked(rules, question, asked):
    assert asked in rules.asked_types(question)


@pytest.mark.parametrize("question", [
    "那不是本市户籍的呢？",  # a condition, nothing left undone
    "如果没有营业执照，可以申请吗？",  # asks whether, not what follows
    "哪些情况可以不交？",
    "如果不报销的话呢？",  # 报销 is no report left undone
    "What if I don't have a hukou?",  # a condition, no duty left undone
])
def test_a_consequence_is_asked_only_of_something_left_undone(rules, question):
    assert "penalty" not in rules.asked_types(question)


@pytest.mark.parametrize("question", [
    "军官服现役满几年可以退休？",  # years of service, not of life
    "淄博这边，四五岁的孩子能不能自己一个人坐电梯？",  # an age told, not asked
])
def test_an_age_is_asked_only_of_a_person(rules, question):
    assert "age" not in rules.asked_types(question)


@pytest.mark.parametrize("question", ["去年一共处罚了多少家企业？", "罚了多少次？", "多少人免费乘车？"])
def test_how_many_were_fined_asks_no_sum(rules, question):
    # a count of those fined (多少家, 多少次), or of those riding free, is no fine and no fee
    assert not {"fine", "amount"} & set(rules.asked_types(question))


@pytest.mark.parametrize("question", [
    "这栋楼最高能建多少米高？",  # a height
    "住宅面积有多少平方米？",  # an area
    "How far in advance must the tenant be told?",  # a notice period
])
def test_a_distance_is_asked_only_as_one(rules, question):
    assert "distance" not in rules.asked_types(question)


@pytest.mark.parametrize("kind, sentence, stated", [
    ("penalty", "由公安机关交通管理部门处警告或者20元以上200元以下罚款", True),
    ("penalty", "处3年以上10年以下有期徒刑，并处5万元以上50万元以下罚金", True),
    ("penalty", "专利代理师应当根据专利代理机构的指派承办专利代理业务", False),
    ("penalty", "因交通管制、突发事件处置等需要车辆立即驶离的，应当按照要求驶离", False),  # 交通管制 is no sentence
    ("penalty", "判处三年以下有期徒刑、拘役或者管制", True),
    ("penalty", "造成供水设施损坏的，应当承担修复费用和赔偿因此造成的损失", True),  # the liability of 承担什么责任
    ("amount", "增加赔偿的金额为消费者购买商品的价款的三倍", True),  # a compensation as a multiple
    ("amount", "付给百分之二的手续费", True),
    ("amount", "对职工应休未休的年休假天数，单位应当按照该职工日工资收入的300%支付年休假工资报酬", True),
    ("place", "男女双方应当共同到一方当事人常住户口所在地的婚姻登记机关办理结婚登记", True),
    ("procedure", "办理离婚登记的内地居民应当出具下列证件和证明材料", True),
    ("eligibility", "职工有下列情形之一的，应当认定为工伤", True),
    ("eligibility", "本法所称小规模纳税人，是指年应征增值税销售额未超过五百万元的纳税人", True),
    ("deadline", "校车应当每半年进行一次机动车安全技术检验", True),
    ("deadline", "消防安全重点单位应当实行每日防火巡查", True),  # how often: daily
    ("deadline", "投递邮件每天至少一次", True),
    ("deadline", "维护保养单位接到电梯困人报告后，应当安排维护保养人员在三十分钟内赶到现场", True),  # minutes
    ("deadline", "特种设备安全监督管理部门应当及时到达现场", False),
    ("deadline", "所在单位应当给予两周的捐献时间", True),  # weeks
    ("deadline", "限制的时间不得超过15个交易日", True),  # trading days
    ("deadline", "审计决定自送达之日起生效", True),  # when it takes effect
    ("deadline", "本条例自公布之日起施行", True),
    ("deadline", "审计机关应当将审计决定送达被审计单位", False),
    ("place", "献血者在外地用血的，凭献血证向血站办理报销", True),  # the body to go to
    ("place", "出现发热、乏力、干咳等症状时，及时前往发热门诊就医", True),  # the place to go to
    ("place", "申请人可以到政务服务大厅窗口办理", True),
    ("place", "应当向镇（乡）人民政府提出申请", True),  # a township government applied to
    ("place", "医疗机构应当设立发热门诊", False),  # a duty to set it up: nowhere to go
    ("figure", "伪造货币的总面额在2000元以上不满3万元", True),
    ("figure", "国家实行无偿献血制度", False),
    ("age", "凡年满六周岁的儿童，其父母或者其他法定监护人应当送其入学", True),
    ("age", "驾驶电动自行车必须年满16周岁", True),
    ("age", "担任连级职务的军官，平时任职的最高年龄为三十五岁", True),
    ("age", "服现役满三年的士兵", False),
    ("age", "名木和树龄500年以上的古树实行一级保护", True),  # a tree's age
    ("distance", "禁止食品摊贩在距离幼儿园、中小学校门口一百米范围内设摊经营", True),
    ("distance", "自行车应当在距离道路右侧边缘线向左1.5米的范围内行驶", True),
    ("distance", "已建成面积在三千平方米以上的公共绿地", False),  # an area is no distance
    ("distance", "库容五亿立方米以上的水库", False),
    # figures in Chinese numerals with the units laws use
    ("figure", "坝高一百米以上或者库容五亿立方米以上的水库", True),
    ("area", "将已建成面积在三千平方米以上的公共绿地拟定为永久保护绿地", True),
    ("rate", "可处以项目合同金额千分之五以上千分之十以下的罚款", True),
    ("rate", "从欠缴之日起，按日加收2‰的滞纳金", True),
    ("amount_each", "独生子女父母奖励费每月不少于十元", True),
    ("amount_each", "按照所占绿地面积处每平方米一万元罚款", True),
    # quantities in measure units; rules to follow; what a term means
    ("count", "其他单位和个人不得存放重量超过十公斤的烟花爆竹", True),
    ("eligibility", "吸烟点的设定应当遵守下列规定：（一）远离人员聚集区域", True),
    ("eligibility", "夜间，是指晚上十点至次日早晨六点之间的期间", True),
    ("eligibility", "任何个人可以要求吸烟者停止在禁止吸烟场所内吸烟", False),
    # a fine's sum or multiple, not any penalty
    ("fine", "处以200元至1000元的罚款", True),
    ("fine", "并处违法所得5倍以下的罚款", True),
    ("fine", "责令改正，处五十元以上二百元以下罚款", True),
    ("fine", "违反本条例规定，损害古树名木的，应当向所有者赔偿损失", False),
    ("fine", "由公安机关责令改正；拒不改正的，没收犬只", False),
    # what follows a sum not paid in time is a consequence too
    ("penalty", "自欠缴之日起每月加收欠缴社会抚养费的千分之二的滞纳金", True),
    ("penalty", "仍不缴纳的，由作出征收决定的计划生育行政部门依法申请人民法院强制执行", True),
    ("penalty", "当事人应当自收到征收决定之日起30日内一次性缴纳社会抚养费", False),
    ("penalty", "社会抚养费及滞纳金应当全部上缴国库", False),  # where the late fee goes, no fee imposed
    # where to complain or report: the authority the law names
    ("place", "有权向公安机关或者其他有关部门检举、控告", True),
    ("place", "受理检举、控告的部门应当及时调查处理", False),
    # the papers to present: shown (出示) as well as handed in
    ("procedure", "购买剧毒、高毒农药的，应当出示居民身份证和本单位出具的合法用途说明", True),
    ("procedure", "定点经营单位应当建立电子销售台账", False),
    ("procedure", "二类口岸：由口岸所在地的人民政府征得当地大军区和海军的同意，并会商有关检查检验部门后，报请省级人民政府批准", True),
    ("procedure", "经批准开放的口岸，由国务院公布", False),
    # who pays: the party a cost is borne by (rules.json operator)
    ("operator", "按照国家规定应当由当事人承担的，由人民法院提前通知当事人预付", True),
    ("operator", "司法鉴定人应当按时出庭作证", False),
    ("count", "调度机构分为五级", True),  # levels
    ("count", "风险等级从低到高分为A级风险、B级风险、C级风险、D级风险四个等级", True),
    ("count", "按照级别管理", False),
    ("count", "每人每年必须义务植树三至五棵", True),  # trees, animals and machines in their measure words
    ("count", "每户限养一只犬", True),
    ("count", "只限于用在本市、本县所辖范围内", False),
    ("count", "规划居住人口达到五千居民以上的，应当配套建设一所小学", True),  # people counted as 居民 or 户, in thousands
    ("count", "每千户配建一处", True),
    ("count", "居民委员会应当协助做好相关工作", False),
    # a year in Chinese numerals; a sum per unit in Arabic digits
    ("year", "市制计量单位，可以延续使用到一九九0年", True),
    ("year", "连续工作满二十四年", False),
    ("amount_each", "北京市应税水污染物适用税额为每污染当量14元", True),
    ("amount_each", "每污染当量的计算方法由国务院规定", False),
    # how often: a frequency said with 按 (按月提供) as with 每 (每月)
    ("deadline", "市人民政府有关部门应当按月提供预算收支报表等有关资料", True),
    ("deadline", "按季度报送统计数据", True),
    ("deadline", "按年份统计", False),
    ("deadline", "按照规定提供有关资料", False),
    # a right, licence or qualification that ends is what befalls one who does not act
    ("penalty", "期满未申请续期或者申请续期未获批准的，海域使用权终止", True),
    ("penalty", "建设工程规划许可证自行失效", True),
    ("penalty", "海域使用权期满六十日前，海域使用权人可以依法申请续期", False),
    ("penalty", "劳动合同期满的，劳动合同终止", False),
    # so is removal from office (终止其委员职务)
    ("penalty", "由业主委员会提请业主大会决定终止其委员、候补委员职务", True),
    ("penalty", "情节严重的，依法撤销或者罢免其职务", True),
    ("penalty", "应当免去其行政领导职务", False),
    ("penalty", "管理人于办理注销登记完毕的次日终止执行职务", False),
    # a penalty named in a condition is what the sentence is about, not what it imposes
    ("penalty", "对违反生活垃圾分类投放规定依法应当给予处罚的，及时报告生活垃圾管理部门", False),
    ("penalty", "被吊销许可证的，三年内不得重新申请", False),
    ("penalty", "逾期不改正的，处五百元以上五千元以下罚款", True),
    ("deadline", "每次按鸣喇叭不得超过半秒钟，连续按鸣不得超过三次", True),  # half a second
    # a qualification one must hold is a requirement (需要满足什么要求)
    ("eligibility", "升放系留气球的单位，应当遵守国家有关规定，并按国家规定取得相应的资质", True),
    ("eligibility", "取得资质的单位名单由气象主管部门公布", False),
    ("eligibility", "制造、修理计量器具的企业、事业单位和个体工商户须在固定的场所从事经营，具有符合国家规定的生产设施、检验条件、技术人员", True),
    ("deadline", "连续工作时间不得超过四小时", True),
    ("penalty", "由公安机关责令改正；拒不改正的，依法给予治安管理处罚", True),
    # where fines go is no penalty imposed (罚款收入…上交财政, 按照…行政处罚的有关规定)
    ("penalty", "罚款收入应当按照国家行政处罚的有关规定上交财政。", False),
    ("penalty", "对吸烟者作出行政处罚，应当出具罚款收据", True),
    # the body in charge (归哪个机构管)
    ("operator", "示范区执委会负责先行启动区内跨区域投资项目的审批、核准和备案管理", True),
    ("operator", "示范区执委会作为示范区开发建设管理机构", False),
])
def test_evidence_that_states_an_answer_type(rules, kind, sentence, stated):
    assert rules.answer_types[kind].stated_in(sentence) is stated


@pytest.mark.parametrize("question, asked, text, missing", [
    ("总面额在多少以上属于数额特别巨大？", "amount", "伪造货币的总面额在2000元以上不满3万元的，属于数额较大", "特别巨大"),
    ("总面额在多少以上属于数额特别巨大？", "amount", "总面额在3万元以上的，属于数额特别巨大", ""),
    ("数额巨大的怎么处罚？", "penalty", "数额特别巨大的，处十年以上有期徒刑", "数额巨大"),
    ("试用期最长多久？", "deadline", "试用期不得超过六个月", ""),  # no degree named
    # a degree in the asker's story grades nothing a place asked could be
    ("辅警态度特别恶劣还推了我一把，可以去哪里检举？", "place", "有权向公安机关或者其他有关部门检举、控告。", ""),
    ("辅警态度特别恶劣，会被怎么处罚？", "penalty", "有权向公安机关或者其他有关部门检举、控告。", "特别恶劣"),
    # a degree said alone grades the case at its phrase's end; before a noun it is part of a name (重大隐患)
    ("举报重大隐患，查实后给多少奖励？", "amount", "应当给予最先举报人1000元至1万元的奖励", ""),
    ("后果会有多严重？", "penalty", "处五百元罚款", "严重"),
    ("情节比较轻的，罚多少？", "fine", "处五百元罚款", "较轻"),
])
def test_a_degree_the_article_does_not_name(question, asked, text, missing):
    clause = Clause("d:a1", "article", "第一条", "第一条", text, document="d")
    assert degree_missing(question, clause, corpus_texts()["degrees"], asked) == missing


@pytest.mark.parametrize("text, stated", [
    # a sum a law fines is no fee: read without its fines, the article states no amount
    ("违反本条例第三十三条规定，没有持导游员执业证书从事导游活动的，责令改正，给予警告，可以处以500元以上5000元以下的罚款。", False),
    ("单位违反规定的，处一万元以上五万元以下罚金，情节严重的，吊销许可证。", False),
    ("犬只登记管理服务费为每只每年三百元。", True),  # a fee stays
    ("申请人应当缴纳报名费二百元；逾期不缴的，处一千元罚款。", True),  # the fee's phrase is kept, the fine's masked
    # …and the cap said after a fine is the fine's ("总额不得超过二万元" is no road-occupation fee)
    ("违反本条例第九条规定的，每平方米处以三十元以上一百元以下罚款，总额不得超过二万元。", False),
])
def test_fines_are_not_what_an_amount_question_asks(rules, text, stated):
    clause = Clause("a1", "article", "第一条", "第一条", text.replace("；", "，"))
    assert rules.answer_types["amount"].stated_in(without_fines(clause, corpus_texts()["fines"]["pattern"]).text) is stated


@pytest.mark.parametrize("text, framing", [
    ("为了规范专利代理行为，保障委托人的合法权益，根据《中华人民共和国专利法》，制定本条例。", True),
    ("为保护消费者的合法权益，维护社会经济秩序，促进社会主义市场经济健康发展，制定本法。", True),
    ("为了公共利益的需要，征收国有土地上单位、个人的房屋，应当给予公平补偿。", False),
    ("本条例所称专利代理，是指专利代理机构接受委托的行为。", False),
    # the closing article: when the rules take effect, and what they replace
    ("本条例自2021年5月1日起施行。浙江省人民政府发布的《浙江省城镇生活垃圾分类管理办法》同时废止。", True),
    ("本规定自发布之日起施行。", True),
    ("本条例施行前已经建成的停车场，应当在一年内完成改造。", False),
    # the scope article: where and to what the rules apply
    ("本市行政区域内的住房租赁及其监督管理，适用本规定。本规定所称住房是指国有土地上的居住房屋。", True),
    ("本条例适用于本省行政区域内燃气发展规划编制、燃气工程建设、燃气经营和使用。", True),
    ("法律、行政法规对食品安全另有规定的，适用其规定。", False),
])
def test_a_purpose_article_is_recognised(text, framing):
    assert is_framing(text, corpus_texts()["framing"]) is framing


_REFUSED = Clause("q:a27", "article", "第二十七条", "第二十七条", "投诉事项有下列情形之一的，人力资源和社会保障行政部门不予受理：\n"
                  "（一）不属于劳动保障监察范围的；\n（二）违法行为在两年内未被人力资源和社会保障行政部门发现，也未被举报、投诉的。",
                  document="q")
_INQUIRY = Clause("q:a31", "article", "第三十一条", "第三十一条", "劳动保障监察案件应当自立案之日起六十个工作日内完成调查；对情况复杂"
                  "的，可以延长三十个工作日。", document="q")
_RECEIPT = Clause("q:a26", "article", "第二十六条", "第二十六条", "人力资源和社会保障行政部门应当自接到投诉之日起五个工作日内作出是否受理的"
                  "决定。", document="q")
_ELSEWHERE = Clause("o:a9", "article", "第九条", "第九条", "调查应当自立案之日起三十日内完成。", document="o")


@pytest.mark.parametrize("hits, words, first", [
    # the first article's period is of no word asked, the second's of 立案 and 调查: the second leads
    ([_REFUSED, _INQUIRY, _RECEIPT], ["立案", "调查"], 1),
    # …and of several, the one whose sentence holds the most of them
    ([_REFUSED, _RECEIPT, _INQUIRY], ["立案", "调查", "一般"], 2),
    # the first's sentence holds one, another's as many: kept
    ([_INQUIRY, _RECEIPT], ["投诉", "调查"], 0),
    # …the first's one (投诉), another's three: it leads
    ([_REFUSED, _INQUIRY], ["投诉", "立案", "调查", "工作日"], 1),
    # none holds any: kept
    ([_REFUSED, _RECEIPT], ["工资"], 0),
    # each holds one word (投诉): too little to tell, kept
    ([_REFUSED, _RECEIPT], ["投诉", "工资"], 0),
    # a word within a longer one held is the same word (之日 in 之日起): one held, kept
    ([_REFUSED, _INQUIRY], ["之日", "之日起", "之日起"], 0),
    # another document's article is not looked at
    ([_REFUSED, _ELSEWHERE], ["立案", "调查"], 0),
])
def test_the_sentence_about_the_subject_leads(rules, hits, words, first):
    assert subject_sentence_first([Hit(c, 1.0) for c in hits], rules.answer_types["deadline"], words) == first


def test_the_article_stating_what_is_asked_is_found_among_the_best(rules):
    duty = Clause("d:a16", "article", "第十六条", "第十六条", "专利代理师不得同时在两个以上专利代理机构执业。", document="d")
    fine = Clause("d:a26", "article", "第二十六条", "第二十六条", "专利代理师有下列行为之一的，处5万元以下的罚款。",
                  document="d")
    hits = [Hit(duty, 1.2), Hit(fine, 1.1)]
    penalty = rules.answer_types["penalty"]
    assert stating_article(penalty, hits, [0.8, 0.65], answers=False) == 1  # 0.65 >= 0.75 * 0.8: ranked first
    assert stating_article(penalty, hits, [0.8, 0.5], answers=False) is None  # holds too little of the subject
    assert stating_article(penalty, hits, [0.8, 0.5], answers=True) is None  # answering needs SCOPE_COVERAGE
    assert stating_article(penalty, hits, [0.8, 0.6], answers=True) == 1
    # none holds enough of the subject to rank it first by words: the article the meaning ranks best of them, when it
    # states the kind and holds ANSWER_FLOOR of the subject ("擅自砍一棵行道树，按株罚多少？": 擅自移植、砍伐树木的…每株…)
    by_meaning = [Hit(duty, 1.2, dense=0.36), Hit(fine, 1.1, dense=0.46)]
    assert stating_article(penalty, by_meaning, [1.0, 0.47], answers=False) == 1
    assert stating_article(penalty, by_meaning, [1.0, 0.25], answers=False) is None  # holds too little
    assert stating_article(penalty, by_meaning, [1.0, 0.47], answers=True) is None  # to answer, its words must hold it
    assert stating_article(penalty, hits, [1.0, 0.47], answers=False) is None  # the meaning ranks the duty best
    # a penalty article names the offence in the law's words: a third of the asker's words is enough to answer
    assert stating_article(penalty, hits, [0.33, 0.33], answers=True) == 1
    assert stating_article(penalty, hits, [0.25, 0.25], answers=True) is None
    assert stating_article(rules.answer_types["deadline"], hits, [0.8, 0.8], answers=False) is None


_FREE_BLOOD = Clause("d:a19", "article", "第十九条", "第十九条", "献血者的家庭成员可以免费用血。", document="d")
_MEMBERS = Clause("d:a31", "article", "第三十一条", "第三十一条", "本办法所称家庭成员，是指公民的配偶、双方的父母、子女及其配偶。",
                  document="d")


@pytest.mark.parametrize("question, tokens, found", [
    ("这个家庭成员包括我老婆的爸妈吗？", ("家庭", "成员", "家庭成员", "包括", "老婆", "爸妈"), 1),
    ("什么是家庭成员？", ("家庭成员",), 1),
    ("家庭成员能免费用血吗？", ("家庭成员", "免费", "用血"), None),  # asks no scope of the term
    ("献血者包括哪些人？", ("献血者",), None),  # no article defines 献血者
    # the term in quotes, or followed by a comma, before what asks its scope
    ("条例里说的“家庭成员”具体包括哪些人？", ("条例", "家庭成员", "具体", "包括"), 1),
    ("条例讲的家庭成员，到底指的是谁？", ("条例", "家庭成员", "到底", "指的是"), 1),
])
def test_the_article_defining_a_term_asked_about(question, tokens, found):
    hits = [Hit(_FREE_BLOOD, 1.2), Hit(_MEMBERS, 1.0)]
    assert defining_article(question, tokens, hits, corpus_texts()["definition"]) == found


_SIGNS = Clause("d:a14", "article", "第十四条", "第十四条", "市林业和绿化主管部门负责在环城绿道的出入口、驿站等位置，按照规范统一设置"
                "各类标识。", document="d")
_AUTHORITY = Clause("d:a6", "article", "第六条", "第六条", "市林业和绿化部门是环城绿道的主管部门，负责编制环城绿道规划和建设计划。",
                    document="d")
_OTHER = Clause("e:a5", "article", "第五条", "第五条", "质量技术监督部门主管本市行政区域内的产品质量监督工作。", document="e")
# "负责…管理和促进工作": a body in charge of the field, with what it does for it
_HOUSEKEEPING = Clause("d:a4", "article", "第四条", "第四条", "市、县（市、区）人力资源和社会保障部门负责本行政区域内家政服务业管理和"
                       "促进工作。", document="d")
# 嘉兴市养犬管理条例: the rule, its penalty naming the body, and the article on who imposes its penalties
_LEASH = Clause("j:a15", "article", "第十五条", "第十五条", "在重点管理区内，户外携带犬只应当遵守下列规定：（一）为犬只佩戴犬牌；"
                "（二）使用两米以内的束犬绳（链）牵领犬只，或者怀抱、装入犬袋犬笼；", document="j")
_LEASH_FINE = Clause("j:a24", "article", "第二十四条", "第二十四条", "违反本条例第十五条第一款规定，有下列行为之一的，由综合行政"
                     "执法部门责令改正，可以处二百元以下罚款；拒不改正的，没收犬只：", document="j")
_PENALISES = Clause("j:a3", "article", "第三条", "第三条", "综合行政执法部门负责犬只收容、处置和重点管理区内的流浪犬捕捉、狂犬"
                    "捕杀以及相关行政处罚工作。", document="j")
_APPLIES = Clause("d:a2", "article", "第二条", "第二条", "本市行政区域内莱芜区、钢城区既有多层住宅增设电梯，适用本规定。", document="d")
_ANALOGY = Clause("d:a21", "article", "第二十一条", "第二十一条", "其他住宅或者非住宅既有建筑增设电梯参照本规定执行。", document="d")
# 北京市烟花爆竹安全管理规定: a licence required, and from whom; 东营市养犬管理条例: to whom one applies
_LICENSED = Clause("f:a7", "article", "第七条", "第七条", "本市行政区域内禁止生产烟花爆竹。本市对销售、运输烟花爆竹依法实行许可制度。",
                   document="f")
_SELLERS_LICENCE = Clause("f:a8", "article", "第八条", "第八条", "在本市销售烟花爆竹应当取得安全生产监督管理部门的许可，未经许可，"
                          "不得销售并储存。", document="f")
_DOG_REGISTRATION = Clause("f:a14", "article", "第十四条", "第十四条", "养犬人应当自取得犬只之日起三十日内，向所在地公安机关申请养犬"
                           "登记。", document="f")
# 国务院关于口岸开放的若干规定: who approves ships' and vehicles' entry at closed ports and borders
_SHIPS = Clause("k:8.1", "item", "八、 > (一)", "(一)", "临时从我国非开放的港口或沿海水域进出的中、外国籍船舶，由交通部审批，并报国务院"
                "口岸领导小组备案。", document="k")
_VEHICLES = Clause("k:8.3", "item", "八、 > (三)", "(三)", "临时从我国非开放的陆地边界区域进出境的中、外国籍车辆和人员，由省级人民政府"
                   "审批。", document="k")
# 重庆市燃放烟花爆竹管理条例: the body issuing retailers' licences, and the transport licence
_RETAIL_LICENCES = Clause("c:a14", "article", "第十四条", "第十四条", "应急管理部门负责烟花爆竹批发、零售经营布点规划与许可证的颁发和"
                          "管理工作。", document="c")
_TRANSPORT_LICENCE = Clause("c:a16", "article", "第十六条", "第十六条", "在本市行政区域内运输烟花爆竹，应当依法取得公安机关或者有关部门"
                            "的运输许可。", document="c")
_IN_FORCE = Clause("d:a24", "article", "第二十四条", "第二十四条", "本规定自2019年4月1日起施行。", document="d")
# a decision's last outline entry, its closing sentence after what the entry says
_LAST_ENTRY = Clause("d:7", "item", "七、", "", "示范区执委会可以向市人民代表大会常务委员会提出建议。\n本决定自2020年10月1日起施行。",
                     document="d")
_MENTIONS = Clause("d:5", "item", "五、", "", "市人民代表大会常务委员会加强对本决定实施情况的监督。", document="d")


@pytest.mark.parametrize("question, form", [
    ("When did Shandong's regulation on the prevention and control of motor vehicle exhaust pollution come into force?",
     "in_force"),  # a long title between when and into force
    ("Since when has the city's public-security regulation on special trades been in force?", "in_force"),
    ("From what date does the city's regulation on industrial wastewater apply?", "in_force"),
    ("枣庄环城绿道归哪个部门管？", "authority"),
    ("温州市养犬管理的主管部门是谁？", "authority"),
    ("河南省的法律援助工作由哪个部门主管？", "authority"),
    ("Which authority regulates courier companies in Zhejiang?", "authority"),
    ("湖州管养狗的到底是哪个部门？", "authority"),  # 管 before the body asked
    ("我在温州开家政公司，平时到底归政府哪个部门管？", "authority"),
    ("燃气安全到底是哪个部门在管？", "authority"),
    ("卖的日用品的质量问题归哪个部门具体监管？", "authority"),  # 具体 before the verb
    ("防治松树线虫病，主要是哪个部门牵头管？", "authority"),  # the body leading the field
    ("这个项目由哪个部门牵头负责申报？", None),  # an application led, not the field
    ("在宁波城区看到流浪狗，由哪个部门负责捕捉？", None),  # a duty of its own, not the field's authority
    ("违规养犬罚多少钱？", None),
    ("上海小区电梯里有人抽烟，控烟执法归哪个部门？", None),  # who enforces: the enforcement article says
    # which body acts on a breach: the penalty article naming it
    ("在禁烟的商场里抽烟，由哪个部门处罚？", "enforcer"),
    ("有人把文物保护的界桩挪走了，该由哪个部门来处理？", "enforcer"),
    ("楼上把卫生间改到我家卧室上面，这事归哪个部门管？能罚他吗", "enforcer"),  # 管 with 罚: not the field's authority
    ("邻居在楼道里给电动车充电，这事该找哪个部门？", "enforcer"),
    ("Which authority fines a shop that sells fireworks without a licence?", "enforcer"),
    ("商家不给三包，应该向哪个部门投诉？", None),  # a complaint: the article on complaints
    ("开矿的许可证找哪个部门审批？", "licenser"),  # who grants it: the article saying from whom it is obtained
    ("办养犬登记该找哪个部门？", "licenser"),  # an application, no breach
    ("北京卖烟花爆竹要拿哪个部门的许可？", "licenser"),
    ("Which department issues the licence for selling fireworks?", "licenser"),
    ("没有许可证就卖烟花，由哪个部门处罚？", "enforcer"),  # a breach: who acts on it
    ("办了登记还被罚款，向哪个部门投诉？", None),
    ("谁负责管理全国的专利工作？", None),  # who manages the field: its authority, not who acts on a breach
    ("没办登记就养狗，由哪个部门处罚？", "enforcer"),
    ("水库大坝上老有人停车、晒稻谷，这种事归哪个部门管？", "enforcer"),  # someone's breach told: who acts on it
    ("有人在河里搞网箱养鱼，归哪个部门管？", "enforcer"),
    # into what classes or zones something is divided: the article dividing it
    ("重庆的民兵分成哪几类？", "classes"),
    ("保护区内部可以划成哪几块区域？", "classes"),
    ("How many categories of household waste are there?", "classes"),
    ("垃圾分类投放点设在哪里？", None),
    ("我家在济南历下区，我们这片能用这个规定吗？", "applies"),
    ("Does this regulation apply to our district?", "applies"),
    ("非住宅建筑能参照适用吗？", None),  # by analogy: the article that says so, not the one on where they apply
    # when the rules take effect: their closing article, also when the question asks a date (with_asks)
    ("枣庄市农村公路条例什么时候开始施行？", "in_force"),
    ("这个规定的施行日期是哪天？", "in_force"),
    ("When did the Zaozhuang Rural Roads Regulations come into force?", "in_force"),
    ("When does the regulation take effect?", "in_force"),
    ("What if it happened before the new Company Law took effect?", None),  # a time, not when the law took effect
    ("When should we apply for the permit?", None),  # applying for something: no date the rules take effect
    ("浦东新区那个决定是从哪一天开始施行的？", "in_force"),
    ("这个决定什么时候生效？", "in_force"),
])
def test_questions_an_article_of_one_kind_answers(question, form):
    found = asked_form(question, article_forms())
    assert found is (article_forms()[form] if form else None)


@pytest.mark.parametrize("form, hits, found", [
    ("authority", [_SIGNS, _AUTHORITY], 1),  # a duty of the authority's first; the article declaring it leads
    ("authority", [_AUTHORITY, _SIGNS], 0),  # first already
    ("authority", [_SIGNS, _OTHER], 0),  # another document's declaration is not this one's
    ("applies", [_ANALOGY, _APPLIES], 1),
    ("authority", [_SIGNS, _SIGNS, _SIGNS, _SIGNS, _HOUSEKEEPING], 4),  # its window: the best five
    ("enforcer", [_LEASH, _LEASH_FINE], 1),  # the rule broken first: the penalty naming who acts leads
    ("enforcer", [_LEASH_FINE, _LEASH], 0),
    ("enforcer", [_PENALISES, _LEASH_FINE], 0),  # the article on who imposes the penalties says it too
    ("in_force", [_APPLIES, _ANALOGY, _APPLIES, _ANALOGY, _APPLIES, _ANALOGY, _IN_FORCE], 6),  # window: the best ten
    ("in_force", [_IN_FORCE, _APPLIES], 0),
    ("in_force", [_MENTIONS, _LAST_ENTRY], 1),  # an outline entry's closing sentence; 实施情况 is no start
    ("licenser", [_LICENSED, _SELLERS_LICENCE], 1),  # a licence required: the article saying from whom it is obtained
    ("licenser", [_SELLERS_LICENCE, _LICENSED], 0),
    ("licenser", [_LICENSED, _DOG_REGISTRATION], 1),  # 向…申请登记
    ("licenser", [_LICENSED, _LEASH_FINE], 0),  # a penalty naming a body grants nothing (and is another document)
    ("licenser", [_RETAIL_LICENCES, _TRANSPORT_LICENCE], 0),  # the body in charge of issuing them says it too
    ("licenser", [_SHIPS, _VEHICLES], 0),  # 由交通部审批: a ministry approves it
])
def test_the_article_that_states_what_the_form_asks(form, hits, found):
    spec = article_forms()[form]
    assert stating_form([Hit(c, 1.0) for c in hits], spec.states, spec.window) == found


@pytest.mark.parametrize("sentence, kind, phrase", [
    # the phrase stating the kind asked, with its short condition
    ("违反本规定第六条的，由卫生行政管理部门给予警告，责令限期改正；逾期不改正的，处五百元以上三千元以下罚款。", "amount",
     "逾期不改正的，处五百元以上三千元以下罚款"),
    ("违反本规定第六条的，由卫生行政管理部门给予警告，责令限期改正；逾期不改正的，处五百元以上三千元以下罚款。", "penalty",
     "违反本规定第六条的，由卫生行政管理部门给予警告，责令限期改正"),  # both penalties of the case
    ("维护保养单位接到电梯乘客被困的报警后，应当在三十分钟内到达现场并实施救援。", "deadline", "应当在三十分钟内到达现场并实施救援"),
    ("公民应当文明旅游。", "penalty", ""),  # states none
])
def test_the_phrase_that_states_what_was_asked(sentence, kind, phrase):
    rules = with_evidence(load_rules(), corpus_texts()["evidence"], corpus_texts()["answer_types"])
    assert stating_phrase([sentence], rules.answer_types[kind]) == phrase


@pytest.mark.parametrize("kind, sentence, phrase", [
    # the clauses after a comma that state the kind too belong to the answer
    ("deadline", "对走私犯罪嫌疑人，扣留时间不超过24小时，在特殊情况下可以延长至48小时。海关应当在法定扣留期限内对被扣留人进行审查。",
     "对走私犯罪嫌疑人，扣留时间不超过24小时，在特殊情况下可以延长至48小时"),
    ("fine", "逾期不改正的，处五百元以上三千元以下罚款；情节严重的，处三千元以上三万元以下罚款。",
     "逾期不改正的，处五百元以上三千元以下罚款"),  # a semicolon ends it: the next sum is another case's
])
def test_the_phrase_runs_on_through_clauses_stating_it(rules, kind, sentence, phrase):
    assert stating_phrase([sentence], rules.answer_types[kind]) == phrase


@pytest.mark.parametrize("tokens, phrase", [
    # of a sentence stating two periods, the one the question's words are about
    (("主管部门", "收到", "报送"), "主管部门应当在收到科技成果转化情况年度报告后一个月内报送同级财政、科学技术部门"),
    (("高等院校", "提交"), "国家设立的研究开发机构、高等院校应当向其主管部门提交上一年度科技成果转化情况报告"),
])
def test_the_phrase_about_the_questions_words(tokens, phrase):
    rules = with_evidence(load_rules(), corpus_texts()["evidence"], corpus_texts()["answer_types"])
    sentence = ("国家设立的研究开发机构、高等院校应当向其主管部门提交上一年度科技成果转化情况报告，说明本单位依法取得的科技成果数量、"
                "实施转化情况以及相关收入分配情况，主管部门应当在收到科技成果转化情况年度报告后一个月内报送同级财政、科学技术部门。")
    assert stating_phrase([sentence], rules.answer_types["deadline"], tokens) == phrase


@pytest.mark.parametrize("question, phrase", [
    # of one sentence's two sums, the case the asker quotes (没有违法所得), with that case's clause before its sum
    ("出借银行卡给别人用，没有违法所得的话最多罚多少？", "没有违法所得或者违法所得不足二万元的，处二十万元以下罚款"),
    ("出借银行卡给别人用，最多罚多少？", "没收违法所得，由公安机关处违法所得一倍以上十倍以下罚款"),  # none quoted: the first
])
def test_the_phrase_of_the_case_the_question_quotes(rules, question, phrase):
    sentence = ("违反本法第三十一条第一款规定的，没收违法所得，由公安机关处违法所得一倍以上十倍以下罚款，没有违法所得或者违法所得"
                "不足二万元的，处二十万元以下罚款；情节严重的，并处十五日以下拘留。")
    assert stating_phrase([sentence], rules.answer_types["fine"], ("出借", "银行卡", "违法", "所得"), question) == phrase


ARTICLE_72 = ["在道路上驾驶自行车、三轮车、电动自行车、残疾人机动轮椅车应当遵守下列规定：\n(一)驾驶自行车、三轮车必须年满12周岁；",
              "(二)驾驶电动自行车和残疾人机动轮椅车必须年满16周岁；"]


@pytest.mark.parametrize("tokens, phrase", [
    # of sentences stating the kind, the phrase about the question's words, not the first sentence's
    (("多大", "电动", "自行车"), "(二)驾驶电动自行车和残疾人机动轮椅车必须年满16周岁"),
    (("多大", "三轮车", "自行车"), "(一)驾驶自行车、三轮车必须年满12周岁"),
])
def test_the_phrase_of_the_sentence_about_the_questions_words(rules, tokens, phrase):
    assert stating_phrase(ARTICLE_72, rules.answer_types["age"], tokens) == phrase


@pytest.mark.parametrize("question, phrase", [
    # a figure asked in a unit: the phrase giving a number in it, not another count of the sentence (the ages)
    ("How many trees must each person plant per year?", "除丧失劳动能力者外，每人每年必须义务植树三至五棵"),
    ("每人每年要种几棵树？", "除丧失劳动能力者外，每人每年必须义务植树三至五棵"),
    ("多大年纪的人要义务植树？", "凡是条件具备的地方，男性十八至六十周岁，女性十八至五十五周岁"),  # no unit asked: the first
])
def test_the_phrase_giving_a_number_in_the_unit_asked(rules, question, phrase):
    sentence = "根据国家的规定，凡是条件具备的地方，男性十八至六十周岁，女性十八至五十五周岁，除丧失劳动能力者外，每人每年必须义务植树三至五棵。"
    unit = rules.asked_unit(question)
    assert stating_phrase([sentence], rules.answer_types["count"], (), "", unit[0] if unit else None) == phrase


# 德州市养老服务条例 第十一条 (its first and fourth sentences): two standards, for new and for built estates
ARTICLE_11 = ["新建城镇住宅区应当根据规划要求和建设标准，按照每百户不低于二十平方米的标准配套建设养老服务设施，与住宅建设项目"
              "同步规划、同步建设、同步验收、同步交付使用。",
              "已建成城镇住宅区无养老服务设施或者养老服务设施未达到规划要求和建设标准的，市、县（市、区）人民政府应当制定实施"
              "计划，加强统筹协调，按照每百户不低于十五平方米的标准，通过新建、改建、购置、置换、租赁等方式进行配置。"]


@pytest.mark.parametrize("tokens, phrase", [
    # the words every line holds (每百户, 养老服务设施) tell none apart: 建成 asks the second standard
    (("已经", "建成", "住宅区", "每百户", "平方米", "养老服务设施"), "加强统筹协调，按照每百户不低于十五平方米的标准"),
    # … and with no word telling them apart, the phrase holding most of the question's words
    (("新建", "城镇", "住宅区", "每百户", "平方米", "养老服务设施"), "按照每百户不低于二十平方米的标准配套建设养老服务设施"),
])
def test_the_phrase_of_the_line_the_questions_telling_words_are_in(rules, tokens, phrase):
    assert stating_phrase(ARTICLE_11, rules.answer_types["area"], tokens) == phrase


ARTICLE_12 = ["（一）为犬只佩戴犬牌；", "（三）及时清除犬只便溺；",
              "违反本条第一款第一项规定的，由综合行政执法部门责令改正，处五十元以上二百元以下罚款。",
              "违反本条第一款第三项规定的，由综合行政执法部门责令改正，处二十元以上五十元以下罚款。"]


@pytest.mark.parametrize("picked, kept", [
    # the item matched and another item's fine: its own fine instead
    ([ARTICLE_12[1], ARTICLE_12[2]], [ARTICLE_12[1], ARTICLE_12[3]]),
    # no item's fine picked: the question asked no fine, nothing added
    ([ARTICLE_12[0], ARTICLE_12[1]], [ARTICLE_12[0], ARTICLE_12[1]]),
    # no item picked: the sentences as picked
    ([ARTICLE_12[2]], [ARTICLE_12[2]]),
])
def test_a_list_items_own_fine_is_quoted(picked, kept):
    assert item_sentences(picked, ARTICLE_12) == kept


LABELS = ("产品或者其包装上的标识必须真实,并符合下列要求：\n（一）有产品质量检验合格证明；\n（二）有中文标明的产品名称、生产厂厂名和"
          "厂址；\n（三）限期使用的产品，应当标明生产日期。\n裸装的食品可以不附加产品标识。")


@pytest.mark.parametrize("text, sentence, limit, items", [
    # the lead-in picked (with its first item, one sentence up to "；"): every item of its list, not the line after
    (LABELS, "产品或者其包装上的标识必须真实,并符合下列要求：\n（一）有产品质量检验合格证明；", 400,
     ["（一）有产品质量检验合格证明；", "（二）有中文标明的产品名称、生产厂厂名和厂址；", "（三）限期使用的产品，应当标明生产日期。"]),
    # the items together longer than the limit: none added (the sentences picked stay as they were)
    (LABELS, "产品或者其包装上的标识必须真实,并符合下列要求：\n（一）有产品质量检验合格证明；", 40, []),
    # an item picked, not the lead-in: nothing added
    (LABELS, "（二）有中文标明的产品名称、生产厂厂名和厂址；", 400, []),
    # a lead-in after another sentence on its line: its own sentence is what was picked
    ("本条例所称公园，是指公共绿地。有下列情形之一的，不得收费：\n（一）节日；\n（二）学生。",
     "有下列情形之一的，不得收费：\n（一）节日；", 400, ["（一）节日；", "（二）学生。"]),
])
def test_a_lists_lead_in_is_quoted_with_its_items(text, sentence, limit, items):
    assert listed_items(text, sentence, limit) == items


@pytest.mark.parametrize("question, mentions", [
    ("国务院的植树实施办法和河南省人大关于义务植树的决议，分别从多大年龄开始？", ["国务院的植树实施办法", "河南省人大关于义务植树的决议"]),
    ("关于年龄，国务院的实施办法与河南省人大的决议分别怎么规定？", ["国务院的实施办法", "河南省人大的决议"]),
    ("郑州的养犬条例和清远的物业管理条例，分别怎么规定？", ["郑州的养犬条例", "清远的物业管理条例"]),
    ("北京和焦作在公园收不收门票上有什么不同？", []),  # places, no documents
    ("这个办法什么时候施行？", []),
])
def test_documents_coordinated_by_description(rules, question, mentions):
    spec = corpus_texts()["document_mentions"]
    assert document_mentions(question, spec["kinds"], rules.coordinators_zh) == mentions


TREES = {"g": "国务院关于开展全民义务植树运动的实施办法", "h": "河南省第六届人民代表大会关于进一步开展全民义务植树运动的决议",
         "f": "河南省人大常委会关于努力夺取传染性非典型肺炎防治工作和经济建设双胜利的决议", "s": "重新组建仲裁机构方案"}


@pytest.mark.parametrize("mention, rest, document", [
    ("国务院的植树实施办法", "", "g"),  # the one title ending in 办法 that holds its pairs
    ("河南省人大关于义务植树的决议", "", "h"),
    ("河南省人大的决议", "关于男性公民承担义务植树的年龄，", "h"),  # the question's other words tell the two 决议 apart
    ("河南省人大的决议", "", "f"),  # … without them, the title holding more of its own pairs
    ("那个方案", "", ""),  # too few pairs of any title
    ("国务院的决定", "", ""),  # no title ends with 决定
])
def test_the_document_a_description_names(mention, rest, document):
    spec = corpus_texts()["document_mentions"]
    assert mentioned_document(mention, TREES, spec["kinds"], spec["pairs"], rest) == document


_CLINIC = "从事动物诊疗活动的机构，应当具备下列条件：（一）有与动物诊疗活动相适应并符合动物防疫条件的场所"


@pytest.mark.parametrize("texts, found", [
    # the penalty article restating the duty in its words, though it names no article number
    (["动物诊疗机构违反本法规定，未按照规定实施卫生安全防护的，处一千元以上一万元以下罚款",
      "违反本法规定，未取得动物诊疗许可证从事动物诊疗活动的，责令停止诊疗活动，没收违法所得"], 1),
    (["违反本法规定，运输动物未附检疫证明的，处运输费用三倍以上五倍以下罚款"], None),  # too short a run shared
    (["从事动物诊疗活动的，处罚款", "从事动物诊疗活动的，责令改正"], None),  # two alike: neither
    (["有与动物诊疗活动相适应的场所的，处罚款", "有与动物诊疗活动相适应的场所的，责令改正", "从事动物诊疗的，警告"], None),
    ([], None),
])
def test_the_article_restating_a_duty(texts, found):
    assert restating(_CLINIC, texts) == found


def test_the_phrase_stated_is_the_fine_of_the_item_picked(rules):
    said = [ARTICLE_12[1], ARTICLE_12[2], ARTICLE_12[3]]
    assert stating_phrase(said, rules.answer_types["fine"]) == "由综合行政执法部门责令改正，处二十元以上五十元以下罚款"


@pytest.mark.parametrize("a, b, same", [
    ("物业管理条例", "住宅小区物业管理条例", True),
    ("机动车停车条例", "停车场建设和管理条例", True),  # 停车, once the words that name no kind are set aside
    ("养犬管理条例", "养犬管理规定", True),
    ("物业管理条例", "慈善事业促进条例", False),
    ("机动车停车条例", "生活垃圾管理条例", False),  # 条例 and 管理 name no kind
    ("社会治安综合治理条例", "社会保险费征缴暂行条例", False),
    ("禁烟条例", "公共场所禁止吸烟条例", True),  # said abbreviated: 禁(止吸)烟
    ("控烟条例", "公共场所控制吸烟条例", True),
    ("禁烟条例", "烟花爆竹燃放管理条例", False),  # 禁…烟 too far apart to abbreviate anything
])
def test_two_places_rules_of_one_kind(a, b, same):
    from assistant.store.corpus import same_kind_titles

    assert same_kind_titles(a, b, corpus_texts()["places"]["kind_generic"]["words"]) is same


@pytest.mark.parametrize("head, said, within", [
    ("河南省", "商丘", True),  # a province's rules apply in its cities (corpus.json places.cities)
    ("江苏省", "泰州", True),
    ("浙江省", "台州", True),
    ("山东省", "商丘", False),
    ("湖北省", "宜昌", True),
])
def test_a_province_holds_its_cities(head, said, within):
    from assistant.store.corpus import _within
    assert _within(head, [said], corpus_texts()["places"]["cities"]) is within


def test_the_plans_everyday_word_expansions_apply_only_with_the_plan():
    from assistant.text import load_lexicon

    lexicon, plan = load_lexicon(), corpus_texts()["lexicon_document"]["title"]
    assert lexicon.expand_zh("出海") and not lexicon_for(lexicon, ["浙江省渔业管理条例"], plan).expand_zh("出海")
    held = lexicon_for(lexicon, ["浙江省渔业管理条例", "促进武汉东湖新技术开发区高质量发展行动方案"], plan)
    assert held.expand_zh("出海") == lexicon.expand_zh("出海")


@pytest.mark.parametrize("question, written", [
    ("在北京遛狗后不捡狗屎，会被罚多少钱？", {"犬", "粪便", "清除"}),
    ("小孩能不能一个人坐电梯？", {"儿童", "未成年人"}),
    ("物业费能不能不交？", {"物业服务费"}),
    ("我在重庆摆摊卖烤串，要办什么手续？", {"摊贩", "摊点", "烧烤"}),
    ("在禁放区放鞭炮罚多少？", {"禁止燃放", "烟花爆竹"}),
    ("女儿16岁想去纹身，店家能给她纹个小图案吗？", {"文身"}),
    ("公司的营业执照弄丢了，要怎么办？", {"遗失"}),
    ("初中搞火箭班、快慢班合规吗？", {"重点班"}),
    ("把7岁的孩子一个人留在家里行吗？", {"无人看护", "儿童", "未成年人"}),
    ("二手车过户最晚多少天内要办？", {"转移登记"}),
    ("把液化气罐放在太阳底下晒，或者放倒了用，行不行？", {"曝晒", "倒卧"}),
    ("试用期想走，需要提前一个月打招呼吗？", {"通知"}),
    ("考驾照时给考官塞钱被发现了会怎样？", {"贿赂", "行贿"}),
    ("每个月扣的公积金算谁的钱？", {"住房公积金"}),
    ("欠了税还能出国吗？", {"出境"}),
    ("村边有人组织斗狗合法吗？", {"斗犬", "犬"}),
    ("能把电瓶车推进电梯吗？", {"电动自行车"}),
    ("健身房以后关门不干了，要提前多久通知会员？", {"停业", "歇业"}),
    ("培训机构倒闭了，预付的学费怎么办？", {"停业", "歇业", "破产"}),
    ("发烧了该去哪里看病？能坐公交地铁吗？", {"发热", "就医", "公共交通工具"}),
    ("老板拖了三个月工资不发，去哪讨薪？", {"拖欠工资", "追索劳动报酬"}),
    ("婚后买的房，房产证上只写了他的名字", {"不动产权证书", "房屋所有权证"}),
    ("公立小学上学要不要交学费？", {"入学", "义务教育"}),
    ("被罚了两百块，能申请复议吗？", set()),  # 罚款 is in most laws: searching it finds every penalty article
    ("在上海坐地铁没买票被查到要补多少钱？", {"城市轨道交通"}),
    ("在日照的海滩上支个炉子烤串可以吗？", {"沙滩", "烧烤"}),
    ("从外省调一批树苗回来要办什么手续？", {"苗木"}),
    ("我们乡政府要重新刻公章", {"乡镇人民政府"}),
    ("小区里私搭乱建没人管吗？", {"违法建设", "擅自搭建"}),
    ("有人从楼上往下扔东西，会被罚多少钱？", {"高空抛物", "抛掷"}),
    ("去水库一级保护区里游个泳会怎么样？", {"游泳"}),  # verb and object said apart by 个
    ("古城里能在院子里养几只鸡鸭吗？", {"家禽"}),
    ("私家车能不能开上海塘兜风？", {"机动车", "机动车辆"}),
    ("谁负责知识产权保护？", set()),
])
def test_everyday_words_are_searched_as_laws_write_them(question, written):
    """corpus.json "everyday": the written words are searched beside the question's own, for any document."""
    from assistant.text import load_lexicon

    lexicon = lexicon_for(load_lexicon(), ["北京市养犬管理规定"], corpus_texts()["lexicon_document"]["title"],
                          corpus_texts()["everyday"])
    assert written <= set(lexicon.expand_zh(question)) and (written or not lexicon.expand_zh(question))


def test_a_dog_run_off_is_no_document_lost():
    """corpus.json "everyday": 弄丢 (an object mislaid) is written 遗失; 跑丢了 (an animal run off) is not."""
    from assistant.text import load_lexicon

    lexicon = lexicon_for(load_lexicon(), ["丽水市城市养犬管理规定"], corpus_texts()["lexicon_document"]["title"],
                          corpus_texts()["everyday"])
    assert "遗失" in lexicon.expand_zh("养犬登记证弄丢了怎么办？")
    assert "遗失" not in lexicon.expand_zh("我家狗跑丢了，去领回来要交钱吗？")


@pytest.mark.parametrize("tokens, text, defers", [
    (("郑州", "禁养犬", "品种", "名单"), "禁止饲养烈性犬、大型犬。禁养犬只的品种和体高、体长标准，由市城市市容环境卫生行政主管部门"
     "会同市畜牧行政主管部门确定并公布。", True),
    (("北京", "主要道路", "包括"), "天安门广场以及东、西长安街和其他主要道路禁止遛犬。主要道路名录由市人民政府确定，向社会公布。", True),
    (("出让", "最高", "年限"), "土地使用权出让最高年限由国务院规定。", True),
    (("补偿", "标准"), "具体实施办法另行制定。补偿标准按照下列规定执行：（一）…", False),  # what is deferred is not what is asked
    (("烈性犬", "大型犬"), "禁止饲养烈性犬、大型犬。禁养犬只的品种和体高、体长标准，由市城市市容环境卫生行政主管部门确定并公布。",
     False),  # the rule itself is stated; only the list is deferred
    # the body that sets it named first, the thing set after it
    (("鹤壁", "高污染", "燃料", "禁燃区", "街道"), "市、县人民政府可以划定并公布高污染燃料禁燃区。禁燃区内，禁止销售和燃用国家规定的高"
     "污染燃料。", True),
    (("安阳", "区域", "街道", "小区"), "公民应当文明养犬，自觉遵守下列规定：（一）禁止在市人民政府确定公布的区域范围内饲养烈性犬、大型犬；"
     "（二）办理犬只登记，注射疫苗；", True),
    (("禁燃区", "燃料"), "禁燃区内，禁止销售和燃用国家规定的高污染燃料，已建成的，应当在市人民政府规定的期限内改用清洁能源。",
     False),  # a period set by the government, no list
    (("名单",), "县级人民政府确定并公布重点排污单位，名单每年更新。", False),  # what is set is not what is asked
])
def test_an_article_that_leaves_the_specifics_to_someone_else(tokens, text, defers):
    """corpus.json "deferred": a sentence that leaves what the question names to someone else does not state it."""
    clause = Clause("d:a9", "article", "第九条", "第九条", text, document="d")
    assert deferred(tokens, clause, deferral()) is defers


# the articles of 上海市烟花爆竹安全管理条例 and 泰安市烟花爆竹燃放管理条例 as printed (abridged)
_CARRY = Clause("s:a18", "article", "第十八条", "第十八条", "禁止携带烟花爆竹搭乘公共交通工具。", document="s")
_CARRY_FINE = Clause("s:a27", "article", "第二十七条", "第二十七条",
                     "违反本条例第十八条第二款、第三款规定，携带烟花爆竹搭乘公共交通工具的，由公安部门没收，可以并处二百元以上"
                     "一千元以下的罚款。", document="s")
_TIMES = Clause("t:a9", "article", "第九条", "第九条", "下列时间内，不得燃放烟花爆竹：（二）中考、高考期间；", document="t")
_OTHER = Clause("t:a10", "article", "第十条", "第十条",
                "除本条例第七条、第八条、第九条规定外，其他禁止燃放烟花爆竹的区域、场所和时间由市、县（市）人民政府确定。",
                document="t")
_ELSEWHERE = Clause("u:a9", "article", "第九条", "第九条", "下列时间内，不得燃放烟花爆竹。", document="u")


_FINE_ELSEWHERE = Clause("u:a27", "article", "第二十七条", "第二十七条", "违反本条例第九条规定的，处一百元罚款。", document="u")


@pytest.mark.parametrize("hits, first", [
    ((_CARRY_FINE, _CARRY), 1),  # the penalty article repeats the rule's words: the rule answers
    ((_CARRY, _CARRY_FINE), 0),  # the rule first already
    ((_OTHER, _ELSEWHERE, _TIMES), 0),  # 除本条例第七条…规定外 is no penalty: it may be the answer itself
    ((_FINE_ELSEWHERE, _TIMES, _ELSEWHERE), 2),  # the cited 第九条 of its own law, not another law's
])
def test_the_rule_a_penalty_article_cites_answers_first(hits, first):
    assert cited_first([Hit(c, 1.0) for c in hits], cited_articles()[0]) == first


# 潍坊市燃放烟花爆竹管理条例 第五条 and 第十四条 (_SMOG_NEWS: 第五条's second paragraph, set as an article of its own
# that holds the rule's words too); 温州市养犬管理条例 第二十九条 and 第三十六条
_SMOG = Clause("w:a5", "article", "第五条", "第五条", "在重污染天气预警期间，本市行政区域内全面禁止燃放烟花爆竹。", document="w")
_SMOG_NEWS = Clause("w:a5b", "article", "第六条", "第六条", "有关部门、新闻媒体在重污染天气预警期间发布空气质量、气象信息时，"
                    "应当提示社会公众禁止燃放烟花爆竹。", document="w")
_SMOG_FINE = Clause("w:a14", "article", "第十四条", "第十四条", "违反本条例规定，在重污染天气预警期间燃放烟花爆竹的，由公安机关"
                    "责令停止燃放，处三百元以上五百元以下罚款。", document="w")
_OTHER_LAWS = Clause("z:a29", "article", "第二十九条", "第二十九条", "违反本条例规定的行为，法律、行政法规、省的地方性法规已有法律"
                     "责任规定的，从其规定。", document="z")
_REPEATED = Clause("z:a36", "article", "第三十六条", "第三十六条", "养犬人违反本条例规定，一年内被行政处罚三次以上或者被没收犬只"
                   "的，自最后一次行政处罚作出之日起三年内不予办理养犬登记。", document="z")

# 杭州市物业管理条例 第五十五条 and 第八十六条 (the rule's words reordered: 停止供电、供水 / 停止供水、供电);
# 上海市公园管理条例 第十三条 and 第二十五条 (a penalty list that names no rule at all: 有下列行为之一的)
_DUES = Clause("h:a55", "article", "第五十五条", "第五十五条", "业主违反约定逾期不支付物业费的，物业服务人可以催告其在合理期限内"
               "支付。物业服务人不得采取停止供电、供水、供气、供热等方式催交物业费。", document="h")
_DUES_FINE = Clause("h:a86", "article", "第八十六条", "第八十六条", "物业服务人违反本条例规定，有下列情形之一的，由区、县（市）房产"
                    "主管部门责令限期改正：（二）以业主拖欠物业费为由，实施停止供水、供电、供气、供热等行为的，处一万元以上五万元"
                    "以下罚款；", document="h")
_PARK_LAND = Clause("p:a13", "article", "第十三条", "第十三条", "任何单位和个人不得侵占、出租公园用地，不得以合作、合资或者其他方式，"
                    "将公园用地改作他用。", document="p")
_PARK_SHOPS = Clause("p:a20", "article", "第二十条", "第二十条", "商业服务设施设置应当服从公园规划布局，与公园功能、规模、景观相"
                     "协调，并经市或者区绿化行政管理部门批准。", document="p")
_PARK_FINE = Clause("p:a25", "article", "第二十五条", "第二十五条", "有下列行为之一的，由市绿化行政管理部门责令其限期改正，恢复原状；"
                    "造成公园用地损失的，应当赔偿，并处以绿地建设费用四至五倍的罚款：（二）侵占、出租公园用地或者以合作、合资以及"
                    "其他方式，将公园用地改作他用的；", document="p")
# 法律援助法 第四十二条 and 第四十一条: an article granting 损害赔偿 in a list is no penalty list
_AID_EXEMPT = Clause("a:a42", "article", "第四十二条", "第四十二条", "法律援助申请人有材料证明属于下列人员之一的，免予核查经济困难"
                     "状况：（三）申请支付劳动报酬或者请求工伤事故人身损害赔偿的进城务工人员；", document="a")
_AID_CHECK = Clause("a:a41", "article", "第四十一条", "第四十一条", "因经济困难申请法律援助的，申请人应当如实说明经济困难状况。"
                    "法律援助机构核查申请人的经济困难状况，可以通过信息共享查询。", document="a")
_PARK_AUTHORITY = Clause("p:a4", "article", "第四条", "第四条", "市绿化行政管理部门是本市公园的行政主管部门。", document="p")
_PARK_CLEAN = Clause("p:a16", "article", "第十六条", "第十六条", "任何单位和个人不得向公园排放烟尘或者有毒有害气体。市或者区城市规划"
                     "管理部门应当对公园周围的建设项目加以控制，使其与公园景观相协调。", document="p")


@pytest.mark.parametrize("hits, others, first", [
    ((_DUES_FINE, _DUES), (), 1),  # no five characters in a row, but words no other article holds (止供, 热等)
    # a penalty list citing nothing restates the rule it punishes
    ((_PARK_FINE, _PARK_SHOPS, _PARK_LAND), (_PARK_AUTHORITY, _PARK_CLEAN), 2),
    ((_PARK_FINE, _PARK_SHOPS), (_PARK_AUTHORITY, _PARK_CLEAN), 0),  # not one sharing words many hold (应当, 或者)
    ((_AID_EXEMPT, _AID_CHECK), (), 0),  # a list citing nothing and imposing no sanction punishes nothing
    ((_SMOG_FINE, _SMOG), (), 1),  # the penalty says the rule's words (在重污染天气预警期间): the rule answers
    ((_SMOG, _SMOG_FINE), (), 0),  # the rule first already
    ((_SMOG_FINE, _SMOG), (_SMOG_NEWS,), 0),  # words a third article holds too are the law's, not the rule's
    ((_REPEATED, _OTHER_LAWS), (), 0),  # 违反本条例规定 is how a penalty cites, no rule's words
    ((_CARRY_FINE, _CARRY), (), 0),  # cited by number: cited_first's
])
def test_the_rule_a_penalty_article_says_in_its_words_answers_first(rules, hits, others, first):
    articles = [c.text for c in (*hits, *others)]
    assert restated_first([Hit(c, 1.0) for c in hits], rules.answer_types["penalty"].stated_in, articles) == first


@pytest.mark.parametrize("question, which", [
    ("在北京遛狗不拴绳，违反的是哪条规定？", True), ("这违反了哪一条？", True), ("Which rule does this break?", True),
    ("Which article is broken here?", True), ("违反规定会怎么罚？", False), ("这合法吗？", False),
])
def test_questions_which_rule_is_broken(question, which):
    """corpus.json "cited_articles" "which": a question whose answer is one of the rules a penalty article cites."""
    assert bool(cited_articles()[3].search(question)) is which


@pytest.mark.parametrize("question, whether", [
    ("我自己拎着坐地铁带过去可以吗？", True), ("能不能在山上放鞭炮？", True), ("泰安的规定对这段时间有没有限制？", True),
    ("会被罚多少钱？", False), ("由哪个部门责令改正？", False),
])
def test_questions_whether_something_is_allowed(question, whether):
    assert bool(cited_articles()[1].search(question)) is whether


@pytest.mark.parametrize("question, lawful", [
    ("网店首页写着99元，点进商品详情页却变成129元，这合法吗？", True),
    ("我在淄博上大学，跨年夜想和室友在宿舍楼顶放烟花，可以吗？", True),
    ("我和哥哥共有一套房子，我想卖掉，他不同意，能卖吗？", True),
    ("饭店结账时收了菜单上没写的茶位费，这样收费合规吗？", True),
    ("小的刚3岁不肯坐安全座椅，抱在怀里行不行？法规对这个有要求吗", True),
    ("平台客服说跟他们没关系，平台真的可以不管吗？", True),
    ("开私家车带孩子出门有啥规矩？", True),
    ("明天杭州会下雨吗？要不要带伞？", False),
    ("盗窃罪的立案金额标准是多少？", False),
    # whether one must do something: what rules require
    ("常买东西的一家网店说下个月要关店，老板需要提前告诉买家吗？", True),
    ("我家狗是不是得先去登记才能养？", True),
    ("Do I have to register my dog in Qingdao?", True),
    ("Is it legal to fly a drone over the park?", True),
    ("I run a housekeeping agency in Guangzhou. Can we hold on to our housekeepers' ID cards?", True),
    ("We want to fill in a small creek. Is that permitted?", True),
    ("Can you recommend a good restaurant?", False),  # a request to the assistant, not whether rules allow it
    ("How can I apply for a permit?", False),
    # whether the rules make something happen to the asker
    ("我只是提供网店渠道，也会被追究吗？", True),
    ("这段时间我的工资和福利会不会受影响？", True),
    ("遗弃犬只会被怎么处罚？", False),  # a penalty asked: an amount, not whether
    ("What is the fine for smoking in a lift?", False),
])
def test_questions_whether_something_is_lawful(question, lawful):
    """corpus.json "lawful": the form of a question whether rules allow something, or require it."""
    assert bool(lawful_form().search(question)) is lawful


@pytest.mark.parametrize("question, read", [
    ("在泉城养狗，业委会能定养犬公约吗？", "在济南养狗，业委会能定养犬公约吗？"),
    ("我住在河南省会的城区，该去哪个部门？", "我住在郑州的城区，该去哪个部门？"),
    ("山东的省会城市有什么规定？", "济南有什么规定？"),
    ("河南省会计条例有什么规定？", "河南省会计条例有什么规定？"),  # 省会计 is no capital
    ("浙江省会议费管理办法", "浙江省会议费管理办法"),
    ("郑州养狗要登记吗？", "郑州养狗要登记吗？"),
    ("在青岛城区以外的路段开车", "在青岛城区以外的路段开车"),  # 岛城 (青岛's nickname) inside 青岛城区
    ("在岛城开车", "在青岛开车"),
    ("光谷这边到2025年经济总量要冲到多少？", "东湖高新区这边到2025年经济总量要冲到多少？"),
    ("What does the optics valley plan say about 5G?", "What does the East Lake High-tech Zone plan say about 5G?"),
])
def test_other_names_of_places(question, read):
    """corpus.json "place_names": a capital said as its province's, a nickname."""
    assert with_place_names(question, place_names()) == read


@pytest.mark.parametrize("question, read", [
    ("我家住东城区，想养一只大型犬，行不行？", "我家住北京东城区，想养一只大型犬，行不行？"),
    ("我在瑞安开家政店，要办什么手续？", "我在温州瑞安开家政店，要办什么手续？"),  # a county-level city's short name
    ("萧山的工厂要办排污许可吗？", "杭州萧山的工厂要办排污许可吗？"),  # a district the laws name so
    ("上街摆摊要办证吗？", "上街摆摊要办证吗？"),  # 上街区 (郑州): going out on the street, not the district
    ("我家在杭州桐庐县城边上，能放烟花吗？", "我家在杭州桐庐县城边上，能放烟花吗？"),  # the city said
    ("重庆元旦期间能放烟花吗？", "重庆元旦期间能放烟花吗？"),  # 庆元 (丽水) across 重庆's name
    ("公开平等的原则是什么？", "公开平等的原则是什么？"),  # 开平: across a word boundary, left out
    ("北京的老城区里能养狗吗？", "北京的老城区里能养狗吗？"),  # any city's old town
])
def test_a_district_named_alone_is_said_with_its_city(question, read):
    """corpus.json place_names "districts"."""
    assert with_cities(question, district_cities()) == read


@pytest.mark.parametrize("line, articles", [
    ("（一）违反第十一条第二款、第十八条、第三十五条第一项至第四项规定的，处以二十元以上二百元以下罚款。",
     {"第十一条": set(), "第十八条": set(), "第三十五条": {1, 2, 3, 4}}),  # the law named in the list's lead-in only
    ("（五）违反本条例第七十八条第二款第（五）项规定的，由消防救援机构责令改正", {"第七十八条": {5}}),
    ("违反本条例第二十二条第一、二、三项规定的，由公安部门责令改正", {"第二十二条": {1, 2, 3}}),
    ("违反本规定第二十二条第六项、第七项规定驾驶电动自行车的", {"第二十二条": {6, 7}}),
    ("违反《中华人民共和国水法》规定的，依照其规定处罚", {}),  # another law's rules: no article of this one
    ("物业管理区域内有下列行为之一的，由有关主管部门按照下列规定予以查处：", {}),
])
def test_the_rules_a_penalty_line_punishes(line, articles):
    assert breached(line) == {title: frozenset(items) for title, items in articles.items()}


def test_a_district_a_documents_title_prints_is_left_as_it_is():
    # 青州 is 潍坊's; 潍坊市青州古城保护条例 names it already, so the question is matched as the asker said it
    assert with_cities("我在青州古城开店要注意什么？", district_cities()) == "我在潍坊青州古城开店要注意什么？"
    assert with_cities("我在青州古城开店要注意什么？", district_cities(),
                       lambda name: name in "潍坊市青州古城保护条例") == "我在青州古城开店要注意什么？"


@pytest.mark.parametrize("question, read", [
    ("光谷实验室做什么研究？", "光谷实验室做什么研究？"),  # 光谷实验 printed: a name the documents use
    ("光谷这边有实验室吗？", "东湖高新区这边有实验室吗？"),
    ("在泉城的泉城广场遛狗要拴绳吗？", "在济南的泉城广场遛狗要拴绳吗？"),
])
def test_an_other_name_the_documents_print_as_part_of_a_name_is_kept(question, read):
    printed = ("光谷实验", "泉城广场")
    assert with_place_names(question, place_names(), lambda run: run in printed) == read


@pytest.mark.parametrize("phrase, said", [
    ("处二百元以上二千元以下罚款", "200–2,000 yuan (二百元以上二千元以下)"),
    ("处5000元以上2万元以下的罚款", "5,000–20,000 yuan (5000元以上2万元以下)"),  # each side in its own scale
    ("应当自受理之日起十五日内作出决定", "within 15 days (十五日内)"),
    ("但限制的时间不得超过15个交易日", "up to 15 trading days (不得超过15个交易日)"),
    ("处违法所得三至五倍的罚款", "3–5 times (三至五倍)"),
    ("契税税率为百分之三至百分之五", "3–5% (百分之三至百分之五)"),
    ("缴存比例不得低于5%", "at least 5% (不得低于5%)"),
    ("满十六周岁", "16 years of age (满十六周岁)"),
    ("扣留时间不超过24小时，在特殊情况下可以延长至48小时", "up to 24 hours (不超过24小时); 48 hours (48小时)"),
    ("对单位处一万五千元罚款", "15,000 yuan (一万五千元)"),
    ("外国人申请有效期1年以上的居留证件的", "1 year or more (1年以上)"),
    ("每次限乘一人", "1 person (一人)"),
    ("违反本条例第三十条规定的", ""),      # an article's number
    ("3月15日至4月15日为森林防火戒严期", ""),  # dates
    ("一律不得一次性收取", ""),            # numerals in words, no quantity
    ("2020年底前完成", ""),               # a year
])
def test_quantities_a_law_states_are_said_in_english(phrase, said):
    """corpus.json "quantities": a law's quantity in English for an English lead, its Chinese words in brackets."""
    assert quantities_en(phrase, corpus_texts()["quantities"]) == said


@pytest.mark.parametrize("question, asked", [
    ("What is the limitation period for suing over a defective product?", True),
    ("What is the longest probation period for a three-year contract?", True),
    ("How much notice must be given to the owners before a meeting?", True),
    ("How quickly must the court issue a protection order?", True),
    ("Who issues the permit to transport fireworks?", False),
    ("When did the Zaozhuang Rural Roads Regulations come into force?", True),  # when the law took effect
    ("When does the new tax law take effect?", True),
    ("Is the fireworks ban still in force?", False),  # whether, not when
])
def test_periods_laws_set_are_asked_in_english(question, asked):
    """corpus.json "asks": wording that asks a law's period (the limitation period), beside the plan's rules."""
    rules = with_evidence(load_rules(), corpus_texts()["evidence"], corpus_texts()["answer_types"],
                          corpus_texts()["asks"])
    assert ("deadline" in rules.asked_types(question)) is asked


@pytest.mark.parametrize("question, asks", [
    ("本条例什么时候开始施行？", True), ("When did the regulations come into force?", True),
    ("When does it take effect?", True), ("What is the purpose of this law?", True),
    ("遛狗要牵绳吗？", False), ("How much is the fine?", False),
])
def test_questions_that_ask_what_a_framing_article_says(question, asks):
    """corpus.json "framing" "asks": a question about a law's purpose, start or scope lets those articles rank."""
    assert any(re.search(p, question, re.I) for p in corpus_texts()["framing"]["asks"]) is asks


@pytest.mark.parametrize("question, asked", [
    ("What is the standard enterprise income tax rate in China?", True),  # the rate, five words after "what"
    ("What is the minimum contribution rate for the housing provident fund?", True),
    ("What is the statutory interest rate on late payments?", True),
    ("Who approves the premium rates of compulsory motor insurance?", False),  # who, no rate asked
    ("Is the deed tax rate set by the provinces?", False),  # whether
    ("How much of the investment must come from rural collectives or farmers?", True),  # a share of a whole
    ("What share of the registered capital must the founders hold?", True),
    ("How much does the licence cost?", False),  # a sum, not a share
])
def test_rates_laws_set_are_asked_in_english(question, asked):
    """corpus.json "asks" and "not_asked": a rate asked in business English is a rate asked (not a whether)."""
    rules = with_evidence(load_rules(), corpus_texts()["evidence"], corpus_texts()["answer_types"],
                          corpus_texts()["asks"])
    kept = not_asked(question, rules.asked_types(question.lower()), corpus_texts()["not_asked"])
    assert ("rate" in kept) is asked


@pytest.mark.parametrize("question, kind, asked", [
    ("小规模纳税人按简易计税，征收率是多少？", "rate", True),  # a rate by the name the law gives it (征收率)
    ("住房公积金缴存比例是多少？", "rate", True),
    ("审批的效率是多少？", "rate", False),  # 效率 is no rate a law sets
    ("成立业主大会的筹备经费由谁来出？", "payer", True),  # who pays, in a word (由建设单位承担)
    ("这笔钱谁出？", "payer", True),
    ("证明由谁出具？", "payer", False),  # who issues a paper, not who pays
    ("那骑自行车进去、没停在划好的位置，会被怎么处理？", "penalty", True),  # what is done to the asker: a penalty
    ("平台自己会被怎么处理？", "penalty", True),
    ("法院会怎么处理？", "penalty", False),  # what the court does next, no one punished
    ("捡到的东西要怎么处理？", "penalty", False),
    ("地铁的失物招领处在哪个站？", "place", True),  # a place asked as a station
    ("这个站的站长是谁？", "place", False),
    ("绍兴地铁坐一站的起步票价是几块钱？", "amount", True),  # a sum in money's everyday words
    ("这块地多少块？", "amount", False),  # pieces
    ("适航审查费具体要交多少？", "amount", True),  # a fee to pay
    ("物业费一般要交多少？", "amount", True),
    ("申请时要交多少份材料？", "amount", False),  # papers, no fee
    ("保证金什么时候交？", "amount", False),
    ("蒙山风景区每天最多能接待多少游客？", "count", True),  # people a site takes
    ("哪个游客中心能寄存行李？", "count", False),
    ("最长能延长到多少小时？", "deadline", True),  # a period counted in hours
    ("每天最多工作几个小时？", "deadline", True),
    ("小时工怎么算工资？", "deadline", False),
])
def test_kinds_laws_set_asked_by_their_own_words(question, kind, asked):
    """corpus.json "asks" and "answer_types": the rates and payers laws set, asked in the words a law or an asker
    names them by."""
    rules = with_evidence(load_rules(), corpus_texts()["evidence"], corpus_texts()["answer_types"],
                          corpus_texts()["asks"])
    kept = not_asked(question, rules.asked_types(question.lower()), corpus_texts()["not_asked"])
    assert (kind in kept) is asked


@pytest.mark.parametrize("question, asked", [
    ("老板是故意骗人的，上海这边到底能让他加赔多少？", True),
    ("买到假货能赔几倍？", True),
    ("赔偿标准是多少？", True),
    ("How much compensation can I claim for a fake bag?", True),
    ("买到假货了，我想让商家赔偿，可以吗？", False),  # whether, not how much
])
def test_a_compensation_asked_is_an_amount(question, asked):
    """corpus.json "asks": how much is paid in compensation (加赔多少, 赔几倍) asks an amount."""
    rules = with_evidence(load_rules(), corpus_texts()["evidence"], corpus_texts()["answer_types"],
                          corpus_texts()["asks"])
    assert ("amount" in rules.asked_types(question)) is asked


# 衢州市市区电动自行车管理规定 第二十二条 (abridged: its lead-in and four of its ten items, as printed)
RIDING = ("在道路上驾驶电动自行车，应当遵守下列规定：（一）主动避让行人；（三）夜间驾驶时开启电动自行车灯光；"
          "（八）限载一名十二周岁以下未成年人；（九）载物高度从地面起不得超过一百五十厘米")


@pytest.mark.parametrize("text, items", [
    ("（二）违反本规定第二十二条第六项、第七项、第八项、第九项规定驾驶电动自行车的；", {6, 7, 8, 9}),
    ("（四）违反本规定第二十二条第二项规定，超速行驶的；", {2}),
    ("违反本规定第二十二条第一款第（三）项规定的", {3}),
    ("违反本规定第二十二条规定的，处五十元罚款", set()),  # the whole article: no item named
    ("违反本规定第二十二条、第二十三条规定的", set()),
    ("违反本规定第二百二十二条第一项规定的", set()),  # another article
])
def test_the_items_a_penalty_article_cites(text, items):
    """corpus.json "cited_articles" "items": the items named right after the article number cited."""
    cites = re.compile(r"第二十二条(?![一二三四五六七八九十百零\d])")
    assert cited_items(text, cites, cited_articles()) == items


@pytest.mark.parametrize("said, item", [
    ("衢州骑电动车最多能带几个小孩？如果超载被查，罚多少？ 儿童 未成年人 电动自行车", 8),  # the lead-in's words tell none
    ("夜间骑车不开灯光罚多少？", 3),
    ("电动车载物高度最多多少厘米？", 9),
    ("骑电动自行车有什么规定？", 0),  # only the lead-in's words
])
def test_the_item_a_question_is_about(said, item):
    assert asked_item(RIDING, said, cited_articles()) == item


@pytest.mark.parametrize("asks, best, stated", [
    # "会有什么后果？" of "在禁止吸烟公共场所吸烟的，…可以处五十元罚款": the first article's best sentence states a fine's sum
    (("penalty",), ["在禁止吸烟公共场所吸烟的，由相关监督管理部门责令改正，可以处五十元罚款。"], {"penalty"}),
    (("penalty",), ["违反本条例规定的，由城市管理行政主管部门责令改正，依法给予处罚。"], set()),  # no sum: any article may say so
    (("amount",), ["处五百元以上二千元以下罚款。"], set()),  # no kind "through" another
    (("penalty",), [], set()),
    # "那搬迁的费用由谁出？": a best sentence saying who bears the cost (the payer's own evidence)
    (("payer",), ["确因城市规划需要迁移气象台站的，其迁建费用由建设单位承担。"], {"payer"}),
    (("payer",), ["迁移气象台站应当报省以上气象主管机构批准。"], set()),
    (("payer",), ["气象台站由省辖市气象主管机构管理。"], set()),  # who runs it is not who pays
])
def test_a_penalty_is_stated_through_a_fines_sum(rules, asks, best, stated):
    assert stated_through(asks, best, rules.answer_types, best_sentence_states_through()) == stated


@pytest.mark.parametrize("whole, firsts, places, parts", [
    (["a:1", "a:2"], ["a:1", "b:3"], [(), ()], True),  # a part answered from what the whole does not cite
    (["a:1", "b:3"], ["b:3", "a:1"], [(), ()], True),  # the whole leads with the later part's
    (["a:1", "a:2"], ["a:1", "a:2"], [(), ()], False),  # one article states both, cited first: left whole
    # "宁波和聊城…分别由谁来出？": one place each, answered place by place though the whole cites both
    (["a:1", "b:3"], ["a:1", "b:3"], [("宁波",), ("聊城",)], True),
    (["a:1", "b:3"], ["a:1", "b:3"], [("宁波",), ("宁波",)], False),  # the same place twice
    ([], ["a:1", "b:3"], [(), ()], True),  # the whole refused
])
def test_a_compound_question_is_answered_part_by_part(whole, firsts, places, parts):
    assert by_parts(whole, firsts, places) is parts


_CLOSING = Clause("d:a39", "article", "第五章 附 则 > 第三十九条", "第三十九条", "本条例自2023年4月1日起施行。", document="d")
_SCOPE = Clause("d:a2", "article", "第一章 总 则 > 第二条", "第二条", "本条例适用于本市行政区域内零散工业废水的产生、收集、转移和处理活动。",
                document="d")


@pytest.mark.parametrize("verdict, chosen, asks, speaks", [
    # "From what date does the city's regulation on … apply?" declined as "does not state the date": the closing
    # article leads and states it
    (Verdict(False, "deadline"), [_CLOSING, _SCOPE], ("deadline",), True),
    (Verdict(False, "deadline"), [_SCOPE, _CLOSING], ("deadline",), False),  # it does not lead
    (Verdict(False, "amount"), [_CLOSING], ("amount",), False),  # it states no sum
    (Verdict(False, "off_topic"), [_CLOSING], ("deadline",), False),  # not a kind asked
    (Verdict(True), [_CLOSING], ("deadline",), False),  # answered already
])
def test_the_closing_article_speaks_for_its_document(rules, verdict, chosen, asks, speaks):
    assert speaks_for_document(verdict, chosen, _CLOSING, asks, rules.answer_types) is speaks


@pytest.mark.parametrize("question, of_party", [
    ("在禁烟公共场所抽烟，会被罚多少钱？", False),
    ("在重庆的网吧里抽烟被抓到，罚款多少？", False),  # a venue said as where (在…里)
    ("在商场抽烟罚多少？", False),
    ("医院骗取医保基金被查实，罚款是多少？", True),  # a venue as who
    ("我们店卖烟给未成年人，罚多少？", True),
    ("商场老板没设置禁烟标识，会被罚多少钱？", True),
    ("物业不履行分类管理责任，怎么罚？", True),
    ("What is the fine for smoking in a restaurant?", False),
    ("Our restaurant lets customers smoke; what is the fine?", True),
    ("How much is the company fined?", True),
    ("房东不登记租客信息，罚多少？", True),  # a party in words only "parties" maps (房东 → 出租人)
    ("司机在禁烟的公交车上抽烟，罚多少？", True),
    ("在药房门口抽烟罚多少？", False),  # a venue of "parties" said as where
    ("北京的单位不按规定分类投放垃圾，罚多少？", True),
    ("用人单位不给员工交社保，罚多少？", True),  # (an employer: "asker"'s 单位)
    ("我在焦作一个公园里承包了个小卖部，超范围经营会被罚多少？", True),  # who runs a stall is its operator
    ("在公园里乱扔垃圾，会被罚多少？", False),
])
def test_a_question_names_a_party_or_only_the_asker(question, of_party):
    assert offenders().asks_of_party(question) is of_party


_SMOKER = Clause("d:a19", "article", "第十九条", "第十九条", "违反本条例规定，在禁止吸烟公共场所吸烟的，由相关监督管理部门责令改正，可以处五十元罚款。",
                 document="d")
_OPERATOR = Clause("d:a21", "article", "第二十一条", "第二十一条", "公共场所经营者或管理者违反本条例规定，未在醒目位置设置禁烟标识的，"
                   "由相关监督管理部门责令限期改正；逾期不改正的，处二千元以上一万元以下罚款。", document="d")
_ANYONE = Clause("d:a7", "article", "第七条", "第七条", "任何单位和个人违反本条例规定，在禁放区域燃放烟花爆竹的，处一百元以上两百元以下的罚款。",
                 document="d")
_SELLER = Clause("d:a17", "article", "第十七条", "第十七条", "未经许可生产、经营烟花爆竹的，并处两万元以上十万元以下的罚款。", document="d")
_DUTY = Clause("d:a12", "article", "第十二条", "第十二条", "公共场所的经营者、管理者应当履行下列义务：设置禁烟标识。", document="d")
_OTHER_SMOKER = Clause("e:b19", "article", "第十九条", "第十九条", "违反本规定，在禁止吸烟场所吸烟的，处十元罚款。", document="e")


# 济南市公共场所禁止吸烟的规定: the inspectors fine smokers in their premises; obstructing them is the police's
_INSPECTORS_FINE = Clause("j:a8", "article", "第八条", "第八条", "检查人员对在本单位范围内禁止吸烟的公共场所吸烟者，应当予以制止，"
                          "并可处以十元罚款。", document="j")
_OBSTRUCTION = Clause("j:a12", "article", "第十二条", "第十二条", "对拒绝、阻碍检查人员依法执行公务违反治安管理现定的，由公安机关"
                      "依照《中华人民共和国治安管理处罚法》的规定给以处罚。", document="j")
_CITING_ANYONE = Clause("z:a45", "article", "第四十五条", "第四十五条", "违反本条例第二十七条规定，单位、个人未分类投放生活垃圾的，"
                       "由生活垃圾管理部门责令改正；情节严重的，对个人处二百元以上二千元以下罚款。", document="z")
_CITING_KEEPER = Clause("z:a46", "article", "第四十六条", "第四十六条", "违反本条例第三十一条第一款规定，生活垃圾分类投放管理责任人未"
                        "履行生活垃圾分类投放管理责任的，由生活垃圾管理部门责令改正，可以处五百元以上五千元以下罚款。", document="z")
_KEEPERS_DUTY = Clause("z:a31", "article", "第三十一条", "第三十一条", "生活垃圾分类投放管理责任人应当履行下列义务：（一）建立生活垃圾"
                       "分类投放责任制和日常管理制度。", document="z")


@pytest.mark.parametrize("question, hits, found", [
    ("在禁烟场所抽烟，会被罚多少钱？", [_OPERATOR, _DUTY, _SMOKER], 2),  # the smoker's, not the operator's
    ("在禁烟场所抽烟，会被罚多少钱？", [_SMOKER, _OPERATOR], 0),  # first already
    ("商场老板没设禁烟标识，会被罚多少钱？", [_OPERATOR, _SMOKER], 0),  # the party is named
    ("在禁烟场所抽烟，会被罚多少钱？", [_OPERATOR, _DUTY], 0),  # a duty states no penalty
    ("在禁烟场所抽烟，会被罚多少钱？", [_OPERATOR, _OTHER_SMOKER], 0),  # another document's
    ("在禁放区放烟花爆竹，罚多少钱？", [_OPERATOR, _SELLER, _ANYONE], 2),  # anyone (任何单位和个人) is no party;
    # of two, the one sharing the question's words (放烟花爆竹)
    ("在禁烟场所抽烟，会被罚多少钱？", [_OPERATOR, _DUTY, _DUTY, _SMOKER], 0),  # beyond the window
    # "单位、个人" is anyone, as 单位和个人 is: the keeper's penalty is not asked of one who throws rubbish
    ("个人不分类投放垃圾，罚多少？", [_CITING_KEEPER, _CITING_ANYONE], 1),
    ("个人不分类投放垃圾，罚多少？", [_CITING_ANYONE, _CITING_KEEPER], 0),
    # 本单位 in the opening is a place (在本单位范围内), not the party punished: the smoker's fine stays first
    ("济南的规定对抽烟的人怎么罚？", [_INSPECTORS_FINE, _OBSTRUCTION], 0),
])
def test_a_penalty_asked_of_no_party_is_the_one_for_anyone(rules, question, hits, found):
    punishes = rules.answer_types["penalty"].stated_in
    assert anyones_penalty_first([Hit(c, 1.0) for c in hits], question, offenders(), punishes) == found


_INF = float("inf")


@pytest.mark.parametrize("text, points, ranges", [
    ("工作人员病假在两个月以内的", False, [Range("月", 0, 2)]),
    ("病假超过两个月的，从第三个月起", False, [Range("月", 2, _INF, low_open=True)]),  # 第三个月 is no bound
    ("工作年限不满十年的", False, [Range("年", 0, 10, high_open=True)]),
    ("工作年限满十年和十年以上的", False, [Range("年", 10, _INF), Range("年", 10, _INF)]),
    ("不超过三十日", False, [Range("日", 0, 30)]),  # not 超过
    ("男性十八至六十周岁", False, [Range("岁", 18, 60)]),
    ("我在机关上班12年了，请了4个月假", True, [Range("年", 12, 12), Range("月", 4, 4)]),
    ("病假超过半年", False, [Range("月", 6, _INF, low_open=True)]),  # half a year is six months
    ("2015年3月5日起施行，有效期5年", True, [Range("年", 5, 5)]),  # a date is no figure
    ("要请几个月的假？多少年以后？", True, []),  # asked, not said
    ("我在机关上班12年了", False, []),  # a plain figure only when asked for
])
def test_the_ranges_a_text_states(text, points, ranges):
    assert conditions().ranges(text, points=points) == ranges


@pytest.mark.parametrize("asked, stated, shared, missed", [
    ([Range("月", 4, 4)], [Range("月", 0, 2)], 1, True),
    ([Range("月", 4, 4)], [Range("月", 2, _INF, low_open=True)], 1, False),
    ([Range("月", 2, 2)], [Range("月", 2, _INF, low_open=True)], 1, True),  # 超过两个月 excludes two
    ([Range("年", 10, _INF)], [Range("年", 0, 10, high_open=True)], 1, True),  # 满十年 is not 不满十年
    ([Range("年", 12, 12)], [Range("月", 0, 2)], 0, False),  # another unit tells nothing
    # alternatives in one unit (满一年不足五年的…；满五年不足十年的…；十年以上的…): met by one of them
    ([Range("年", 7, 7)], [Range("年", 1, _INF), Range("年", 0, 5, high_open=True), Range("年", 5, _INF),
                          Range("年", 0, 10, high_open=True), Range("年", 10, _INF)], 5, False),
    # …but every unit the question gives must be met (超过两个月 is, 不满十年 is not)
    ([Range("年", 12, 12), Range("月", 4, 4)], [Range("月", 2, _INF, low_open=True),
                                                Range("年", 0, 10, high_open=True)], 2, True),
])
def test_whether_the_askers_figures_meet_a_range(asked, stated, shared, missed):
    assert fit(asked, stated) == (shared, missed)


_WITHIN = Clause("d:1", "item", "一、", "一、", "工作人员病假在两个月以内的，发给原工资。", document="d")
_UNDER_TEN = Clause("d:2.1", "item", "二、工作人员病假超过两个月的，从第三个月起按照下列标准发给病假期间工资： > (一)", "(一)",
                    "工作年限不满十年的，发给本人工资的百分之九十；", document="d")
_TEN = Clause("d:2.2", "item", "二、工作人员病假超过两个月的，从第三个月起按照下列标准发给病假期间工资： > (二)", "(二)",
              "工作年限满十年的，工资照发。", document="d")
_OTHER_TEN = Clause("e:2.2", "item", "二、 > (二)", "(二)", "工作年限满十年的，工资照发。", document="e")


@pytest.mark.parametrize("question, hits, found", [
    ("我上班12年了，请了4个月病假", [_WITHIN, _UNDER_TEN, _TEN], 2),
    ("我上班5年了，请了4个月病假", [_WITHIN, _TEN, _UNDER_TEN], 2),
    ("我上班12年了，请了1个月病假", [_WITHIN, _TEN], 0),  # the best one's range is met
    ("病假工资怎么发？", [_WITHIN, _TEN], 0),  # no figure said
    ("我上班12年了，请了4个月病假", [_WITHIN, _OTHER_TEN], 0),  # another document's
    ("我上班12年了，请了4个月病假", [_WITHIN, _WITHIN, _WITHIN, _WITHIN, _WITHIN, _TEN], 0),  # beyond the window
])
def test_the_provision_whose_ranges_the_question_meets_leads(question, hits, found):
    spec = conditions()
    assert condition_met_first([Hit(c, 1.0) for c in hits], spec.ranges(question, points=True), spec.ranges) == found


_AGENCY = Clause("m:a37", "article", "第三十七条", "第三十七条", "医疗保障经办机构通过伪造医学文书等方式，骗取医疗保障基金支出的，"
                 "由医疗保障行政部门责令退回，处骗取金额2倍以上5倍以下的罚款。", document="m")
_PROVIDER = Clause("m:a40", "article", "第四十条", "第四十条", "定点医药机构通过下列方式骗取医疗保障基金支出的，由医疗保障行政部门"
                   "责令退回，处骗取金额2倍以上5倍以下的罚款。", document="m")
_PATIENT = Clause("m:a41", "article", "第四十一条", "第四十一条", "个人有下列情形之一的，由医疗保障行政部门责令改正；处骗取金额2倍"
                  "以上5倍以下的罚款。", document="m")


@pytest.mark.parametrize("clause, opening", [
    (_CITING_KEEPER, "生活垃圾分类投放管理责任人未履行生活垃圾分类投放管理责任的"),  # after the rule it cites
    (_CITING_ANYONE, "单位、个人未分类投放生活垃圾的"),
    (_KEEPERS_DUTY, "生活垃圾分类投放管理责任人应当履行下列义务"),
    (_SMOKER, "在禁止吸烟公共场所吸烟的"),  # a citation without an article number too
])
def test_a_penalty_articles_opening_names_whom_it_punishes(clause, opening):
    assert offenders().opening(clause) == opening


_KEEPER = Clause("g:a68", "article", "第六十八条", "第六十八条", "生活垃圾分类管理责任人违反本条例第三十五条规定的，由城市管理综合执法"
                 "部门责令立即改正，处3000元以上3万元以下罚款。", document="g")
_UNIT = Clause("g:a67", "article", "第六十七条", "第六十七条", "单位违反本条例第三十三条规定，由城市管理综合执法部门责令立即改正，处1000"
               "元罚款；再次违反规定的，处1万元以上5万元以下罚款。", document="g")


@pytest.mark.parametrize("question, hits, found", [
    ("医院骗取医保基金被查实，罚款是多少？", [_AGENCY, _PATIENT, _PROVIDER], 2),  # 医院 → 医药机构
    ("医院骗取医保基金被查实，罚款是多少？", [_PROVIDER, _AGENCY], 0),  # first already
    ("骗取医保基金被查实，罚款是多少？", [_AGENCY, _PROVIDER], 0),  # no party named in the asker's words
    ("在医院里骗取医保基金，罚款是多少？", [_AGENCY, _PROVIDER], 0),  # the hospital as where, not who
    ("商场老板没设置禁烟标识，会被罚多少钱？", [_SMOKER, _OPERATOR], 1),  # 老板 → 经营者
    ("商场老板没设置禁烟标识，会被罚多少钱？", [_SMOKER, _DUTY], 0),  # a duty states no penalty
    # 单位 opening the article: "北京的单位不按规定分类投放垃圾，罚多少？" (not the 管理责任人's)
    ("单位不按规定分类投放垃圾，罚多少？", [_KEEPER, _UNIT], 1),
    ("建设单位乱倒建筑垃圾，罚多少？", [_KEEPER, _UNIT], 0),  # a kind of 单位 the article does not open with
    # the party after the rule the article cites: "那物业作为分类投放管理责任人没履职呢？" after 个人不分类投放怎么罚
    ("物业作为分类投放管理责任人没履职，会受到什么处罚？", [_CITING_ANYONE, _KEEPERS_DUTY, _CITING_KEEPER], 2),
])
def test_a_penalty_asked_of_a_party_is_the_penalty_for_that_party(rules, question, hits, found):
    punishes = rules.answer_types["penalty"].stated_in
    assert named_party_first([Hit(c, 1.0) for c in hits], question, offenders(), punishes) == found


_UNRULY = Clause("b:a28", "article", "第二十八条", "第二十八条", "在禁止吸烟场所吸烟不听劝阻，构成扰乱社会秩序或者阻碍有关部门依法执行职务等"
                 "违反治安管理行为的，由公安部门依法予以处罚。", document="b")
_RIGHTS = Clause("b:a15", "article", "第十五条", "第十五条", "个人在禁止吸烟场所内发现吸烟行为的，可以行使下列权利：（一）劝阻吸烟者停止"
                 "吸烟。", document="b")
_KEEPERS = Clause("b:a13", "article", "第十三条", "第十三条", "禁止吸烟场所的经营者、管理者负有下列责任：（五）对在禁止吸烟场所内的吸烟"
                  "者予以劝阻。", document="b")
_KEEPERS_FINE = Clause("b:a24", "article", "第二十四条", "第二十四条", "场所的经营者、管理者违反本条例第十三条第一款规定的，由市或者区"
                       "卫生健康部门给予警告，并处五千元以上一万元以下罚款。", document="b")


@pytest.mark.parametrize("question, hits, found", [
    # the smoker's penalty first, the operators' duties below it: their penalty cites those duties
    ("北京餐馆老板对店里抽烟的顾客不劝阻会被怎么罚？", [_UNRULY, _RIGHTS, _KEEPERS], 2),
    ("北京餐馆老板对店里抽烟的顾客不劝阻会被怎么罚？", [_UNRULY, _KEEPERS_FINE, _KEEPERS], 0),  # its penalty is found
    ("对抽烟的顾客不劝阻会被怎么罚？", [_UNRULY, _RIGHTS, _KEEPERS], 0),  # no party named
    ("北京餐馆老板对店里抽烟的顾客不劝阻会被怎么罚？", [_KEEPERS_FINE, _KEEPERS], 0),  # the best is the party's
    ("北京餐馆老板对店里抽烟的顾客不劝阻会被怎么罚？", [_UNRULY, _RIGHTS, _RIGHTS, _KEEPERS], 0),  # beyond the window
])
def test_a_penalty_asked_of_a_party_whose_penalty_is_not_found_asks_of_its_duties(rules, question, hits, found):
    punishes = rules.answer_types["penalty"].stated_in
    assert named_party_duty([Hit(c, 1.0) for c in hits], question, offenders(), punishes) == found


def test_an_english_questions_first_article_answers_by_its_best_sentence_stating_the_figure(rules):
    # "What share of their pay…?" of an entry whose best sentence states 百分之九十 in none of the terms the English
    # words were read as (机关 is in its other sentence): the kinds corpus.json lets a law's first-ranked article
    # answer by its best sentence (best_states) answer an English question too, as they do a Chinese one
    from assistant.answerable import judge
    from assistant.retrieval import Query

    text = "病假期间的待遇，由所在机关发给。工作年限不满十年的，发给本人工资的百分之九十。"
    clause = Clause("s:b1", "item", "二、 > (一)", "(一)", text, document="s")
    best = "工作年限不满十年的，发给本人工资的百分之九十。"
    query = Query("What share of their pay do civil servants get on sick leave?", "en", "number", False, (),
                  ("civil", "servants", "share", "pay", "sick", "leave"), "", asks=("rate",),
                  dictionary=("公务员", "机关", "病假"), senses=(1.0, 1.0, 1.0), one_word_terms=("公务员", "机关", "病假"))
    assert not judge(query, True, [clause], rules, text, lambda c: [best]).answerable
    assert judge(query, True, [clause], rules, text, lambda c: [best], frozenset({"rate"})).answerable


_SCOPE = Clause("x:a2", "article", "第二条", "第二条", "在中华人民共和国境内实施学前教育，适用本法。本法所称学前教育，是指由幼儿园等"
                "学前教育机构对三周岁到入小学前的儿童（以下称学前儿童）实施的保育和教育。", document="x")
_PARENTS = Clause("x:a16", "article", "第十六条", "第十六条", "父母或者其他监护人应当依法履行抚养与教育儿童的义务，为适龄儿童接受学前"
                  "教育提供必要条件。", document="x")
_HEADING = Clause("x:h1", "heading", "第一章 总则", "第一章 总则", "第一章 总则 学前儿童年满三周岁", document="x")


@pytest.mark.parametrize("hits, coverages, floor, found", [
    # the scope article states the ages and holds as much of the subject as the best did: it
    ([_PARENTS, _SCOPE], [0.5, 0.5], 0.5, 1),
    # …holding less than the best did: none
    ([_PARENTS, _SCOPE], [0.5, 0.4], 0.5, None),
    # …holding none of it (the best held none either): none
    ([_PARENTS, _SCOPE], [0.0, 0.0], 0.0, None),
    # a heading is no provision, whatever it says
    ([_HEADING, _PARENTS], [1.0, 1.0], 0.5, None),
    # no article states an age: none
    ([_PARENTS], [1.0], 0.0, None),
])
def test_a_figure_further_down_is_found(rules, hits, coverages, floor, found):
    texts = [c.text for c in hits]
    assert stating_further(rules.answer_types["age"], [Hit(c, 1.0) for c in hits], coverages, floor, texts) == found


@pytest.mark.parametrize("intent, asks, bureaus, carried", [
    ("general", ("penalty",), (), "penalty"),  # 个人不分类投放怎么罚？ → 那物业没履职呢？ asks the property company's penalty
    ("number", ("amount", "fine", "penalty"), (), "fine"),  # 罚多少钱？: the first framed kind
    ("number", ("deadline",), (), "number"),  # a period has no frame of its own: the figure's
    ("general", (), (), "general"),
    ("who", ("penalty",), ("市城管委",), "who"),  # a who-question answered by a responsibility list stays one
    ("who", ("penalty",), (), "penalty"),  # …answered by a law's sentence, it is asked as its kind
])
def test_what_about_x_asks_the_kind_of_question_just_asked(rules, intent, asks, bureaus, carried):
    cited = [Clause("z:a1", "article", "第一条", "第一条", "……", bureaus=bureaus, document="z")]
    frames = {**rules.frames, **corpus_texts()["frame"]}
    assert carried_intent(intent, asks, cited, frames) == carried


_NOT_COUNTED = "下列期间不计入审理、执行期限：\n（一）刑事案件对被告人作精神病鉴定的期间；\n（六）民事、行政案件公告、鉴定的期间。"
_FINED_BY = ("作业单位和个人有下列行为之一的，由综合行政执法部门责令改正，处二千元以上二万元以下罚款；情节严重的，处二万元以上二十万元以下"
             "罚款：\n（一）未按照规定编制安全防护方案的；\n（二）未对作业影响区域进行动态监测的。")


@pytest.mark.parametrize("text, said, lead", [
    (_NOT_COUNTED, "（六）民事、行政案件公告、鉴定的期间。", "下列期间不计入审理、执行期限："),  # what the list is
    (_NOT_COUNTED, "下列期间不计入审理、执行期限：", ""),  # the lead-in itself
    (_FINED_BY, "（二）未对作业影响区域进行动态监测的。", _FINED_BY.split("\n")[0]),  # who fines, in the lead-in
    ("第一款。\n第二款。", "第二款。", ""),  # no list
])
def test_a_list_items_lead_in_is_quoted_before_it(text, said, lead):
    assert lead_in(text, said) == lead


def test_a_sentence_running_into_a_list_is_quoted_with_its_whole_lead_in():
    from assistant.corpus_assistant import with_lead_ins

    tail = "情节严重的，处二万元以上二十万元以下罚款：\n（一）未按照规定编制安全防护方案的；"
    assert with_lead_ins(_FINED_BY, [tail]) == [_FINED_BY.split("\n")[0], "（一）未按照规定编制安全防护方案的；"]


_CORE = ("在古香榧群保护核心区内除本规定第七条的禁止行为外，还禁止下列行为：\n（一）垦造耕地；\n（二）全垦造林；\n（三）新建、扩建规模化畜禽"
         "养殖场；\n（四）新建、扩建排放生产性污染物的工业类建设项目。\n违反本条第一款第二项规定的，由水行政主管部门责令停止违法行为。\n"
         "违反本条第一款第三项、第四项规定的，由环境保护行政主管部门责令停止违法行为；拒不停止违法行为的，处三万元以上十万元以下的罚款。")


@pytest.mark.parametrize("said, lines", [
    ("在核心区里搞全垦造林，由哪个部门来查处？", ["违反本条第一款第二项规定的，由水行政主管部门责令停止违法行为。"]),  # item (二)
    ("核心区里新建规模化的养猪场，会罚多少？", [_CORE.split("\n")[-1]]),  # (三), listed with (四)
    ("核心区里有哪些禁止行为？", []),  # no item is the asker's
    ("核心区里垦造耕地，由哪个部门来查处？", []),  # item (一): no line punishes it on its own
])
def test_a_line_punishing_the_articles_own_item_answers_for_it(said, lines):
    assert own_item_lines(_CORE, said) == lines


# 医疗保障基金使用监督管理条例 第四十一条: a penalty over a list of breaches, then a paragraph on fraud
_INSURED = ("个人有下列情形之一的，由医疗保障行政部门责令改正；造成医疗保障基金损失的，责令退回；属于参保人员的，暂停其医疗费用联网结算3个月"
            "至12个月：\n（一）将本人的医疗保障凭证交由他人冒名使用；\n（二）重复享受医疗保障待遇；\n（三）利用享受医疗保障待遇的机会转卖药品，"
            "接受返还现金、实物或者获得其他非法利益。\n个人以骗取医疗保障基金为目的，实施了前款规定行为之一，造成医疗保障基金损失的；或者使用他人"
            "医疗保障凭证冒名就医、购药的，还应当由医疗保障行政部门处骗取金额2倍以上5倍以下的罚款。")


@pytest.mark.parametrize("said, line", [
    ("有人收购我医保卡开出来的药，转手一卖我能拿点现金，被发现会怎样？", "（三）利用享受医疗保障待遇的机会转卖药品，接受返还现金、实物或者获得其他非法利益。"),
    ("同一笔费用重复享受待遇，会怎么处理？", "（二）重复享受医疗保障待遇；"),
    ("骗取医保基金会怎样？", ""),  # no item is the asker's
])
def test_the_item_asked_of_a_list_whose_lead_in_states_a_penalty(rules, said, line):
    states = rules.answer_types["penalty"].stated_in
    assert stated_item_line(_INSURED, said, lambda lead: bool(lead) and states(lead)) == line
    assert stated_item_line(_INSURED, said, lambda lead: False) == ""  # a lead-in stating nothing asked


_LLC_FEW = Clause("c:a112", "article", "第一百一十二条", "第一百一十二条", "只有一个股东的有限责任公司不设股东会。", document="c")
_LLC_MOST = Clause("c:a42", "article", "第四十二条", "第四十二条", "有限责任公司由一个以上五十个以下股东出资设立。", document="c")
_LLC_TIERS = Clause("c:a7", "article", "第七条", "第七条", "县级以上人民政府设立一个有限责任公司股东名册。", document="c")
_LLC_ELSEWHERE = Clause("o:a3", "article", "第三条", "第三条", "有限责任公司由五十个以下股东设立。", document="o")


@pytest.mark.parametrize("hits, question, first", [
    # a limit asked: the article stating one that way leads, holding as many of the words
    ([_LLC_FEW, _LLC_MOST], "有限责任公司最多能有多少个股东？", 1),
    # …not when the first states one
    ([_LLC_MOST, _LLC_FEW], "有限责任公司最多能有多少个股东？", 0),
    # no limit asked: kept
    ([_LLC_FEW, _LLC_MOST], "有限责任公司有几个股东？", 0),
    # the other way asked: 以上 states a lower limit too
    ([_LLC_FEW, _LLC_MOST], "有限责任公司至少要有几个股东？", 1),
    # 县级以上 is a tier, not a limit
    ([_LLC_FEW, _LLC_TIERS], "有限责任公司至少要有几个股东？", 0),
    # both ways asked: kept
    ([_LLC_FEW, _LLC_MOST], "有限责任公司最少几个、最多几个股东？", 0),
    # another document's article is not looked at
    ([_LLC_FEW, _LLC_ELSEWHERE], "有限责任公司最多能有多少个股东？", 0),
])
def test_a_limit_asked_is_answered_by_a_sentence_stating_one(rules, hits, question, first):
    assert bound_sentence_first([Hit(c, 1.0) for c in hits], rules.answer_types["count"], question,
                                ["有限责任公司", "股东"], bounds()) == first


def test_a_sums_limit_is_not_read(rules):
    """A fine's range states a sum's limit in every penalty article: a figure's limit asked is not read so."""
    noise = Clause("n:a21", "article", "第二十一条", "第二十一条", "居民区内禁止夜间进行产生环境噪声污染的建筑施工作业。",
                   document="n")
    fine = Clause("n:a30", "article", "第三十条", "第三十条", "在居民区夜间施工的，处以两千元以上五万元以下罚款。", document="n")
    hits = [Hit(noise, 1.0), Hit(fine, 0.9)]
    assert bound_sentence_first(hits, rules.answer_types["figure"], "居民区夜间噪声不能超过多少分贝？", ["居民区", "夜间"],
                                bounds()) == 0


@pytest.mark.parametrize("upper, text, states", [
    (True, "处五万元以下罚款", True),
    (True, "以下简称市场监管部门", False),
    (True, "应当在十五日内作出决定", True),
    (True, "区域内禁止燃放", False),
    (False, "县级以上人民政府", False),
    (False, "连续工作满十年", True),
    (False, "对服务不满意的", False),
    (False, "不少于三十日", True),
])
def test_the_words_stating_a_limit(upper, text, states):
    bound = dict(zip(("upper", "lower"), bounds().ways))["upper" if upper else "lower"]
    assert bool(bound.states.search(text)) is states


# 公安机关适用继续盘问规定 第十一条, 第十三条 and 第二条 (abridged)
_PART_TIMES = Clause("p:a11", "article", "第十一条", "第十一条", "继续盘问的时限一般为十二小时；可以延长至二十四小时。",
                     document="p")
_PART_TAKEN = Clause("p:a13", "article", "第十三条", "第十三条", "可以立即带回，报负责人审批决定继续盘问十二小时。", document="p")
_PART_DEFINED = Clause("p:a2", "article", "第二条", "第二条", "本规定所称继续盘问，是指带至公安机关继续进行盘问的措施。",
                       document="p")
_PART_TASK = dataclasses.replace(_PART_TIMES, kind="task")
_PART_SAME = {"p:a11": 0.36, "p:a13": 0.37, "p:a2": 0.2}  # shares of a part's words each holds
_PART_FAR = {"p:a11": 0.36, "p:a13": 0.8, "p:a2": 0.2}


@pytest.mark.parametrize("lead, parts, kept", [
    # the whole's first article is the second part's first, among the first part's best, states its period and holds
    # about as much of its words as the first part's own first
    (_PART_TIMES, [([_PART_TAKEN, _PART_TIMES, _PART_DEFINED], ("deadline",), _PART_SAME),
                   ([_PART_TIMES, _PART_DEFINED], ("deadline",), _PART_SAME)], True),
    # …far less of them: answered by parts
    (_PART_TIMES, [([_PART_TAKEN, _PART_TIMES, _PART_DEFINED], ("deadline",), _PART_FAR),
                   ([_PART_TIMES, _PART_DEFINED], ("deadline",), _PART_SAME)], False),
    # …a part asking nothing the article could be seen to state ("违反的是哪条规定？")
    (_PART_TIMES, [([_PART_TAKEN, _PART_TIMES, _PART_DEFINED], ("deadline",), _PART_SAME),
                   ([_PART_TIMES, _PART_DEFINED], (), _PART_SAME)], False),
    # …a part asking what it does not state besides (the requirements, then the penalty)
    (_PART_TIMES, [([_PART_TAKEN, _PART_TIMES], ("deadline",), _PART_SAME),
                   ([_PART_TIMES], ("deadline", "penalty"), _PART_SAME)], False),
    # …not among the first part's best three
    (_PART_TIMES, [([_PART_TAKEN, _PART_DEFINED, _PART_TAKEN, _PART_TIMES], ("deadline",), _PART_SAME),
                   ([_PART_TIMES], ("deadline",), _PART_SAME)], False),
    # …states no period asked
    (_PART_DEFINED, [([_PART_TAKEN, _PART_DEFINED], ("deadline",), _PART_SAME),
                     ([_PART_DEFINED], ("deadline",), _PART_SAME)], False),
    # …first of no part
    (_PART_TIMES, [([_PART_TAKEN, _PART_TIMES], ("deadline",), _PART_SAME),
                   ([_PART_DEFINED, _PART_TIMES], ("deadline",), _PART_SAME)], False),
    # a plan's paragraph, not an article
    (_PART_TASK, [([_PART_TAKEN, _PART_TASK], ("deadline",), _PART_SAME), ([_PART_TASK], ("deadline",), _PART_SAME)],
     False),
    # the whole refused
    (None, [([_PART_TIMES], ("deadline",), _PART_SAME), ([_PART_TIMES], ("deadline",), _PART_SAME)], False),
])
def test_the_whole_questions_article_answers_every_part(rules, lead, parts, kept):
    assert answers_every_part(lead, [([Hit(c, 1.0) for c in hits], asks, lambda c, held=held: held[c.id])
                                     for hits, asks, held in parts], rules.answer_types) is kept


@pytest.mark.parametrize("title, text, cites", [
    ("第三十二条", "违反本条例第三十一条、三十二条第一款规定的，由有关水行政主管部门责令停止违法行为", True),  # 第 left out
    ("第三十一条", "违反本条例第三十一条、三十二条第一款规定的", True),
    ("第三十二条", "违反本条例第三十二条规定的", True),
    ("第二条", "违反本条例第四十二条规定的", False),  # the tail of a longer number
    ("第二条", "违反本条例第三条第一款、二十二条规定的", False),  # nor after a list separator
    ("第三十二条", "依照本条例三十二条的程序", False),  # no article before it in a list, no 第
    ("第三条", "违反本条例第三条之一规定的", True),
])
def test_how_a_penalty_article_cites_a_rule(title, text, cites):
    assert bool(citing_pattern(title).search(text)) is cites
