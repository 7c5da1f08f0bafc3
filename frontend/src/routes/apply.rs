//! `/procedures/:code/apply`: the online form, one question per page, then
//! "check your answers" and submit. Every keystroke is saved on the device
//! (with the idempotency key made when the form first opens), so a reload or
//! a dropped connection loses nothing and a retry never makes a second dossier.
//! Questions answered by a paper (file questions) take photos: each is resized
//! and sent as soon as it is picked, and the draft keeps its upload id.
//!
//! The desk's app uses the same [`Form`] to enter a dossier for a citizen at
//! the counter ([`Channel::Desk`]), and an administrator previews a form
//! version with it before publishing it ([`Channel::Preview`], `routes::preview`).

use crate::api::{self, FetchError, Load, Sent, loader};
use crate::components::address::AddressInput;
use crate::components::icon::Icon;
use crate::components::labels;
use crate::components::notify_choice;
use crate::components::focus::focus_later;
use crate::components::read_aloud::{read_aloud, read_aloud_all};
use crate::components::load_error::{LoadError, Loading};
use crate::components::page_heading::PageHeading;
use crate::drafts;
use motcua_views::form::shown_answer;
use crate::state::{Ui, use_ui};
use leptos::prelude::*;
use leptos::task::spawn_local;
use motcua_shared::api_error::ErrorCode;
use crate::photos::{Photo, PhotoPicker};
use motcua_shared::dossier::api::{Receipt, Submission};
use motcua_shared::dossier::attachments::validate_attachments;
use motcua_shared::forms::{FormSpec, Question, QuestionKind, validate_answers};
use motcua_shared::notify::Channel as NotifyChannel;
use motcua_shared::validation::{FieldError, FieldIssue};
use std::collections::BTreeMap;

/// The field a refusal names when no way to be told was chosen.
const NOTIFY_FIELD: &str = "notify";

#[component]
pub fn ApplyPage(code: String) -> impl IntoView {
    let ui = use_ui();
    let loc = crate::router::use_loc();
    let key = code.clone();
    let (state, retry) = loader(move || Some(key.clone()), |code: String| async move { api::form(&code).await });
    let back = format!("/procedures/{code}");
    view! {
        <p class="back">
            <a class="back-link" href=back.clone()>
                {Icon::ArrowLeft.view()}
                <span>{ui.tr("apply.back_to_procedure")}</span>
            </a>
        </p>
        {move || {
            state
                .with(|s| match s {
                    Load::Loading => {
                        view! { <Loading /> }.into_any()
                    }
                    Load::Failed(FetchError::Api(e)) if e.code == ErrorCode::NotFound => {
                        view! {
                            <PageHeading text=Signal::derive(move || ui.t("apply.no_form.title").to_owned()) />
                            <p>{ui.tr("apply.no_form.body")}</p>
                        }
                            .into_any()
                    }
                    Load::Failed(error) => view! { <LoadError error=error.clone() retry /> }.into_any(),
                    Load::Ready(spec) => {
                        let done = Callback::new(move |receipt: Receipt| {
                            drafts::save_receipt(&receipt);
                            loc.navigate(&format!("/receipt/{}", receipt.code));
                        });
                        view! { <Form spec=spec.clone() channel=Channel::Online done /> }.into_any()
                    }
                })
        }}
    }
}

#[derive(Clone, Debug, PartialEq)]
enum Sending {
    Idle,
    Busy,
    /// Refused answers, from the browser's check or the API's 400.
    Issues(Vec<FieldIssue>),
    Failed(FetchError),
    /// A preview's answers passed the checks; nothing was sent.
    NotSent,
}

/// Who sends the dossier: the citizen online, or an officer at the counter;
/// or nobody: an administrator's preview of a form version never sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Channel {
    Online,
    Desk,
    Preview,
}

impl Channel {
    fn endpoint(self) -> &'static str {
        match self {
            // A preview stops before sending (see `send` in `Form`).
            Channel::Online | Channel::Preview => "/api/dossiers",
            Channel::Desk => "/api/intake",
        }
    }
    /// Each keeps its own drafts: a preview's answers never mix with the
    /// citizen's real ones on the same device.
    fn draft_scope(self) -> &'static str {
        match self {
            Channel::Online => "draft",
            Channel::Desk => "desk-draft",
            Channel::Preview => "preview-draft",
        }
    }
}

#[component]
pub fn Form(spec: FormSpec, channel: Channel, done: Callback<Receipt>) -> impl IntoView {
    let ui = use_ui();
    let loc = crate::router::use_loc();
    let code = StoredValue::new(spec.procedure_code.clone());
    let title = spec.title_vi.clone();
    let questions = spec.questions.clone();
    let total = questions.len();
    let questions = StoredValue::new(questions);
    let spec = StoredValue::new(spec);
    let scope = channel.draft_scope();
    // The procedure's questions, then how to be told (step `total`), then
    // "check your answers" (`total + 1`).
    let check_step = total + 1;
    let draft = RwSignal::new({
        let mut d = drafts::load_draft(scope, &code.get_value());
        d.step = d.step.min(check_step);
        d
    });
    // Saved as it changes, and once now so the idempotency key is kept from the start.
    Effect::new(move |_| draft.with(|d| drafts::save_draft(scope, &code.get_value(), d)));
    let step = Memo::new(move |_| draft.with(|d| d.step));
    let error = RwSignal::new(None::<FieldError>);
    let sending = RwSignal::new(Sending::Idle);
    // The citizen apps watch an outbox; the desk's has none.
    let outbox = use_context::<crate::offline::Outbox>();

    let go_to = move |to: usize, back_to_check: bool| {
        error.set(None);
        draft.update(|d| {
            d.step = to;
            d.back_to_check = back_to_check;
        });
        focus_later(if to >= check_step { "check-answers-title" } else { "question" });
    };

    let on_continue = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let at = step.get_untracked();
        if at == total {
            match notify_choice::check(draft.with_untracked(|d| d.notify.clone()).as_ref()) {
                Err(e) => {
                    error.set(Some(e));
                    let input = draft.with_untracked(|d| d.notify.as_ref().map(|n| notify_choice::field_for(n.channel).1));
                    focus_later(input.unwrap_or("answer"));
                }
                Ok(_) => go_to(check_step, false),
            }
            return;
        }
        let Some(q) = questions.with_value(|qs| qs.get(at).cloned()) else { return };
        let mut answers = BTreeMap::new();
        if let Some(a) = draft.with_untracked(|d| d.answers.get(&q.id).cloned()) {
            answers.insert(q.id.clone(), a);
        }
        let photos = draft.with_untracked(|d| attachment_ids(&d.photos));
        let one = spec.with_value(|s| FormSpec { questions: vec![q], ..s.clone() });
        let mut issues = validate_answers(&one, &answers, drafts::today()).err().unwrap_or_default();
        issues.extend(validate_attachments(&one, &photos).into_iter().filter(|i| i.error != FieldError::UnknownField));
        match if issues.is_empty() { Ok(()) } else { Err(issues) } {
            Err(issues) => {
                error.set(issues.first().map(|i| i.error));
                focus_later("answer");
            }
            Ok(_) => {
                let back = draft.with_untracked(|d| d.back_to_check);
                go_to(if back { check_step } else { at + 1 }, false);
            }
        }
    };
    let on_back = move |_| {
        let at = step.get_untracked();
        if at == 0 {
            loc.navigate(&match channel {
                Channel::Online | Channel::Preview => format!("/procedures/{}", code.get_value()),
                Channel::Desk => "/desk/intake".to_owned(),
            });
        } else {
            go_to(at - 1, false);
        }
    };

    let send = move || {
        let (key, answers, photos) = draft.with_untracked(|d| (d.key.clone(), d.answers.clone(), attachment_ids(&d.photos)));
        // Only the form's own questions (a stale draft may hold others).
        let asks = |id: &String, kind_is_file: bool| {
            questions.with_value(|qs| qs.iter().any(|q| &q.id == id && (q.kind == QuestionKind::File) == kind_is_file))
        };
        let answers: BTreeMap<String, String> = answers.into_iter().filter(|(id, _)| asks(id, false)).collect();
        let attachments: BTreeMap<String, Vec<String>> =
            photos.into_iter().filter(|(id, ids)| asks(id, true) && !ids.is_empty()).collect();
        let mut issues = Vec::new();
        let clean = spec.with_value(|s| validate_answers(s, &answers, drafts::today())).unwrap_or_else(|i| {
            issues = i;
            BTreeMap::new()
        });
        issues.extend(spec.with_value(|s| validate_attachments(s, &attachments)));
        let notify = draft.with_untracked(|d| d.notify.clone());
        if let Err(e) = notify_choice::check(notify.as_ref()) {
            let field = notify.as_ref().map_or(NOTIFY_FIELD, |n| if n.channel == NotifyChannel::Email { "notify.email" } else { "notify.phone" });
            issues.push(FieldIssue::new(field, e));
        }
        if !issues.is_empty() {
            sending.set(Sending::Issues(issues));
            focus_later("error-summary");
            return;
        }
        // A preview checks the answers as the portal will, and stops there:
        // no API call, nothing queued in the outbox.
        if channel == Channel::Preview {
            sending.set(Sending::NotSent);
            focus_later("preview-not-sent");
            return;
        }
        sending.set(Sending::Busy);
        let form_version = spec.with_value(|s| Some(s.version).filter(|v| *v > 0));
        let language = Some(ui.lang.get_untracked().code().to_owned());
        let submission =
            Submission { procedure_code: code.get_value(), idempotency_key: key, answers: clean, attachments, form_version, notify, language };
        let queue = channel == Channel::Online && crate::offline::can_queue();
        spawn_local(async move {
            match api::submit(channel.endpoint(), &submission, queue).await {
                Ok(Sent::Received(receipt)) => {
                    drafts::clear_draft(scope, &submission.procedure_code);
                    done.run(receipt);
                }
                Ok(Sent::Queued(item)) => {
                    // In the outbox now, answers and all: the draft has done its work.
                    drafts::clear_draft(scope, &submission.procedure_code);
                    if let Some(outbox) = outbox {
                        outbox.queued();
                    }
                    loc.navigate(&format!("/receipt/{}", item.key));
                }
                Err(FetchError::Api(e)) if e.code == ErrorCode::InvalidParameter && !e.issues.is_empty() => {
                    sending.try_set(Sending::Issues(e.issues));
                    focus_later("error-summary");
                }
                Err(e) => {
                    sending.try_set(Sending::Failed(e));
                    focus_later("submit-error");
                }
            }
        });
    };

    let label_of = move |id: &str| -> String {
        match id {
            NOTIFY_FIELD => return ui.t("notify.title").to_owned(),
            "notify.phone" => return ui.t("notify.phone").to_owned(),
            "notify.email" => return ui.t("notify.email_address").to_owned(),
            _ => {}
        }
        questions.with_value(|qs| {
            qs.iter().find(|q| q.id == id).map(|q| labels::form_label(ui, &q.label_key, &q.label_vi)).unwrap_or_default()
        })
    };

    view! {
        <PageHeading lang="vi" text=Signal::derive(move || title.clone()) />
        {move || {
            let at = step.get();
            if at <= total {
                // A question of the procedure's, or (last) how to be told.
                let content = if at < total {
                    let q = questions.with_value(|qs| qs[at].clone());
                    question_view(ui, q, draft, error, channel == Channel::Online).into_any()
                } else {
                    let suggested = questions.with_value(|qs| {
                        qs.iter().find(|q| q.kind == QuestionKind::Phone).and_then(|q| draft.with_untracked(|d| d.answers.get(&q.id).cloned()))
                    });
                    // The draft keeps the choice as it changes (and saves itself).
                    let choice = RwSignal::new(draft.with_untracked(|d| d.notify.clone()));
                    Effect::new(move |_| {
                        let now = choice.get();
                        draft.update(|d| d.notify = now);
                    });
                    notify_choice::notify_view(ui, choice, error, suggested).into_any()
                };
                view! {
                    <p id="form-progress" class="progress">
                        {labels::live(move || {
                            motcua_views::form::progress(ui, at, total + 1)
                        })}
                    </p>
                    // A form, so Enter on the keyboard continues too.
                    <form novalidate on:submit=on_continue>
                        {content}
                        <div class="form-buttons">
                            <button id="form-back" type="button" class="button" on:click=on_back>
                                {ui.tr("apply.back")}
                            </button>
                            <button id="form-continue" type="submit" class="button primary">
                                {ui.tr("apply.continue")}
                            </button>
                        </div>
                    </form>
                }
                    .into_any()
            } else {
                let told = labels::live(move || draft.with(|d| notify_choice::shown_choice(ui, d.notify.as_ref())));
                let told_label = labels::live(move || ui.t("notify.check").to_owned());
                let notify_row = answer_row(ui, Some("notify-row"), told_label, told, move || go_to(total, true));
                let rows = questions
                    .get_value()
                    .into_iter()
                    .enumerate()
                    .map(|(i, q)| {
                        let id = StoredValue::new(q.id.clone());
                        let shown = labels::live(move || draft.with(|d| shown_answer(ui, &q, d.answers.get(&q.id).map(String::as_str), d.photos.get(&q.id).map_or(0, Vec::len))));
                        let label = labels::live(move || id.with_value(|id| label_of(id)));
                        answer_row(ui, None, label, shown, move || go_to(i, true))
                    })
                    .collect_view();
                view! {
                    <section id="check-answers" aria-labelledby="check-answers-title">
                        <h2 id="check-answers-title" tabindex="-1">{ui.tr("apply.check.title")}</h2>
                        <dl class="answers">{rows} {notify_row}</dl>
                        {move || {
                            sending
                                .with(|s| match s {
                                    Sending::Issues(issues) => {
                                        Some(error_summary(ui, issues.clone(), questions, label_of, go_to).into_any())
                                    }
                                    Sending::Failed(e) => {
                                        let e = e.clone();
                                        Some(
                                            view! {
                                                <div id="submit-error" class="alert" role="alert" tabindex="-1">
                                                    <p>{labels::live(move || labels::fetch_error(ui, &e))}</p>
                                                    <p>{ui.tr("apply.kept")}</p>
                                                    <button
                                                        id="submit-retry"
                                                        type="button"
                                                        class="button"
                                                        on:click=move |_| send()
                                                    >
                                                        {ui.tr("action.retry")}
                                                    </button>
                                                </div>
                                            }
                                                .into_any(),
                                        )
                                    }
                                    Sending::NotSent => Some(
                                        view! {
                                            <p id="preview-not-sent" class="notice" role="status" tabindex="-1">
                                                {ui.tr("apply.preview.not_sent")}
                                            </p>
                                        }
                                            .into_any(),
                                    ),
                                    _ => None,
                                })
                        }}
                        <div class="form-buttons">
                            <button id="form-back" type="button" class="button" on:click=on_back>
                                {ui.tr("apply.back")}
                            </button>
                            <button
                                id="form-submit"
                                type="button"
                                class="button primary"
                                disabled=move || sending.with(|s| *s == Sending::Busy)
                                on:click=move |_| send()
                            >
                                {move || {
                                    if sending.with(|s| *s == Sending::Busy) {
                                        ui.t("apply.sending")
                                    } else {
                                        ui.t("apply.submit")
                                    }
                                }}
                            </button>
                        </div>
                    </section>
                }
                    .into_any()
            }
        }}
    }
}

/// One line of "check your answers": the question, the answer as the
/// citizen will read it back, and a link back to change it.
fn answer_row(
    ui: Ui,
    id: Option<&'static str>,
    label: Signal<String>,
    shown: Signal<String>,
    change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <div class="answer-row" id=id>
            <dt>{label}</dt>
            <dd>{shown}</dd>
            <dd>
                <a
                    href="#"
                    class="change-answer"
                    on:click=move |ev| {
                        ev.prevent_default();
                        change();
                    }
                >
                    {ui.tr("apply.change")}
                    <span class="visually-hidden">" " {label}</span>
                </a>
            </dd>
        </div>
    }
}

/// The upload ids per file question, as a submission names them.
fn attachment_ids(photos: &BTreeMap<String, Vec<Photo>>) -> BTreeMap<String, Vec<String>> {
    photos.iter().map(|(q, ps)| (q.clone(), ps.iter().map(|p| p.id.clone()).collect())).collect()
}

fn error_summary(
    ui: Ui,
    issues: Vec<FieldIssue>,
    questions: StoredValue<Vec<Question>>,
    label_of: impl Fn(&str) -> String + Copy + Send + Sync + 'static,
    go_to: impl Fn(usize, bool) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <div id="error-summary" class="alert" role="alert" tabindex="-1">
            <h3>{ui.tr("apply.errors.title")}</h3>
            <ul>
                {issues
                    .into_iter()
                    .map(|issue| {
                        let at = if issue.field.starts_with("notify") {
                            Some(questions.with_value(Vec::len))
                        } else {
                            questions.with_value(|qs| qs.iter().position(|q| q.id == issue.field))
                        };
                        let field = issue.field.clone();
                        let text = labels::live(move || {
                            let label = label_of(&field);
                            labels::field_error(ui, issue.error, if label.is_empty() { &field } else { &label })
                        });
                        match at {
                            Some(at) => {
                                view! {
                                    <li>
                                        <a
                                            href="#"
                                            class="issue-link"
                                            on:click=move |ev| {
                                                ev.prevent_default();
                                                go_to(at, true);
                                            }
                                        >
                                            {text}
                                        </a>
                                    </li>
                                }
                                    .into_any()
                            }
                            None => view! { <li>{text}</li> }.into_any(),
                        }
                    })
                    .collect_view()}
            </ul>
        </div>
    }
}

/// The question's picture beside its label, for readers who lean on pictures.
fn question_icon(name: &str) -> impl IntoView {
    Icon::for_question(name).map(Icon::view)
}

/// One question: its label as the heading, help, the error at the field, and the input.
/// `queue`: photos and the dossier may wait in the outbox (the citizen's own form).
fn question_view(ui: Ui, q: Question, draft: RwSignal<drafts::Draft>, error: RwSignal<Option<FieldError>>, queue: bool) -> impl IntoView {
    let Question { id, kind, label_key, label_vi, help_vi, icon, required, choices, max_chars, not_in_future, .. } = q;
    let label = StoredValue::new((label_key, label_vi));
    let label_text = labels::live(move || label.with_value(|(k, v)| labels::form_label(ui, k, v)));
    let has_help = help_vi.is_some();
    let described = move || {
        let mut ids = Vec::new();
        if has_help {
            ids.push("answer-help");
        }
        if error.with(Option::is_some) {
            ids.push("answer-error");
        }
        (!ids.is_empty()).then(|| ids.join(" "))
    };
    let invalid = move || error.with(Option::is_some).then_some("true");
    // The help in the chosen language where a translator wrote it, else in Vietnamese (marked so).
    let help = help_vi.map(|h| {
        let key = label.with_value(|(k, _)| motcua_shared::languages::help_key(k));
        let translated = StoredValue::new(key.clone());
        let text = labels::live(move || translated.with_value(|k| labels::form_label(ui, k, &h)));
        let lang = move || translated.with_value(|k| if crate::i18n::form_text(ui.lang.get(), k).is_some() { ui.lang.get().code() } else { "vi" });
        view! {
            <p id="answer-help" class="hint" lang=lang>{text}</p>
            {read_aloud(ui, "read-help", Some(key), text)}
        }
    });
    let optional = (!required).then(|| view! { <p class="hint">{ui.tr("apply.optional")}</p> });
    let error_view = move || {
        error.get().map(|e| {
            let text = Signal::derive(move || labels::field_error(ui, e, &label_text.get()));
            view! {
                <p id="answer-error" class="field-error">{text}</p>
                {read_aloud(ui, "read-error", None, text)}
            }
        })
    };
    // A choice question reads its choices after it (their recordings, or the device's voice).
    let mut read_parts = vec![(Some(label.with_value(|(k, _)| k.clone())), label_text)];
    for c in &choices {
        let (key, vi) = (c.label_key.clone(), c.label_vi.clone());
        let shown = key.clone();
        read_parts.push((Some(key), labels::live(move || labels::form_label(ui, &shown, &vi))));
    }
    let read_question = read_aloud_all(ui, "read-question", read_parts);
    let current = draft.with_untracked(|d| d.answers.get(&id).cloned().unwrap_or_default());
    let id = StoredValue::new(id);
    let set = move |value: String| {
        draft.update(|d| {
            d.answers.insert(id.get_value(), value);
        });
    };

    if kind == QuestionKind::File {
        let photos = RwSignal::new(draft.with_untracked(|d| d.photos.get(&id.get_value()).cloned().unwrap_or_default()));
        Effect::new(move |previous: Option<()>| {
            let now = photos.get();
            if previous.is_some() {
                draft.update(|d| {
                    d.photos.insert(id.get_value(), now);
                });
                error.set(None);
            }
        });
        return view! {
            <div class="question">
                <h2 id="question" tabindex="-1">
                    {question_icon(&icon)}
                    <span>{label_text}</span>
                </h2>
                {read_question}
                {help}
                {optional}
                {error_view}
                <PhotoPicker ui photos input_id="answer" described_by=Signal::derive(described) queue />
            </div>
        }
        .into_any();
    }

    // Questions answered with several controls are a group named by the question.
    if matches!(kind, QuestionKind::Address | QuestionKind::Choice) {
        let controls = if kind == QuestionKind::Address {
            let set = Callback::new(set);
            view! { <AddressInput ui current set described_by=Signal::derive(described) invalid=Signal::derive(invalid) /> }
                .into_any()
        } else {
            choices
                .into_iter()
                .enumerate()
                .map(|(i, c)| {
                    let input_id = if i == 0 { "answer".to_owned() } else { format!("answer-{i}") };
                    let checked = c.value == current;
                    let value = c.value.clone();
                    let (key, vi) = (c.label_key, c.label_vi);
                    view! {
                        <div class="choice">
                            <input
                                type="radio"
                                name="answer"
                                id=input_id.clone()
                                value=c.value
                                prop:checked=checked
                                aria-describedby=described
                                on:change=move |_| set(value.clone())
                            />
                            <label for=input_id>{labels::live(move || labels::form_label(ui, &key, &vi))}</label>
                        </div>
                    }
                })
                .collect_view()
                .into_any()
        };
        return view! {
            <fieldset class="question" aria-invalid=invalid>
                <legend>
                    <h2 id="question" tabindex="-1">
                        {question_icon(&icon)}
                        <span>{label_text}</span>
                    </h2>
                </legend>
                {read_question}
                {help}
                {optional}
                {error_view}
                {controls}
            </fieldset>
        }
        .into_any();
    }

    let (input_type, inputmode, autocomplete) = motcua_views::form::input_attributes(kind);
    let max = (kind == QuestionKind::Date && not_in_future).then(|| drafts::today().to_string());
    let maxlength = matches!(kind, QuestionKind::Text | QuestionKind::Address)
        .then(|| max_chars.unwrap_or(motcua_shared::forms::DEFAULT_MAX_CHARS).to_string());
    view! {
        <div class="question">
            <h2 id="question" tabindex="-1">
                {question_icon(&icon)}
                <label for="answer">{label_text}</label>
            </h2>
            {read_question}
            {help}
            {optional}
            {error_view}
            <input
                id="answer"
                name="answer"
                class="answer-input"
                type=input_type
                inputmode=inputmode
                autocomplete=autocomplete
                max=max
                maxlength=maxlength
                prop:value=current
                aria-describedby=described
                aria-invalid=invalid
                on:input=move |ev| set(event_target_value(&ev))
            />
        </div>
    }
    .into_any()
}
