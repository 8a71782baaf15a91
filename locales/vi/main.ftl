# Giao diện mặc định vitrine – chuỗi tiếng Việt
language-name = Tiếng Việt
lang-vi = tiếng Việt
lang-en = tiếng Anh
lang-fr = tiếng Pháp
lang-zh = tiếng Trung
lang-ar = tiếng Ả Rập

site-tagline = Cổng thông tin chính thức · Việt Nam
skip-to-content = Chuyển đến nội dung chính
main-navigation = Điều hướng chính
footer-navigation = Chuyên mục
languages = Ngôn ngữ
home = Trang chủ
breadcrumbs = Đường dẫn
explore = Khám phá
sections = Chuyên mục
subsections = Chuyên mục con
section-country = Đất nước
section-culture = Văn hóa
section-history = Lịch sử
section-policy = Chính sách
section-news = Tin tức
tags = Chủ đề
regions = Địa phương

latest = Bài viết mới nhất
read-more = Đọc tiếp
feed = Nguồn tin Atom
published = Đăng ngày
updated = Cập nhật
author = Tác giả:
corrections = Đính chính
toc = Nội dung bài viết
more-in-section = Bài khác trong chuyên mục
prev = Trước
next = Tiếp
pagination = Phân trang
page-of = Trang { $current }/{ $total }
no-articles = Chưa có bài viết nào.

articles-count = { $count } bài viết
terms-count = { $count } mục
reading-time = { $minutes } phút đọc

fallback-marker = chưa được dịch
fallback-notice = Trang này chưa có bản tiếng Việt; nội dung được hiển thị bằng { $language }.
machine-translation-badge = Dịch máy
machine-translation-notice = Trang này được dịch tự động và chưa được hiệu đính. Văn bản gốc có giá trị ưu tiên.
machine-translation-by = Bản dịch: { $by }
draft-translation-notice = Bản dịch này là bản nháp và có thể còn thay đổi.

key-figures = Số liệu cơ bản
figure-area = Diện tích
figure-population = Dân số ({ $year })
figure-provinces = Tỉnh, thành phố
figure-provinces-note = từ ngày 1/7/2025
figure-heritage = Di sản thế giới
figure-coastline = Đường bờ biển

not-found-title = Không tìm thấy trang
not-found-text = Trang bạn tìm không tồn tại hoặc đã được chuyển đi. Hãy thử các chuyên mục dưới đây hoặc quay về trang chủ.
footer = © Cổng thông tin hình ảnh quốc gia Việt Nam. Được phép trích dẫn, sử dụng lại nội dung khi ghi rõ nguồn.

# Search page (search.html, search.js); $count is filled in by the script
search = Tìm kiếm
search-title = Tìm kiếm
search-label = Tìm trong cổng thông tin
search-placeholder = Ví dụ: thị thực, Huế, Tết
search-button = Tìm
search-section = Chuyên mục
search-all-sections = Mọi chuyên mục
search-results = Kết quả: { $count }
search-no-results = Không có trang nào phù hợp.
search-error = Không tải được chỉ mục tìm kiếm.
search-loading = Đang tìm…
search-more = Xem thêm kết quả
search-browse = Xem theo chuyên mục
search-noscript = Tìm kiếm cần JavaScript. Bạn có thể xem theo chuyên mục:
