"""Word lists the extraction rules use: organization suffixes and types, boundary and generic words.

Everything here is simplified Chinese: rules run on the match key of the text, where
traditional characters are already folded to simplified (see :func:`kg.text.match_key`).
"""

from __future__ import annotations

__all__ = [
    "SUFFIXES",
    "suffix_of",
    "NATIONAL_BODIES",
    "NATIONAL_TYPES",
    "PLACE_NAMES",
    "ORG_TYPES",
    "KIND_OF_TYPE",
    "BOUNDARY_WORDS",
    "GENERIC_WORDS",
    "KIND_WORDS",
    "TIME_WORDS",
    "LEGAL_FORMS",
    "TITLE_WORDS",
    "OFFICIAL_TITLES",
    "TITLE_PREFIX",
    "KIND_NOUNS",
    "QUANTIFIER",
    "COUNTED",
    "VENUES",
    "HALLS",
    "REGIONS",
    "GROUPS",
    "COUNT",
    "MEASURE",
    "MEASURE_WORD",
    "LEVEL",
    "PARTS",
]

PARTS = "、和及与"  # what joins two parts of a list (集成电路、生物医药…; 高分子材料及辐射加工)

# Organization-type suffixes, longest first wins; each maps to a park: class.
SUFFIXES: dict[str, str] = {
    "集团股份有限公司": "Company",
    "集团有限公司": "Company",
    "股份有限公司": "Company",
    "有限责任公司": "Company",
    "有限公司": "Company",
    "集团公司": "Company",
    "集团": "Company",
    "公司": "Company",
    "职业技术学院": "University",
    "职业学院": "University",
    "高等专科学校": "University",
    "大学": "University",
    "学院": "University",
    "学部": "University",
    "学系": "University",
    "系": "University",  # only after a university's name (…科技大学航空暨运输服务管理系): see kg.extract.orgs
    "研究院": "ResearchInstitute",
    "研究所": "ResearchInstitute",
    "研究中心": "ResearchInstitute",
    "技术中心": "ResearchInstitute",
    "工程中心": "ResearchInstitute",
    "检测中心": "ResearchInstitute",
    "研发中心": "ResearchInstitute",
    "创新中心": "ResearchInstitute",
    "检验所": "ResearchInstitute",
    "检测所": "ResearchInstitute",
    "中心": "Organization",
    "事务所": "Company",
    "株式会社": "Company",
    "合作社": "Company",
    "交易所": "Organization",
    "设计院": "ResearchInstitute",
    "实验室": "ResearchInstitute",
    "科学院": "ResearchInstitute",
    "管理委员会": "GovernmentBody",
    "委员会": "GovernmentBody",
    "管委会": "GovernmentBody",
    "人民政府": "GovernmentBody",
    "政府": "GovernmentBody",
    "发改委": "GovernmentBody",
    "经信委": "GovernmentBody",
    "工信委": "GovernmentBody",
    "科委": "GovernmentBody",
    "国资委": "GovernmentBody",
    "卫健委": "GovernmentBody",
    "教委": "GovernmentBody",
    "局": "GovernmentBody",
    "厅": "GovernmentBody",
    "部": "GovernmentBody",
    "署": "GovernmentBody",
    "办公室": "GovernmentBody",
    "办事处": "GovernmentBody",
    "管理所": "GovernmentBody",  # 市场监督管理所
    "街道": "GovernmentBody",  # 周家渡街道: the street office; 各街道, 街道两旁 stay generic
    "海关": "GovernmentBody",
    "总商会": "ChamberOfCommerce",
    "商会": "ChamberOfCommerce",
    "工商联": "ChamberOfCommerce",  # 省工商联: the federation of industry and commerce
    "科协": "Association",  # 省科协: the association for science and technology
    "协会": "Association",
    "学会": "Association",
    "联合会": "Association",
    "促进会": "Association",
    "研究会": "Association",
    "校友会": "Association",
    "协进会": "Association",
    "策进会": "Association",
    "公会": "Association",
    "联谊会": "Association",
    "总会": "Association",
    "党组织": "PartyOrganization",
    "党委": "PartyOrganization",
    "党支部": "PartyOrganization",
    "党总支": "PartyOrganization",
    "党工委": "PartyOrganization",
    "党建共同体": "PartyBuildingCommunity",
    "共同体": "PartyBuildingCommunity",
    "联盟": "Alliance",
    "联合体": "Alliance",
    "孵化器": "Incubator",
    "孵化园": "Incubator",
    "创业服务中心": "Incubator",  # the usual name of a 科技企业孵化器
    "创客空间": "MakerSpace",
    "科创空间": "MakerSpace",
    "创业空间": "MakerSpace",
    "孵化基地": "Incubator",
    "孵化中心": "Incubator",
    "加速器": "Accelerator",
    "众创空间": "MakerSpace",
    "科技园": "SciencePark",
    "科学园": "SciencePark",
    "软件园": "IndustrialPark",
    "大学科技城": "SciencePark",
    "生物城": "IndustrialPark",
    "科技城": "IndustrialPark",
    "基金小镇": "IndustrialPark",
    "科学城": "SciencePark",
    "创业园": "SciencePark",
    "产业园": "IndustrialPark",
    "经济技术开发区": "IndustrialPark",
    "高新技术产业开发区": "IndustrialPark",
    "开发区": "IndustrialPark",
    "经开区": "IndustrialPark",
    "起步区": "IndustrialPark",
    "先行区": "IndustrialPark",
    "工业园": "IndustrialPark",
    "化工园": "IndustrialPark",
    "物流园": "IndustrialPark",
    "高新区": "IndustrialPark",
    "产业园区": "IndustrialPark",
    "工业园区": "IndustrialPark",
    "园区": "IndustrialPark",
    "新区": "IndustrialPark",
    "合作区": "IndustrialPark",
    "示范区": "IndustrialPark",
    "试验区": "IndustrialPark",
    "实验区": "IndustrialPark",
    "保税区": "IndustrialPark",
    "自贸区": "IndustrialPark",
    "工业区": "IndustrialPark",
    "产业城": "IndustrialPark",
    "产业基地": "IndustrialPark",
    "基金会": "Organization",
    "基金": "Fund",
    "银行": "FinancialInstitution",
    "分行": "FinancialInstitution",
    "支行": "FinancialInstitution",
    "医院": "Organization",
}

# National bodies whose names are made of common words (科技部, 工业和信息化部): the suffix rule
# takes them for generic phrases, so they are named here (mainland and Taiwan usage).
NATIONAL_BODIES: frozenset[str] = frozenset(
    """
    国务院 科学技术部 科技部 工业和信息化部 工信部 教育部 财政部 商务部 外交部 公安部 民政部 司法部
    人力资源和社会保障部 人社部 自然资源部 生态环境部 住房和城乡建设部 住建部 交通运输部 水利部
    农业农村部 文化和旅游部 文旅部 应急管理部 退役军人事务部 审计署 海关总署 国家发展和改革委员会
    国家发展改革委 国家发改委 国家卫生健康委员会 国家卫健委 国务院国资委 国家市场监督管理总局
    国家市场监管总局 国家知识产权局 国家药品监督管理局 国家药监局 国家税务总局 国家统计局 国家能源局
    国家数据局 国家航天局 国家林业和草原局 国家中医药管理局 国家国防科技工业局 国家外汇管理局
    国家金融监督管理总局 中国证券监督管理委员会 中国证监会 中国人民银行 中国科学院 中国工程院
    中国社会科学院 国家自然科学基金委员会 中国科协 中国科学技术协会 全国工商联 中华全国工商业联合会
    经济部 经济部工业局 经济部中小企业处 经济部中小及新创企业署 经济部产业发展署 国家发展委员会 国发会
    国家科学及技术委员会 国科会 劳动部 农业部 卫生福利部 数位发展部 金融监督管理委员会 金管会
    """.split()
)

# The national bodies of NATIONAL_BODIES that are not government bodies (all others are).
NATIONAL_TYPES: dict[str, str] = {
    "中国科协": "Association", "中国科学技术协会": "Association",
    "全国工商联": "ChamberOfCommerce", "中华全国工商业联合会": "ChamberOfCommerce",
}

# Places jieba's dictionary does not tag as places (大连/d, 前海/f, 烟台/n, 包头/v …) or does not
# know (雄安, 张江): provinces, cities and the districts and new areas parks sit in. Segmentation
# tags them ``ns``, so a name is not cut at them and a short form does not start with them.
PLACE_NAMES: frozenset[str] = frozenset(
    """
    北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 海南
    四川 贵州 云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门
    石家庄 太原 呼和浩特 沈阳 长春 哈尔滨 南京 杭州 合肥 福州 南昌 济南 郑州 武汉 长沙 广州 海口 成都 贵阳
    昆明 西安 兰州 西宁 拉萨 南宁 银川 乌鲁木齐 大连 青岛 宁波 厦门 深圳 苏州 无锡 常州 南通 徐州 扬州
    镇江 泰州 盐城 淮安 连云港 宿迁 温州 嘉兴 湖州 绍兴 金华 台州 丽水 衢州 舟山 芜湖 蚌埠 马鞍山 安庆
    滁州 阜阳 泉州 漳州 莆田 三明 龙岩 宁德 赣州 九江 景德镇 上饶 宜春 吉安 烟台 潍坊 淄博 济宁 临沂
    威海 日照 德州 聊城 滨州 菏泽 东营 泰安 枣庄 洛阳 开封 新乡 许昌 南阳 商丘 信阳 周口 驻马店 安阳
    焦作 平顶山 宜昌 襄阳 荆州 黄石 十堰 孝感 荆门 黄冈 咸宁 株洲 湘潭 衡阳 岳阳 常德 益阳 郴州 邵阳
    怀化 娄底 佛山 东莞 珠海 中山 江门 惠州 汕头 湛江 茂名 肇庆 清远 韶关 揭阳 三亚 绵阳 德阳 宜宾 泸州
    南充 乐山 遵义 六盘水 安顺 曲靖 玉溪 大理 宝鸡 咸阳 渭南 榆林 延安 汉中 天水 酒泉 嘉峪关 金昌 格尔木
    海东 包头 鄂尔多斯 赤峰 通辽 呼伦贝尔 鞍山 抚顺 本溪 丹东 锦州 营口 盘锦 铁岭 葫芦岛 四平 通化 延边
    齐齐哈尔 大庆 牡丹江 佳木斯 柳州 桂林 北海 钦州 防城港 玉林 石嘴山 吴忠 克拉玛依 喀什 伊犁 霍尔果斯
    昌吉 吐鲁番 哈密 库尔勒 阿克苏 唐山 保定 廊坊 秦皇岛 邯郸 邢台 沧州 张家口 承德 衡水 大同 长治 晋中
    运城 临汾 浦东 滨海 两江 南沙 前海 横琴 雄安 临港 天府 江北 西咸 贵安 金普 长兴岛 旅顺 中关村 张江
    未来科技城 光谷 东湖 松山湖 亦庄 漕河泾 紫竹 海淀 余杭 萧山 滨江 鄞州 江宁 浦口 昆山 江阴 张家港 常熟 太仓 义乌
    慈溪 余姚 晋江 石狮 顺德 南山 福田 宝安 龙岗 黄埔 番禺 花都 增城 新竹 台中 台南 高雄 桃园 基隆 嘉义
    """.split()
)

# Classes that count as organizations (all ⊑ org:Organization in ontology/park.ttl).
ORG_TYPES = frozenset(
    "Organization IndustrialPark Company University GovernmentBody ChamberOfCommerce Association "
    "PartyOrganization PartyBuildingCommunity Alliance IncubationCarrier Incubator Accelerator "
    "MakerSpace SciencePark ResearchInstitute Fund FinancialInstitution".split()
)

# The <kind> part of an entity id for each class (docs/model.md).
KIND_OF_TYPE: dict[str, str] = {
    "Organization": "org",
    "IndustrialPark": "park",
    "Company": "company",
    "University": "university",
    "GovernmentBody": "gov",
    "ChamberOfCommerce": "chamber",
    "Association": "association",
    "PartyOrganization": "party-org",
    "PartyBuildingCommunity": "community",
    "Alliance": "alliance",
    "IncubationCarrier": "incubator",
    "Incubator": "incubator",
    "Accelerator": "accelerator",
    "MakerSpace": "maker-space",
    "SciencePark": "science-park",
    "ResearchInstitute": "institute",
    "Fund": "fund",
    "FinancialInstitution": "org",
    "Qualification": "qualification",
    "Event": "event",
    "PolicyDocument": "policy",
    "Project": "project",
    "Program": "program",
    "Mechanism": "mechanism",
    "FinancialProduct": "product",
    "IncubationChain": "chain",
}

# Legal-form endings dropped to find a company's short form (金诃藏药集团有限公司 → 金诃藏药).
LEGAL_FORMS = ("集团股份有限公司", "集团有限公司", "股份有限公司", "有限责任公司", "有限公司", "集团公司", "集团",
               "公司")

# Words that end a name on its left: verbs, prepositions and adverbs that introduce organizations.
BOUNDARY_WORDS = frozenset(
    """
    吸纳 引进 引入 招引 吸引 签约 签署 签订 联合 携手 依托 对接 联系 推荐 组织 指导 支持 培育 扶持
    认定 成立 组建 设立 落户 入驻 入选 入围 打造 建设 共建 协同 牵头 加入 成为 包括 如 其中 走访
    调研 考察 邀请 会同 委托 帮助 推动 开展 举办 召开 承办 主办 参加 参与 获得 获评 授予
    命名 新增 聚集 集聚 带动 发挥 积极 持续 全力 主动 已 已经 正 正在 共 同 与 和 及 以及 或 向 由
    经 被 将 拟 计划 准备 通过 是 为 有 在 至 对 把 让 使 给 从 据 自 随着 作为 届时 目前 当前 还 也
    都 又 并 并且 而 但 其 该 此 这 那 本 各 每 首个 首家 首支 首批 一批 多家 全省 全市 全国 省内
    市内 区内 辖区 辖区内 域内 国内 其他 等 家 个 名 位 所 吸收 联手 协助 配合 围绕 针对 面向 带领
    发起 倡议 倡导 授牌 揭牌 挂牌 启动 正式 积极参与 深化 强化 加强 优化 完善 构建 形成 实现 服务于
    搭建 推进 引领 擦亮 旗下 下属 所属 慰问 看望 参观 走进 来到 前往 赴 会见 接待 陪同 助力 赋能
    简称 下称 以下简称 以下称 列为 列入 评为 命名为 评定为 认定为 获批 荣获 位于 坐落于 地处
    纳入 迁入 迁至 进驻 入园 进园 获选 当选 申请 申报 递交 提交 已有 现有 拥有 具有 共有 另有 尚有
    还有 均有 担任 出任 开通 提升 招募 招收 聘请 任命 约请 联络 收购 并购 兼并 入股 参股 注资 增资
    颁发 表彰 奖励 资助 补助 审批 批准 批复 设有 下设 建成 建立 投建 新建 扩建 承接 承担 承建 中标
    牵手 联袂 结对 结盟 加盟 入盟 入会 退出 隶属 属于 来自 包含 涵盖 汇聚 集结 云集 汇集 新引进
    推出 争取 投向 构成 组成 身上 搬进 搬到 迁到 打到 来到 找到 得到 收到 拿到 送到 转入 融入 进到 轮流到 负责 叫
    名为 称为 举行 昨 当选 单位 设在 设于 隶属 隶属于 送往 运往 发往 销往 进入 落地 签下 拿下 赢得 取得 斩获 摘得
    位列 位居 跻身 领衔 率队 携 获 及其 以及 连同 协同
    希望 表示 指出 介绍 理事长 副理事长 董事长 总经理 秘书长 局长 书记 院长 校长 会长 主席 召集人
    日电 首任 首届 两大 三大 四大 五大 六大 十大 省市 第一批 第二批 第三批 新一批 这批 该批
    """.split()
)

# Kinds of body, not names, after a conjunction: 工信部门和|重点|产业园区 names no park.
KIND_WORDS = frozenset("重点 相关 有关 各类 主要 骨干 其他 周边 省级 市级 国家级 各级 全部".split())

# Words too common to make a name on their own (科技协会 is generic, 青海科技协会 is not).
GENERIC_WORDS = frozenset(
    """
    园区 科技 科学技术 信息技术 技术 生物 医药 生物医药 中药 食品 企业 中小企业 党建 创新 创业 产业 经济
    金融 投资 股权 成长 发展 服务 社会 区域 区域性 综合 专业 专业化 高新 高新技术 新型 现代 绿色 数字
    智能 智慧 信息 电子 能源 新能源 材料 新材料 装备 制造 机械 化工 文化 旅游 康养 健康 医疗 农业
    商贸 物流 电商 互联网 大数据 算力 人工智能 孵化 众创 空间 青年 大学生 科创 双创 基层 各类 相关
    重点 龙头 骨干 优质 知名 领军 行业 工业 商务 国家 省级 市级 区级 地方 公共 平台 成果 转化 转移
    研发 研究 管理 运营 建设 开发 工作 机构 单位 组织 机关 部门 政府 行政 人才 就业 教育 职业 培训
    初创 新创 规上 规模以上 入驻 在孵 头部 本土 本地 外资 民营 国有 示范 共用 共享 开放 联合 周边 天使 种子 引导 创投
    孵 上市 上柜 上市柜 试点 港资 台资 外企 民企 国企 中资 信创
    ai 5g iot aiot ic ict it vr ar xr gpu cpu cae cad eda saas paas iaas erp mes bim gis
    """.split()
)

# A person's titles: a name never holds one (…商会常务副会长X作商会, …党委书记X代表镇党委 are a clause).
TITLE_WORDS = frozenset(
    """
    书记 副书记 主任 副主任 常务副主任 会长 副会长 常务副会长 执行会长 名誉会长 局长 副局长 部长 副部长 董事长 副董事长
    总经理 副总经理 主席 副主席 秘书长 副秘书长 院长 副院长 处长 副处长 理事长 副理事长 常务副理事长 校长 副校长
    厅长 副厅长 市长 副市长 区长 副区长 县长 副县长 镇长 副镇长 组长 副组长 社长 行长 副行长 所长 副所长 站长
    总裁 副总裁 监事长 召集人
    """.split()
)

# What follows a body in an official's title beside TITLE_WORDS (省工信厅|原巡视员, 中国工程院|院士, 国务院|总理), and
# what may stand between the body and the title: 原 (former), the body's party group (市工信局|党组书记), a post
# (上海市人民政府|驻西藏办事处主任), a rank (专职副主任).
OFFICIAL_TITLES = TITLE_WORDS | frozenset(
    "常委 委员 专委 巡视员 调研员 负责人 负责同志 总理 省长 副省长 院士 关长 副关长 司长 副司长 署长 副署长 "
    "科长 副科长 专员".split())
TITLE_PREFIX = r"(?:原|前|时任)?(?:党组|党委|党工委|驻[^,，。、；;：:\s]{1,8}?)?(?:专职|执行|常务|分管)?"

# Nouns for a kind of body (or its people) that no organization's name ends in: 建材企业, 市属单位, 高等院校, 券商.
KIND_NOUNS = frozenset("企业 单位 机构 部门 高校 院校 院所 国企 民企 央企 外企 厂家 厂商 券商 行业 领导 负责人".split())

# Words that make a name a set of bodies: 各支部, 众多孵化器 (not 各界: 各界联合会 is one body); COUNTED, a number of
# them — 五家协会, 八大产业联盟, 十所高校 — when only kind words follow it (五大连池市, 五家渠市 are places; 中电科38所
# an institute; 一家 is no set: 两岸一家亲大联盟).
QUANTIFIER = "各(?!界)|众多|诸多|多家|若干|一批"
_NUMERAL = "二三四五六七八九十两几数百千\\d"
COUNTED = rf"[一{_NUMERAL}]+[大所批类]|[{_NUMERAL}]+[家个]"
# what follows a founding verb that founds several bodies, none of them one the article names (组建10家…, 成立五个…)
COUNT_FOUNDED = rf"了?(?:{COUNTED})"

# Rooms and halls an event is held in, never a body (国际宴会厅, 多功能演播厅, 青年创意体验馆, 国际博览中心); not 酒店
# (a hotel is a company the annotation may list) nor 展厅 (旅游发展|厅).
VENUES = frozenset("宴会厅 演播厅 报告厅 会议厅 多功能厅 大厅 体验馆".split())

# Hotels and halls that are a body of their own but are listed only where they act: named only as where an event
# is held (在南岭大酒店举行) they are a place (GUIDE.md, session 13).
HALLS = ("酒店", "宾馆", "饭店", "会议中心", "会展中心", "礼堂")

# The groups of people a body sends or sets up for a while (党政代表团, 招商团, 三人招商小队, 筹备工作小组): people, not
# a body (an 指挥部 or a 专业委员会 is one).
GROUPS = frozenset("代表团 招商团 考察团 访问团 调研团 观摩团 小分队 小队 工作小组 筹备组 筹备小组".split())

# The provinces (not the four cities that are provinces: 天津开发区, 重庆高新区 are parks; 吉林 only as 吉林省, for
# 吉林市 is a city too: 吉林高新区 is a park) and the regions of several provinces or of the country: with only a
# kind of park after them (广西园区, 云南工业园区, 京津冀国家高新区, 中外园区) they name the parks of a region, a set
# of bodies.
REGIONS = frozenset(
    """
    河北 山西 辽宁 吉林省 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 海南 四川 贵州 云南 陕西 甘肃
    青海 内蒙古 广西 西藏 宁夏 新疆 长三角 珠三角 京津冀 成渝 川渝 粤港澳大湾区 大湾区 长株潭 中部 西部 东部 东北
    中国 全国 国内 中外
    """.split()
)

# A count and its measure word (30家, 四十余个, 500强, 首批): never part of a name; what it counts is a kind of
# body, not one. MEASURE is what follows a count's digits.
MEASURE_WORD = "[强家个所名位项批届座]"
MEASURE = f"[余多]?{MEASURE_WORD}"
COUNT = rf"(?:\d+|[一二三四五六七八九十百千两几多数首第]+){MEASURE}"

# The administrative levels a party committee or a government is of (深圳市|委, 台中市|政府, 县|政府).
LEVEL = "[省市区县州旗盟镇乡]"

# Time expressions that are never part of a name.
TIME_WORDS = frozenset("以前 以后 之前 之后 此前 此后 现在 如今 过去 今年 去年 明年 上半年 下半年 近日 日前 目前 当前 "
                       "近年来 近年 今后 未来 年初 年底 年内 年末 届时 同时 此外 另外".split())


_LONGEST_SUFFIX = max(map(len, SUFFIXES))


def suffix_of(name: str) -> str | None:
    """The longest organization suffix ``name`` ends with (…产业联盟 → 联盟), or None.

    >>> suffix_of("长株潭园区发展联盟"), suffix_of("宁德时代")
    ('联盟', None)
    """
    for n in range(min(len(name), _LONGEST_SUFFIX), 0, -1):  # a look-up per length, not a scan of every suffix
        if name[-n:] in SUFFIXES:
            return name[-n:]
    return None
