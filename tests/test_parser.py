"""The parser on the real scraped page: the plan's structure kept, the portal dropped."""
import pytest

from assistant.parser import PlanFormatError, extract_policy, parse_bureaus, parse_page, portal_text

# Every 责任单位 list as printed in the plan, by clause id (、 within a group, , between groups).
PRINTED = {
    "2.1.1": "市发改委、市科技局、市经信局、市财政局",
    "2.1.2": "市委组织部,市人社局、市教育局、市科技局、市财政局、市公安局、市房管局,市委外办",
    "2.1.3": "市科技局、市发改委、市经信局,武汉产业创新发展研究院",
    "2.2.1": "市市场监管局、市经信局、市财政局",
    "2.2.2": "市市场监管局、市科技局、市经信局、市税务局、市地方金融局",
    "2.2.3": "市科技局、市经信局、市发改委、市财政局、市税务局、市统计局",
    "2.3.1": "市发改委、市经信局、市科技局、市卫健委",
    "2.3.2": "市发改委、市经信局、市科技局、市文旅局、市教育局、市商务局",
    "2.3.3": "市发改委、市科技局、市经信局、市财政局",
    "2.4.1": "市发改委、市科技局、市自然资源规划局",
    "2.4.2": "市发改委、市科技局、市商务局",
    "2.4.3": "市发改委、市科技局、市商务局、市财政局",
    "2.5.1": "市科技局、市发改委、市经信局",
    "2.5.2": "市市场监管局、市地方金融局,市法院",
    "2.5.3": "市地方金融局、市科技局、市财政局",
    "2.5.4": "市发改委、市市场监管局、市政务服务大数据局",
    "2.6.1": "市科技局",
    "2.6.2": "市科技局、市经信局、市财政局,市委组织部,武汉产业创新发展研究院",
    "2.6.3": "市委组织部,市人社局、市发改委、市科技局",
    "2.7.1": "市教育局",
    "2.7.2": "市卫健委",
    "2.7.3": "市自然资源规划局、市城建局、市水务局",
    "3.1": "市发改委、市科技局",
    "3.2": "市发改委、市自然资源规划局、市经信局、市生态环境局、市城建局",
    "3.3": "市委组织部,市发改委、市科技局、市财政局、市统计局",
}

PORTAL = ["武汉生活网", "首页", "装修 ADORN", "首页 > 资讯", "时间:2022-02-21", "来源:whbt", "最近武汉市政府发布了",
          "2022-02-21_112614.png", "吃喝玩乐更多", "超级纸飞机", "园博园古董相机", "布达拉宫", "网友评论", "发表评论",
          "评论列表", "查看更多", "浏览排行", "长沙电信大楼", "女篮世界杯", "世乒赛", "回国隔离", "刘德华", "内容列表",
          "武汉景点", "企业招聘", "关于我们", "网站地图", "Copyright", "wuhanx", "ICP", "渝ICP备20007601号"]


def test_twenty_two_tasks_and_three_safeguards(clauses):
    kinds = [c.kind for c in clauses]
    assert kinds.count("task") == 22
    assert kinds.count("safeguard") == 3
    assert [c.id for c in clauses if c.kind in ("task", "safeguard")] == list(PRINTED)


@pytest.mark.parametrize("cid", list(PRINTED))
def test_each_clause_has_exactly_its_printed_bureaus(clauses, cid):
    clause = next(c for c in clauses if c.id == cid)
    groups = [g.split("、") for g in PRINTED[cid].split(",")]
    assert [list(g) for g in clause.bureau_groups] == groups
    assert list(clause.bureaus) == [b for g in groups for b in g]
    assert "责任单位" not in clause.text


def test_goal_indicators_and_preamble_are_their_own_records(clauses):
    goals = [c for c in clauses if c.kind == "goal"]
    indicators = [c for c in goals if c.id != "1.0"]
    assert [c.title for c in indicators] == ["经济发展领跑全省全市", "创新能力稳居全国第一梯队", "改革开放引领区域发展"]
    assert all(c.path == "一、工作目标" and not c.bureaus for c in goals)
    assert goals[0].text.startswith("牢牢把握") and goals[0].text.endswith("主要指标如下:")
    preamble = clauses[0]
    assert preamble.kind == "preamble" and preamble.id == "0"
    assert preamble.text.startswith("为促进武汉东湖新技术开发区") and preamble.text.endswith("特制订本方案。")


def test_paths_titles_and_labels_as_printed(clauses):
    ip = next(c for c in clauses if c.id == "2.5.2")
    assert ip.path == "二、主要任务 > (五)实施双创环境优化行动,营造热带雨林式创新生态圈 > 2."
    assert ip.title == "强化知识产权保护"
    assert ip.label == "二、(五) 2. 强化知识产权保护"
    assert ip.text.startswith("强化知识产权保护。支持东湖高新区建设国家知识产权服务业集聚发展示范区")
    guard = next(c for c in clauses if c.id == "3.2")
    assert (guard.path, guard.title, guard.label) == ("三、保障措施 > (二)", "保障土地资源供给", "三、(二) 保障土地资源供给")


def test_ids_are_unique_and_stable(clauses):
    ids = [c.id for c in clauses]
    assert len(ids) == len(set(ids)) == 30
    assert ids[:5] == ["0", "1.0", "1.1", "1.2", "1.3"]


@pytest.mark.parametrize("junk", PORTAL)
def test_no_portal_text_in_the_corpus(clauses, junk):
    corpus = "\n".join(f"{c.path}\n{c.title}\n{c.text}\n{' '.join(c.bureaus)}" for c in clauses)
    assert junk not in corpus


def test_portal_text_is_what_surrounds_the_plan(page):
    items = portal_text(page)
    assert any("刘德华" in x for x in items) and any("ICP" in x for x in items) and "武汉景点" in items
    assert not any("知识产权" in x or "责任单位" in x for x in items)


def test_parse_bureaus_groups_and_separators():
    assert parse_bureaus("市市场监管局、市地方金融局,市法院") == (("市市场监管局", "市地方金融局"), ("市法院",))
    assert parse_bureaus("市科技局") == (("市科技局",),)
    assert parse_bureaus("市委组织部，市人社局") == (("市委组织部",), ("市人社局",))


def test_full_width_punctuation_is_folded():
    page = ("促进武汉东湖新技术开发区高质量发展行动方案\n为了测试，特制订本方案。\n一、工作目标\n目标。\n二、主要任务\n"
            "（一）实施测试行动\n1.测试任务。正文。（责任单位：市科技局、市财政局，市法院）\n来源：武汉市人民政府官网\n")
    task = next(c for c in parse_page(page) if c.kind == "task")
    assert task.bureau_groups == (("市科技局", "市财政局"), ("市法院",))


@pytest.mark.parametrize("page, message", [
    ("no plan here", "no line that is the plan's title"),
    ("促进武汉东湖新技术开发区高质量发展行动方案\n一、工作目标\n", "no '来源:' line"),
    ("促进武汉东湖新技术开发区高质量发展行动方案\n一、工作目标\n来源:x\n", "no preamble"),
])
def test_malformed_pages_raise_clear_errors(page, message):
    with pytest.raises(PlanFormatError, match=message):
        extract_policy(page)


def test_paragraph_outside_the_structure_is_an_error():
    page = "促进武汉东湖新技术开发区高质量发展行动方案\n序。\n一、工作目标\n目标。\n二、主要任务\n孤立的段落。\n来源:x\n"
    with pytest.raises(PlanFormatError, match="fits nowhere"):
        parse_page(page)
