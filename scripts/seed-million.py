"""Fills a portal's database with a million dossiers and a million ratings
(spread over 24 months and 20 agencies), with their tallies, so the benchmark
can measure the figures and new writes at a province's scale after years.
Usage: python3 scripts/seed-million.py <state-dir>/sqlite_db.db
The portal must have migrated the database first (any request to it does)."""
import random, sqlite3, sys

N = 1_000_000
db = sqlite3.connect(sys.argv[1], timeout=60)
db.execute("PRAGMA journal_mode=WAL")
rnd = random.Random(766)
agencies = [f"000.{i:02d}.06.H56" for i in range(20)]
months = [f"{2025 + (m // 12)}-{m % 12 + 1:02d}" for m in range(24)]
choices = ["very_satisfied", "satisfied", "not_satisfied"]

with db:
    rows = []
    for i in range(N):
        agency, month = rnd.choice(agencies), rnd.choice(months)
        day = f"{month}-{rnd.randint(1, 28):02d}"
        rows.append((f"{agency}-{day[2:4]}{day[5:7]}{day[8:10]}-S{i:07d}", "1.004194", agency, "0" * 64,
                     "result_returned", rnd.choice(["online", "desk"]), day, day, "{}", day, day))
        if len(rows) == 50_000:
            db.executemany("INSERT INTO dossiers VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
            rows.clear()
    db.executemany("INSERT INTO dossiers VALUES (?,?,?,?,?,?,?,?,?,?,?)", rows)
    db.execute("""INSERT INTO dossier_tallies (month, agency_id, received, online, returned, on_time)
                  SELECT substr(received_on, 1, 7), agency_id, count(*), sum(channel = 'online'), count(*), count(*)
                  FROM dossiers WHERE code LIKE '%-S%' GROUP BY 1, 2
                  ON CONFLICT (month, agency_id) DO UPDATE SET received = received + excluded.received,
                  online = online + excluded.online, returned = returned + excluded.returned, on_time = on_time + excluded.on_time""")
    rows, answers = [], []
    start = db.execute("SELECT coalesce(max(id), 0) FROM ratings").fetchone()[0]
    for i in range(N):
        agency, month = rnd.choice(agencies), rnd.choice(months)
        officer, counter = f"officer{rnd.randint(1, 5)}", f"Quầy {rnd.randint(1, 4)}"
        rid = start + i + 1
        rows.append((rid, 0, f"{month}-15T09:00:00+07:00", month, agency, officer, counter, "counter", None, None))
        answers.append((rid, "overall", rnd.choices(choices, weights=[5, 4, 1])[0]))
        if len(rows) == 50_000:
            db.executemany("INSERT INTO ratings VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
            db.executemany("INSERT INTO rating_answers VALUES (?,?,?)", answers)
            rows.clear(); answers.clear()
    db.executemany("INSERT INTO ratings VALUES (?,?,?,?,?,?,?,?,?,?)", rows)
    db.executemany("INSERT INTO rating_answers VALUES (?,?,?)", answers)
    for who in ["''", "'officer:' || r.officer", "'counter:' || r.counter"]:
        db.execute(f"""INSERT INTO rating_tallies (month, agency_id, who, very_satisfied, satisfied, not_satisfied)
                       SELECT r.month, r.agency_id, {who}, sum(a.choice = 'very_satisfied'), sum(a.choice = 'satisfied'),
                              sum(a.choice = 'not_satisfied')
                       FROM ratings r JOIN rating_answers a ON a.rating_id = r.id WHERE r.id > ? GROUP BY 1, 2, 3
                       ON CONFLICT (month, agency_id, who) DO UPDATE SET very_satisfied = very_satisfied + excluded.very_satisfied,
                       satisfied = satisfied + excluded.satisfied, not_satisfied = not_satisfied + excluded.not_satisfied""", (start,))
print(db.execute("SELECT count(*) FROM dossiers").fetchone()[0], "dossiers,",
      db.execute("SELECT count(*) FROM ratings").fetchone()[0], "ratings,",
      db.execute("SELECT count(*) FROM rating_tallies").fetchone()[0], "tally rows")
