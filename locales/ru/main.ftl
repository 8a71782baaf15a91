# vitrine default theme – Russian UI strings
lang-vi = вьетнамский
lang-en = английский
lang-fr = французский
lang-zh = китайский
lang-ar = арабский
lang-ru = русский

site-tagline = Официальный портал · Вьетнам
skip-to-content = Перейти к основному содержанию
main-navigation = Основная навигация
footer-navigation = Разделы
languages = Языки
home = Главная
breadcrumbs = Навигационная цепочка
explore = Разделы портала
subsections = Подразделы
topics = Темы
tags = Метки
regions = Регионы
audiences = Аудитории

latest = Последние статьи
read-more = Читать далее
feed = Лента Atom
published = Опубликовано
updated = Обновлено
author = Автор:
corrections = Исправления
toc = На этой странице
more-in-section = Ещё в этом разделе
prev = Назад
next = Далее
pagination = Страницы
page-of = Страница { $current } из { $total }
no-articles = Здесь пока нет статей.

articles-count = { $count ->
    [one] { $count } статья
    [few] { $count } статьи
    [many] { $count } статей
   *[other] { $count } статьи
}
terms-count = { $count ->
    [one] { $count } термин
    [few] { $count } термина
    [many] { $count } терминов
   *[other] { $count } термина
}
reading-time = { $minutes ->
    [one] { $minutes } минута чтения
    [few] { $minutes } минуты чтения
    [many] { $minutes } минут чтения
   *[other] { $minutes } минуты чтения
}
documents-count = { $count ->
    [one] { $count } документ
    [few] { $count } документа
    [many] { $count } документов
   *[other] { $count } документа
}

fallback-marker = ещё не переведено
fallback-notice = Эта страница ещё не переведена на русский язык; она показана на языке: { $language }.
machine-translation-badge = Машинный перевод
machine-translation-notice = Эта страница переведена автоматически и ещё не проверена. Приоритет имеет оригинальный текст.
machine-translation-by = Перевод: { $by }
draft-translation-notice = Это черновик перевода, он может измениться.

key-figures = Ключевые цифры
figure-area = Площадь
figure-population = Население ({ $year })
figure-provinces = Провинции и города
figure-provinces-note = с 1 июля 2025 года
figure-heritage = Объекты Всемирного наследия
figure-coastline = Береговая линия
figure-heritage-note = культурных: { $cultural }, природных: { $natural }, смешанных: { $mixed }
figure-population-note = оценка
available-in = Доступно на языках
share = Поделиться
share-on = Поделиться в { $network }
share-email = Отправить по электронной почте
related = Статьи по теме
doc-number = Номер
doc-kind = Вид документа
doc-issuer = Орган, издавший документ
doc-signer = Подписал
doc-issued = Дата издания
doc-effective = Вступает в силу
doc-status = Статус
doc-kind-constitution = Конституция
doc-kind-law = Закон
doc-kind-resolution = Постановление
doc-kind-decree = Декрет
doc-kind-decision = Решение
doc-status-in-force = Действует
doc-status-amended = С изменениями
doc-status-repealed = Утратил силу
doc-source = Официальный текст
filter-title = Фильтр документов
filter-kind = По виду
filter-year = По году издания
filter-all = Все
filter-help = Выберите вид и год; список обновится сразу.
figure-credit = Фото: { $credit }
video-play = Смотреть видео: { $title }
video-note = Видео откроется на { $host }. До вашего нажатия с { $host } ничего не загружается.
key-figure-source = Источник: { $source }

not-found-title = Страница не найдена
not-found-text = Страница, которую вы ищете, не существует или перемещена. Попробуйте разделы ниже или вернитесь на главную.
footer = © Портал национального имиджа Вьетнама. Перепечатка разрешена со ссылкой на источник.
featured = Главное

# Search page (search.html, search.js); $count is filled in by the script
search = Поиск
search-title = Поиск
search-label = Поиск по порталу
search-placeholder = Например: виза, Хюэ, Тет
search-button = Найти
search-section = Раздел
search-all-sections = Все разделы
search-results = Результаты: { $count }
search-no-results = Ничего не найдено.
search-error = Не удалось загрузить поисковый индекс.
search-offline = Для поиска сайт должен открываться через веб-сервер, а эта копия открыта из файлов. Просматривайте разделы или откройте портал в интернете.
search-loading = Поиск…
search-more = Ещё результаты
search-browse = Разделы портала
search-noscript = Для поиска нужен JavaScript. Вы можете просмотреть разделы:
search-fallback = Ещё не переведено: страницы на других языках

sections = Разделы

# An imported page credits where it came from (vitrine import).
source-credit = Источник: { $source }

# Urgent notices and change notes
notices = Объявления
notice-emergency = Срочно
notice-warning = Предупреждение
notice-info = Информация
change-history = История изменений
updated-on = Обновлено { $date }
changes-feed = Изменения
corrected-on = Исправлено { $date }
