# Giao diện mặc định vitrine – chuỗi tiếng Việt
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
subsections = Chuyên mục con
topics = Chủ đề
tags = Từ khóa
regions = Địa phương
audiences = Đối tượng

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

lang-ru = tiếng Nga
available-in = Có bằng các ngôn ngữ
share = Chia sẻ
share-on = Chia sẻ lên { $network }
share-email = Gửi qua thư điện tử
related = Bài liên quan
doc-number = Số hiệu
doc-kind = Loại văn bản
doc-issuer = Cơ quan ban hành
doc-signer = Người ký
doc-issued = Ngày ban hành
doc-effective = Ngày hiệu lực
doc-status = Tình trạng
doc-kind-constitution = Hiến pháp
doc-kind-law = Luật
doc-kind-resolution = Nghị quyết
doc-kind-decree = Nghị định
doc-kind-decision = Quyết định
doc-status-in-force = Còn hiệu lực
doc-status-amended = Đã được sửa đổi
doc-status-repealed = Hết hiệu lực
doc-source = Văn bản gốc
filter-title = Lọc văn bản
filter-kind = Theo loại
filter-year = Theo năm ban hành
filter-all = Tất cả
filter-help = Chọn loại và năm; danh sách thay đổi ngay.
documents-count = { $count } văn bản
figure-credit = Ảnh: { $credit }
video-play = Xem video: { $title }
video-note = Video mở trên { $host }. Trang này không tải gì từ { $host } trước khi bạn bấm.
key-figure-source = Nguồn: { $source }
figure-heritage-note = { $cultural } văn hóa, { $natural } thiên nhiên, { $mixed } hỗn hợp
figure-population-note = ước tính
featured = Tiêu điểm

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
search-offline = Tìm kiếm cần trang được phục vụ qua máy chủ web: bản này đang được mở từ tệp. Hãy duyệt theo chuyên mục, hoặc mở cổng thông tin trực tuyến.
search-loading = Đang tìm…
search-more = Xem thêm kết quả
search-browse = Xem theo chuyên mục
search-noscript = Tìm kiếm cần JavaScript. Bạn có thể xem theo chuyên mục:
search-fallback = Chưa được dịch: trang bằng ngôn ngữ khác

sections = Chuyên mục

# An imported page credits where it came from (vitrine import).
source-credit = Nguồn: { $source }

# Urgent notices and change notes
notices = Thông báo
notice-emergency = Khẩn cấp
notice-warning = Cảnh báo
notice-info = Thông tin
change-history = Lịch sử cập nhật
updated-on = Cập nhật ngày { $date }
changes-feed = Các thay đổi
corrected-on = Đính chính ngày { $date }
