//! `/desk/consultations`: a supervisor puts a draft of the agency out for
//! comment (title, plain-language summary, sections, open and close
//! dates) and moderates the comments waiting; `/desk/consultations/{id}`:
//! an officer enters what was said at a village meeting or on paper,
//! labelled with where and for whom; once closed, a supervisor publishes
//! the response report, ticking the comments it answers.

use super::{api, use_session};
use crate::api::{loader, FetchError, Load};
use crate::components::load_error::{LoadError, Loading};
use crate::components::page_heading::PageHeading;
use crate::state::{use_ui, Ui};
use leptos::prelude::*;
use leptos::task::spawn_local;
use motcua_shared::consultations::{Consultation, DeskComment, Phase, Section};
use serde_json::json;

/// A refusal, naming the field by the label the form shows.
fn refusal(ui: Ui, e: &FetchError) -> String {
    super::refused(ui, e, |field| {
        Some(match field.rsplit('.').next().unwrap_or(field) {
            "title" => ui.t("desk.consult.draft_title"),
            "summary" => ui.t("desk.consult.summary"),
            "heading" => ui.t("desk.consult.heading"),
            "opens_on" => ui.t("desk.consult.opens"),
            "closes_on" => ui.t("desk.consult.closes"),
            "entered_for" => ui.t("desk.consult.paper_place"),
            "name" => ui.t("desk.consult.paper_name"),
            "section" => ui.t("desk.consult.paper_section"),
            "answers" => ui.t("desk.consult.response_answers"),
            // A section's text, a comment, a response: the text box of the form.
            "text" => ui.t("desk.consult.text"),
            _ => return None,
        })
    })
}

#[component]
pub fn ConsultationsPage() -> impl IntoView {
    let ui = use_ui();
    let session = use_session();
    let supervises = session.officer.with_untracked(|o| o.as_ref().is_some_and(|o| o.role.supervises()));
    let agency = session.officer.with_untracked(|o| o.as_ref().map(|o| o.agency_id.clone()).unwrap_or_default());
    let changed = RwSignal::new(0u32);
    let (list, retry) = loader(move || Some(changed.get()), |_| crate::api::consultations());
    view! {
        <PageHeading text=Signal::derive(move || ui.t("desk.consult.title").to_owned()) />
        <section aria-labelledby="own-consultations-title">
            <h2 id="own-consultations-title">{ui.t("desk.consult.own")}</h2>
            {move || list.with(|l| match l {
                Load::Loading => view! { <Loading /> }.into_any(),
                Load::Failed(e) => view! { <LoadError error=e.clone() retry /> }.into_any(),
                Load::Ready(l) => {
                    let own: Vec<_> = l.iter().filter(|c| c.agency_id == agency).cloned().collect();
                    if own.is_empty() {
                        return view! { <p>{ui.t("desk.consult.none")}</p> }.into_any();
                    }
                    view! {
                        <ul id="own-consultations">
                            {own.into_iter().map(|c| view! {
                                <li><a href=format!("/desk/consultations/{}", c.id)>{c.title}</a>
                                    " · " {motcua_views::consultations::phase_name(ui, c.phase)}</li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            })}
        </section>
        {supervises.then(|| view! { <Moderation /> <NewDraft changed /> })}
    }
}

/// The comments waiting for a supervisor, each published or rejected.
#[component]
fn Moderation() -> impl IntoView {
    let ui = use_ui();
    let session = use_session();
    let waiting = RwSignal::new(None::<Vec<DeskComment>>);
    let failed = RwSignal::new(None::<String>);
    spawn_local(async move {
        match api::pending_comments().await {
            Ok(list) => waiting.set(Some(list)),
            Err(e) => {
                session.check(&e);
                failed.set(Some(refusal(ui, &e)));
            }
        }
    });
    let decide = move |id: i64, publish: bool| {
        spawn_local(async move {
            match api::moderate_comment(id, publish).await {
                Ok(list) => waiting.set(Some(list)),
                Err(e) => failed.set(Some(refusal(ui, &e))),
            }
        });
    };
    view! {
        <section aria-labelledby="moderation-title">
            <h2 id="moderation-title">{ui.t("desk.consult.moderation")}</h2>
            {move || failed.get().map(|f| view! { <p class="alert" role="alert">{f}</p> })}
            {move || match waiting.get() {
                None => view! { <Loading /> }.into_any(),
                Some(list) if list.is_empty() => view! { <p id="moderation-empty">{ui.t("desk.consult.moderation_empty")}</p> }.into_any(),
                Some(list) => view! {
                    <ul id="moderation-queue" class="report-list">
                        {list.into_iter().map(|c| {
                            let id = c.id;
                            view! {
                                <li class="report-card" id=format!("pending-{id}")>
                                    <p class="hint">{c.consultation_title} " · " {c.name.unwrap_or_else(|| ui.t("consult.anonymous").to_owned())}</p>
                                    <p class="report-text">{c.text}</p>
                                    <button type="button" class="button primary" id=format!("publish-{id}") on:click=move |_| decide(id, true)>
                                        {ui.t("desk.consult.publish_comment")}
                                    </button>
                                    " "
                                    <button type="button" class="button" id=format!("reject-{id}") on:click=move |_| decide(id, false)>
                                        {ui.t("desk.consult.reject_comment")}
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

/// A new draft for comment: its sections added one by one.
#[component]
fn NewDraft(changed: RwSignal<u32>) -> impl IntoView {
    let ui = use_ui();
    let (title, summary, opens, closes) = (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let sections = RwSignal::new(vec![(RwSignal::new(String::new()), RwSignal::new(String::new()))]);
    let result = RwSignal::new(None::<Result<String, String>>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = json!({
            "title": title.get_untracked(),
            "summary": summary.get_untracked(),
            "opens_on": opens.get_untracked(),
            "closes_on": closes.get_untracked(),
            "sections": sections.get_untracked().iter().map(|(h, t)| Section { heading: h.get_untracked(), text: t.get_untracked() }).collect::<Vec<_>>(),
        });
        spawn_local(async move {
            match api::publish_consultation(body).await {
                Ok(c) => {
                    result.set(Some(Ok(c.title)));
                    changed.update(|n| *n += 1);
                }
                Err(e) => result.set(Some(Err(refusal(ui, &e)))),
            }
            crate::components::focus::focus_later("draft-result");
        });
    };
    view! {
        <form id="draft-form" class="desk-form" aria-labelledby="draft-title" on:submit=submit>
            <h2 id="draft-title">{ui.t("desk.consult.new")}</h2>
            <p class="field"><label for="draft-name">{ui.t("desk.consult.draft_title")}</label>
                <input id="draft-name" type="text" maxlength="200" prop:value=title on:input=move |ev| title.set(event_target_value(&ev)) /></p>
            <p class="field"><label for="draft-summary">{ui.t("desk.consult.summary")}</label>
                <textarea id="draft-summary" rows="3" maxlength="2000" prop:value=summary on:input=move |ev| summary.set(event_target_value(&ev))></textarea></p>
            {move || sections.get().into_iter().enumerate().map(|(i, (h, t))| view! {
                <fieldset class="question">
                    <legend>{labels_section(ui, i)}</legend>
                    <p class="field"><label for=format!("draft-heading-{i}")>{ui.t("desk.consult.heading")}</label>
                        <input id=format!("draft-heading-{i}") type="text" maxlength="200" prop:value=h on:input=move |ev| h.set(event_target_value(&ev)) /></p>
                    <p class="field"><label for=format!("draft-text-{i}")>{ui.t("desk.consult.text")}</label>
                        <textarea id=format!("draft-text-{i}") rows="4" prop:value=t on:input=move |ev| t.set(event_target_value(&ev))></textarea></p>
                </fieldset>
            }).collect_view()}
            <p><button type="button" id="draft-add-section" class="button"
                on:click=move |_| sections.update(|s| s.push((RwSignal::new(String::new()), RwSignal::new(String::new()))))>
                {ui.t("desk.consult.add_section")}</button></p>
            <p class="field"><label for="draft-opens">{ui.t("desk.consult.opens")}</label>
                <input id="draft-opens" type="date" prop:value=opens on:input=move |ev| opens.set(event_target_value(&ev)) /></p>
            <p class="field"><label for="draft-closes">{ui.t("desk.consult.closes")}</label>
                <input id="draft-closes" type="date" prop:value=closes on:input=move |ev| closes.set(event_target_value(&ev)) /></p>
            {move || result.get().map(|r| match r {
                Ok(t) => view! { <p id="draft-result" class="notice" role="status" tabindex="-1">{ui.t("desk.consult.published")} " " {t}</p> }.into_any(),
                Err(e) => view! { <p id="draft-result" class="alert" role="alert" tabindex="-1">{e}</p> }.into_any(),
            })}
            <button type="submit" id="draft-publish" class="button primary">{ui.t("desk.consult.publish")}</button>
        </form>
    }
}

fn labels_section(ui: Ui, i: usize) -> String {
    crate::i18n::fill(ui.t("desk.consult.section"), &[("n", &(i + 1).to_string())])
}

#[component]
pub fn ConsultationPage(id: String) -> impl IntoView {
    let ui = use_ui();
    let session = use_session();
    let supervises = session.officer.with_untracked(|o| o.as_ref().is_some_and(|o| o.role.supervises()));
    let id = StoredValue::new(id);
    let changed = RwSignal::new(0u32);
    let (state, retry) = loader(move || Some(changed.get()), move |_| async move { crate::api::consultation(&id.get_value()).await });
    view! {
        {move || state.with(|s| match s {
            Load::Loading => view! { <Loading /> }.into_any(),
            Load::Failed(e) => view! { <LoadError error=e.clone() retry /> }.into_any(),
            Load::Ready(c) => {
                let c = c.clone();
                let title = c.title.clone();
                view! {
                    <PageHeading text=Signal::derive(move || title.clone()) />
                    <p><a href=format!("/consultations/{}", c.id)>{ui.t("desk.consult.public_page")}</a></p>
                    {(c.phase == Phase::Open).then(|| view! { <PaperForm c=c.clone() /> })}
                    {(supervises && c.phase == Phase::Closed && c.response.is_none()).then(|| view! { <ResponseForm c=c.clone() changed /> })}
                    {c.response.is_some().then(|| view! { <p id="response-published" class="notice">{ui.t("desk.consult.responded")}</p> })}
                }.into_any()
            }
        })}
        <p><a href="/desk/consultations">{ui.t("desk.consult.back")}</a></p>
    }
}

/// What was said at a meeting or on paper, entered for someone.
#[component]
fn PaperForm(c: Consultation) -> impl IntoView {
    let ui = use_ui();
    let (section, place, name, text) = (RwSignal::new("0".to_owned()), RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let result = RwSignal::new(None::<Result<(), String>>);
    let id = c.id;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed_name = name.get_untracked().trim().to_owned();
        let body = json!({
            "section": section.get_untracked().parse::<u32>().unwrap_or(0),
            "entered_for": place.get_untracked(),
            "text": text.get_untracked(),
            "name": (!typed_name.is_empty()).then_some(typed_name),
        });
        spawn_local(async move {
            match api::paper_comment(id, body).await {
                // The form stays for the next one; the page is not drawn again.
                Ok(()) => {
                    result.set(Some(Ok(())));
                    text.set(String::new());
                }
                Err(e) => result.set(Some(Err(refusal(ui, &e)))),
            }
            crate::components::focus::focus_later("paper-result");
        });
    };
    view! {
        <form id="paper-form" class="desk-form" aria-labelledby="paper-title" on:submit=submit>
            <h2 id="paper-title">{ui.t("desk.consult.paper")}</h2>
            <p class="hint">{ui.t("desk.consult.paper_hint")}</p>
            <p class="field"><label for="paper-section">{ui.t("desk.consult.paper_section")}</label>
                <select id="paper-section" on:change=move |ev| section.set(event_target_value(&ev))>
                    {c.sections.iter().enumerate().map(|(i, s)| view! { <option value=i.to_string()>{s.heading.clone()}</option> }).collect_view()}
                </select></p>
            <p class="field"><label for="paper-place">{ui.t("desk.consult.paper_place")}</label>
                <input id="paper-place" type="text" maxlength="200" prop:value=place on:input=move |ev| place.set(event_target_value(&ev)) /></p>
            <p class="field"><label for="paper-name">{ui.t("desk.consult.paper_name")}</label>
                <input id="paper-name" type="text" maxlength="100" prop:value=name on:input=move |ev| name.set(event_target_value(&ev)) /></p>
            <p class="field"><label for="paper-text">{ui.t("desk.consult.paper_text")}</label>
                <textarea id="paper-text" rows="4" maxlength="2000" prop:value=text on:input=move |ev| text.set(event_target_value(&ev))></textarea></p>
            {move || result.get().map(|r| match r {
                Ok(()) => view! { <p id="paper-result" class="notice" role="status" tabindex="-1">{ui.t("desk.consult.paper_saved")}</p> }.into_any(),
                Err(e) => view! { <p id="paper-result" class="alert" role="alert" tabindex="-1">{e}</p> }.into_any(),
            })}
            <button type="submit" id="paper-send" class="button primary">{ui.t("desk.consult.paper_send")}</button>
        </form>
    }
}

/// The response report, with the comments it answers ticked.
#[component]
fn ResponseForm(c: Consultation, changed: RwSignal<u32>) -> impl IntoView {
    let ui = use_ui();
    let text = RwSignal::new(String::new());
    let ticked = RwSignal::new(Vec::<i64>::new());
    let failed = RwSignal::new(None::<String>);
    let id = c.id;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = json!({"text": text.get_untracked(), "answers": ticked.get_untracked()});
        spawn_local(async move {
            match api::respond(id, body).await {
                Ok(()) => changed.update(|n| *n += 1),
                Err(e) => failed.set(Some(refusal(ui, &e))),
            }
        });
    };
    view! {
        <form id="response-form" class="desk-form" aria-labelledby="response-form-title" on:submit=submit>
            <h2 id="response-form-title">{ui.t("desk.consult.response")}</h2>
            <p class="field"><label for="response-text">{ui.t("desk.consult.response_text")}</label>
                <textarea id="response-text" rows="6" prop:value=text on:input=move |ev| text.set(event_target_value(&ev))></textarea></p>
            <fieldset class="question">
                <legend>{ui.t("desk.consult.response_answers")}</legend>
                {c.comments.iter().map(|m| {
                    let cid = m.id;
                    let label = format!("#{} {}", m.id, m.text.chars().take(80).collect::<String>());
                    view! {
                        <div class="choice">
                            <input type="checkbox" id=format!("answers-{cid}") on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                ticked.update(|t| if on { t.push(cid) } else { t.retain(|x| *x != cid) });
                            } />
                            <label for=format!("answers-{cid}")>{label}</label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            {move || failed.get().map(|f| view! { <p class="alert" role="alert">{f}</p> })}
            <button type="submit" id="response-publish" class="button primary">{ui.t("desk.consult.response_publish")}</button>
        </form>
    }
}
