//! Citizens' reports (phản ánh, kiến nghị): the published list's card and
//! filters, the holder's page, the sent report's receipt, and the report
//! form as the server draws it. The app (`frontend/src/routes/report*.rs`)
//! drives the shared pieces with live signals; the pages component renders
//! them once. The ids are the app's, so the app takes over a server page
//! with what was typed in it (`frontend/src/takeover.rs`).

use crate::faces::{choice_name, faces};
use crate::i18n::fill;
use crate::labels::{field_error, show_date};
use crate::ui::Ui;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use motcua_shared::ratings::Choice;
use motcua_shared::reports::{HolderView, PublicReport, ReportAgency, ReportReceipt, ReportStatus, Subject};
use motcua_shared::search::encode;
use motcua_shared::validation::FieldIssue;

pub fn subject_name(ui: Ui, s: Subject) -> &'static str {
    match s {
        Subject::Service => ui.t("report.subject.service"),
        Subject::Procedure => ui.t("report.subject.procedure"),
        Subject::Conduct => ui.t("report.subject.conduct"),
    }
}

pub fn status_name(ui: Ui, s: ReportStatus) -> &'static str {
    match s {
        ReportStatus::Received => ui.t("report.status.received"),
        ReportStatus::Answered => ui.t("report.status.answered"),
    }
}

/// The label of a field the shared rule or the server names.
pub fn field_label(ui: Ui, field: &str) -> &'static str {
    match field {
        "name" => ui.t("report.name"),
        "dossier_code" => ui.t("report.dossier"),
        "agency_id" => ui.t("report.agency"),
        "notify.phone" => ui.t("report.phone"),
        "photos" => ui.t("report.photos"),
        _ => ui.t("report.text"),
    }
}

/// The id of the input a field's error sends the focus to.
pub fn field_input(field: &str) -> &'static str {
    match field {
        "notify.phone" => "report-phone",
        "name" => "report-name",
        "dossier_code" => "report-dossier-code",
        "agency_id" => "report-agency-id",
        "photos" => "report-photos",
        _ => "report-text",
    }
}

/// What the report is about, as radio buttons (`checked` the server's,
/// `prop:checked` the app's).
pub fn subject_choices(ui: Ui, subject: RwSignal<Subject>) -> impl IntoView {
    Subject::ALL
        .into_iter()
        .map(|s| {
            let id = format!("report-subject-{}", s.as_str());
            let on = move || subject.get() == s;
            view! {
                <div class="choice">
                    <input type="radio" name="subject" id=id.clone() value=s.as_str() checked=on prop:checked=on on:change=move |_| subject.set(s) />
                    <label for=id>{move || subject_name(ui, s)}</label>
                </div>
            }
        })
        .collect_view()
}

/// One published report with its answer.
pub fn report_card(ui: Ui, r: &PublicReport) -> impl IntoView + use<> {
    let dates = fill(ui.t("report.received_on"), &[("date", &show_date(r.received_on)), ("due", &show_date(r.due_on))]);
    let timeliness = r.on_time.map(|on_time| {
        let (class, text) = if on_time { ("badge ok", ui.t("report.on_time")) } else { ("badge late", ui.t("report.late")) };
        view! { <span class=class>{text}</span> }
    });
    let answer = r.answer.clone().map(|a| {
        let by = fill(ui.t("report.answer_by"), &[("agency", &r.agency_name)]);
        view! {
            <h4>{by}</h4>
            <p class="report-answer" lang="vi">{a}</p>
        }
    });
    let status = status_name(ui, r.status);
    view! {
        <li class="report-card" id=format!("report-{}", r.code)>
            <h3><a href=format!("/reports/{}", r.code)>{r.code.clone()}</a> " · " {status} " " {timeliness}</h3>
            <p class="hint">{dates}</p>
            <p class="report-text">{r.text.clone()}</p>
            {answer}
        </li>
    }
}

/// The list's filters: a plain GET form to `/reports` (the app turns its
/// submit into an in-app navigation). `value`/`selected` are what the
/// server writes, `prop:` what the app keeps in step.
pub fn report_filters(
    ui: Ui,
    q: RwSignal<String>,
    status: RwSignal<String>,
    agency: RwSignal<String>,
    agencies: Signal<Vec<ReportAgency>>,
    on_submit: impl FnMut(SubmitEvent) + 'static,
) -> impl IntoView {
    let status_option = move |value: &'static str, text: fn(Ui) -> &'static str| {
        let on = move || status.get() == value;
        view! { <option value=value selected=on prop:selected=on>{move || text(ui)}</option> }
    };
    view! {
        <form id="report-search" class="search-form" role="search" method="get" action="/reports" on:submit=on_submit>
            <p class="field">
                <label for="report-q">{ui.tr("report.search")}</label>
                <input id="report-q" type="search" name="q" maxlength="200" value=q prop:value=q on:input=move |ev| q.set(event_target_value(&ev)) />
            </p>
            <p class="field">
                <label for="report-status">{ui.tr("report.status")}</label>
                <select id="report-status" name="status" on:change=move |ev| status.set(event_target_value(&ev))>
                    {status_option("", |ui| ui.t("report.status_any"))}
                    {status_option("answered", |ui| ui.t("report.status.answered"))}
                    {status_option("received", |ui| ui.t("report.status.received"))}
                </select>
            </p>
            <p class="field">
                <label for="report-agency">{ui.tr("report.agency_filter")}</label>
                <select id="report-agency" name="agency" on:change=move |ev| agency.set(event_target_value(&ev))>
                    <option value="" selected=move || agency.get().is_empty()>{ui.tr("report.agency_any")}</option>
                    {move || agency_options(agencies.get(), agency)}
                </select>
            </p>
            <button type="submit" class="button">{ui.tr("report.filter")}</button>
        </form>
    }
}

fn agency_options(list: Vec<ReportAgency>, chosen: RwSignal<String>) -> impl IntoView {
    list.into_iter()
        .map(|a| {
            let (id, id2) = (a.id.clone(), a.id.clone());
            view! {
                <option value=a.id selected=move || chosen.get() == id prop:selected=move || chosen.get() == id2 lang="vi">{a.name}</option>
            }
        })
        .collect_view()
}

/// The address of the list's next page (keyset: before the last report shown).
pub fn next_page_href(q: &str, status: &str, agency: &str, before: &str) -> String {
    format!("/reports?q={}&status={}&agency={}&before={}", encode(q, true), encode(status, true), encode(agency, true), encode(before, true))
}

/// The holder's report and its answer; `rating` the answer's rating (the
/// app's form or the server's), shown once the report is answered.
pub fn holder_report<R: IntoView + 'static>(ui: Ui, v: &HolderView, rating: R) -> impl IntoView + use<R> {
    let dates = fill(ui.t("report.received_on"), &[("date", &show_date(v.received_on)), ("due", &show_date(v.due_on))]);
    let answer = match (&v.status, v.answer.clone()) {
        (ReportStatus::Answered, Some(a)) => {
            let by = fill(ui.t("report.answer_by"), &[("agency", &v.agency_name)]);
            view! {
                <section id="report-answer" class="fact">
                    <h2>{by}</h2>
                    <p lang="vi">{a}</p>
                </section>
                {rating}
            }
            .into_any()
        }
        _ => view! { <p id="report-waiting" role="status">{ui.tr("report.waiting_answer")}</p> }.into_any(),
    };
    view! {
        <section id="report-mine" class="fact">
            <h2>{ui.tr("report.your_text")}</h2>
            <p class="hint">{dates}</p>
            <p class="report-text">{v.text.clone()}</p>
        </section>
        {answer}
    }
}

/// The answer's rating: given (`rated`), or the form.
pub fn rate_section(ui: Ui, body: impl IntoView + 'static) -> impl IntoView {
    view! {
        <section id="report-rate" class="fact" aria-labelledby="report-rate-title">
            <h2 id="report-rate-title">{ui.tr("report.rate_title")}</h2>
            {body}
        </section>
    }
}

pub fn rated(ui: Ui, c: Choice) -> impl IntoView {
    view! { <p id="report-rated" tabindex="-1" role="status">{fill(ui.t("report.rated"), &[("choice", choice_name(ui, c))])}</p> }
}

/// The three faces, a refusal, and the send button; `post`: the server's
/// form posts them with the code and secret to the report's page.
pub fn rate_form(
    ui: Ui,
    choice: RwSignal<Option<Choice>>,
    failed: Signal<Option<String>>,
    busy: Signal<bool>,
    post: Option<(String, String)>,
    on_submit: impl FnMut(SubmitEvent) + 'static,
) -> impl IntoView {
    let (action, hidden) = match post {
        Some((code, secret)) => (
            Some(format!("/reports/{}", encode(&code, false))),
            Some(view! {
                <input type="hidden" name="secret" value=secret />
                <input type="hidden" name="do" value="rate" />
            }),
        ),
        None => (None, None),
    };
    let method = action.as_ref().map(|_| "post");
    view! {
        <form id="report-rate-form" method=method action=action on:submit=on_submit>
            {hidden}
            <fieldset class="faces">
                <legend class="visually-hidden">{ui.tr("report.rate_title")}</legend>
                {faces(ui, "answer-rating".to_owned(), choice)}
            </fieldset>
            {move || failed.get().map(|f| view! { <p class="alert" role="alert">{f}</p> })}
            <button type="submit" id="report-rate-send" class="button primary" aria-disabled=move || busy.get().then_some("true")>
                {ui.tr("report.rate_send")}
            </button>
        </form>
    }
}

/// The code-and-secret form of a report's page; the server's posts the
/// secret in the body (never in a URL).
pub fn secret_form<S: FnMut(SubmitEvent) + 'static>(ui: Ui, code: &str, secret: RwSignal<String>, on_submit: S) -> impl IntoView + use<S> {
    view! {
        <form id="report-secret-form" class="track-form" method="post" action=format!("/reports/{}", encode(code, false)) on:submit=on_submit>
            <p class="field">
                <label for="report-secret">{ui.tr("report.secret")}</label>
                <input id="report-secret" type="text" name="secret" autocomplete="off" autocapitalize="characters" maxlength="20"
                    value=secret prop:value=secret on:input=move |ev| secret.set(event_target_value(&ev)) />
            </p>
            <button type="submit" class="button">{ui.tr("report.open")}</button>
        </form>
        <p><a href="/reports">{ui.tr("report.list_title")}</a></p>
    }
}

/// A report just received: its code and secret to keep; `open` the way on
/// to its page (the app's link with the secret in the fragment, the
/// server's form posting it).
pub fn report_sent<O: IntoView + 'static>(ui: Ui, r: &ReportReceipt, open: O) -> impl IntoView + use<O> {
    let line = fill(ui.t("report.sent"), &[("code", &r.code), ("secret", &r.secret), ("due", &show_date(r.due_on)), ("agency", &r.agency_name)]);
    view! {
        <section id="report-sent" tabindex="-1" class="fact">
            <h2>{ui.tr("report.sent_title")}</h2>
            <p role="status">{line}</p>
            <p class="receipt-code"><strong id="report-code">{r.code.clone()}</strong> " · " <strong id="report-secret">{r.secret.clone()}</strong></p>
            <p>{ui.tr("report.sent_keep")}</p>
            {open}
        </section>
    }
}

/// What the server's report form holds: as typed, kept through every post.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Typed {
    pub subject: Subject,
    pub agency_id: String,
    pub text: String,
    pub dossier_code: String,
    pub name: String,
    pub phone: String,
    pub private: bool,
    /// Photos already sent (upload ids), kept while the form is fixed.
    pub photos: Vec<String>,
    /// Made with the form's first page: the same report whatever is posted again.
    pub key: String,
}

/// `/reports/new` as the server draws it: one page, posted whole
/// (multipart, for a photo); a refusal names each field and keeps all that
/// was typed and every photo sent.
pub fn server_report_form(ui: Ui, typed: Typed, agencies: Vec<ReportAgency>, issues: Vec<FieldIssue>, alert: Option<String>) -> impl IntoView {
    let error = |field: &'static str| issues.iter().find(|i| i.field == field).map(|i| field_error(ui, i.error, field_label(ui, field)));
    let input = |id: &'static str, name: &'static str, field: &'static str, value: String, kind: &'static str, max: &'static str, auto: &'static str| {
        let e = error(field);
        let described = e.as_ref().map(|_| format!("{id}-error"));
        view! {
            <p class="field">
                <label for=id>{field_label(ui, field)}</label>
                {e.map(|e| view! { <span id=format!("{id}-error") class="field-error">{e}</span> })}
                <input id=id name=name type=kind maxlength=max autocomplete=auto value=value
                    aria-invalid=described.as_ref().map(|_| "true") aria-describedby=described />
            </p>
        }
    };
    let radios = subject_choices(ui, RwSignal::new(typed.subject));
    let chosen = typed.agency_id.clone();
    let options = agencies
        .into_iter()
        .map(|a| {
            let on = a.id == chosen;
            view! { <option value=a.id selected=on lang="vi">{a.name}</option> }
        })
        .collect_view();
    let text_error = error("text");
    let text_described = if text_error.is_some() { "report-text-hint report-text-error" } else { "report-text-hint" };
    let photos_error = error("photos");
    let kept = typed.photos.iter().map(|id| view! { <input type="hidden" name="photo_id" value=id.clone() /> }).collect_view();
    let sent_photos = (!typed.photos.is_empty()).then(|| {
        let line = fill(ui.t("report.photos_kept"), &[("count", &typed.photos.len().to_string())]);
        // A box, not a button: Enter in a field presses the form's first button.
        view! {
            <p id="report-photos-kept" class="notice">{line}</p>
            <div class="choice">
                <input type="checkbox" id="report-photos-remove" name="remove_photos" value="1" />
                <label for="report-photos-remove">{ui.tr("report.photos_remove")}</label>
            </div>
        }
    });
    let (dossier, name, phone) = (typed.dossier_code.clone(), typed.name.clone(), typed.phone.clone());
    view! {
        <p>{ui.tr("report.new_intro")}</p>
        <form id="report-form" class="report-form" method="post" action="/reports/new" enctype="multipart/form-data" novalidate>
            <input type="hidden" name="key" value=typed.key.clone() />
            {kept}
            {alert.map(|a| view! { <p id="report-error" class="alert" role="alert" tabindex="-1">{a}</p> })}
            <fieldset class="question">
                <legend>{ui.tr("report.subject")}</legend>
                {radios}
            </fieldset>
            <p class="field">
                <label for="report-agency-id">{ui.tr("report.agency")}</label>
                {error("agency_id").map(|e| view! { <span id="report-agency-id-error" class="field-error">{e}</span> })}
                <select id="report-agency-id" name="agency_id">
                    <option value="" selected=chosen.is_empty()>{ui.tr("report.agency_unknown")}</option>
                    {options}
                </select>
            </p>
            <p class="field">
                <label for="report-text">{ui.tr("report.text")}</label>
                <span id="report-text-hint" class="hint">{ui.tr("report.text_hint")}</span>
                {text_error.clone().map(|e| view! { <span id="report-text-error" class="field-error">{e}</span> })}
                <textarea id="report-text" name="text" rows="6" maxlength="4000" aria-invalid=text_error.map(|_| "true")
                    aria-describedby=text_described>{typed.text.clone()}</textarea>
            </p>
            <div class="field">
                <label for="report-photos" class="field-label">{ui.tr("report.photos")}</label>
                <p id="report-photos-hint" class="hint">{ui.tr("report.photos_hint")}</p>
                {photos_error.map(|e| view! { <p id="report-photos-error" class="field-error">{e}</p> })}
                {sent_photos}
                <input id="report-photos" type="file" name="photo" accept="image/jpeg,image/png" aria-describedby="report-photos-hint" />
            </div>
            {input("report-dossier-code", "dossier_code", "dossier_code", dossier, "text", "64", "off")}
            {input("report-name", "name", "name", name, "text", "100", "name")}
            {input("report-phone", "phone", "notify.phone", phone, "tel", "20", "tel")}
            <div class="choice">
                <input type="checkbox" id="report-private" name="private" value="1" checked=typed.private aria-describedby="report-private-hint" />
                <label for="report-private">{ui.tr("report.private")}</label>
            </div>
            <p id="report-private-hint" class="hint">{ui.tr("report.private_hint")}</p>
            <button type="submit" id="report-send" class="button primary">{ui.tr("report.send")}</button>
        </form>
    }
}
