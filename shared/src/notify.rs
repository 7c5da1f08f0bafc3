//! Telling citizens what changed: how each chose to be told, the changes
//! that send a message, the province's templates, and what an SMS costs.
//! The server renders and queues a message in the transaction that changes
//! the dossier; the desk's administration page previews the same templates
//! with the same length rules.

use crate::dossier::lifecycle::Status;
use crate::validation::{phone, FieldError, FieldIssue};
use serde::{Deserialize, Serialize};

/// How the citizen wants to be told.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Sms,
    Zalo,
    Email,
    #[default]
    None,
}

impl Channel {
    pub const ALL: [Channel; 4] = [Channel::Sms, Channel::Zalo, Channel::Email, Channel::None];
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Sms => "sms",
            Channel::Zalo => "zalo",
            Channel::Email => "email",
            Channel::None => "none",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// The choice as a submission (or the desk's intake) carries it:
/// `{"channel": "sms", "phone": "0912345678"}`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotifyChoice {
    pub channel: Channel,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

/// Where messages go, once checked: the channel and a normalised address
/// (`+84…` for a phone). `None` when the citizen wants no messages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recipient {
    pub channel: Channel,
    pub address: String,
}

pub const MAX_EMAIL_CHARS: usize = 254;

impl NotifyChoice {
    /// The recipient, or the field that is wrong (`notify.phone`,
    /// `notify.email`), never its value.
    pub fn check(&self) -> Result<Option<Recipient>, FieldIssue> {
        let given = |v: &Option<String>| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
        match self.channel {
            Channel::None => Ok(None),
            Channel::Sms | Channel::Zalo => {
                let typed = given(&self.phone).ok_or_else(|| FieldIssue::new("notify.phone", FieldError::Required))?;
                let national = phone(&typed).map_err(|e| FieldIssue::new("notify.phone", e))?;
                Ok(Some(Recipient { channel: self.channel, address: format!("+84{}", &national[1..]) }))
            }
            Channel::Email => {
                let typed = given(&self.email).ok_or_else(|| FieldIssue::new("notify.email", FieldError::Required))?;
                if !valid_email(&typed) {
                    return Err(FieldIssue::new("notify.email", FieldError::InvalidEmail));
                }
                Ok(Some(Recipient { channel: Channel::Email, address: typed }))
            }
        }
    }
}

/// An address a mail API takes: `local@domain`, the local part of RFC 5322's
/// atom characters (dots between them), a domain of dotted labels (letters,
/// digits, hyphens inside; non-ASCII letters allowed, as people type
/// internationalised domains) with at least two, and no longer than SMTP
/// allows. Written here rather than with `validator`'s email check: that one
/// links the regex engine and IDNA's Unicode tables into the citizen's app
/// (measured: the form pages' bundle was 517 KB brotli with it, 295 without).
pub fn valid_email(address: &str) -> bool {
    let Some((local, domain)) = address.rsplit_once('@') else { return false };
    let atom = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~-".contains(c);
    let dotted = |part: &str, ok: &dyn Fn(&str) -> bool| !part.is_empty() && part.split('.').all(ok);
    let label = |l: &str| {
        (1..=63).contains(&l.len())
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_alphanumeric() || c == '-')
    };
    address.chars().count() <= MAX_EMAIL_CHARS
        && local.len() <= 64
        && dotted(local, &|a| !a.is_empty() && a.chars().all(atom))
        && dotted(domain, &label)
        && domain.split('.').count() >= 2
        && domain.rsplit('.').next().is_some_and(|tld| tld.chars().all(char::is_alphabetic))
}

/// A change the citizen is told about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// The desk accepted the dossier: it is being processed.
    Accepted,
    /// Papers are missing: the reason says what to bring or send.
    DocumentsRequested,
    /// Fees or charges are owed before processing goes on.
    FeesRequested,
    /// The result is ready: when and where to collect it.
    ResultReady,
    /// The result was handed over.
    Returned,
    /// Not accepted at intake, with the reason.
    Refused,
    /// Processing stopped, with the reason.
    Stopped,
    /// A citizen's report was answered (the code is the report's).
    ReportAnswered,
}

impl Event {
    pub const ALL: [Event; 8] = [
        Event::Accepted,
        Event::DocumentsRequested,
        Event::FeesRequested,
        Event::ResultReady,
        Event::Returned,
        Event::Refused,
        Event::Stopped,
        Event::ReportAnswered,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Event::Accepted => "accepted",
            Event::DocumentsRequested => "documents_requested",
            Event::FeesRequested => "fees_requested",
            Event::ResultReady => "result_ready",
            Event::Returned => "returned",
            Event::Refused => "refused",
            Event::Stopped => "stopped",
            Event::ReportAnswered => "report_answered",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == s)
    }

    /// The message a change to `to` sends, if any. Going back to processing
    /// (papers received) sends none: the citizen did that themselves.
    pub fn for_change(from: Status, to: Status) -> Option<Event> {
        match to {
            Status::Accepted => Some(Event::Accepted),
            Status::Processing if from == Status::Submitted => Some(Event::Accepted),
            Status::DocumentsRequested => Some(Event::DocumentsRequested),
            Status::FeesRequested => Some(Event::FeesRequested),
            Status::ResultReady => Some(Event::ResultReady),
            Status::ResultReturned => Some(Event::Returned),
            Status::Refused => Some(Event::Refused),
            Status::Stopped => Some(Event::Stopped),
            _ => None,
        }
    }

    /// Whether the template must say `{reason}`: the citizen has to know what to do or why.
    pub fn needs_reason(self) -> bool {
        matches!(self, Event::DocumentsRequested | Event::FeesRequested | Event::Refused | Event::Stopped)
    }
}

/// What a template may say, filled in when the message is made.
pub const PLACEHOLDERS: [&str; 6] = ["code", "procedure", "link", "reason", "date", "place"];

/// The longest template: three SMS parts in Unicode.
pub const MAX_TEMPLATE_CHARS: usize = 201;

/// The values a message is made from. The tracking link carries the code,
/// never the secret.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageValues {
    pub code: String,
    pub procedure: String,
    pub link: String,
    #[serde(default)]
    pub reason: String,
    /// The appointment date, as the citizen reads it (dd/mm/yyyy).
    #[serde(default)]
    pub date: String,
    /// Where to go: the agency's name and address.
    #[serde(default)]
    pub place: String,
}

impl MessageValues {
    fn get(&self, name: &str) -> Option<&str> {
        Some(match name {
            "code" => &self.code,
            "procedure" => &self.procedure,
            "link" => &self.link,
            "reason" => &self.reason,
            "date" => &self.date,
            "place" => &self.place,
            _ => return None,
        })
    }

    /// Values to preview a template with.
    pub fn sample() -> Self {
        MessageValues {
            code: "000.00.12.H39-261126-0001".into(),
            procedure: "Đăng ký khai sinh".into(),
            link: "https://dichvucong.example.gov.vn/track/000.00.12.H39-261126-0001".into(),
            reason: "Thiếu bản sao giấy chứng sinh".into(),
            date: "03/12/2026".into(),
            place: "Bộ phận Một cửa UBND xã Mù Cang Chải, Bản Mù Cang Chải".into(),
        }
    }
}

/// `{name}` placeholders replaced by their values; an unknown one stays as written.
pub fn render(template: &str, values: &MessageValues) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').map(|close| (&after[..close], close)) {
            Some((name, close)) if values.get(name).is_some() => {
                out.push_str(values.get(name).unwrap_or_default());
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    // Empty values must not leave double spaces or a dangling ": ".
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Why a template cannot be published, in English for the API (the desk says it in the officer's language).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TemplateProblem {
    Empty,
    TooLong { chars: usize },
    UnknownPlaceholder(String),
    MissingCode,
    MissingReason,
}

impl std::fmt::Display for TemplateProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TemplateProblem::Empty => write!(f, "a message is required"),
            TemplateProblem::TooLong { chars } => write!(f, "at most {MAX_TEMPLATE_CHARS} characters (this has {chars})"),
            TemplateProblem::UnknownPlaceholder(p) => write!(f, "unknown placeholder {{{p}}}: use {}", PLACEHOLDERS.map(|p| format!("{{{p}}}")).join(", ")),
            TemplateProblem::MissingCode => write!(f, "the message must name the dossier: put {{code}} in it"),
            TemplateProblem::MissingReason => write!(f, "the citizen must read why or what to bring: put {{reason}} in it"),
        }
    }
}

/// Checks a template before it is saved.
pub fn check_template(event: Event, text: &str) -> Result<(), TemplateProblem> {
    let text = text.trim();
    if text.is_empty() {
        return Err(TemplateProblem::Empty);
    }
    let chars = text.chars().count();
    if chars > MAX_TEMPLATE_CHARS {
        return Err(TemplateProblem::TooLong { chars });
    }
    let mut named = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        let name = &after[..close];
        if !PLACEHOLDERS.contains(&name) {
            return Err(TemplateProblem::UnknownPlaceholder(name.chars().take(20).collect()));
        }
        named.push(name);
        rest = &after[close + 1..];
    }
    if !named.contains(&"code") {
        return Err(TemplateProblem::MissingCode);
    }
    if event.needs_reason() && !named.contains(&"reason") {
        return Err(TemplateProblem::MissingReason);
    }
    Ok(())
}

/// How long an SMS is: GSM 7-bit when every character is in its alphabet
/// (160 in one part, 153 a part when split), otherwise Unicode (UCS-2: 70,
/// then 67 a part). Vietnamese with diacritics is Unicode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SmsLength {
    pub unicode: bool,
    /// In the encoding's units: a GSM extension character (€, [, ]…) counts 2.
    pub units: usize,
    pub parts: usize,
}

const GSM_BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
const GSM_EXTENSION: &str = "^{}\\[~]|€\u{000C}";

pub fn sms_length(text: &str) -> SmsLength {
    let gsm: Option<usize> = text.chars().try_fold(0, |n, c| {
        if GSM_BASIC.contains(c) {
            Some(n + 1)
        } else if GSM_EXTENSION.contains(c) {
            Some(n + 2)
        } else {
            None
        }
    });
    let (unicode, units, single, part) = match gsm {
        Some(units) => (false, units, 160, 153),
        // UCS-2: a character outside the BMP takes two units.
        None => (true, text.encode_utf16().count(), 70, 67),
    };
    let parts = if units == 0 {
        0
    } else if units <= single {
        1
    } else {
        units.div_ceil(part)
    };
    SmsLength { unicode, units, parts }
}

/// After this many tries a message the gateway keeps failing is given up.
pub const MAX_ATTEMPTS: u32 = 6;

/// Seconds until the next try after try `attempt` failed: `base`, then four
/// times longer each time (1 min, 4, 16, 64 min, ~4 h with the default).
pub fn back_off(base_secs: i64, attempt: u32) -> i64 {
    base_secs.saturating_mul(4i64.saturating_pow(attempt.saturating_sub(1).min(8)))
}

/// What became of one try to send a message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The gateway took it (and what it answered, e.g. its message id).
    Sent { gateway_said: String },
    /// It may work later (the gateway was down, busy or too slow).
    TryAgain { gateway_said: String },
    /// It will not work (the gateway refused the message, the channel is off).
    Refused { gateway_said: String },
}

/// The message made when the province has published no template for the
/// event (neither in the citizen's language nor in Vietnamese): a change is
/// never left untold. `data/notification-templates.json` is what a
/// province publishes and edits.
pub fn fallback_template(event: Event) -> &'static str {
    match event {
        Event::Accepted => "Hồ sơ {code} ({procedure}) đã được tiếp nhận. Hẹn trả: {date}. Xem: {link}",
        Event::DocumentsRequested => "Hồ sơ {code} cần bổ sung: {reason}. Xem: {link}",
        Event::FeesRequested => "Hồ sơ {code} cần nộp phí, lệ phí: {reason}. Xem: {link}",
        Event::ResultReady => "Hồ sơ {code} đã có kết quả. Nhận tại: {place}. Xem: {link}",
        Event::Returned => "Hồ sơ {code} đã trả kết quả. Mời đánh giá: {link}",
        Event::Refused => "Hồ sơ {code} không được tiếp nhận: {reason}. Xem: {link}",
        Event::Stopped => "Hồ sơ {code} dừng xử lý: {reason}. Xem: {link}",
        Event::ReportAnswered => "Phản ánh {code} đã được trả lời. Xem: {link}",
    }
}

/// Where a message is in its delivery.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryState {
    /// Waiting to be sent (again, after a failure the gateway may recover from).
    Queued,
    /// Handed to a sender; if it never reports, the sweep takes it again.
    Sending,
    /// The gateway took it.
    Sent,
    /// The gateway refused it for good, or every try failed.
    Failed,
    /// The citizen stopped messages before it went.
    Cancelled,
}

impl DeliveryState {
    pub const ALL: [DeliveryState; 5] =
        [DeliveryState::Queued, DeliveryState::Sending, DeliveryState::Sent, DeliveryState::Failed, DeliveryState::Cancelled];
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryState::Queued => "queued",
            DeliveryState::Sending => "sending",
            DeliveryState::Sent => "sent",
            DeliveryState::Failed => "failed",
            DeliveryState::Cancelled => "cancelled",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|d| d.as_str() == s)
    }
}

/// One message of a dossier as the officer sees it: the address masked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Delivery {
    pub event: Event,
    pub channel: Channel,
    pub to: String,
    pub state: DeliveryState,
    pub attempts: u32,
    /// What the gateway said when it refused or failed, as it said it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway_said: Option<String>,
    pub queued_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent_at: Option<String>,
}

/// `+84912***678`, `la***@example.vn`: enough for an officer to recognise, not to copy.
pub fn mask(address: &str) -> String {
    if let Some((user, domain)) = address.split_once('@') {
        let shown: String = user.chars().take(2).collect();
        return format!("{shown}***@{domain}");
    }
    let chars: Vec<char> = address.chars().collect();
    if chars.len() <= 7 {
        return "***".into();
    }
    let head: String = chars[..chars.len() - 6].iter().collect();
    let tail: String = chars[chars.len() - 3..].iter().collect();
    format!("{head}***{tail}")
}

/// A template as the administration page lists and edits it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Template {
    pub event: Event,
    /// A language code of the app (`vi`, `en`, `hmn`…); `vi` is the fallback.
    pub language: String,
    pub text: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub updated_at: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub updated_by: String,
}

/// A language code as the app names them: 2 or 3 lower-case letters.
pub fn valid_language(code: &str) -> bool {
    (2..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_lowercase())
}

/// A template's preview: the message made with sample values, and its SMS length.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplatePreview {
    pub text: String,
    pub sms: SmsLength,
}

pub fn preview(template: &str) -> TemplatePreview {
    let text = render(template, &MessageValues::sample());
    TemplatePreview { sms: sms_length(&text), text }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_choice_is_checked_and_the_phone_normalised() {
        let sms = NotifyChoice { channel: Channel::Sms, phone: Some(" 0912 345 678 ".into()), email: None };
        assert_eq!(sms.check(), Ok(Some(Recipient { channel: Channel::Sms, address: "+84912345678".into() })));
        let zalo = NotifyChoice { channel: Channel::Zalo, phone: Some("+84 0912 345 678".into()), email: None };
        assert_eq!(zalo.check().unwrap().unwrap().address, "+84912345678");
        let none = NotifyChoice { channel: Channel::None, phone: Some("garbage".into()), email: None };
        assert_eq!(none.check(), Ok(None));
        let missing = NotifyChoice { channel: Channel::Sms, phone: Some("  ".into()), email: None };
        assert_eq!(missing.check(), Err(FieldIssue::new("notify.phone", FieldError::Required)));
        let landline = NotifyChoice { channel: Channel::Sms, phone: Some("0212345678".into()), email: None };
        assert_eq!(landline.check(), Err(FieldIssue::new("notify.phone", FieldError::InvalidPhone)));
        let email = NotifyChoice { channel: Channel::Email, phone: None, email: Some("lan@example.vn".into()) };
        assert_eq!(email.check().unwrap().unwrap().address, "lan@example.vn");
        for good in ["lan.nguyen@example.vn", "a+b@mail.example.gov.vn", "lan@bưuđiện.vn"] {
            assert!(valid_email(good), "{good}");
        }
        for bad in ["lan", "lan@", "lan@localhost", "@example.vn", "a b@example.vn", "lan..x@example.vn", ".lan@example.vn",
                    "lan@-example.vn", "lan@example..vn", "lan@example.v1", "lan@@example.vn", "<lan>@example.vn"] {
            let choice = NotifyChoice { channel: Channel::Email, phone: None, email: Some(bad.into()) };
            assert_eq!(choice.check(), Err(FieldIssue::new("notify.email", FieldError::InvalidEmail)), "{bad}");
        }
        let choice: NotifyChoice = serde_json::from_str(r#"{"channel":"zalo","phone":"0912345678"}"#).unwrap();
        assert_eq!(choice.channel, Channel::Zalo);
        assert!(serde_json::from_str::<NotifyChoice>(r#"{"channel":"fax"}"#).is_err());
    }

    #[test]
    fn changes_that_send_a_message() {
        assert_eq!(Event::for_change(Status::Submitted, Status::Accepted), Some(Event::Accepted));
        assert_eq!(Event::for_change(Status::Processing, Status::DocumentsRequested), Some(Event::DocumentsRequested));
        assert_eq!(Event::for_change(Status::Processing, Status::ResultReady), Some(Event::ResultReady));
        assert_eq!(Event::for_change(Status::ResultReady, Status::ResultReturned), Some(Event::Returned));
        assert_eq!(Event::for_change(Status::Submitted, Status::Refused), Some(Event::Refused));
        // Papers arrived: the citizen sent them, nothing to tell.
        assert_eq!(Event::for_change(Status::DocumentsRequested, Status::Processing), None);
        for e in Event::ALL {
            assert_eq!(Event::parse(e.as_str()), Some(e));
        }
    }

    #[test]
    fn templates_render_and_are_checked() {
        let values = MessageValues { code: "X-1".into(), link: "https://p.vn/track/X-1".into(), ..MessageValues::default() };
        assert_eq!(render("Ho so {code}: {reason} Xem {link}", &values), "Ho so X-1: Xem https://p.vn/track/X-1");
        assert_eq!(render("{unknown} {code", &values), "{unknown} {code");
        assert_eq!(check_template(Event::Accepted, "Hồ sơ {code} đã được tiếp nhận. {link}"), Ok(()));
        assert_eq!(check_template(Event::Accepted, " "), Err(TemplateProblem::Empty));
        assert_eq!(check_template(Event::Accepted, "Hồ sơ đã được tiếp nhận"), Err(TemplateProblem::MissingCode));
        assert_eq!(check_template(Event::Refused, "Hồ sơ {code} bị từ chối"), Err(TemplateProblem::MissingReason));
        assert_eq!(check_template(Event::Accepted, "{code} {secret}"), Err(TemplateProblem::UnknownPlaceholder("secret".into())));
        let long = format!("{{code}} {}", "a".repeat(MAX_TEMPLATE_CHARS));
        assert!(matches!(check_template(Event::Accepted, &long), Err(TemplateProblem::TooLong { .. })));
    }

    #[test]
    fn sms_length_counts_parts_as_phones_do() {
        assert_eq!(sms_length(&"a".repeat(160)), SmsLength { unicode: false, units: 160, parts: 1 });
        assert_eq!(sms_length(&"a".repeat(161)), SmsLength { unicode: false, units: 161, parts: 2 });
        assert_eq!(sms_length(&"a".repeat(306)).parts, 2);
        assert_eq!(sms_length(&"a".repeat(307)).parts, 3);
        // An extension character takes two units.
        assert_eq!(sms_length("€").units, 2);
        // Diacritics make it Unicode: 70, then 67 a part.
        let vi = "Hồ sơ đã được tiếp nhận";
        assert!(sms_length(vi).unicode);
        assert_eq!(sms_length(&"ồ".repeat(70)).parts, 1);
        assert_eq!(sms_length(&"ồ".repeat(71)).parts, 2);
        assert_eq!(sms_length(&"ồ".repeat(135)).parts, 3);
        assert_eq!(sms_length("Ho so da duoc tiep nhan").unicode, false);
        assert_eq!(sms_length("").parts, 0);
    }

    #[test]
    fn every_fallback_passes_the_template_check() {
        for e in Event::ALL {
            assert_eq!(check_template(e, fallback_template(e)), Ok(()), "{e:?}");
        }
    }

    #[test]
    fn tries_back_off_fourfold() {
        assert_eq!((1..=6).map(|a| back_off(60, a)).collect::<Vec<_>>(), [60, 240, 960, 3840, 15360, 61440]);
        assert_eq!(back_off(0, 3), 0, "tests set the base to 0");
        assert!(back_off(i64::MAX / 2, 9) > 0, "no overflow");
    }

    #[test]
    fn addresses_are_masked_for_officers() {
        assert_eq!(mask("+84912345678"), "+84912***678");
        assert_eq!(mask("lan.nguyen@example.vn"), "la***@example.vn");
        assert_eq!(mask("123"), "***");
    }
}
