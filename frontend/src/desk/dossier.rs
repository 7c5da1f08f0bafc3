//! `/desk/dossiers/{code}`: one dossier of the officer's agency: its answers
//! (labelled from the version of the form the citizen filled, in the
//! officers' wording where the form has one), its papers, its history, and the actions the
//! lifecycle allows now. The function decides; a refused action shows why.
//!
//! The actions come right after the summary, before answers that can run to
//! thousands of pixels: the keyboard reaches them first, and on a wide screen
//! they stay in view beside the answers while the officer reads (style.css,
//! `.dossier-layout`).

use super::queue::{channel_name, papers_sent_badge};
use super::{api, show_time, use_session};
use crate::api::{loader, FetchError, Load};
use crate::components::labels;
use crate::components::load_error::{LoadError, Loading};
use crate::components::page_heading::PageHeading;
use crate::drafts::show_date;
use crate::state::{use_ui, Ui};
use leptos::prelude::*;
use leptos::task::spawn_local;
use motcua_shared::desk::{AuditEntry, DeskDossier};
use motcua_shared::dossier::attachments::MediaType;
use motcua_shared::dossier::lifecycle::ActionKind;
use motcua_shared::forms::{FormSpec, QuestionKind};
use motcua_shared::notify::{DeliveryState, Event};
use crate::components::notify_choice;

#[component]
pub fn DossierPage(code: String) -> impl IntoView {
    let ui = use_ui();
    let session = use_session();
    let key = code.clone();
    let (state, retry) = loader(
        move || Some(key.clone()),
        move |code: String| async move {
            let d = api::dossier(&code).await;
            if let Err(e) = &d {
                session.check(e);
            }
            let d = d?;
            // The form names the questions (the version the citizen filled, when
            // known); without it the ids show.
            let form = match d.form_version {
                Some(v) => crate::api::form_version(&d.item.procedure_code, v).await.ok(),
                None => crate::api::form(&d.item.procedure_code).await.ok(),
            };
            Ok::<_, FetchError>((d, form))
        },
    );
    view! {
        <p class="back">
            <a class="back-link" href="/desk">{ui.tr("desk.back_to_queue")}</a>
        </p>
        {move || {
            state
                .with(|s| match s {
                    Load::Loading => view! { <Loading /> }.into_any(),
                    Load::Failed(e) => view! { <LoadError error=e.clone() retry /> }.into_any(),
                    Load::Ready((d, form)) => view! { <Dossier initial=d.clone() form=form.clone() /> }.into_any(),
                })
        }}
    }
}

#[component]
fn Dossier(initial: DeskDossier, form: Option<FormSpec>) -> impl IntoView {
    let ui = use_ui();
    let dossier = RwSignal::new(initial);
    let form = StoredValue::new(form);
    let code = dossier.with_untracked(|d| d.item.code.clone());
    let title = code.clone();
    view! {
        <div class="dossier-layout">
            <div class="dossier-summary">
                <PageHeading text=Signal::derive(move || title.clone()) />
                {move || {
                    let item = dossier.with(|d| d.item.clone());
                    view! {
                        <p class="subtitle" lang="vi">{item.procedure_name.clone()}</p>
                        <dl class="pairs" id="dossier-summary">
                            {(!item.citizen_name.is_empty()).then(|| view! {
                                <dt>{ui.t("desk.col.citizen")}</dt>
                                <dd id="dossier-citizen" lang="vi">{item.citizen_name.clone()}</dd>
                            })}
                            <dt>{ui.t("desk.col.status")}</dt>
                            <dd id="dossier-status">
                                {labels::status(ui, item.status)}
                                {item.overdue.then(|| view! { " " <strong class="badge overdue">{ui.t("desk.overdue")}</strong> })}
                                {item.papers_sent.then(|| papers_sent_badge(ui))}
                            </dd>
                            <dt>{ui.t("desk.col.received")}</dt>
                            <dd>{show_date(item.received_on)}</dd>
                            <dt>{ui.t("desk.col.due")}</dt>
                            <dd>{item.appointment_on.map(show_date).unwrap_or_default()}</dd>
                            <dt>{ui.t("desk.col.channel")}</dt>
                            <dd>{channel_name(ui, &item.channel)}</dd>
                        </dl>
                    }
                }}
            </div>
            <Actions dossier code />
            <div class="dossier-details">
                {move || {
                    let d = dossier.get();
                    view! {
                        {answers(ui, &d, form)}
                        {papers(ui, &d, form)}
                        {messages(ui, &d)}
                        {history(ui, &d)}
                    }
                }}
            </div>
        </div>
    }
}

fn label(form: StoredValue<Option<FormSpec>>, id: &str) -> String {
    form.with_value(|f| f.as_ref().and_then(|f| f.question(id)).map(|q| q.officer_label().to_owned())).unwrap_or_else(|| id.to_owned())
}

fn answers(ui: Ui, d: &DeskDossier, form: StoredValue<Option<FormSpec>>) -> impl IntoView + use<> {
    // In the form's order, then anything the form no longer asks.
    let mut ids: Vec<String> =
        form.with_value(|f| f.as_ref().map(|f| f.questions.iter().map(|q| q.id.clone()).collect()).unwrap_or_default());
    ids.retain(|id| d.answers.contains_key(id));
    ids.extend(d.answers.keys().filter(|k| !ids.contains(k)).cloned().collect::<Vec<_>>());
    let rows = ids
        .into_iter()
        .map(|id| {
            let value = d.answers.get(&id).cloned().unwrap_or_default();
            // As the citizen chose it: a choice's label, a date as dd/mm/yyyy.
            let value = form.with_value(|f| {
                let q = f.as_ref().and_then(|f| f.question(&id))?;
                match q.kind {
                    QuestionKind::Choice => q.choices.iter().find(|c| c.value == value).map(|c| c.label_vi.clone()),
                    QuestionKind::Date => value.parse().ok().map(show_date),
                    _ => None,
                }
            })
            .unwrap_or(value);
            view! {
                <dt lang="vi">{label(form, &id)}</dt>
                <dd>{value}</dd>
            }
        })
        .collect_view();
    view! {
        <section class="fact" aria-labelledby="answers-title">
            <h2 id="answers-title">{ui.t("desk.dossier.answers")}</h2>
            <dl id="dossier-answers" class="pairs">{rows}</dl>
        </section>
    }
}

fn papers(ui: Ui, d: &DeskDossier, form: StoredValue<Option<FormSpec>>) -> impl IntoView + use<> {
    let code = d.item.code.clone();
    let items = d
        .attachments
        .iter()
        .map(|a| {
            let url = api::attachment_url(&code, &a.id);
            let what = match &a.question_id {
                Some(q) => label(form, q),
                None => ui.t("desk.dossier.supplied").to_owned(),
            };
            let when = show_time(&a.attached_at);
            let preview = (a.media_type != MediaType::Pdf)
                .then(|| view! { <img src=url.clone() alt=what.clone() loading="lazy" width="160" /> });
            view! {
                <li class="paper">
                    {preview}
                    <span lang="vi">{what}</span>
                    <span class="hint">{when} " · " {a.media_type.as_str().to_uppercase()}</span>
                    <a class="paper-link" href=url target="_blank" rel="noopener">
                        {ui.t("desk.dossier.open_paper")}
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="fact" aria-labelledby="papers-title">
            <h2 id="papers-title">{ui.t("desk.dossier.papers")}</h2>
            {if d.attachments.is_empty() {
                view! { <p>{ui.t("desk.dossier.no_papers")}</p> }.into_any()
            } else {
                view! { <ul id="dossier-papers" class="papers">{items}</ul> }.into_any()
            }}
        </section>
    }
}

/// The messages the citizen was sent, and what each gateway said: an
/// officer can tell a citizen "the SMS went at 09:12" or "the gateway refused the number".
fn messages(ui: Ui, d: &DeskDossier) -> impl IntoView + use<> {
    let rows = d
        .messages
        .iter()
        .map(|m| {
            let state = match m.state {
                DeliveryState::Queued => ui.t("desk.message.queued"),
                DeliveryState::Sending => ui.t("desk.message.sending"),
                DeliveryState::Sent => ui.t("desk.message.sent"),
                DeliveryState::Failed => ui.t("desk.message.failed"),
                DeliveryState::Cancelled => ui.t("desk.message.cancelled"),
            };
            let when = m.sent_at.as_deref().map_or_else(|| show_time(&m.queued_at), show_time);
            view! {
                <tr data-state=m.state.as_str()>
                    <td>{when}</td>
                    <td>{event_name(ui, m.event)}</td>
                    <td>{notify_choice::channel_name(ui, m.channel)} " " <span class="hint">{m.to.clone()}</span></td>
                    <td>{state} {(m.attempts > 1).then(|| format!(" ({})", m.attempts))}</td>
                    <td class="gateway-said">{m.gateway_said.clone().unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="fact" aria-labelledby="messages-title">
            <h2 id="messages-title">{ui.t("desk.dossier.messages")}</h2>
            {if d.messages.is_empty() {
                view! { <p>{ui.t("desk.dossier.no_messages")}</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap" tabindex="0" role="region" aria-label=ui.t("desk.dossier.messages")>
                        <table id="dossier-messages" class="desk-table">
                            <thead>
                                <tr>
                                    <th scope="col">{ui.t("desk.col.when")}</th>
                                    <th scope="col">{ui.t("desk.message.event")}</th>
                                    <th scope="col">{ui.t("desk.message.to")}</th>
                                    <th scope="col">{ui.t("desk.col.status")}</th>
                                    <th scope="col">{ui.t("desk.message.gateway_said")}</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                }
                .into_any()
            }}
        </section>
    }
}

/// The change a message told of.
pub fn event_name(ui: Ui, event: Event) -> &'static str {
    match event {
        Event::Accepted => ui.t("desk.event.accepted"),
        Event::DocumentsRequested => ui.t("desk.event.documents_requested"),
        Event::FeesRequested => ui.t("desk.event.fees_requested"),
        Event::ResultReady => ui.t("desk.event.result_ready"),
        Event::Returned => ui.t("desk.event.returned"),
        Event::Refused => ui.t("desk.event.refused"),
        Event::Stopped => ui.t("desk.event.stopped"),
        Event::ReportAnswered => ui.t("desk.event.report_answered"),
    }
}

/// Who acted, as people say it: "Công dân" for the citizen, the officer's name.
fn who(ui: Ui, h: &AuditEntry) -> String {
    match (&h.actor_name, h.actor.as_str()) {
        (Some(name), _) => name.clone(),
        (None, "citizen") => ui.t("desk.actor.citizen").to_owned(),
        // An account since removed: its username, which is still someone.
        (None, other) => other.strip_prefix("officer:").unwrap_or(other).to_owned(),
    }
}

fn history(ui: Ui, d: &DeskDossier) -> impl IntoView + use<> {
    let rows = d
        .history
        .iter()
        .map(|h| {
            let from = h.from.map(|s| labels::status(ui, s)).unwrap_or("—");
            let notes = [h.note_to_citizen.clone(), h.internal_note.clone()].into_iter().flatten().collect::<Vec<_>>().join(" · ");
            view! {
                <tr>
                    <td>{show_time(&h.at)}</td>
                    <td>{who(ui, h)}</td>
                    <td>{from} " → " {labels::status(ui, h.to)}</td>
                    <td>{notes}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="fact" aria-labelledby="history-title">
            <h2 id="history-title">{ui.t("desk.dossier.history")}</h2>
            <div class="table-wrap" tabindex="0" role="region" aria-label=ui.t("desk.dossier.history")>
                <table id="dossier-history" class="desk-table">
                    <thead>
                        <tr>
                            <th scope="col">{ui.t("desk.col.when")}</th>
                            <th scope="col">{ui.t("desk.col.who")}</th>
                            <th scope="col">{ui.t("desk.col.change")}</th>
                            <th scope="col">{ui.t("desk.col.notes")}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}

pub fn action_name(ui: Ui, kind: ActionKind) -> &'static str {
    match kind {
        ActionKind::Submit => ui.t("desk.action.submit"),
        ActionKind::Accept => ui.t("desk.action.accept"),
        ActionKind::Refuse => ui.t("desk.action.refuse"),
        ActionKind::StartProcessing => ui.t("desk.action.start_processing"),
        ActionKind::RequestDocuments => ui.t("desk.action.request_documents"),
        ActionKind::SupplyDocuments => ui.t("desk.action.supply_documents"),
        ActionKind::AcceptSupplement => ui.t("desk.action.accept_supplement"),
        ActionKind::AskForFees => ui.t("desk.action.ask_for_fees"),
        ActionKind::FeesPaid => ui.t("desk.action.fees_paid"),
        ActionKind::Withdraw => ui.t("desk.action.withdraw"),
        ActionKind::Stop => ui.t("desk.action.stop"),
        ActionKind::Finish => ui.t("desk.action.finish"),
        ActionKind::ReturnResult => ui.t("desk.action.return_result"),
    }
}

fn kind_str(kind: ActionKind) -> String {
    serde_json::to_value(kind).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// A labelled text area for a reason or a note (at most 2,000 characters, as the function keeps).
fn note_field(
    id: &'static str,
    label: impl Fn() -> &'static str + Send + Sync + 'static,
    value: RwSignal<String>,
) -> impl IntoView {
    view! {
        <p class="field">
            <label for=id>{label}</label>
            <textarea id=id rows="3" maxlength="2000" prop:value=value on:input=move |ev| value.set(event_target_value(&ev))></textarea>
        </p>
    }
}

/// The actions allowed now, as radio buttons, with the reason (required to
/// refuse, stop or ask for papers: the citizen reads it) and the notes.
#[component]
fn Actions(dossier: RwSignal<DeskDossier>, code: String) -> impl IntoView {
    let ui = use_ui();
    let session = use_session();
    let code = StoredValue::new(code);
    let chosen = RwSignal::new(None::<ActionKind>);
    let reason = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let internal = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Result<String, String>>);
    let needs_reason = move || chosen.get().is_some_and(ActionKind::needs_reason);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(kind) = chosen.get_untracked() else {
            outcome.set(Some(Err(ui.t("desk.actions.choose").to_owned())));
            return;
        };
        let mut body = serde_json::json!({ "action": kind_str(kind) });
        if kind.needs_reason() {
            if reason.get_untracked().trim().is_empty() {
                outcome.set(Some(Err(ui.t("desk.reason.required").to_owned())));
                return;
            }
            body["reason"] = reason.get_untracked().into();
        }
        for (field, text) in [("note_to_citizen", note), ("internal_note", internal)] {
            let t = text.get_untracked();
            if !t.trim().is_empty() {
                body[field] = t.into();
            }
        }
        busy.set(true);
        outcome.set(None);
        spawn_local(async move {
            match api::act(&code.get_value(), body).await {
                Ok(d) => {
                    let status = labels::status(ui, d.item.status);
                    outcome.set(Some(Ok(crate::i18n::fill(ui.t("desk.applied"), &[("status", status)]))));
                    dossier.set(d);
                    chosen.set(None);
                    for s in [reason, note, internal] {
                        s.set(String::new());
                    }
                }
                Err(e) => {
                    session.check(&e);
                    outcome.set(Some(Err(labels::fetch_error(ui, &e))));
                }
            }
            busy.set(false);
        });
    };
    let choices = move || {
        dossier
            .with(|d| d.allowed_actions.clone())
            .into_iter()
            .map(|kind| {
                let id = format!("action-{}", kind_str(kind));
                view! {
                    <div class="choice">
                        <input
                            type="radio"
                            name="action"
                            id=id.clone()
                            prop:checked=move || chosen.get() == Some(kind)
                            on:change=move |_| chosen.set(Some(kind))
                        />
                        <label for=id>{action_name(ui, kind)}</label>
                    </div>
                }
            })
            .collect_view()
    };
    view! {
        <section class="fact dossier-actions" aria-labelledby="actions-title">
            <h2 id="actions-title">{ui.tr("desk.actions.title")}</h2>
            {move || {
                outcome
                    .get()
                    .map(|o| match o {
                        Ok(t) => view! { <p id="action-done" class="notice" role="status">{t}</p> }.into_any(),
                        Err(t) => view! { <p id="action-error" class="alert" role="alert">{t}</p> }.into_any(),
                    })
            }}
            <Show
                when=move || dossier.with(|d| !d.allowed_actions.is_empty())
                fallback=move || view! { <p id="no-actions">{ui.tr("desk.actions.none")}</p> }
            >
                <form class="desk-form" on:submit=submit>
                    <fieldset>
                        <legend>{ui.tr("desk.actions.choose")}</legend>
                        {choices}
                    </fieldset>
                    <Show when=needs_reason>{note_field("action-reason", ui.tr("desk.reason"), reason)}</Show>
                    {note_field("action-note", ui.tr("desk.note_to_citizen"), note)}
                    {note_field("action-internal", ui.tr("desk.internal_note"), internal)}
                    <p class="apply-row">
                        <button id="action-apply" type="submit" class="button primary" disabled=busy>
                            {ui.tr("desk.apply")}
                        </button>
                    </p>
                </form>
            </Show>
        </section>
    }
}
