//! The dossier lifecycle: the ten statuses provincial systems use and sync to
//! the national portal, and who may move a dossier from one to the next.
//!
//! One pure function decides every move, so the officer's screen (which
//! buttons to show), the citizen's page and the function that records the
//! change cannot disagree.
//!
//! Choices made where the domain leaves room:
//! - A supplement is two steps: the citizen's `SupplyDocuments` records the
//!   upload and keeps status 5 (it may happen several times); the desk's
//!   `AcceptSupplement` moves 5 → 4. So the clock restarts only when an officer
//!   has seen the papers, and a supplement requested at intake (2 → 5) goes on
//!   to processing (4), not back to 2: the dossier was already accepted.
//! - `FeesPaid` is recorded by the desk (or by the payment callback, acting as
//!   an officer); a citizen saying "I paid" does not move the dossier.
//! - A reason is required to refuse, to stop and to request documents (the
//!   request slip must list what is missing); withdrawing needs none.
//! - "Overdue" is not a status: it is computed from the appointment date.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The longest reason kept; the slip that prints it is one page.
pub const MAX_REASON_CHARS: usize = 2000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// 1 Mới đăng ký: submitted online, not yet accepted.
    Submitted,
    /// 2 Được tiếp nhận: accepted by the one-stop desk.
    Accepted,
    /// 3 Không được tiếp nhận: refused at intake, with a reason.
    Refused,
    /// 4 Đang xử lý.
    Processing,
    /// 5 Yêu cầu bổ sung giấy tờ.
    DocumentsRequested,
    /// 6 Yêu cầu thực hiện nghĩa vụ tài chính.
    FeesRequested,
    /// 7 Công dân yêu cầu rút hồ sơ.
    Withdrawn,
    /// 8 Dừng xử lý, with a reason.
    Stopped,
    /// 9 Đã xử lý xong: result ready.
    ResultReady,
    /// 10 Đã trả kết quả.
    ResultReturned,
}

impl Status {
    pub const ALL: [Status; 10] = [
        Status::Submitted,
        Status::Accepted,
        Status::Refused,
        Status::Processing,
        Status::DocumentsRequested,
        Status::FeesRequested,
        Status::Withdrawn,
        Status::Stopped,
        Status::ResultReady,
        Status::ResultReturned,
    ];

    /// The number provincial systems and the national portal use (1..=10).
    pub fn code(self) -> u8 {
        self as u8 + 1
    }

    pub fn from_code(code: u8) -> Option<Status> {
        Self::ALL.get(usize::from(code).checked_sub(1)?).copied()
    }

    /// The stable name used in JSON and URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Submitted => "submitted",
            Status::Accepted => "accepted",
            Status::Refused => "refused",
            Status::Processing => "processing",
            Status::DocumentsRequested => "documents_requested",
            Status::FeesRequested => "fees_requested",
            Status::Withdrawn => "withdrawn",
            Status::Stopped => "stopped",
            Status::ResultReady => "result_ready",
            Status::ResultReturned => "result_returned",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Self::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// The official Vietnamese name, as synced to the national portal.
    pub fn name_vi(self) -> &'static str {
        match self {
            Status::Submitted => "Mới đăng ký",
            Status::Accepted => "Được tiếp nhận",
            Status::Refused => "Không được tiếp nhận",
            Status::Processing => "Đang xử lý",
            Status::DocumentsRequested => "Yêu cầu bổ sung giấy tờ",
            Status::FeesRequested => "Yêu cầu thực hiện nghĩa vụ tài chính",
            Status::Withdrawn => "Công dân yêu cầu rút hồ sơ",
            Status::Stopped => "Dừng xử lý",
            Status::ResultReady => "Đã xử lý xong",
            Status::ResultReturned => "Đã trả kết quả",
        }
    }

    /// No action leaves these.
    pub fn is_terminal(self) -> bool {
        matches!(self, Status::Refused | Status::Withdrawn | Status::Stopped | Status::ResultReturned)
    }

    /// The processing clock is paused while the citizen owes documents (5) or
    /// fees (6): the delay is theirs, so those working days do not count
    /// against the legal processing time. The function extends the appointment
    /// date by the working days spent paused when the dossier returns to 4.
    pub fn clock_paused(self) -> bool {
        matches!(self, Status::DocumentsRequested | Status::FeesRequested)
    }

    /// The clock runs from receipt (2) while the desk works (4). Before receipt
    /// (1) and once the result is ready or the dossier is closed it does not run,
    /// so an overdue check only applies in these states.
    pub fn clock_running(self) -> bool {
        matches!(self, Status::Accepted | Status::Processing)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    Citizen,
    Officer,
    /// May do everything an officer does.
    Supervisor,
}

impl Actor {
    pub const ALL: [Actor; 3] = [Actor::Citizen, Actor::Officer, Actor::Supervisor];
}

/// What an actor does to a dossier, with the text some actions must carry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// Creates the dossier in status 1; see [`submit`].
    Submit,
    Accept,
    Refuse { reason: String },
    StartProcessing,
    /// `reason` lists the documents the citizen must bring or upload.
    RequestDocuments { reason: String },
    SupplyDocuments,
    AcceptSupplement,
    AskForFees,
    FeesPaid,
    Withdraw,
    Stop { reason: String },
    Finish,
    ReturnResult,
}

/// An [`Action`] without its payload: what a screen offers as a button.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    Submit,
    Accept,
    Refuse,
    StartProcessing,
    RequestDocuments,
    SupplyDocuments,
    AcceptSupplement,
    AskForFees,
    FeesPaid,
    Withdraw,
    Stop,
    Finish,
    ReturnResult,
}

impl ActionKind {
    pub const ALL: [ActionKind; 13] = [
        ActionKind::Submit,
        ActionKind::Accept,
        ActionKind::Refuse,
        ActionKind::StartProcessing,
        ActionKind::RequestDocuments,
        ActionKind::SupplyDocuments,
        ActionKind::AcceptSupplement,
        ActionKind::AskForFees,
        ActionKind::FeesPaid,
        ActionKind::Withdraw,
        ActionKind::Stop,
        ActionKind::Finish,
        ActionKind::ReturnResult,
    ];

    /// Whether the action must carry a non-blank reason.
    pub fn needs_reason(self) -> bool {
        matches!(self, ActionKind::Refuse | ActionKind::RequestDocuments | ActionKind::Stop)
    }

    /// Citizens submit, supply documents and withdraw; officers do the rest.
    pub fn permitted(self, actor: Actor) -> bool {
        let citizen_action = matches!(self, ActionKind::Submit | ActionKind::SupplyDocuments | ActionKind::Withdraw);
        citizen_action == (actor == Actor::Citizen)
    }
}

impl Action {
    pub fn kind(&self) -> ActionKind {
        match self {
            Action::Submit => ActionKind::Submit,
            Action::Accept => ActionKind::Accept,
            Action::Refuse { .. } => ActionKind::Refuse,
            Action::StartProcessing => ActionKind::StartProcessing,
            Action::RequestDocuments { .. } => ActionKind::RequestDocuments,
            Action::SupplyDocuments => ActionKind::SupplyDocuments,
            Action::AcceptSupplement => ActionKind::AcceptSupplement,
            Action::AskForFees => ActionKind::AskForFees,
            Action::FeesPaid => ActionKind::FeesPaid,
            Action::Withdraw => ActionKind::Withdraw,
            Action::Stop { .. } => ActionKind::Stop,
            Action::Finish => ActionKind::Finish,
            Action::ReturnResult => ActionKind::ReturnResult,
        }
    }

    pub fn reason(&self) -> Option<&str> {
        match self {
            Action::Refuse { reason } | Action::RequestDocuments { reason } | Action::Stop { reason } => Some(reason),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "error", rename_all = "snake_case")]
pub enum TransitionError {
    /// The dossier is closed (3, 7, 8, 10).
    Terminal { from: Status },
    /// This actor never does this action (a citizen cannot accept a dossier).
    Forbidden { action: ActionKind, actor: Actor },
    /// The action exists for this actor but not from this status.
    NotFromStatus { action: ActionKind, from: Status },
    /// The reason is blank.
    ReasonRequired { action: ActionKind },
    /// The reason is longer than [`MAX_REASON_CHARS`].
    ReasonTooLong { action: ActionKind },
}

impl fmt::Display for TransitionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TransitionError::Terminal { from } => write!(f, "a dossier in status {from} is closed"),
            TransitionError::Forbidden { action, actor } => write!(f, "{actor:?} may not {action:?}"),
            TransitionError::NotFromStatus { action, from } => write!(f, "{action:?} is not possible from {from}"),
            TransitionError::ReasonRequired { action } => write!(f, "{action:?} needs a reason"),
            TransitionError::ReasonTooLong { action } => {
                write!(f, "the reason for {action:?} is longer than {MAX_REASON_CHARS} characters")
            }
        }
    }
}

impl std::error::Error for TransitionError {}

/// The status a new dossier starts in. Only a citizen submits (a relative or
/// a commune officer helping someone submits as that citizen).
pub fn submit(actor: Actor) -> Result<Status, TransitionError> {
    if ActionKind::Submit.permitted(actor) {
        Ok(Status::Submitted)
    } else {
        Err(TransitionError::Forbidden { action: ActionKind::Submit, actor })
    }
}

/// The machine without payload checks: where `kind` leads from `from`.
fn target(from: Status, kind: ActionKind, actor: Actor) -> Result<Status, TransitionError> {
    use ActionKind as A;
    use Status as S;
    if from.is_terminal() {
        return Err(TransitionError::Terminal { from });
    }
    if !kind.permitted(actor) {
        return Err(TransitionError::Forbidden { action: kind, actor });
    }
    let to = match (from, kind) {
        (S::Submitted, A::Accept) => S::Accepted,
        (S::Submitted, A::Refuse) => S::Refused,
        (S::Accepted, A::StartProcessing) => S::Processing,
        (S::Accepted | S::Processing, A::RequestDocuments) => S::DocumentsRequested,
        (S::DocumentsRequested, A::SupplyDocuments) => S::DocumentsRequested,
        (S::DocumentsRequested, A::AcceptSupplement) => S::Processing,
        (S::Processing, A::AskForFees) => S::FeesRequested,
        (S::FeesRequested, A::FeesPaid) => S::Processing,
        (S::Submitted | S::Accepted | S::Processing | S::DocumentsRequested | S::FeesRequested, A::Withdraw) => {
            S::Withdrawn
        }
        (S::Processing | S::DocumentsRequested | S::FeesRequested, A::Stop) => S::Stopped,
        (S::Processing, A::Finish) => S::ResultReady,
        (S::ResultReady, A::ReturnResult) => S::ResultReturned,
        _ => return Err(TransitionError::NotFromStatus { action: kind, from }),
    };
    Ok(to)
}

/// The status after `actor` does `action` to a dossier in `from`.
/// `Submit` is never a transition (use [`submit`]).
pub fn transition(from: Status, action: &Action, actor: Actor) -> Result<Status, TransitionError> {
    let kind = action.kind();
    let to = target(from, kind, actor)?;
    if let Some(reason) = action.reason() {
        if reason.trim().is_empty() {
            return Err(TransitionError::ReasonRequired { action: kind });
        }
        if reason.chars().count() > MAX_REASON_CHARS {
            return Err(TransitionError::ReasonTooLong { action: kind });
        }
    }
    Ok(to)
}

/// What `actor` may do to a dossier in `status`, in [`ActionKind::ALL`] order.
/// Empty for terminal statuses; never contains `Submit`.
pub fn allowed_actions(status: Status, actor: Actor) -> Vec<ActionKind> {
    ActionKind::ALL.into_iter().filter(|&kind| target(status, kind, actor).is_ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use ActionKind as K;

    /// Every allowed move, written out: (from, action, actors, to), actors as
    /// C = citizen, O = officer, S = supervisor. Anything not here is refused.
    const ALLOWED: &[(u8, ActionKind, &str, u8)] = &[
        (1, K::Accept, "OS", 2),
        (1, K::Refuse, "OS", 3),
        (1, K::Withdraw, "C", 7),
        (2, K::StartProcessing, "OS", 4),
        (2, K::RequestDocuments, "OS", 5),
        (2, K::Withdraw, "C", 7),
        (4, K::RequestDocuments, "OS", 5),
        (4, K::AskForFees, "OS", 6),
        (4, K::Withdraw, "C", 7),
        (4, K::Stop, "OS", 8),
        (4, K::Finish, "OS", 9),
        (5, K::SupplyDocuments, "C", 5),
        (5, K::AcceptSupplement, "OS", 4),
        (5, K::Withdraw, "C", 7),
        (5, K::Stop, "OS", 8),
        (6, K::FeesPaid, "OS", 4),
        (6, K::Withdraw, "C", 7),
        (6, K::Stop, "OS", 8),
        (9, K::ReturnResult, "OS", 10),
    ];

    fn letter(actor: Actor) -> char {
        match actor {
            Actor::Citizen => 'C',
            Actor::Officer => 'O',
            Actor::Supervisor => 'S',
        }
    }

    fn expected(from: Status, kind: ActionKind, actor: Actor) -> Option<Status> {
        ALLOWED
            .iter()
            .find(|(f, k, actors, _)| *f == from.code() && *k == kind && actors.contains(letter(actor)))
            .map(|(_, _, _, to)| Status::from_code(*to).unwrap())
    }

    fn with_reason(kind: ActionKind, reason: &str) -> Action {
        let reason = reason.to_owned();
        match kind {
            K::Submit => Action::Submit,
            K::Accept => Action::Accept,
            K::Refuse => Action::Refuse { reason },
            K::StartProcessing => Action::StartProcessing,
            K::RequestDocuments => Action::RequestDocuments { reason },
            K::SupplyDocuments => Action::SupplyDocuments,
            K::AcceptSupplement => Action::AcceptSupplement,
            K::AskForFees => Action::AskForFees,
            K::FeesPaid => Action::FeesPaid,
            K::Withdraw => Action::Withdraw,
            K::Stop => Action::Stop { reason },
            K::Finish => Action::Finish,
            K::ReturnResult => Action::ReturnResult,
        }
    }

    #[test]
    fn every_triple_matches_the_table() {
        let mut allowed = 0;
        for from in Status::ALL {
            for kind in ActionKind::ALL {
                for actor in Actor::ALL {
                    let action = with_reason(kind, "Thiếu bản sao giấy khai sinh");
                    assert_eq!(action.kind(), kind);
                    let got = transition(from, &action, actor);
                    match expected(from, kind, actor) {
                        Some(to) => {
                            allowed += 1;
                            assert_eq!(got, Ok(to), "{from:?} {kind:?} {actor:?}");
                        }
                        None => assert!(got.is_err(), "{from:?} {kind:?} {actor:?} gave {got:?}"),
                    }
                    assert_eq!(
                        allowed_actions(from, actor).contains(&kind),
                        expected(from, kind, actor).is_some(),
                        "allowed_actions {from:?} {kind:?} {actor:?}"
                    );
                }
            }
        }
        let table_total: usize = ALLOWED.iter().map(|(_, _, actors, _)| actors.len()).sum();
        assert_eq!(allowed, table_total, "table has duplicate or impossible rows");
    }

    #[test]
    fn errors_say_why() {
        use TransitionError as E;
        assert_eq!(transition(Status::Refused, &Action::Accept, Actor::Officer), Err(E::Terminal { from: Status::Refused }));
        assert_eq!(
            transition(Status::Submitted, &Action::Accept, Actor::Citizen),
            Err(E::Forbidden { action: K::Accept, actor: Actor::Citizen })
        );
        assert_eq!(
            transition(Status::ResultReady, &Action::Withdraw, Actor::Citizen),
            Err(E::NotFromStatus { action: K::Withdraw, from: Status::ResultReady })
        );
        assert_eq!(
            transition(Status::Processing, &Action::Submit, Actor::Citizen),
            Err(E::NotFromStatus { action: K::Submit, from: Status::Processing })
        );
    }

    #[test]
    fn reasons_are_required_where_stated() {
        for kind in ActionKind::ALL {
            let blank_ok = !kind.needs_reason();
            for from in Status::ALL {
                for actor in Actor::ALL {
                    let Some(to) = expected(from, kind, actor) else { continue };
                    for blank in ["", "   ", "\n\t"] {
                        let got = transition(from, &with_reason(kind, blank), actor);
                        if blank_ok {
                            assert_eq!(got, Ok(to));
                        } else {
                            assert_eq!(got, Err(TransitionError::ReasonRequired { action: kind }), "{kind:?}");
                        }
                    }
                }
            }
        }
        let long = "ạ".repeat(MAX_REASON_CHARS + 1);
        assert_eq!(
            transition(Status::Processing, &Action::Stop { reason: long }, Actor::Officer),
            Err(TransitionError::ReasonTooLong { action: K::Stop })
        );
        let just_fits = "ạ".repeat(MAX_REASON_CHARS);
        assert_eq!(
            transition(Status::Processing, &Action::Stop { reason: just_fits }, Actor::Officer),
            Ok(Status::Stopped)
        );
        assert_eq!(
            [K::Refuse, K::RequestDocuments, K::Stop].to_vec(),
            ActionKind::ALL.into_iter().filter(|k| k.needs_reason()).collect::<Vec<_>>()
        );
    }

    #[test]
    fn terminal_states_allow_nothing() {
        let terminal: Vec<_> = Status::ALL.into_iter().filter(|s| s.is_terminal()).map(Status::code).collect();
        assert_eq!(terminal, vec![3, 7, 8, 10]);
        for from in Status::ALL.into_iter().filter(|s| s.is_terminal()) {
            for actor in Actor::ALL {
                assert!(allowed_actions(from, actor).is_empty());
            }
        }
        // Every non-terminal status has a way forward for somebody.
        for from in Status::ALL.into_iter().filter(|s| !s.is_terminal()) {
            assert!(!allowed_actions(from, Actor::Officer).is_empty(), "{from:?}");
        }
    }

    #[test]
    fn supervisor_may_do_all_officer_actions() {
        for from in Status::ALL {
            assert_eq!(allowed_actions(from, Actor::Supervisor), allowed_actions(from, Actor::Officer));
        }
    }

    #[test]
    fn only_citizens_submit() {
        assert_eq!(submit(Actor::Citizen), Ok(Status::Submitted));
        assert!(submit(Actor::Officer).is_err());
        assert!(submit(Actor::Supervisor).is_err());
    }

    #[test]
    fn codes_names_and_clock() {
        for (i, s) in Status::ALL.into_iter().enumerate() {
            assert_eq!(usize::from(s.code()), i + 1);
            assert_eq!(Status::from_code(s.code()), Some(s));
            assert_eq!(Status::parse(s.as_str()), Some(s));
            assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{}\"", s.as_str()));
            assert!(!(s.clock_paused() && s.clock_running()));
        }
        assert_eq!(Status::from_code(0), None);
        assert_eq!(Status::from_code(11), None);
        assert_eq!(Status::DocumentsRequested.code(), 5);
        assert_eq!(Status::ResultReturned.name_vi(), "Đã trả kết quả");
        let paused: Vec<_> = Status::ALL.into_iter().filter(|s| s.clock_paused()).map(Status::code).collect();
        assert_eq!(paused, vec![5, 6]);
        let running: Vec<_> = Status::ALL.into_iter().filter(|s| s.clock_running()).map(Status::code).collect();
        assert_eq!(running, vec![2, 4]);
    }

    #[test]
    fn actions_have_a_stable_json_shape() {
        let a = Action::Refuse { reason: "Sai thẩm quyền".into() };
        let json = serde_json::to_string(&a).unwrap();
        assert_eq!(json, r#"{"action":"refuse","reason":"Sai thẩm quyền"}"#);
        assert_eq!(serde_json::from_str::<Action>(&json).unwrap(), a);
        assert_eq!(serde_json::to_string(&Action::AcceptSupplement).unwrap(), r#"{"action":"accept_supplement"}"#);
        assert!(serde_json::from_str::<Action>(r#"{"action":"stop"}"#).is_err());
        assert_eq!(serde_json::to_string(&K::FeesPaid).unwrap(), "\"fees_paid\"");
    }
}
