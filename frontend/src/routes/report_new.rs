//! `/reports/new`: a citizen reports about a service, a procedure or an
//! officer's conduct. Checked by the same rule as the function; with no
//! signal the report waits in the device's outbox and arrives once (never
//! on a kiosk, whose next user must not inherit it). What was typed stays
//! on the page whatever the answer.

use crate::api::{self, loader, FetchError, Load, ReportSent};
use crate::components::labels;
use crate::components::page_heading::PageHeading;
use crate::components::focus::focus_later;
use crate::components::read_aloud::read_aloud;
use crate::drafts;
use crate::photos::{Photo, PhotoPicker};
use crate::offline::{can_queue, use_outbox};
use crate::state::use_ui;
use motcua_views::reports::{field_input, field_label, report_sent, subject_choices};
use leptos::prelude::*;
use leptos::task::spawn_local;
use motcua_shared::notify::{Channel, NotifyChoice};
use motcua_shared::reports::{check_report, NewReport, ReportReceipt, Subject};
use motcua_shared::validation::FieldIssue;

#[derive(Clone, PartialEq)]
enum Outcome {
    Sent(ReportReceipt),
    Queued,
}

#[component]
pub fn NewReportPage() -> impl IntoView {
    let ui = use_ui();
    let outbox = use_outbox();
    let subject = RwSignal::new(Subject::Service);
    let (agency, dossier, text, name, phone) =
        (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let private = RwSignal::new(false);
    let photos = RwSignal::new(Vec::<Photo>::new());
    let issues = RwSignal::new(Vec::<FieldIssue>::new());
    let failed = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Outcome>);
    // One key per report on this page: a second tap after a dropped connection is the same report.
    let key = StoredValue::new(drafts::new_send_key("report"));
    let (agencies, _) = loader(|| Some(()), |_| api::report_agencies());
    let error_of = move |field: &'static str| {
        move || {
            issues.with(|all| all.iter().find(|i| i.field == field).map(|i| labels::field_error(ui, i.error, field_label(ui, field))))
        }
    };
    let invalid = move |field: &'static str| move || issues.with(|all| all.iter().any(|i| i.field == field)).then_some("true");
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let typed = |s: RwSignal<String>| Some(s.get_untracked().trim().to_owned()).filter(|v| !v.is_empty());
        let report = NewReport {
            idempotency_key: key.get_value(),
            subject: subject.get_untracked(),
            agency_id: typed(agency),
            dossier_code: typed(dossier),
            text: text.get_untracked(),
            name: typed(name),
            notify: typed(phone).map(|p| NotifyChoice { channel: Channel::Sms, phone: Some(p), email: None }),
            private: private.get_untracked(),
            language: Some(ui.lang.get_untracked().code().to_owned()),
            photos: photos.with_untracked(|p| p.iter().map(|p| p.id.clone()).collect()),
        };
        let found = check_report(&report);
        if let Some(first) = found.first() {
            let id = field_input(&first.field);
            issues.set(found);
            failed.set(Some(ui.t("report.fix").to_owned()));
            focus_later(id);
            return;
        }
        issues.set(Vec::new());
        failed.set(None);
        busy.set(true);
        spawn_local(async move {
            match api::send_report(&report, can_queue()).await {
                Ok(ReportSent::Received(receipt)) => {
                    drafts::keep_report(receipt.clone());
                    outcome.set(Some(Outcome::Sent(receipt)));
                    focus_later("report-sent");
                }
                Ok(ReportSent::Queued) => {
                    outbox.queued();
                    outcome.set(Some(Outcome::Queued));
                    focus_later("report-sent");
                }
                Err(FetchError::Api(e)) if !e.issues.is_empty() => {
                    issues.set(e.issues.clone());
                    failed.set(Some(ui.t("report.fix").to_owned()));
                    focus_later("report-error");
                }
                Err(e) => {
                    failed.set(Some(labels::fetch_error(ui, &e)));
                    focus_later("report-error");
                }
            }
            busy.set(false);
        });
    };
    let form = move || {
        let radios = subject_choices(ui, subject);
        let field = move |id: &'static str, field: &'static str, value: RwSignal<String>, kind: &'static str, max: &'static str| {
            let error = error_of(field);
            view! {
                <p class="field">
                    <label for=id>{move || field_label(ui, field)}</label>
                    {move || error().map(|e| view! { <span id=format!("{id}-error") class="field-error">{e}</span> })}
                    <input id=id type=kind maxlength=max prop:value=value aria-invalid=invalid(field)
                        aria-describedby=move || error().map(|_| format!("{id}-error"))
                        on:input=move |ev| value.set(event_target_value(&ev)) />
                </p>
            }
        };
        let text_error = error_of("text");
        view! {
            <form id="report-form" class="report-form" novalidate on:submit=submit>
                <fieldset class="question">
                    <legend>{ui.tr("report.subject")}</legend>
                    {read_aloud(ui, "read-report-subject", Some("report.subject".to_owned()), Signal::derive(move || ui.t("report.subject").to_owned()))}
                    {radios}
                </fieldset>
                <p class="field">
                    <label for="report-agency-id">{ui.tr("report.agency")}</label>
                    <select id="report-agency-id" on:change=move |ev| agency.set(event_target_value(&ev))>
                        <option value="" selected=move || agency.get().is_empty()>{ui.tr("report.agency_unknown")}</option>
                        {move || agencies.with(|a| match a {
                            Load::Ready(list) => list.iter().map(|a| {
                                let chosen = a.id.clone();
                                view! { <option value=a.id.clone() selected=move || agency.get() == chosen lang="vi">{a.name.clone()}</option> }
                            }).collect_view().into_any(),
                            _ => ().into_any(),
                        })}
                    </select>
                </p>
                <p class="field">
                    <label for="report-text">{ui.tr("report.text")}</label>
                    {read_aloud(ui, "read-report-text", Some("report.text_hint".to_owned()), Signal::derive(move || ui.t("report.text_hint").to_owned()))}
                    <span id="report-text-hint" class="hint">{ui.tr("report.text_hint")}</span>
                    {move || text_error().map(|e| view! { <span id="report-text-error" class="field-error">{e}</span> })}
                    <textarea id="report-text" rows="6" maxlength="4000" aria-invalid=invalid("text")
                        aria-describedby=move || if text_error().is_some() { "report-text-hint report-text-error" } else { "report-text-hint" }
                        prop:value=text on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                </p>
                <div class="field">
                    <p id="report-photos-label" class="field-label">{ui.tr("report.photos")}</p>
                    <p id="report-photos-hint" class="hint">{ui.tr("report.photos_hint")}</p>
                    {move || error_of("photos")().map(|e| view! { <p class="field-error">{e}</p> })}
                    <PhotoPicker ui photos input_id="report-photos"
                        described_by=Signal::derive(|| Some("report-photos-label report-photos-hint".to_owned())) queue=can_queue() />
                </div>
                {field("report-dossier-code", "dossier_code", dossier, "text", "64")}
                {field("report-name", "name", name, "text", "100")}
                {field("report-phone", "notify.phone", phone, "tel", "20")}
                <div class="choice">
                    <input type="checkbox" id="report-private" prop:checked=private
                        aria-describedby="report-private-hint" on:change=move |ev| private.set(event_target_checked(&ev)) />
                    <label for="report-private">{ui.tr("report.private")}</label>
                </div>
                <p id="report-private-hint" class="hint">{ui.tr("report.private_hint")}</p>
                {move || failed.get().map(|f| view! { <p id="report-error" class="alert" role="alert" tabindex="-1">{f}</p> })}
                <button type="submit" id="report-send" class="button primary" aria-disabled=move || busy.get().then_some("true")>
                    {ui.tr("report.send")}
                </button>
            </form>
        }
    };
    view! {
        <PageHeading text=Signal::derive(move || ui.t("report.new_title").to_owned()) />
        {move || match outcome.get() {
            None => view! { <p>{ui.tr("report.new_intro")}</p> {form()} }.into_any(),
            Some(Outcome::Queued) => view! {
                <section id="report-sent" tabindex="-1" class="fact">
                    <h2>{ui.tr("report.queued_title")}</h2>
                    <p role="status">{ui.tr("report.queued")}</p>
                    <p><a class="button" href="/reports">{ui.tr("report.list_title")}</a></p>
                </section>
            }.into_any(),
            Some(Outcome::Sent(r)) => {
                let open = view! { <p><a class="button primary" href=format!("/reports/{}#{}", r.code, r.secret)>{ui.tr("report.open")}</a></p> };
                report_sent(ui, &r, open).into_any()
            }
        }}
    }
}
