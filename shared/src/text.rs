//! Accent folding for Vietnamese search: many citizens type without diacritics
//! ("dang ky khai sinh" must find "Đăng ký khai sinh").
//!
//! A hand table rather than the unicode-normalization crate: only Vietnamese
//! letters need folding, and the crate's decomposition tables would add tens of
//! kilobytes to the browser bundle that is downloaded over 2G/3G.

/// Vietnamese letters grouped by the base letter they fold to.
const GROUPS: [(char, &str); 12] = [
    ('a', "àáảãạăằắẳẵặâầấẩẫậÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬ"),
    ('e', "èéẻẽẹêềếểễệÈÉẺẼẸÊỀẾỂỄỆ"),
    ('i', "ìíỉĩịÌÍỈĨỊ"),
    ('o', "òóỏõọôồốổỗộơờớởỡợÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢ"),
    ('u', "ùúủũụưừứửữựÙÚỦŨỤƯỪỨỬỮỰ"),
    ('y', "ỳýỷỹỵỲÝỶỸỴ"),
    ('d', "đĐ"),
    // Letters of other Latin orthographies used by minority languages (Ê Đê, Jrai, H'Mông).
    ('c', "çÇ"),
    ('n', "ñÑňŇ"),
    ('o', "ŏŎ"),
    ('u', "ŭŬ"),
    ('e', "ĕĔ"),
];

fn fold_char(c: char) -> Option<char> {
    if c.is_ascii() {
        return Some(c.to_ascii_lowercase());
    }
    // Combining marks (text typed in decomposed form) carry no letter of their own.
    if ('\u{0300}'..='\u{036F}').contains(&c) {
        return None;
    }
    for (base, letters) in GROUPS {
        if letters.contains(c) {
            return Some(base);
        }
    }
    Some(c.to_lowercase().next().unwrap_or(c))
}

/// Lower-cases and strips Vietnamese diacritics; đ becomes d. Other scripts
/// (Khmer, Tai Viet) pass through lower-cased.
pub fn fold(text: &str) -> String {
    text.chars().filter_map(fold_char).collect()
}

/// Splits folded text into search words: letters and digits, with the dots of
/// procedure codes (1.001193) kept inside a word.
pub fn words(text: &str) -> Vec<String> {
    fold(text)
        .split(|c: char| !(c.is_alphanumeric() || c == '.'))
        .map(|w| w.trim_matches('.'))
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_vietnamese_letters_and_case() {
        assert_eq!(fold("Đăng ký khai sinh"), "dang ky khai sinh");
        assert_eq!(fold("Chứng thực bản sao"), "chung thuc ban sao");
        assert_eq!(fold("ĐỒNG Ý"), "dong y");
        assert_eq!(fold("Thủ tục cấp Giấy phép lái xe"), "thu tuc cap giay phep lai xe");
    }

    #[test]
    fn folds_decomposed_input_like_precomposed() {
        // "ký" typed as k + y + combining acute accent.
        assert_eq!(fold("ky\u{0301}"), "ky");
    }

    #[test]
    fn keeps_other_scripts() {
        assert_eq!(fold("ចុះបញ្ជី"), "ចុះបញ្ជី");
        assert_eq!(fold("ꪁꪫ"), "ꪁꪫ");
    }

    #[test]
    fn words_keep_procedure_codes_whole() {
        assert_eq!(words("  Mã 1.001193, khai-sinh. "), vec!["ma", "1.001193", "khai", "sinh"]);
    }
}
