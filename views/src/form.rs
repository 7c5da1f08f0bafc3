//! The online form. The app's form (`frontend/src/routes/apply.rs`) asks one
//! question a page with live checks, read-aloud and photos resized on the
//! phone; the server's (`functions/pages`) asks the same questions as plain
//! HTML forms, for a browser that runs no JavaScript. Both read answers back
//! with [`shown_answer`] and [`shown_choice`], label them with
//! [`question_label`], and name refusals with `labels::field_error`; the rules
//! are `motcua_shared::forms`, run again by the portal on every post.

use crate::i18n::fill;
use crate::icon::Icon;
use crate::labels::{self, channel_name, form_label, show_date};
use crate::ui::Ui;
use leptos::prelude::*;
use motcua_shared::dossier::attachments::{MAX_ATTACHMENT_BYTES, MAX_FILES_PER_QUESTION};
use motcua_shared::forms::{Question, QuestionKind};
use motcua_shared::notify::{Channel, NotifyChoice};
use motcua_shared::validation::{FieldError, FieldIssue};

/// The question as the citizen reads it, in their language where translated.
pub fn question_label(ui: Ui, q: &Question) -> String {
    form_label(ui, &q.label_key, &q.label_vi)
}

/// The answer as the citizen will read it back: a choice's label, a date as
/// dd/mm/yyyy, a file question's number of photos.
pub fn shown_answer(ui: Ui, q: &Question, answer: Option<&str>, photos: usize) -> String {
    if q.kind == QuestionKind::File {
        return if photos == 0 {
            ui.t("apply.not_answered").to_owned()
        } else {
            fill(ui.t("photo.count"), &[("n", &photos.to_string())])
        };
    }
    let value = answer.map(str::trim).unwrap_or("");
    if value.is_empty() {
        return ui.t("apply.not_answered").to_owned();
    }
    match q.kind {
        QuestionKind::Choice => {
            q.choices.iter().find(|c| c.value == value).map(|c| form_label(ui, &c.label_key, &c.label_vi)).unwrap_or_else(|| value.to_owned())
        }
        QuestionKind::Date => motcua_shared::validation::date(value).map(show_date).unwrap_or_else(|_| value.to_owned()),
        _ => value.to_owned(),
    }
}

/// How to be told, as the check page shows it: "SMS — 0912 345 678".
pub fn shown_choice(ui: Ui, choice: Option<&NotifyChoice>) -> String {
    match choice {
        None => ui.t("apply.not_answered").to_owned(),
        Some(c) => match c.channel {
            Channel::None => channel_name(ui, Channel::None).to_owned(),
            Channel::Email => format!("{} — {}", channel_name(ui, c.channel), c.email.clone().unwrap_or_default()),
            other => format!("{} — {}", channel_name(ui, other), c.phone.clone().unwrap_or_default()),
        },
    }
}

/// "Step 2 of 5".
pub fn progress(ui: Ui, at: usize, steps: usize) -> String {
    fill(ui.t("apply.progress"), &[("step", &(at + 1).to_string()), ("total", &steps.to_string())])
}

// ---------------------------------------------------------------------------
// The server's form: plain HTML, posted to the page's own address.

/// Where the server's form pages are and which step this is.
#[derive(Clone, Debug)]
pub struct ServerStep {
    /// `/procedures/{code}/apply`, encoded.
    pub action: String,
    /// `/procedures/{code}`, for "back" from the first question.
    pub procedure_href: String,
    pub at: usize,
    /// The procedure's questions, then how to be told, then the check page.
    pub questions: usize,
    /// Came from the check page: continuing goes back there.
    pub change: bool,
    /// Today, `yyyy-mm-dd`: the latest date a date question not in the future offers.
    pub today: String,
}

impl ServerStep {
    /// The address of step `at` (the check page is `questions + 1`).
    pub fn href(&self, at: usize, change: bool) -> String {
        format!("{}?step={at}{}", self.action, if change { "&change=1" } else { "" })
    }
}

/// What a question's controls show: what the citizen typed (kept when it is
/// refused), or the photos already sent.
#[derive(Clone, Debug, PartialEq)]
pub enum Given {
    Typed(String),
    /// An address in its three parts; the communes are the chosen province's
    /// (none until a province is chosen: the page is posted once between).
    Address { province: String, commune: String, detail: String, provinces: Vec<String>, communes: Vec<String> },
    /// Photos already sent for a file question.
    Photos(usize),
}

/// The back link above a step: the procedure from the first question, else the step before.
fn back_link(ui: Ui, step: &ServerStep) -> impl IntoView + use<> {
    let (href, text) = if step.change {
        (step.href(step.questions + 1, false), "apply.back")
    } else if step.at == 0 {
        (step.procedure_href.clone(), "apply.back_to_procedure")
    } else {
        (step.href(step.at - 1, false), "apply.back")
    };
    view! {
        <p class="back">
            <a id="form-back" class="back-link" href=href>
                {Icon::ArrowLeft.view()}
                <span>{ui.tr(text)}</span>
            </a>
        </p>
    }
}

/// The form around a step's question: posted with the step, "Continue" as
/// the first button, so Enter continues.
fn step_form(ui: Ui, step: &ServerStep, multipart: bool, content: AnyView, extra_button: Option<AnyView>) -> impl IntoView + use<> {
    let steps = step.questions + 1;
    view! {
        {back_link(ui, step)}
        <p id="form-progress" class="progress">{progress(ui, step.at, steps)}</p>
        <form
            method="post"
            action=step.action.clone()
            enctype=multipart.then_some("multipart/form-data")
            novalidate
        >
            <input type="hidden" name="step" value=step.at.to_string() />
            {step.change.then(|| view! { <input type="hidden" name="change" value="1" /> })}
            {content}
            <div class="form-buttons">
                <button id="form-continue" type="submit" name="do" value="continue" class="button primary">
                    {ui.tr("apply.continue")}
                </button>
                {extra_button}
            </div>
        </form>
    }
}

/// Why the server did not take what was posted at a question.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// The answer breaks the form's rule (`motcua_shared::forms`).
    Field(FieldError),
    /// A photo over `MAX_ATTACHMENT_BYTES`: the server cannot make it smaller, as the app does.
    PhotoTooLarge,
    /// Not a whole JPEG, PNG or PDF file.
    NotAPhoto,
}

/// The error at a field, naming it.
fn field_error(ui: Ui, error: Option<Refusal>, label: &str) -> Option<impl IntoView + use<>> {
    error.map(|e| {
        let text = match e {
            Refusal::Field(e) => labels::field_error(ui, e, label),
            Refusal::PhotoTooLarge => ui.t("photo.error.too_large").to_owned(),
            Refusal::NotAPhoto => ui.t("photo.error.not_a_photo").to_owned(),
        };
        view! { <p id="answer-error" class="field-error">{text}</p> }
    })
}

/// `aria-describedby` of a question's inputs: its help and its error.
fn described(help: bool, error: bool) -> Option<String> {
    let ids: Vec<&str> = [help.then_some("answer-help"), error.then_some("answer-error")].into_iter().flatten().collect();
    (!ids.is_empty()).then(|| ids.join(" "))
}

/// The parts every question's page has, around its controls: the question
/// as the heading (the label of a single input, or a fieldset's legend when
/// it has several), its help, "optional", and the refusal naming it.
fn question_frame(ui: Ui, q: &Question, labelled_input: bool, error: Option<Refusal>, controls: AnyView) -> AnyView {
    let label = question_label(ui, q);
    let help = q.help_vi.as_ref().map(|vi| {
        let key = motcua_shared::languages::help_key(&q.label_key);
        let lang = if crate::i18n::form_text(ui.lang.get(), &key).is_some() { ui.lang.get().code() } else { "vi" };
        view! { <p id="answer-help" class="hint" lang=lang>{form_label(ui, &key, vi)}</p> }
    });
    let optional = (!q.required).then(|| view! { <p class="hint">{ui.tr("apply.optional")}</p> });
    let icon = Icon::for_question(&q.icon).map(Icon::view);
    let invalid = error.is_some().then_some("true");
    let error_view = field_error(ui, error, &label);
    if labelled_input {
        view! {
            <div class="question">
                <h2 id="question" tabindex="-1">{icon} <label for="answer">{label}</label></h2>
                {help}
                {optional}
                {error_view}
                {controls}
            </div>
        }
        .into_any()
    } else {
        view! {
            <fieldset class="question" aria-invalid=invalid>
                <legend><h2 id="question" tabindex="-1">{icon} <span>{label}</span></h2></legend>
                {help}
                {optional}
                {error_view}
                {controls}
            </fieldset>
        }
        .into_any()
    }
}

/// A one-line answer's input: its `type`, `inputmode` and `autocomplete`.
pub fn input_attributes(kind: QuestionKind) -> (&'static str, Option<&'static str>, Option<&'static str>) {
    match kind {
        QuestionKind::Date => ("date", None, None),
        QuestionKind::Phone => ("tel", Some("numeric"), Some("tel")),
        QuestionKind::CitizenId => ("text", Some("numeric"), Some("off")),
        _ => ("text", None, None),
    }
}

/// One of the procedure's questions on its own page.
pub fn server_question(ui: Ui, step: &ServerStep, q: &Question, given: Given, error: Option<Refusal>) -> impl IntoView + use<> {
    let describedby = described(q.help_vi.is_some(), error.is_some());
    let invalid = error.is_some().then_some("true");
    let typed = |given: Given| match given {
        Given::Typed(s) => s,
        _ => String::new(),
    };
    let (labelled_input, controls, extra) = match (q.kind, given) {
        (QuestionKind::File, given) => {
            let sent = if let Given::Photos(n) = given { n } else { 0 };
            let limits = fill(
                ui.t("apply.server.photo_limits"),
                &[("n", &MAX_FILES_PER_QUESTION.to_string()), ("mb", &(MAX_ATTACHMENT_BYTES / (1024 * 1024)).to_string())],
            );
            let photos = (0..sent)
                .map(|i| {
                    let n = fill(ui.t("photo.item"), &[("n", &(i + 1).to_string())]);
                    view! {
                        <li class="photo-row">
                            <span>{n.clone()}</span>
                            <button type="submit" name="do" value=format!("remove-{i}") class="button">
                                {ui.tr("photo.remove")}
                                <span class="visually-hidden">" " {n}</span>
                            </button>
                        </li>
                    }
                })
                .collect_view();
            let more = sent < MAX_FILES_PER_QUESTION;
            let controls = view! {
                <p class="hint">{limits}</p>
                {(sent > 0).then(|| view! { <ul id="photos" class="photos">{photos}</ul> })}
                {more.then(|| view! {
                    <input
                        id="answer"
                        name="photo"
                        type="file"
                        accept="image/jpeg,image/png,application/pdf"
                        aria-describedby=describedby.clone()
                        aria-invalid=invalid
                    />
                })}
            };
            let add = more.then(|| {
                view! {
                    <button id="photo-add" type="submit" name="do" value="add" class="button">
                        {ui.tr("apply.server.add_photo")}
                    </button>
                }
                .into_any()
            });
            (true, controls.into_any(), add)
        }
        (QuestionKind::Address, given) => {
            let (province, commune, detail, provinces, communes) = match given {
                Given::Address { province, commune, detail, provinces, communes } => (province, commune, detail, provinces, communes),
                _ => Default::default(),
            };
            let options = |names: Vec<String>, chosen: &str| {
                names
                    .into_iter()
                    .map(|n| {
                        let selected = n == chosen;
                        let value = n.clone();
                        view! { <option value=value selected=selected>{n}</option> }
                    })
                    .collect_view()
            };
            let no_communes = communes.is_empty();
            let controls = view! {
                <div class="address">
                    <p class="field">
                        <label for="answer">{ui.tr("address.province")}</label>
                        <select id="answer" name="province" class="answer-input" aria-describedby=describedby.clone() aria-invalid=invalid>
                            <option value="">{ui.tr("address.choose")}</option>
                            {options(provinces, &province)}
                        </select>
                    </p>
                    <p class="field">
                        <label for="answer-commune">{ui.tr("address.commune")}</label>
                        // Filled once a province is chosen and the page posted
                        // ("Continue" shows this province's communes).
                        <select id="answer-commune" name="commune" class="answer-input" disabled=no_communes>
                            <option value="">{ui.tr("address.choose")}</option>
                            {options(communes, &commune)}
                        </select>
                    </p>
                    <p class="field">
                        <label for="answer-detail">{ui.tr("address.detail")}</label>
                        <input id="answer-detail" name="detail" class="answer-input" type="text" autocomplete="address-line1" value=detail />
                    </p>
                </div>
            };
            (false, controls.into_any(), None)
        }
        (QuestionKind::Choice, given) => {
            let current = typed(given);
            let radios = q
                .choices
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    let input_id = if i == 0 { "answer".to_owned() } else { format!("answer-{i}") };
                    let checked = c.value == current;
                    view! {
                        <div class="choice">
                            <input type="radio" name="answer" id=input_id.clone() value=c.value.clone() checked=checked aria-describedby=describedby.clone() />
                            <label for=input_id>{form_label(ui, &c.label_key, &c.label_vi)}</label>
                        </div>
                    }
                })
                .collect_view();
            (false, radios.into_any(), None)
        }
        (kind, given) => {
            let (input_type, inputmode, autocomplete) = input_attributes(kind);
            // A date that cannot be in the future (a birth) is offered up to today.
            let max = (kind == QuestionKind::Date && q.not_in_future).then(|| step.today.clone());
            let maxlength = (kind == QuestionKind::Text).then(|| q.max_chars.unwrap_or(motcua_shared::forms::DEFAULT_MAX_CHARS).to_string());
            let input = view! {
                <input
                    id="answer"
                    name="answer"
                    class="answer-input"
                    type=input_type
                    inputmode=inputmode
                    autocomplete=autocomplete
                    max=max
                    maxlength=maxlength
                    value=typed(given)
                    aria-describedby=describedby.clone()
                    aria-invalid=invalid
                />
            };
            (true, input.into_any(), None)
        }
    };
    let content = question_frame(ui, q, labelled_input, error, controls);
    step_form(ui, step, q.kind == QuestionKind::File, content, extra)
}

/// How to be told: the channels, and the phone or e-mail address (both
/// fields shown: without scripts the page cannot show only the one chosen).
pub fn server_notify(ui: Ui, step: &ServerStep, choice: Option<NotifyChoice>, error: Option<(&'static str, FieldError)>) -> impl IntoView + use<> {
    let chosen = choice.as_ref().map(|c| c.channel);
    let error_label = error.as_ref().map(|(field, _)| ui.t(field).to_owned()).unwrap_or_default();
    let error_view = field_error(ui, error.as_ref().map(|(_, e)| Refusal::Field(*e)), &error_label);
    let describedby = described(true, error.is_some());
    let radios = Channel::ALL
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let input_id = if i == 0 { "answer".to_owned() } else { format!("answer-{i}") };
            view! {
                <div class="choice">
                    <input type="radio" name="channel" id=input_id.clone() value=c.as_str() checked=chosen == Some(c) aria-describedby=describedby.clone() />
                    <label for=input_id>{channel_name(ui, c)}</label>
                </div>
            }
        })
        .collect_view();
    let phone = choice.as_ref().and_then(|c| c.phone.clone()).unwrap_or_default();
    let email = choice.as_ref().and_then(|c| c.email.clone()).unwrap_or_default();
    let field_invalid = |field: &str| error.as_ref().is_some_and(|(f, _)| *f == field).then_some("true");
    let content = view! {
        <fieldset class="question" aria-invalid=error.is_some().then_some("true")>
            <legend><h2 id="question" tabindex="-1"><span>{ui.tr("notify.title")}</span></h2></legend>
            <p id="answer-help" class="hint">{ui.tr("notify.hint")}</p>
            {error_view}
            {radios}
            <p class="hint">{ui.tr("apply.server.notify_address")}</p>
            <label for="notify-phone" class="field-label">{ui.tr("notify.phone")}</label>
            <input id="notify-phone" name="phone" class="answer-input" type="tel" inputmode="numeric" autocomplete="tel" value=phone aria-invalid=field_invalid("notify.phone") />
            <label for="notify-email" class="field-label">{ui.tr("notify.email_address")}</label>
            <input id="notify-email" name="email" class="answer-input" type="email" autocomplete="email" value=email aria-invalid=field_invalid("notify.email_address") />
        </fieldset>
    };
    step_form(ui, step, false, content.into_any(), None)
}

/// One line of "check your answers", with the link back to change it.
pub struct AnswerRow {
    pub label: String,
    pub shown: String,
    /// The step that asks it.
    pub at: usize,
}

/// "Check your answers", then "Submit"; a refusal's issues above, each
/// linking to the step that asks it.
pub fn server_check(ui: Ui, step: &ServerStep, rows: Vec<AnswerRow>, issues: Vec<(String, FieldIssue, Option<usize>)>) -> impl IntoView + use<> {
    let summary = (!issues.is_empty()).then(|| {
        let items = issues
            .into_iter()
            .map(|(label, issue, at)| {
                let text = labels::field_error(ui, issue.error, if label.is_empty() { &issue.field } else { &label });
                match at {
                    Some(at) => view! { <li><a class="issue-link" href=step.href(at, true)>{text}</a></li> }.into_any(),
                    None => view! { <li>{text}</li> }.into_any(),
                }
            })
            .collect_view();
        view! {
            <div id="error-summary" class="alert" role="alert" tabindex="-1">
                <h3>{ui.tr("apply.errors.title")}</h3>
                <ul>{items}</ul>
            </div>
        }
    });
    let rows = rows
        .into_iter()
        .map(|AnswerRow { label, shown, at }| {
            let id = (at == step.questions).then_some("notify-row");
            view! {
                <div class="answer-row" id=id>
                    <dt>{label.clone()}</dt>
                    <dd>{shown}</dd>
                    <dd>
                        <a class="change-answer" href=step.href(at, true)>
                            {ui.tr("apply.change")}
                            <span class="visually-hidden">" " {label}</span>
                        </a>
                    </dd>
                </div>
            }
        })
        .collect_view();
    view! {
        {back_link(ui, step)}
        <section id="check-answers" aria-labelledby="check-answers-title">
            <h2 id="check-answers-title" tabindex="-1">{ui.tr("apply.check.title")}</h2>
            {summary}
            <dl class="answers">{rows}</dl>
            <form method="post" action=step.action.clone() novalidate>
                <input type="hidden" name="step" value=step.at.to_string() />
                <div class="form-buttons">
                    <button id="form-submit" type="submit" name="do" value="submit" class="button primary">
                        {ui.tr("apply.submit")}
                    </button>
                </div>
            </form>
        </section>
    }
}
