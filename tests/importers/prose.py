"""Invented prose for composed issues: the vocabulary, and the makers of names, sentences,
paragraphs and headings in the bulletin's formal register (no sentence taken from any issue).
"""

import itertools
import re

PUBLICATIONS = [  # latin running head, region word, province, area code, mail box, cities, counties
    ("GUANGXIZHENGXIEGONGZUO", "自治区", "广西", "0771", "gxzxgz", "百色 来宾 柳州 桂林 梧州 北海 钦州 贵港 玉林 河池 贺州 崇左", "平乐 天等 龙州 融水 恭城 三江 凌云 乐业 东兰 昭平"),
    ("SHANXIZHENGXIEGONGZUO", "省", "山西", "0351", "sxzxgz", "大同 长治 晋城 运城 临汾 忻州 吕梁 晋中 朔州", "平遥 灵丘 沁源 五台 岢岚 左权 壶关 闻喜"),
    ("YUNNANZHENGXIEGONGZUO", "省", "云南", "0871", "ynzxgz", "曲靖 玉溪 保山 昭通 丽江 普洱 临沧 楚雄", "宾川 弥渡 施甸 景谷 双江 勐海 富民 峨山"),
    ("HUNANZHENGXIEGONGZUO", "省", "湖南", "0731", "hnzxgz", "株洲 湘潭 衡阳 邵阳 岳阳 常德 益阳 郴州", "攸县 茶陵 炎陵 桃源 汝城 平江 隆回 沅陵"),
]  # fmt: skip
OTHER_PROVINCES = "山东 浙江 江苏 四川 福建 河南 湖北 江西 安徽 陕西".split()
OTHER_CITIES = "济南 青岛 宁波 苏州 绵阳 厦门 洛阳 宜昌 赣州 芜湖 宝鸡 潍坊".split()
SECTIONS = """政协动态 市县政协 理论研究 他山之石 专题协商 提案工作 委员风采 调查研究 文史资料 学习园地
民主监督 要闻 履职实践 工作交流 界别之声 基层协商""".split()
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢唐韩冯邓曹彭曾覃韦蒙农莫陆蓝潘卢廖"
GIVEN = "宁云强明华伟丽芳军平刚杰静敏燕霞斌涛辉鹏洋勇峰浩凯晨婷琳雪慧颖建国志远海文晓春兰德永振秀立新嘉怡思"
TOPICS = """乡村全面振兴 民营经济发展 生态环境保护 基层社会治理 县域经济发展 养老服务体系建设 职业教育改革
文旅融合发展 营商环境优化 数字政府建设 农村人居环境整治 义务教育优质均衡 中医药传承创新 林下经济发展""".split()
BRANDS = (
    "有事好商量 委员在身边 协商在基层 民生议事堂 同心议事会 书香政协 委员履职日 商量工作室".split()
)
FOURS = "凝心聚力 守正创新 担当作为 实干争先 提质增效 履职为民 同心同行 聚力攻坚 深耕细作 久久为功 勇毅前行 踔厉奋发".split()
ACTIONS = """紧扣党委政府中心工作精准选题 聚焦群众急难愁盼问题深入调研 坚持建言资政和凝聚共识双向发力
把协商议事平台延伸到村（社区）一线 推动协商成果转化为具体工作举措 健全委员联系界别群众制度机制
完善提案办理协商和跟踪督办机制 组织委员下沉一线察实情、听民意 形成一批有分量的调研报告
为党委政府科学决策提供有益参考 切实把制度优势转化为治理效能 引导委员在本职岗位上建功立业
营造广泛参与、理性表达的良好氛围 持续深化“{brand}”品牌建设 围绕{topic}开展专题协商
邀请有关部门负责同志现场回应 建立问题、任务、责任三张清单 推动形成上下联动、协同高效的工作格局
以高质量履职助推高质量发展 不断增强建言献策的针对性和可操作性 加强对县级政协工作的联系指导
探索“线上+线下”协商新模式 注重发挥界别召集人的牵头作用 定期通报重点工作推进情况
推动解决一批群众关心的实际问题 在{topic}上持续用力 把协商议题定在发展所需、民生所盼处
让委员履职更有底气、更有温度 在服务大局中找准结合点和切入点 推动政协协商与基层协商有效衔接
坚持调研在前、协商在后 做到议题共商、调研共组、成果共享 主动接受社会各界监督 及时回应群众关切
为{place}高质量发展贡献政协智慧 压紧压实各方工作责任 一件一件抓好落实 围绕{topic}深入开展调查研究
广泛听取基层干部群众意见 梳理形成问题清单和建议清单 推动相关部门细化落实举措 邀请专家学者参与论证
组织界别委员开展联合视察 强化委员履职服务保障 落实委员履职档案管理制度 深化“{brand}”协商实践
推动委员工作室提档升级 发挥委员专业优势和界别特色 拓宽社情民意收集渠道 加强与各民主党派的联系沟通
着力解决群众身边的烦心事 在议题选择上突出小切口 在成果运用上注重跟踪问效 做到情况明、底数清
引导各界群众听党话、跟党走 为党委政府分忧、为人民群众解难 聚焦{topic}中的堵点难点
提出务实管用的对策建议 推动协商成果共享共用 不断提高政协工作科学化水平""".split()
RESULTS = """开展专题视察{n}次 提交提案{n}件 报送社情民意信息{N}条 举办委员读书分享会{n}场 形成调研报告{n}篇
推动{n}项建议被有关部门采纳 累计服务群众{N}余人次 召开协商座谈会{n}次 办结提案{N}件 解决实际问题{N}余个""".split()
GOALS = "推进协商民主广泛多层制度化发展 践行全过程人民民主 做好新时代政协工作 发挥专门协商机构作用".split()
SUBJECTS = "{place}政协 市政协 县政协 各级政协组织 广大政协委员 政协各专门委员会 机关各党支部 委员工作室".split()
OPENERS = "{year}年以来 近年来 今年以来 {m}月{d}日 为此 与此同时 在此基础上 实践中 下一步".split()
LEADS = "搭建议事平台 畅通民意渠道 压实工作责任 完善制度机制 下沉履职一线 汇聚各方智慧 紧盯关键环节 建强委员队伍".split()
HEAD_A = "突出政治引领 聚焦中心大局 坚持人民至上 用好协商平台 注重成果转化 强化制度保障 深化界别协商 聚焦“{brand}” 立足基层实际".split()
HEAD_B = "筑牢团结奋斗思想基础 助推发展提质增效 推动民生实事落地 画出最大同心圆 让协商更接地气 激发委员履职活力 提升建言资政质量".split()
NUM_A = "找准履职着力点 强化思想政治引领 发挥专门协商机构作用 念好“{char}”字诀 坚持问题导向 健全工作长效机制 丰富协商议政形式".split()
NUM_B = "提升委员队伍整体素质 推动协商议政提质增效 为{topic}贡献政协力量 在服务大局中展现新作为 把制度优势转化为治理效能".split()
DISTRIBUTION = """{R}政协主席 党组副书记 副主席 秘书长 副秘书长 各专门委员会 办公厅党组成员 其他厅级干部
{party}办公厅 {R}人民政府办公厅 各市（县）区政协 {R}政协机关各处室 所属事业单位""".split()


CN = "一二三四五六七八九"


class Prose:
    """Mixin: needs rng, cities, year, used_names, place (where the article is set) and pool."""

    def name(self, length=None):
        while True:
            n = self.rng.choice(SURNAMES) + "".join(
                self.rng.sample(GIVEN, (length or self.rng.choice([2, 3, 3])) - 1)
            )
            if n not in self.used_names:
                self.used_names.add(n)
                return n

    def printed(self, name):  # two-character names are padded to the width of three
        return f"{name[0]} {name[1]}" if len(name) == 2 and self.rng.random() < 0.85 else name

    def fill(self, s):
        r = self.rng
        values = {
            "brand": lambda: r.choice(BRANDS),
            "topic": lambda: r.choice(TOPICS),
            "n": lambda: str(r.randint(2, 30)),
            "N": lambda: str(r.randint(40, 3000)),
            "place": lambda: self.place or r.choice(self.cities) + "市",
            "year": lambda: str(self.year - r.randint(0, 1)),
            "m": lambda: str(r.randint(1, 12)),
            "d": lambda: str(r.randint(1, 28)),
            "char": lambda: r.choice("学实新融细效联暖"),
        }
        return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)](), s)

    def space_digits(self, s, p):  # extraction often pads numbers: "2024 年"
        return re.sub(r"\s*(\d+)\s*", r" \1 ", s).strip() if self.rng.random() < p else s

    def clauses(self, lo=2, hi=3):
        acts = [self.fill(next(self.pool)) for _ in range(self.rng.randint(lo, hi))]
        if self.rng.random() < 0.3:
            acts.append(self.fill(self.rng.choice(RESULTS)))
        return "，".join(acts)

    def sentence(self, speaker=""):
        r, x = self.rng, self.rng.random()
        if speaker and x < 0.12:
            s = f"{speaker}{r.choice(['指出', '强调'])}，要{self.clauses()}。"
        elif speaker and x < 0.2:
            quote = self.clauses().replace("“", "‘").replace("”", "’")
            s = f"{speaker}表示：“{quote}。”"
        elif x < 0.3:
            s = f"{self.fill(r.choice(OPENERS))}，{self.fill(r.choice(SUBJECTS))}{self.clauses()}。"
        elif x < 0.36:
            s = f"实践证明，只有{self.fill(next(self.pool))}，才能{self.fill(next(self.pool))}。"
        elif x < 0.42:
            s = f"{self.fill(next(self.pool))}，是{r.choice(GOALS)}的重要{r.choice(['途径', '抓手', '保障'])}。"
        elif x < 0.47:
            res = "，".join(self.fill(x) for x in r.sample(RESULTS, 2))
            s = f"截至{self.year}年{r.randint(3, 11)}月，{self.fill(r.choice(SUBJECTS))}已{res}。"
        else:
            s = f"{self.fill(r.choice(SUBJECTS))}{self.clauses(2, 4)}。"
        return self.space_digits(s, 0.1)

    def fresh_pool(self):  # few repeats within a paragraph
        self.pool = itertools.cycle(self.rng.sample(ACTIONS, len(ACTIONS)))

    def para(self, lo=2, hi=5, speaker="", lead=False, enum=None):
        self.fresh_pool()
        sents = [self.sentence(speaker) for _ in range(self.rng.randint(lo, hi))]
        if lead:
            sents.insert(0, "，".join(self.rng.sample(LEADS, 2)) + "。")
        if enum is not None:
            sents[0] = f"{CN[enum]}是{self.clauses(2, 3)}。"
        return ("p", sents)

    def exclaim(self):
        a, b = (self.fill(c) for c in self.rng.sample(ACTIONS, 2))
        return ("p", [self.sentence(), f"让我们{a}，{b}，奋力开创新时代政协工作新局面！"])

    def heading(self, n=None):
        r = self.rng
        if n is None:  # short headline-like line
            while len(h := self.fill(r.choice(HEAD_A) + r.choice(" ，") + r.choice(HEAD_B))) > 20:
                pass
            return ("h", h)
        parts = [self.fill(x) for x in (r.choice(NUM_A), *r.sample(NUM_B, 2))]
        h = "，".join(parts[: r.choice([1, 2, 2, 2, 3])])
        return ("h", f"{CN[n]}、{h if len(h) < 40 else parts[0]}")
