"""Fills a portal's database with a province's citizens' reports after years
(a million, over 24 months and the province's agencies; 60% answered and
published with their word index, the rest open, private or waiting for a
moderator), so scripts/bench-reports measures the public list, its search
and the desk's queue at that size.
Usage: python3 scripts/seed-reports.py <state-dir>/sqlite_db.db [N]
The portal must have migrated the database first (any request to it does)."""
import random, sqlite3, sys, unicodedata

N = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
db = sqlite3.connect(sys.argv[1], timeout=60)
db.execute("PRAGMA journal_mode=WAL")
rnd = random.Random(17)
agencies = [r[0] for r in db.execute("SELECT id FROM agencies")] or ["000.21.06.H56"]
months = [f"{2025 + (m // 12)}-{m % 12 + 1:02d}" for m in range(24)]
phrases = [
    "Xếp hàng quá lâu ở quầy căn cước", "Cán bộ hẹn nhiều lần chưa trả kết quả", "Không biết nộp lệ phí ở đâu",
    "Trang dịch vụ công báo lỗi khi gửi ảnh", "Nhà vệ sinh ở trung tâm bị khoá", "Hướng dẫn giấy tờ khai sinh chưa rõ",
    "Cán bộ tiếp dân nói năng thiếu tôn trọng", "Giờ làm việc buổi chiều đóng cửa sớm", "Đề nghị mở thêm quầy sáng thứ Bảy",
    "Thủ tục đăng ký kết hôn đòi thêm giấy không có trong quy định",
]
answer = "Cơ quan đã kiểm tra và khắc phục; cảm ơn ông bà đã phản ánh."


def fold(text):
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c)).lower()


def words(text):
    return " ".join(w for w in "".join(c if c.isalnum() else " " for c in fold(text)).split())


with db:
    start = db.execute("SELECT coalesce(max(rowid), 0) FROM reports").fetchone()[0]
    rows, index, tallies = [], [], {}
    for i in range(N):
        agency, month = rnd.choice(agencies), rnd.choice(months)
        day = f"{month}-{rnd.randint(1, 25):02d}"
        due = f"{month}-{int(day[8:]) + 3:02d}"
        text = f"{rnd.choice(phrases)} (lần {i % 97})."
        roll = rnd.random()
        answered = roll < 0.8
        publication = "published" if roll < 0.6 else ("private" if roll < 0.7 else "pending")
        on_time = rnd.random() < 0.9
        answered_on = (due if on_time else f"{month}-{int(day[8:]) + 5:02d}") if answered else None
        code = f"PA-{day[2:4]}{day[5:7]}{day[8:10]}-S{i:07d}"
        rows.append((code, f"seed-report-{i:010d}", "0" * 64, "0" * 64, rnd.choice(["service", "procedure", "conduct"]), agency, None,
                     text, None, None, None, "vi", "answered" if answered else "received", publication, day, due,
                     answer if answered else None, answered_on, "officer:seed" if answered else None,
                     text if publication == "published" else None, None, day))
        if publication == "published":
            index.append((start + i + 1, words(text + " " + (answer if answered else ""))))
        t = tallies.setdefault((month, agency), [0, 0, 0])
        t[0] += 1
        if answered:
            t[1] += 1
            t[2] += on_time
        if len(rows) == 50_000:
            db.executemany("INSERT INTO reports (code, idempotency_key, request_hash, secret_hash, subject, agency_id, dossier_code, "
                           "text, name, notify_channel, notify_to, language, status, publication, received_on, due_on, answer, "
                           "answered_on, answered_by, public_text, rating, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
            db.executemany("INSERT INTO report_words (rowid, words) VALUES (?, ?)", index)
            rows.clear(); index.clear()
    db.executemany("INSERT INTO reports (code, idempotency_key, request_hash, secret_hash, subject, agency_id, dossier_code, "
                   "text, name, notify_channel, notify_to, language, status, publication, received_on, due_on, answer, "
                   "answered_on, answered_by, public_text, rating, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    db.executemany("INSERT INTO report_words (rowid, words) VALUES (?, ?)", index)
    db.executemany("""INSERT INTO report_tallies (month, agency_id, received, answered, answered_on_time) VALUES (?, ?, ?, ?, ?)
                      ON CONFLICT (month, agency_id) DO UPDATE SET received = received + excluded.received,
                      answered = answered + excluded.answered, answered_on_time = answered_on_time + excluded.answered_on_time""",
                   [(m, a, *t) for (m, a), t in tallies.items()])
print(db.execute("SELECT count(*) FROM reports").fetchone()[0], "reports,",
      db.execute("SELECT count(*) FROM reports WHERE publication = 'published'").fetchone()[0], "published")
