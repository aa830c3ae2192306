"""English without the hand-written phrase list: CC-CEDICT terms, English views, normalised input."""
import pytest

from assistant.text import detect_lang, normalize_question
from assistant.views import check_sentence, check_view, guard_grounding, parse_reply
from assistant.types import Clause


@pytest.mark.parametrize("english, term", [
    ("Who protects intellectual property?", "知识产权"),
    ("Is there an incubator for startups?", "孵化"),
    ("I make chips", "芯片"),
    ("Can foreign talent get a work permit?", "许可"),
    ("What tasks are under the livelihood action?", "民生"),  # a word of a heading, not of any task's text
])
def test_dictionary_maps_english_words_to_the_plans_terms(assistant, english, term):
    assert term in assistant.index.bilingual_terms(english)


@pytest.mark.parametrize("text, stemmed", [
    ("high-tech enterprises", ["high", "tech", "enterpr"]),  # a hyphen joins words ("high tech" in CC-CEDICT)
    ("optimising the environment", ["optim", "environ"]),   # British and American spellings stem alike
    ("optimizing the environment", ["optim", "environ"]),
    # data/english.json "spellings": British forms as CC-CEDICT (American) writes them
    ("national innovation centres", ["nation", "innov", "center"]),
    ("labour costs, a favourite programme", ["labor", "cost", "favorit", "program"]),
    ("a business licence for a defence firm", ["busi", "licens", "defens", "firm"]),
    ("fibre, metres of the theatre", ["fiber", "meter", "theater"]),
    ("hours, four tours, flour, a detour", ["hour", "four", "tour", "flour", "detour"]),  # merely ending alike
    ("a rainforest-like ecosystem", ["rainforest", "ecosystem"]),
    # data/english.json "usage": a sense as CC-CEDICT words it (its "partner" is the noun, 合伙人)
    ("schools partner with foreign institutions", ["school", "cooper", "foreign", "institut"]),
    ("tie-ups with foreign schools", ["cooper", "foreign", "school"]),
    ("a partner fund", ["partner", "fund"]),  # the noun stays
    ("when did the regulations come into force", ["when", "regul", "take", "effect"]),  # 施行: "to take effect"
    ("it became effective in 2021", ["take", "effect"]),
])
def test_english_words_are_stemmed_in_one_form(text, stemmed):
    from assistant.bilingual import stems

    assert stems(text) == stemmed


@pytest.mark.parametrize("english, term, not_term", [
    ("high-tech enterprises", "高新技术", None),
    ("enterprises", "企业", "中小企业"),  # the word's own sense, not a term whose sense merely contains it
])
def test_dictionary_prefers_a_words_own_sense(assistant, english, term, not_term):
    terms = assistant.index.bilingual_terms(english)
    assert term in terms and (not_term is None or not_term not in terms)


@pytest.mark.parametrize("english, compound", [
    ("high-tech enterprises", "高新技术企业"),  # 高新技术 + 企业, written together as the plan does
    ("invention patents", "发明专利"),
    ("an enterprise for high tech", None),  # not neighbours: no compound
    ("tech companies", None),  # two vague words (高新技术|高科技, 企业|公司) are no legal status
])
def test_neighbouring_words_make_the_plans_compound(assistant, english, compound):
    terms = assistant.index.bilingual_weighted(english)
    if compound:
        assert terms.get(compound) == 1.0
    else:
        assert "高新技术企业" not in terms


def test_dictionary_terms_are_only_the_plans_own(assistant):
    vocabulary = {t for c in assistant.index.clauses for t in assistant.index.tokenize(f"{c.path} {c.title} {c.text}")}
    terms = assistant.index.bilingual_terms("tax breaks for research, housing for talent, cheap office space")
    assert terms and set(terms) <= vocabulary


@pytest.mark.parametrize("typed, read", [
    ("誰負責知識產權保護？", "谁负责知识产权保护?"),
    ("到２０２５年目标", "到2025年目标"),
    ("ｗｈｏ ｉｓ ｉｎ ｃｈａｒｇｅ？", "who is in charge?"),
    ("谁\u200b负责\u200d知识产权", "谁负责知识产权"),
    ("最后那项要求每年啥时候报告？", "最后那项要求每年什么时候报告?"),  # spoken words as written (rules.json)
    ("这个基金咋申请", "这个基金怎么申请"),
    ("听说有个啥子不罚的清单", "听说有个什么不罚的清单"),  # 啥子 whole, not 什么子
    ("评审材料都要折腾好几个月，有没有办法简化？", "评审材料都要折腾数个月,有没有办法简化?"),  # several, no period asked
    ("最好几点去办理？", "最好几点去办理?"),  # 最好 + 几点: a time asked, whole words only
    # a contraction typed without its apostrophe as written (rules.json "colloquial_en"); a word of its own is kept
    ("And what about life sciences? Whats the target there?", "And what about life sciences? What's the target there?"),
    ("WHOS in charge? Dont know.", "WHO'S in charge? Don't know."),
    ("Its target, and what about whatsapp groups?", "Its target, and what about whatsapp groups?"),
    # a request for the answer's language is no part of the question (rules.json "language_request")
    ("Sorry, could you answer in English — and which departments are responsible?", "which departments are responsible?"),
    ("Who leads IP protection, in English please?", "Who leads IP protection"),
    ("请用英文回答：谁负责知识产权保护？", "谁负责知识产权保护?"),
    ("Could you answer in English?", "Could you answer in English?"),  # nothing else: kept as typed
])
def test_questions_are_read_in_one_form(typed, read):
    assert normalize_question(typed) == read


def test_traditional_and_full_width_questions_are_answered(assistant):
    assert assistant.ask("誰負責知識產權保護？").citations[0].id == "2.5.2"
    assert assistant.ask("ｗｈｏ ｉｓ ｒｅｓｐｏｎｓｉｂｌｅ ｆｏｒ ｉｎｔｅｌｌｅｃｔｕａｌ ｐｒｏｐｅｒｔｙ？").citations[0].id == "2.5.2"


CLAUSE = Clause("9.1", "task", "二、主要任务 > (九)示例 > 1.", "支持中小企业数字化转型",
                "支持中小企业数字化转型。对完成数字化改造的中小企业给予补贴，单个企业最高50万元。到2030年推动1000家企业完成转型。",
                ("市经信局",), (("市经信局",),))


def test_view_reply_is_parsed_and_checked_field_by_field():
    reply = ("TITLE: Digital upgrade support for SMEs\n"
             "QUESTIONS: Is there a subsidy for going digital? | 能拿多少钱？ | How many firms by 2030?\n"
             "SUMMARY: Firms get up to 500 thousand yuan each. By 2040 every firm is digital. The 市经信局 leads.")
    view = check_view(CLAUSE, parse_reply(reply), guard_grounding)
    assert view.title == "Digital upgrade support for SMEs"
    assert view.questions == ("Is there a subsidy for going digital?", "How many firms by 2030?")
    assert view.summary == "Firms get up to 500 thousand yuan each."
    assert any("2040" in d for d in view.dropped) and any("Chinese" in d for d in view.dropped)


def test_a_general_english_answer_leads_with_the_figures_that_say_what_they_count(assistant):
    # the figure is in English before the Chinese quote; a bare ratio or count is not put first
    fund = assistant.ask("Tell me about the equity incentive fund.")
    assert fund.text.startswith("The plan states: 1 billion yuan (10亿元)")
    talent = assistant.ask("What does the plan offer for talent?")
    assert talent.citations[0].id == "2.1.2"
    first = talent.text.split("\n")[0]
    assert "1:1" not in first and "1∶1" not in first  # a ratio says nothing before its quote is read
    assert not first.startswith("The plan states:") or "yuan" in first


@pytest.mark.parametrize("question, term, found", [
    ("How much land will the zone get?", "土地", True),
    ("What about land for new factories?", "用地", True),
    ("If we land a national key-technology project, is there extra money?", "土地", False),  # land is a verb here
    ("If my startup lands a national project, is there extra money?", "土地", False),
    ("How big is the equity-incentive fund?", "股权激励", True),  # a hyphen joins the words of a phrase
])
def test_a_word_used_as_a_verb_is_not_the_thing_it_names(question, term, found):
    from assistant.text import load_lexicon

    assert (term in load_lexicon().translate_terms(question)) is found


@pytest.mark.parametrize("question, one_word, term, found", [
    ("Are there limits on how much extra land we can use?", True, "土地", True),
    ("Are there limits on how much extra land we can use?", False, "土地", False),
    ("How big is the equity-incentive fund?", False, "股权激励", True),
    ("How big is the equity-incentive fund?", True, "股权激励", False),  # a phrase's words are claimed by it
])
def test_one_word_phrases_are_told_from_longer_ones(question, one_word, term, found):
    from assistant.text import load_lexicon

    assert (term in load_lexicon().translate_terms(question, one_word)) is found


@pytest.mark.parametrize("question, term, found", [
    # the zone's English name names the zone, as 东湖高新区 does: not the high-tech enterprises task
    ("What output value should the optoelectronics industry in East Lake High-tech Zone reach?", "高新技术", False),
    ("Is the Donghu Hi-Tech Zone opening up to foreign investors?", "高新技术", False),
    ("How many high-tech enterprises should the zone have?", "高新技术企业", True),
    ("What counts as high-tech in the plan?", "高新技术", True),
])
def test_the_zones_english_name_is_no_topic(question, term, found):
    from assistant.text import load_lexicon

    assert (term in load_lexicon().translate_terms(question)) is found


@pytest.mark.parametrize("question, clause", [
    # a one-word phrase's terms ("land" → 土地, "park" → 园区) weigh as the dictionary's: the specific clause wins
    ("If we upgrade our existing plant without taking any extra land, are there limits on how dense or how tall "
     "we can build?", "3.2"),
    ("Does the zone team up with neighbouring districts, for example by running a satellite park in another area "
     "together?", "2.4.1"),
])
def test_a_one_word_phrase_does_not_outweigh_the_specific_clause(assistant, question, clause):
    assert assistant.ask(question).citations[0].id == clause


def test_a_one_word_phrase_still_names_the_subject(assistant):
    """The 翻一番 of the number of high-tech enterprises is no tax rate: 税务 (tax) is named by the clause's bureaus,
    not by the sentence."""
    answer = assistant.ask("What corporate income tax rate does a certified high-tech enterprise pay in the zone?")
    assert answer.refused and answer.citations[0].id == "2.2.2"


@pytest.mark.parametrize("translation, kept, note", [
    # a figure the model scaled wrongly (50万元 as "5 million") is cut out; the words still match questions
    ("SMEs that go digital get a subsidy of up to 5 million yuan per firm.",
     "SMEs that go digital get a subsidy of up to per firm.", "cut figure '5 million'"),
    ("By 2030, 1000 firms will have completed the transformation.",
     "By 2030, 1000 firms will have completed the transformation.", ""),
    ("By 2030, 10,000 firms will go digital.", "By 2030, firms will go digital.", "cut number 10000"),
    ("不知道", "", "no English translation"),
])
def test_a_sentence_translation_loses_what_the_clause_does_not_say(translation, kept, note):
    text, reason = check_sentence(translation, CLAUSE, guard_grounding)
    assert text == kept and note in reason


def test_view_with_an_invented_figure_in_the_title_loses_the_title():
    view = check_view(CLAUSE, parse_reply("TITLE: 5 million yuan for every SME\nQUESTIONS: Help for SMEs?"),
                      guard_grounding)
    assert view.title == "" and view.questions == ("Help for SMEs?",) and "summary: missing" in view.dropped


def test_english_heading_listing_then_an_ordinal(assistant):
    first = assistant.ask("What tasks are under the livelihood action?")
    assert [c.title for c in first.citations] == ["建设优质均衡的基础教育体系", "打造高质普惠的医疗卫生体系",
                                                 "大力推动园区绿色低碳发展"]
    third = assistant.ask("Tell me more about the third one.", [first.to_record()])
    assert third.citations[0].title == "大力推动园区绿色低碳发展"
    assert "市自然资源规划局" in third.text


@pytest.mark.parametrize("turns, cited", [
    # an ordinal after a list of headings picks a heading: all its entries
    (["What are the main actions in the plan?", "Tell me more about the sixth one."], ["2.6.1", "2.6.2", "2.6.3"]),
    (["主要任务有哪些行动？", "第六项由谁负责？"], ["2.6.1", "2.6.2", "2.6.3"]),
    # …after a heading's list of entries, one entry
    (["保障措施有哪些？", "第二项具体讲了什么？"], ["3.2"]),
    # a turn with topic words of its own after a list: the entry listed that is about them, not the first
    (["What are the overall goals of the plan?",
      "And on innovation, how many high-tech enterprises are they aiming for?"], ["2.2.2", "1.2"]),
    # a bare English fragment leans on the previous turn
    (["Does the plan mention pilot-scale or scale-up platforms for taking lab results toward production?",
      "In which fields?"], ["2.6.2"]),
])
def test_english_turns_after_a_list(assistant, turns, cited):
    history = []
    for turn in turns[:-1]:
        history.append(assistant.ask(turn, history).to_record())
    assert [c.id for c in assistant.ask(turns[-1], history).citations] == cited


@pytest.mark.parametrize("question, cited", [
    # words that set the scene of a heading ("puts in place", "supporting") name none of them
    ("List the supporting safeguards the plan puts in place to make sure it is carried out.", ["3.1", "3.2", "3.3"]),
    # "what safeguards" asks for the heading's list as "what measures" does, though the word names mentions too
    ("What safeguards are there?", ["3.1", "3.2", "3.3"]),
    ("What safeguards does the plan list?", ["3.1", "3.2", "3.3"]),
    ("What supporting safeguards does the plan list to back the zone's development?", ["3.1", "3.2", "3.3"]),  # "back"
    # startup is the entrepreneurship of a heading's English name; "what does each cover" asks the count's entries
    ("How many tasks are in the startup-ecosystem action, and what does each cover?",
     ["2.5.1", "2.5.2", "2.5.3", "2.5.4"]),
    # the lexicon's name of a heading (民生: people's livelihood, public services) over the one written at ingest
    ("What are the tasks in the part of the plan about public services and quality of life for residents?",
     ["2.7.1", "2.7.2", "2.7.3"]),
])
def test_english_headings_in_the_askers_words(assistant, question, cited):
    assert [c.id for c in assistant.ask(question).citations] == cited


@pytest.mark.parametrize("question, cited", [
    # who asks, said first, dilutes the question; what is asked is about the plan on its own
    ("I lead regulatory affairs for a French pharma company. Is there anything in the plan that would get our "
     "patent applications examined faster in Wuhan?", "2.5.2"),
    # "what's in the X action" lists its entries, and "the second one" is the second of them
    ("Among the main tasks, what's in the action on reform breakthroughs? → Tell me more about the second one.",
     "2.6.2"),
    # "the second one" of the things the asker listed, though the answer cited the hospitals first
    ("What does the plan promise for everyday life in the zone — schools, hospitals, the environment and so on? → "
     "Thanks. The second one — what concrete targets have they set for it by 2025?", "2.7.2"),
    ("东湖高新区在学校、医院、生态环境这些方面有什么规划？ → 第一个到2025年的目标是多少？", "2.7.1"),
    # a one-word topic closed by its own question mark is the topic the next question asks about
    ("东湖高新区到2025年高新技术企业数量目标是多少？ → 那瞪羚企业呢，有没有具体目标？ → "
     "And what about listed companies? How many is the zone aiming for by 2025?", "2.2.2"),
    # thanks before "what about X - question" name no topic
    ("Is there any fund that helps zone companies do overseas acquisitions? → Got it, thanks. What about frontier "
     "stuff like quantum and brain science - is there a separate fund for that?", "2.3.3"),
    # the words after the dash say what "the other way round" is: they are the new topic, asked as the last one was
    ("What does the plan say about attracting multinationals to Optics Valley? → And what about the other way "
     "round - supporting our own firms to expand abroad and acquire companies overseas?", "2.4.3"),
])
def test_english_questions_after_a_setting_or_a_list(assistant, question, cited):
    *before, last = [t.strip() for t in question.split("→")]
    history = [{"question": t, "citations": [c.id for c in assistant.ask(t).citations]} for t in before]
    answer = assistant.ask(last, history)
    assert not answer.refused and answer.citations[0].id == cited


@pytest.mark.parametrize("question", [
    "Could you give me a quick overview of the main action programmes? How many are there, and what are they called?",
    "Give me a rundown of the actions in the plan.",
])
def test_an_overview_of_the_plans_parts_lists_them(assistant, question):
    # rules.json intents "overview_list": the parts named are listed, and "how many are there" counts them
    answer = assistant.ask(question)
    assert not answer.refused and answer.text.startswith("二、主要任务 has 7 parts: 实施战略支撑强化行动;")


@pytest.mark.parametrize("text, asked", [
    ("I lead regulatory affairs for a pharma company. Is there anything on patents?", "Is there anything on patents?"),
    ("Hi! We make lasers. Dr. Li asked me: who leads on talent?", "Dr. Li asked me: who leads on talent?"),
    ("Who handles the reforms, i.e. one-stop services?", ""),  # a Latin abbreviation ends no sentence
    ("Which offices are accountable, e.g. for the one-stop reforms?", ""),
    ("Is there anything on patents?", ""),  # no statement before the question
    ("We make lasers.", ""),  # no question at all
])
def test_the_question_after_an_english_setting(text, asked):
    from assistant.retrieval import english_asking

    assert english_asking(text) == asked


@pytest.mark.parametrize("question, title, refused", [
    ("Who do I talk to about patents?", "强化知识产权保护", False),  # the runner-up lists bureaus; the goal does not
    ("谁负责工作目标？", "工作目标", True),  # the goals name no bureau, and no task scores close
])
def test_who_questions_lead_with_a_clause_that_lists_bureaus(assistant, question, title, refused):
    answer = assistant.ask(question)
    assert answer.citations[0].title == title
    assert answer.refused is refused


class _Scripted:
    """A chat model that answers the view prompt, then translates each sentence from a script (no LLM)."""

    def __init__(self, replies):
        self.replies = list(replies)

    def invoke(self, messages):
        from types import SimpleNamespace

        return SimpleNamespace(content=self.replies.pop(0), usage_metadata={})


def test_a_dropped_sentence_translation_keeps_its_slot(tmp_path):
    from assistant.text import split_sentences
    from assistant.views import load_views, write_views

    view = "TITLE: Digital upgrade support for SMEs\nQUESTIONS: Is there a subsidy?\nSUMMARY: SMEs get subsidies."
    script = [view, "Support SMEs going digital.", "不知道", "By 2030, 1000 firms will have completed it."]
    write_views([CLAUSE], tmp_path, _Scripted(script), "scripted", progress=False, log=lambda m: None)
    sentences = load_views(tmp_path)[CLAUSE.id].sentences
    assert len(sentences) == len(split_sentences(CLAUSE.text)) == 3
    assert sentences == ("Support SMEs going digital.", "", "By 2030, 1000 firms will have completed it.")


def test_a_vague_words_terms_share_its_weight(assistant):
    # "use" reads as several of the plan's terms, "performance" as one: each term weighs its share of its word
    weighted = assistant.index.bilingual_weighted("use performance")
    assert weighted["绩效"] == 1.0
    vague = [w for t, w in weighted.items() if t != "绩效"]
    assert len(vague) > 1 and all(w == pytest.approx(1 / len(vague)) for w in vague)


def test_dictionary_channels_group_terms_by_their_share():
    from assistant.retrieval import Query, dictionary_channels

    query = Query("use performance", "en", "general", False, (), (), "", dictionary=("使用", "利用", "绩效"),
                  senses=(0.5, 0.5, 1.0))
    assert sorted(dictionary_channels(query, 0.3)) == [(("使用", "利用"), 0.15), (("绩效",), 0.3)]


def test_each_english_sentence_view_translates_its_own_sentence(assistant):
    # the views of a clause count title, summary and questions first; a dropped translation leaves its slot out
    index = assistant.index
    for k, (row, i) in index._en_sentence.items():
        clause = index.clauses[row]
        english = index.english[clause.id]
        texts = english.texts()
        j = index.views[k].sentence
        assert texts[j] == english.sentences[i] and english.sentences[i]
    assert len(index._en_sentence) == sum(sum(bool(s) for s in e.sentences) for e in index.english.values())


def test_an_english_question_picks_the_sentence_its_translation_matches(assistant):
    # the English sentence views take part in choosing which sentence is quoted
    # (the Chinese sentence views alone pick 加速创新街区… for it)
    r = assistant.retrieve("What's planned for university science parks in the zone?")
    assert r.hits[0].clause.id == "2.5.1"
    from assistant.compose import pick_sentences

    # (best first, as the answer quotes it: the other sentences kept follow in document order)
    assert "大学科技园" in pick_sentences(r.hits[0].clause, r, rules=assistant.rules, best_first=True)[0]


@pytest.mark.parametrize("question", [
    "What's the zone's economic size target for 2025?",
    "What are the plan's main targets?",
])
def test_a_target_asked_is_a_goal_not_the_goals_opening_line(assistant, question):
    # the goals open with "主要指标如下:", which states no target: the goal under it that states one leads
    answer = assistant.ask(question)
    assert answer.citations[0].id == "1.1" and "5000亿元" in answer.text[:120]


def test_a_deadline_elsewhere_does_not_answer_a_programmes_deadline(assistant):
    # the yearly report's 1月底 (加强评价监测) is no application deadline of the 揭榜挂帅 projects
    answer = assistant.ask("What is the application deadline for the challenge-based research projects?")
    assert answer.refused and "1月底" not in answer.text


@pytest.mark.parametrize("question, lang", [
    ("Who is responsible for the talent plan?", "en"),
    ("Who is 市科技局 responsible for?", "en"),
    ("What does 光谷合伙人引导基金 mean?", "en"),  # a long Chinese name inside English grammar
    ("R&D subsidy 2025?", "en"),
    ("做芯片前端设计,EDA工具用Cadence还是Synopsys比较好?", "zh"),  # Chinese naming products: capitalised words only
    ("我想做saas，有什么支持？", "zh"),
    ("谁负责知识产权保护？", "zh"),
])
def test_language_is_the_grammar_s(question, lang):
    assert detect_lang(question) == lang


def test_an_english_questions_dictionary_terms_pick_the_sentence_that_says_it(assistant):
    # "partner with foreign institutions" is said by 国外院校合作办学 (国外, 合作 are dictionary terms, not subject
    # tokens): that sentence is quoted, not only the schools' 2025 figures
    answer = assistant.ask("My kids would need schooling. Does the plan let schools in the zone partner with "
                           "foreign institutions?")
    assert answer.citations[0].id == "2.7.1" and "国外院校合作办学" in answer.citations[0].quote



@pytest.mark.parametrize("text, term", [
    # founders' words for what the plan names in its own (lexicon.json terms_en / terms_zh)
    ("I want to give my engineers a stake in the startup", "股权激励"),
    ("Are there real use cases where we can pilot our product?", "应用场景"),
    ("Can a researcher own inventions made on the job?", "职务科技成果"),
    ("想给核心员工配股，有没有支持？", "股权激励"),
    ("小批量试生产没条件，有地方帮忙吗？", "中试熟化"),
    ("产品想找真实场景落地试用", "应用场景"),
    ("Is there a dedicated pot of money to help startups give shares to key engineers?", "股权激励"),
    ("Is there a dedicated pot of money to help startups give shares to key engineers?", "专项资金"),
    ("政府公开张榜的技术难题项目", "揭榜挂帅"),
    ("监管上会不会给点宽容、试错的空间？", "包容审慎"),
    ("能在资本市场挂牌的公司有多少？", "上市企业"),
    ("我是大学里的老师，单位项目里做出来的研究结果，能不能先算成我自己的？", "所有权"),
    ("Is there any public money to help tech companies give equity to their staff?", "股权激励"),
    ("What does the plan do to cut red tape?", "营商环境"),
    ("How does the plan want to make companies the main drivers of innovation?", "创新主体"),
    ("这种级别的大牛方案里有没有特殊照顾的说法？", "顶尖人才"),
    ("这种级别的大牛方案里有没有特殊照顾的说法？", "一事一议"),
    ("他最关心的是住哪、孩子上学的事", "居住"),
    ("政府能不能不走招投标、直接买我们的新产品？", "非招标"),  # 招投标 holds no 招标
    ("直接买我们这种新产品当第一个用户", "首购"),
    ("一直卡在成果归学校这个问题", "所有权"),
    ("这种成果到底算学校的还是算我们研究人员的？", "所有权"),
    ("能不能先归个人再拿出来创业转化？", "职务科技成果"),
    ("能不能先把产权分给发明人本人？", "赋权"),
    ("用学校经费做出来的成果到底归不归我个人？", "所有权"),  # 归不归: whose it is
    ("Does the plan back local tech firms doing cross-border M&A?", "海外并购"),
    ("Does the plan help local companies buy businesses abroad?", "海外并购"),
    ("Can universities and companies jointly run industry-oriented colleges?", "产业学院"),
    ("Would a city agency act as our first customer without running a public tender?", "首购"),
    ("Is Wuhan trying to turn the zone into a VC hub for central China?", "风投创投"),
    ("Does the plan do anything with university science parks?", "大学科技园"),
    ("How many joined-up service packages from the province and city does the zone roll out?", "一事联办"),
    ("What size of economy is the zone targeting for 2025?", "经济总量"),
])
def test_founders_words_reach_the_plans_terms(text, term):
    from assistant.text import load_lexicon

    lexicon = load_lexicon()
    assert term in (lexicon.expand_zh(text) if detect_lang(text) == "zh" else lexicon.translate_terms(text))


@pytest.mark.parametrize("vocabulary, english, terms", [
    # a corpus's jieba words: 投递员 is written 投递 + 员, so "courier" is found within the headword
    ({"投递", "包裹"}, "courier", ("投递",)),
    ({"投递", "包裹"}, "parcel", ("包裹",)),  # a headword of the documents' own comes first
    ({"包裹"}, "courier", None),  # no documents' term within any headword for it
])
def test_a_corpus_dictionary_looks_into_headwords_the_documents_split(vocabulary, english, terms):
    from assistant.bilingual import build

    assert build(vocabulary, contained=True).words.get(english) == terms


def test_the_plans_dictionary_reads_only_the_documents_headwords():
    from assistant.bilingual import build

    assert build({"投递", "包裹"}).words.get("courier") is None


@pytest.mark.parametrize("question, words", [
    ("What's the penalty?", ["penalty"]),  # what's is what: a form word, not a missing one
    ("I'm a courier, aren't I allowed?", ["courier", "allowed"]),
    ("When is Chinese Doctors’ Day?", ["chinese", "doctors", "day"]),  # when asks; a curly apostrophe too
    ("Why and where must it be filed anyway?", ["must", "filed"]),  # corpus.json "english_form_words"
])
def test_an_english_questions_content_words(question, words):
    from assistant.corpus_assistant import english_content_words

    assert english_content_words(question) == words
