# سمة vitrine الافتراضية – نصوص الواجهة بالعربية
lang-vi = الفيتنامية
lang-en = الإنجليزية
lang-fr = الفرنسية
lang-zh = الصينية
lang-ar = العربية

site-tagline = البوابة الرسمية · فيتنام
skip-to-content = انتقل إلى المحتوى الرئيسي
main-navigation = التنقل الرئيسي
footer-navigation = الأقسام
languages = اللغات
home = الرئيسية
breadcrumbs = مسار التنقل
explore = استكشف
subsections = الأقسام الفرعية
topics = المواضيع
tags = الوسوم
regions = المناطق
audiences = الجمهور

latest = أحدث المقالات
read-more = اقرأ المزيد
feed = موجز Atom
published = نُشر في
updated = حُدّث في
author = بقلم
corrections = تصويبات
toc = في هذه الصفحة
more-in-section = المزيد في هذا القسم
prev = السابق
next = التالي
pagination = ترقيم الصفحات
page-of = الصفحة { $current } من { $total }
no-articles = لا توجد مقالات بعد.

articles-count = { $count ->
    [zero] لا توجد مقالات
    [one] مقال واحد
    [two] مقالان
    [few] { $count } مقالات
    [many] { $count } مقالًا
   *[other] { $count } مقال
}
terms-count = { $count ->
    [zero] لا توجد عناصر
    [one] عنصر واحد
    [two] عنصران
    [few] { $count } عناصر
    [many] { $count } عنصرًا
   *[other] { $count } عنصر
}
reading-time = { $minutes ->
    [zero] أقل من دقيقة للقراءة
    [one] دقيقة واحدة للقراءة
    [two] دقيقتان للقراءة
    [few] { $minutes } دقائق للقراءة
    [many] { $minutes } دقيقة للقراءة
   *[other] { $minutes } دقيقة للقراءة
}

fallback-marker = لم تُترجم بعد
fallback-notice = هذه الصفحة غير متوفرة بالعربية بعد؛ وهي معروضة باللغة { $language }.
machine-translation-badge = ترجمة آلية
machine-translation-notice = تُرجمت هذه الصفحة آليًا ولم تُراجَع بعد. النص الأصلي هو المرجع.
machine-translation-by = الترجمة: { $by }
draft-translation-notice = هذه الترجمة مسودة وقد تتغير.

key-figures = أرقام رئيسية
figure-area = المساحة
figure-population = عدد السكان ({ $year })
figure-provinces = المقاطعات والمدن
figure-provinces-note = منذ 1 يوليو 2025
figure-heritage = مواقع التراث العالمي
figure-coastline = طول الساحل

not-found-title = الصفحة غير موجودة
not-found-text = الصفحة التي تبحث عنها غير موجودة أو نُقلت. جرّب الأقسام أدناه أو عُد إلى الصفحة الرئيسية.
footer = © بوابة الصورة الوطنية لفيتنام. يُسمح بإعادة النشر مع ذكر المصدر.

lang-ru = الروسية
available-in = متوفر باللغات
share = مشاركة
share-on = شارك على { $network }
share-email = أرسل بالبريد الإلكتروني
related = مقالات ذات صلة
doc-number = الرقم
doc-kind = النوع
doc-issuer = الجهة المُصدِرة
doc-signer = الموقِّع
doc-issued = تاريخ الإصدار
doc-effective = تاريخ النفاذ
doc-status = الحالة
doc-kind-constitution = دستور
doc-kind-law = قانون
doc-kind-resolution = قرار
doc-kind-decree = مرسوم
doc-kind-decision = مقرر
doc-status-in-force = نافذ
doc-status-amended = معدَّل
doc-status-repealed = ملغى
doc-source = النص الرسمي
filter-title = تصفية الوثائق
filter-kind = حسب النوع
filter-year = حسب سنة الإصدار
filter-all = الكل
filter-help = اختر النوع والسنة؛ تتحدث القائمة فورًا.
documents-count = { $count ->
    [zero] لا توجد وثائق
    [one] وثيقة واحدة
    [two] وثيقتان
    [few] { $count } وثائق
    [many] { $count } وثيقة
   *[other] { $count } وثيقة
}
figure-credit = الصورة: { $credit }
video-play = شاهد الفيديو: { $title }
video-note = يُفتح الفيديو على { $host }. لا يُحمَّل أي شيء من { $host } قبل أن تنقر.
key-figure-source = المصدر: { $source }
figure-heritage-note = { $cultural } ثقافية، { $natural } طبيعية، { $mixed } مختلط
figure-population-note = تقدير
featured = موضوع مميز

# Search page (search.html, search.js); $count is filled in by the script
search = بحث
search-title = بحث
search-label = ابحث في البوابة
search-placeholder = مثال: تأشيرة، هوي، تيت
search-button = بحث
search-section = القسم
search-all-sections = كل الأقسام
search-results = النتائج: { $count }
search-no-results = لا توجد صفحة تطابق بحثك.
search-error = تعذّر تحميل فهرس البحث.
search-offline = يتطلب البحث تقديم الموقع عبر خادم ويب: هذه النسخة مفتوحة من ملفات. تصفّح الأقسام، أو افتح البوابة على الإنترنت.
search-loading = جارٍ البحث…
search-more = مزيد من النتائج
search-browse = تصفّح حسب القسم
search-noscript = يتطلب البحث JavaScript. يمكنك تصفّح الأقسام:
search-fallback = لم تُترجم بعد: صفحات بلغات أخرى

sections = الأقسام

# An imported page credits where it came from (vitrine import).
source-credit = المصدر: { $source }

# Urgent notices and change notes
notices = تنبيهات
notice-emergency = طوارئ
notice-warning = تحذير
notice-info = معلومات
change-history = سجل التحديثات
updated-on = حُدِّث في { $date }
changes-feed = التغييرات
corrected-on = صُحِّح في { $date }
