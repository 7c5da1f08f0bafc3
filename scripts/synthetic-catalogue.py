#!/usr/bin/env python3
"""Writes a synthetic procedure catalogue of N records, in the shape of the
seed file data/procedures.json (the import file, api/procedure-records.schema.json),
to measure an import at a province's scale (the national catalogue has thousands).
Usage: python3 scripts/synthetic-catalogue.py N [--seed S] [--real PATH] > out.json

The first 53 records are the real ones, unchanged (all of them once N >= 53).
The rest are variations of a real record, so their texts and sizes are real:
a new code in the national style (1.0xxxxx, 2.00xxxx, 3.000xxx; never a real
one), the real name with a qualifier, a real or a made-up field (about 150
fields by 10,000 records), the level and online level varied, the real record's
documents, fee, agency, result and legal basis (a few items dropped or borrowed
from another record), and a dichvucong.gov.vn address as the source.
The same N and seed give the same file. Standard library only; 10,000 records
take a few seconds. Writes only the JSON to stdout, formatted like the seed file."""
import argparse, json, pathlib, random, sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
REAL = [ROOT / "data" / "procedures.json", ROOT / "functions" / "catalogue-data" / "seed" / "procedures.json"]

# Fields of the national catalogue that the 53 real records do not cover.
SYNTHETIC_FIELDS = [
    "Công chứng", "Nuôi con nuôi", "Quốc tịch", "Trợ giúp pháp lý", "Luật sư", "Giám định tư pháp",
    "Thừa phát lại", "Bồi thường nhà nước", "Hòa giải ở cơ sở", "Phổ biến, giáo dục pháp luật",
    "Đấu giá tài sản", "Quản tài viên", "Trọng tài thương mại", "Hòa giải thương mại",
    "Đăng ký biện pháp bảo đảm", "Thi hành án dân sự", "Lao động", "Việc làm", "Tiền lương",
    "An toàn, vệ sinh lao động", "Giáo dục nghề nghiệp", "Quản lý lao động ngoài nước", "Trẻ em",
    "Bình đẳng giới", "Phòng, chống tệ nạn xã hội", "Bảo hiểm thất nghiệp", "Tôn giáo",
    "Tín ngưỡng", "Thi đua, khen thưởng", "Văn thư và lưu trữ nhà nước", "Tổ chức phi chính phủ",
    "Công chức, viên chức", "Chính quyền địa phương", "Tổ chức, biên chế", "Hội, quỹ", "Thanh niên",
    "Di sản văn hóa", "Điện ảnh", "Mỹ thuật, nhiếp ảnh và triển lãm", "Nghệ thuật biểu diễn",
    "Thư viện", "Văn hóa cơ sở", "Gia đình", "Thể dục thể thao", "Du lịch", "Quảng cáo", "Báo chí",
    "Xuất bản, in và phát hành", "Phát thanh, truyền hình và thông tin điện tử", "Bưu chính",
    "Viễn thông và Internet", "Tần số vô tuyến điện", "Công nghiệp công nghệ thông tin, điện tử",
    "Khám bệnh, chữa bệnh", "Dược phẩm", "Mỹ phẩm", "Y tế dự phòng", "An toàn thực phẩm và dinh dưỡng",
    "Trang thiết bị y tế", "Dân số, sức khỏe sinh sản", "Giám định y khoa", "Y, dược cổ truyền",
    "Bảo hiểm y tế", "Giáo dục mầm non", "Giáo dục tiểu học", "Giáo dục thường xuyên",
    "Giáo dục đại học", "Thi, tuyển sinh", "Văn bằng, chứng chỉ", "Giáo dục dân tộc", "Đường bộ",
    "Đường thủy nội địa", "Hàng hải", "Hàng không dân dụng", "Đường sắt", "Đăng kiểm",
    "Quy hoạch xây dựng, kiến trúc", "Kinh doanh bất động sản", "Vật liệu xây dựng",
    "Hạ tầng kỹ thuật", "Quản lý chất lượng công trình xây dựng", "Môi trường", "Tài nguyên nước",
    "Địa chất và khoáng sản", "Khí tượng, thủy văn", "Đo đạc, bản đồ và thông tin địa lý",
    "Biển và hải đảo", "Biến đổi khí hậu", "Lâm nghiệp", "Thủy sản", "Thú y", "Bảo vệ thực vật",
    "Thủy lợi", "Phòng, chống thiên tai", "Kinh tế hợp tác và phát triển nông thôn",
    "Quản lý chất lượng nông lâm sản và thủy sản", "Thương mại quốc tế",
    "Lưu thông hàng hóa trong nước", "Xúc tiến thương mại", "Quản lý cạnh tranh", "Hóa chất",
    "Vật liệu nổ công nghiệp", "Điện", "Kinh doanh khí", "Thương mại điện tử", "An toàn đập, hồ chứa",
    "Thuế", "Hải quan", "Kho bạc nhà nước", "Quản lý công sản", "Tài chính doanh nghiệp", "Quản lý giá",
    "Kế toán, kiểm toán", "Đầu tư tại Việt Nam", "Đấu thầu", "Thành lập và hoạt động của hợp tác xã",
    "Hỗ trợ doanh nghiệp nhỏ và vừa", "Hoạt động khoa học và công nghệ", "Sở hữu trí tuệ",
    "Tiêu chuẩn, đo lường, chất lượng", "An toàn bức xạ và hạt nhân", "Tiếp công dân",
    "Giải quyết khiếu nại", "Giải quyết tố cáo", "Phòng, chống tham nhũng", "Lãnh sự",
    "Công tác dân tộc", "Hoạt động ngân hàng", "Quản lý ngoại hối", "Nghĩa vụ quân sự",
    "Dân quân tự vệ", "Ngành, nghề kinh doanh có điều kiện về an ninh, trật tự",
    "Quản lý vũ khí, vật liệu nổ và công cụ hỗ trợ", "Phòng cháy, chữa cháy và cứu nạn, cứu hộ",
    "Xuất nhập cảnh", "Đặc xá", "Phòng, chống bạo lực gia đình",
]

# (qualifier, level it implies or None). Appended to a real name.
QUALIFIERS = [
    (" (cấp tỉnh)", "province"), (" (cấp xã)", "commune"), (" (cấp trung ương)", "central"),
    (" có yếu tố nước ngoài", None), (" lưu động", "commune"), (" cho người nước ngoài", None),
    (" cho người Việt Nam định cư ở nước ngoài", None), (" tại Cơ quan đại diện Việt Nam ở nước ngoài", "central"),
    (" thực hiện tại cấp tỉnh", "province"), (" thực hiện tại cấp xã", "commune"),
    (" trực tuyến toàn trình", None), (" theo hình thức liên thông", None),
    (" đối với hộ gia đình, cá nhân", None), (" đối với tổ chức", None),
    (" tại Trung tâm Phục vụ hành chính công tỉnh", "province"), (" tại Ủy ban nhân dân phường", "commune"),
    (" ở khu vực biên giới", "commune"), (" tại đặc khu", "commune"),
]
CASES = [
    "trường hợp hồ sơ bị mất, hư hỏng", "trường hợp người yêu cầu là người khuyết tật",
    "trường hợp ủy quyền cho người khác thực hiện", "trường hợp đã đăng ký nhưng không còn lưu giữ được sổ",
    "trường hợp thay đổi nơi cư trú", "trường hợp có thay đổi thông tin cá nhân",
    "trường hợp giấy tờ do cơ quan nước ngoài cấp", "trường hợp thực hiện qua dịch vụ bưu chính công ích",
    "trường hợp người yêu cầu dưới 14 tuổi", "trường hợp đặc biệt do Chủ tịch Ủy ban nhân dân tỉnh quyết định",
]
PROCESSING_DAYS = [1, 2, 3, 5, 5, 7, 7, 10, 10, 15, 15, 20, 20, 25, 30, 45, 60]
SOURCE = "https://dichvucong.gov.vn/p/home/dvc-tthc-thu-tuc-hanh-chinh-chi-tiet.html?ma_thu_tuc={code}"
# Code styles: prefix and digits left after it (6 digits after the dot in all).
CODE_STYLES = [("1.0", 5, 75), ("2.00", 4, 22), ("3.000", 3, 3)]


def load_real(path):
    for p in ([pathlib.Path(path)] if path else REAL):
        if p.exists():
            return json.loads(p.read_text(encoding="utf-8"))
    sys.exit("synthetic-catalogue: the seed file (data/procedures.json) was not found; pass --real PATH")


def variation(rnd, base, real, code):
    """A synthetic record built on the real record `base`."""
    name = base["name_vi"].rstrip(" .:")
    level = base["level"]
    roll = rnd.random()
    if roll < 0.12:
        name = f"{name}, {rnd.choice(CASES)}"
    elif roll < 0.92:
        qualifier, implied = rnd.choice(QUALIFIERS)
        name += qualifier
        level = implied or level
        if rnd.random() < 0.15:
            name = f"{name}, {rnd.choice(CASES)}"
    else:
        name = f"{name} (sửa đổi, bổ sung)"
    if rnd.random() < 0.15:  # otherwise the level is the real record's, or the qualifier's
        level = rnd.choices(["commune", "province", "central"], weights=[55, 35, 10])[0]

    field = base["field_vi"] if rnd.random() < 0.45 else rnd.choice(SYNTHETIC_FIELDS)
    online = rnd.choices([None, "full", "partial", "unknown"], weights=[40, 25, 25, 10])[0]
    days = base["processing_days"]
    r = rnd.random()
    if r < 0.3:
        days = rnd.choice(PROCESSING_DAYS)
    elif r < 0.4:
        days = None

    documents = base["documents_vi"]
    if documents is not None:
        documents = list(documents)
        if len(documents) > 3 and rnd.random() < 0.3:  # some items do not apply to this variation
            for _ in range(rnd.randint(1, len(documents) // 3)):
                documents.pop(rnd.randrange(len(documents)))
        if rnd.random() < 0.2:  # and one of another record's does
            other = rnd.choice(real)["documents_vi"]
            if other:
                documents.insert(rnd.randint(0, len(documents)), rnd.choice(other))
    legal = base["legal_basis_vi"]
    if legal is not None and rnd.random() < 0.3:
        other = rnd.choice(real)["legal_basis_vi"]
        if other:
            legal = legal + [rnd.choice(other)]
    fee = base["fee_vi"] if rnd.random() < 0.85 else rnd.choice(real)["fee_vi"]
    return {
        "code": code,
        "name_vi": name,
        "field_vi": field,
        "level": level,
        "online": online,
        "processing_days": days,
        "processing_note_vi": base["processing_note_vi"],
        "fee_vi": fee,
        "documents_vi": documents,
        "agency_vi": base["agency_vi"],
        "result_vi": base["result_vi"],
        "legal_basis_vi": legal,
        "source": SOURCE.format(code=code),
    }


def codes(rnd, taken):
    prefixes = [(p, 10**d, f"0{d}d") for p, d, _ in CODE_STYLES]
    weights = [w for _, _, w in CODE_STYLES]
    while True:
        prefix, size, fmt = rnd.choices(prefixes, weights=weights)[0]
        code = prefix + format(rnd.randrange(1, size), fmt)
        if code not in taken:
            taken.add(code)
            yield code


def encode(record):
    """One record as json.dumps(indent=2) writes it inside the array (C-speed strings)."""
    lines = []
    for key, value in record.items():
        if isinstance(value, list):
            if value:
                items = ",\n".join("      " + json.dumps(v, ensure_ascii=False) for v in value)
                lines.append(f'    "{key}": [\n{items}\n    ]')
            else:
                lines.append(f'    "{key}": []')
        else:
            lines.append(f'    "{key}": {json.dumps(value, ensure_ascii=False)}')
    return "  {\n" + ",\n".join(lines) + "\n  }"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("n", type=int, help="records to write")
    ap.add_argument("--seed", type=int, default=20261125)
    ap.add_argument("--real", help="the real records (default data/procedures.json)")
    args = ap.parse_args()
    real = load_real(args.real)
    space = sum(10**d - 1 for _, d, _ in CODE_STYLES) - len(real)
    if not 0 <= args.n <= space:
        sys.exit(f"synthetic-catalogue: N is 0 to {space}")
    rnd = random.Random(args.seed)
    # The two building-permit records are ~75 KB; drawn as often as the others
    # they would make the average record 7.6 KB instead of the catalogue's ~6 KB.
    weights = [0.4 if len(json.dumps(r, ensure_ascii=False)) > 20_000 else 1.0 for r in real]
    records = real[: args.n]
    new_code = codes(rnd, {r["code"] for r in real})
    for _ in range(args.n - len(records)):
        base = rnd.choices(real, weights=weights)[0]
        records.append(variation(rnd, base, real, next(new_code)))
    out = "[\n" + ",\n".join(map(encode, records)) + "\n]\n" if records else "[]\n"
    sys.stdout.buffer.write(out.encode("utf-8"))


if __name__ == "__main__":
    main()
