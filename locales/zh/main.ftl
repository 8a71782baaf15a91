# vitrine 默认主题——中文界面文字
lang-vi = 越南语
lang-en = 英语
lang-fr = 法语
lang-zh = 中文
lang-ar = 阿拉伯语

site-tagline = 官方门户 · 越南
skip-to-content = 跳到主要内容
main-navigation = 主导航
footer-navigation = 栏目
languages = 语言
home = 首页
breadcrumbs = 当前位置
explore = 浏览
subsections = 子栏目
topics = 主题
tags = 标签
regions = 地区
audiences = 受众

latest = 最新文章
read-more = 阅读全文
feed = Atom 订阅
published = 发布于
updated = 更新于
author = 作者：
corrections = 更正
toc = 本页目录
more-in-section = 本栏目其他文章
prev = 上一篇
next = 下一篇
pagination = 分页
page-of = 第 { $current } 页，共 { $total } 页
no-articles = 暂无文章。

articles-count = { $count } 篇文章
terms-count = { $count } 个条目
reading-time = 阅读约需 { $minutes } 分钟

fallback-marker = 尚未翻译
fallback-notice = 本页尚无中文版本，现以{ $language }显示。
machine-translation-badge = 机器翻译
machine-translation-notice = 本页为机器翻译，尚未经过审校。以原文为准。
machine-translation-by = 译者：{ $by }
draft-translation-notice = 本译文为草稿，内容可能仍会修改。

key-figures = 主要数据
figure-area = 面积
figure-population = 人口（{ $year }年）
figure-provinces = 省和直辖市
figure-provinces-note = 自2025年7月1日起
figure-heritage = 世界遗产
figure-coastline = 海岸线

not-found-title = 页面未找到
not-found-text = 您要访问的页面不存在或已被移动。请浏览以下栏目或返回首页。
footer = © 越南国家形象门户网站。转载请注明出处。

lang-ru = 俄语
available-in = 其他语言版本
share = 分享
share-on = 分享到 { $network }
share-email = 通过电子邮件发送
related = 相关文章
doc-number = 文号
doc-kind = 类型
doc-issuer = 发布机关
doc-signer = 签署人
doc-issued = 发布日期
doc-effective = 生效日期
doc-status = 状态
doc-kind-constitution = 宪法
doc-kind-law = 法律
doc-kind-resolution = 决议
doc-kind-decree = 法令
doc-kind-decision = 决定
doc-status-in-force = 现行有效
doc-status-amended = 已修订
doc-status-repealed = 已废止
doc-source = 官方文本
filter-title = 筛选文件
filter-kind = 按类型
filter-year = 按发布年份
filter-all = 全部
filter-help = 选择类型和年份，列表即时更新。
documents-count = { $count } 份文件
figure-credit = 图片：{ $credit }
video-play = 观看视频：{ $title }
video-note = 视频在 { $host } 上打开。点击之前本页不会从 { $host } 加载任何内容。
key-figure-source = 来源：{ $source }
figure-heritage-note = 文化遗产 { $cultural } 处，自然遗产 { $natural } 处，混合遗产 { $mixed } 处
figure-population-note = 估计
featured = 焦点

# Search page (search.html, search.js); $count is filled in by the script
search = 搜索
search-title = 搜索
search-label = 搜索门户网站
search-placeholder = 例如：签证、顺化、春节
search-button = 搜索
search-section = 栏目
search-all-sections = 全部栏目
search-results = 结果：{ $count }
search-no-results = 没有符合搜索条件的页面。
search-error = 无法加载搜索索引。
search-offline = 搜索需要通过网络服务器访问本站：此副本是从文件打开的。请浏览各栏目，或打开在线门户。
search-loading = 正在搜索…
search-more = 更多结果
search-browse = 按栏目浏览
search-noscript = 搜索需要 JavaScript。您可以按栏目浏览：
search-fallback = 尚未翻译：其他语言的页面

sections = 栏目

# An imported page credits where it came from (vitrine import).
source-credit = 来源：{ $source }

# Urgent notices and change notes
notices = 通知
notice-emergency = 紧急
notice-warning = 警告
notice-info = 信息
change-history = 更新记录
updated-on = 更新于 { $date }
changes-feed = 变更
corrected-on = 更正于 { $date }
