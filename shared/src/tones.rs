//! Vietnamese tone marks for the kiosk's on-screen keypad: the citizen types
//! the letters of a word, then taps a tone, and the mark goes on the vowel
//! the spelling rules put it on ("khai" + sắc = "khái", "ngươi" + huyền =
//! "người", "toan" + sắc = "toán").
//!
//! A table of the 12 vowels × 6 tones rather than Unicode normalisation with
//! combining marks: the normalisation tables would add tens of kilobytes to
//! the browser bundle (see `text`).

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    /// huyền (à)
    Grave = 1,
    /// sắc (á)
    Acute = 2,
    /// hỏi (ả)
    Hook = 3,
    /// ngã (ã)
    Tilde = 4,
    /// nặng (ạ)
    Dot = 5,
}

impl Tone {
    pub const ALL: [Tone; 5] = [Tone::Acute, Tone::Grave, Tone::Hook, Tone::Tilde, Tone::Dot];

    /// The mark on an `a`, as the key shows it.
    pub fn sample(self) -> char {
        vowel(0, self as usize, false)
    }

    /// The tone's Vietnamese name, the key of its label in the locale files (`keypad.tone.*`).
    pub fn name(self) -> &'static str {
        match self {
            Tone::Grave => "grave",
            Tone::Acute => "acute",
            Tone::Hook => "hook",
            Tone::Tilde => "tilde",
            Tone::Dot => "dot",
        }
    }
}

/// Each vowel with no tone, then huyền, sắc, hỏi, ngã, nặng.
const LOWER: [&str; 12] = [
    "aàáảãạ", "ăằắẳẵặ", "âầấẩẫậ", "eèéẻẽẹ", "êềếểễệ", "iìíỉĩị",
    "oòóỏõọ", "ôồốổỗộ", "ơờớởỡợ", "uùúủũụ", "ưừứửữự", "yỳýỷỹỵ",
];
const UPPER: [&str; 12] = [
    "AÀÁẢÃẠ", "ĂẰẮẲẴẶ", "ÂẦẤẨẪẬ", "EÈÉẺẼẸ", "ÊỀẾỂỄỆ", "IÌÍỈĨỊ",
    "OÒÓỎÕỌ", "ÔỒỐỔỖỘ", "ƠỜỚỞỠỢ", "UÙÚỦŨỤ", "ƯỪỨỬỮỰ", "YỲÝỶỸỴ",
];
/// Rows of the vowels with a hat, breve or horn (ă â ê ô ơ ư): they take the tone first.
const SHAPED: [usize; 6] = [1, 2, 4, 7, 8, 10];

fn vowel(row: usize, tone: usize, upper: bool) -> char {
    let table = if upper { &UPPER } else { &LOWER };
    table[row].chars().nth(tone).unwrap_or('a')
}

/// (row, tone, upper case) of a vowel.
fn parse(c: char) -> Option<(usize, usize, bool)> {
    for (upper, table) in [(false, &LOWER), (true, &UPPER)] {
        for (row, letters) in table.iter().enumerate() {
            if let Some(tone) = letters.chars().position(|v| v == c) {
                return Some((row, tone, upper));
            }
        }
    }
    None
}

/// The capital of a keypad letter: ASCII, and Vietnamese's own letters (a
/// table, not `char::to_uppercase`, whose Unicode tables would weigh more).
pub fn capital(c: char) -> char {
    const SMALL: &str = "ăâđêôơư";
    const CAPITAL: &str = "ĂÂĐÊÔƠƯ";
    match SMALL.chars().position(|s| s == c) {
        Some(i) => CAPITAL.chars().nth(i).unwrap_or(c),
        None => c.to_ascii_uppercase(),
    }
}

/// Puts `tone` on the last word of `text` (the same tone again takes it off).
pub fn apply_tone(text: &str, tone: Tone) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    // Letters are ASCII letters and anything beyond ASCII but spaces (Unicode's
    // letter tables would cost the browser bundle more than this rule).
    let start = chars.iter().rposition(|c| !(c.is_ascii_alphabetic() || (!c.is_ascii() && !c.is_whitespace()))).map_or(0, |i| i + 1);
    let word = &chars[start..];
    let lower: String = word.iter().map(|c| c.to_ascii_lowercase()).collect();
    // The u of "qu" and the i of "gi" before another vowel belong to the consonant.
    let skip = if lower.starts_with("qu") || (lower.starts_with("gi") && word.get(2).is_some_and(|c| parse(*c).is_some())) {
        2
    } else {
        0
    };
    let vowels: Vec<usize> = (skip..word.len()).filter(|&i| parse(word[i]).is_some()).collect();
    // The last run of vowels in the word.
    let Some(&last) = vowels.last() else { return text.to_owned() };
    let mut first = last;
    while first > skip && vowels.contains(&(first - 1)) {
        first -= 1;
    }
    let cluster: Vec<usize> = (first..=last).collect();
    let shaped = cluster.iter().rev().find(|&&i| parse(word[i]).is_some_and(|(row, _, _)| SHAPED.contains(&row)));
    let at = match (shaped, cluster.len()) {
        (Some(&i), _) => i,
        (None, 1) => first,
        // A final consonant: the last vowel (toán, hoàng).
        (None, _) if last + 1 < word.len() => last,
        // Two vowels ending the word: the first (hòa, khái, thủy).
        (None, 2) => first,
        // Three: the middle one (khoái, ngoài).
        (None, _) => first + 1,
    };
    let had = parse(word[at]).map_or(0, |(_, t, _)| t);
    let new_tone = if had == tone as usize { 0 } else { tone as usize };
    for i in cluster {
        if let Some((row, _, upper)) = parse(chars[start + i]) {
            chars[start + i] = vowel(row, if i == at { new_tone } else { 0 }, upper);
        }
    }
    chars.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tones_go_where_the_spelling_puts_them() {
        for (typed, tone, expected) in [
            ("khai", Tone::Acute, "khái"),
            ("ngươi", Tone::Grave, "người"),
            ("toan", Tone::Acute, "toán"),
            ("hoa", Tone::Grave, "hòa"),
            ("qua", Tone::Hook, "quả"),
            ("gia", Tone::Grave, "già"),
            ("viêt", Tone::Dot, "việt"),
            ("khoai", Tone::Hook, "khoải"),
            ("Đăng ky", Tone::Acute, "Đăng ký"),
            ("Nguyên", Tone::Tilde, "Nguyễn"),
            ("cưu", Tone::Acute, "cứu"),
            ("Hoang", Tone::Grave, "Hoàng"),
            ("A", Tone::Dot, "Ạ"),
        ] {
            assert_eq!(apply_tone(typed, tone), expected, "{typed} + {tone:?}");
        }
    }

    #[test]
    fn the_same_tone_again_takes_it_off_and_another_replaces_it() {
        assert_eq!(apply_tone("khái", Tone::Acute), "khai");
        assert_eq!(apply_tone("khái", Tone::Grave), "khài");
        assert_eq!(apply_tone("người", Tone::Dot), "ngượi");
    }

    #[test]
    fn words_without_vowels_or_letters_are_left_alone() {
        for text in ["", "nh", "12", "Lò ", "H'"] {
            assert_eq!(apply_tone(text, Tone::Acute), text);
        }
    }

    #[test]
    fn capitals_of_the_keypad_letters() {
        let capitals: String = "aăâđêôơưz'".chars().map(capital).collect();
        assert_eq!(capitals, "AĂÂĐÊÔƠƯZ'");
    }

    #[test]
    fn the_keys_show_the_marks() {
        let samples: String = Tone::ALL.iter().map(|t| t.sample()).collect();
        assert_eq!(samples, "áàảãạ");
    }
}
