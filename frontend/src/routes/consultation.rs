//! `/consultations/{id}`: a draft in sections, each with the comments
//! published under it (with a name, without, or entered by an officer for
//! someone at a meeting or on paper) and, while it is open, a form to
//! comment on it; once closed, the agency's response report, linked to the
//! comments it answers.

use crate::api::{self, loader, Load};
use crate::components::labels;
use crate::components::load_error::{LoadError, Loading};
use crate::components::page_heading::PageHeading;
use crate::routes::consultations::phase_name;
use crate::state::{use_ui, Ui};
use leptos::prelude::*;
use leptos::task::spawn_local;
use motcua_shared::consultations::{check_comment, Consultation, NewComment, Phase, PublicComment};

#[component]
pub fn ConsultationPage(id: String) -> impl IntoView {
    let ui = use_ui();
    let id = StoredValue::new(id);
    let (state, retry) = loader(|| Some(()), move |_| async move { api::consultation(&id.get_value()).await });
    view! {
        {move || state.with(|s| match s {
            Load::Loading => view! { <PageHeading text=Signal::derive(move || ui.t("consult.list_title").to_owned()) /> <Loading /> }.into_any(),
            Load::Failed(e) => view! {
                <PageHeading text=Signal::derive(move || ui.t("consult.list_title").to_owned()) />
                <LoadError error=e.clone() retry />
            }.into_any(),
            Load::Ready(c) => consultation_view(ui, c.clone()).into_any(),
        })}
        <p><a href="/consultations">{ui.tr("consult.list_title")}</a></p>
    }
}

fn comment_view(ui: Ui, c: &PublicComment) -> impl IntoView + use<> {
    let by = match (&c.name, &c.entered_for) {
        (_, Some(place)) => motcua_views::i18n::fill(ui.t("consult.entered_for"), &[("place", place)]),
        (Some(name), None) => name.clone(),
        (None, None) => ui.t("consult.anonymous").to_owned(),
    };
    let signed = c.entered_for.as_ref().and(c.name.clone()).map(|n| view! { " · " {n} });
    view! {
        <li class="comment" id=format!("comment-{}", c.id)>
            <p class="hint"><strong>{by}</strong> {signed} " · " {crate::drafts::show_date(c.received_on)} " · #" {c.id}</p>
            <p class="report-text">{c.text.clone()}</p>
        </li>
    }
}

fn consultation_view(ui: Ui, c: Consultation) -> impl IntoView {
    let title = c.title.clone();
    let dates = motcua_views::i18n::fill(ui.t("consult.dates"), &[("from", &crate::drafts::show_date(c.opens_on)), ("to", &crate::drafts::show_date(c.closes_on))]);
    let response = c.response.clone().map(|r| {
        let answered = r
            .answers
            .iter()
            .map(|id| view! { <li><a href=format!("#comment-{id}")>{format!("#{id}")}</a></li> })
            .collect_view();
        view! {
            <section id="consultation-response" class="fact" aria-labelledby="response-title">
                <h2 id="response-title">{ui.t("consult.response")}</h2>
                <p class="hint">{crate::drafts::show_date(r.published_on)}</p>
                <p class="report-text" lang="vi">{r.text.clone()}</p>
                <h3>{ui.t("consult.response_answers")}</h3>
                <ul class="inline-list">{answered}</ul>
            </section>
        }
    });
    let open = c.phase == Phase::Open;
    let count = c.sections.len();
    let sections = c
        .sections
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let comments: Vec<_> = c.comments.iter().filter(|m| m.section as usize == i).map(|m| comment_view(ui, m)).collect();
            let none = comments.is_empty().then(|| view! { <p class="hint">{ui.t("consult.no_comments")}</p> });
            let form = open.then(|| view! { <CommentForm id=c.id section=i as u32 sections=count /> });
            view! {
                <section class="consult-section" id=format!("section-{i}") aria-labelledby=format!("section-{i}-title")>
                    <h2 id=format!("section-{i}-title") lang="vi">{s.heading.clone()}</h2>
                    <p class="report-text" lang="vi">{s.text.clone()}</p>
                    <h3>{ui.t("consult.comments")}</h3>
                    {none}
                    <ol class="comment-list">{comments}</ol>
                    {form}
                </section>
            }
        })
        .collect_view();
    view! {
        <PageHeading text=Signal::derive(move || title.clone()) />
        <p class="hint">{phase_name(ui, c.phase)} " · " {dates} " · " <span lang="vi">{c.agency_name.clone()}</span></p>
        <p id="consultation-summary" lang="vi">{c.summary.clone()}</p>
        {response}
        {sections}
    }
}

#[component]
fn CommentForm(id: i64, section: u32, sections: usize) -> impl IntoView {
    let ui = use_ui();
    let (text, name) = (RwSignal::new(String::new()), RwSignal::new(String::new()));
    let error = RwSignal::new(None::<String>);
    let sent = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let key = StoredValue::new(crate::drafts::new_send_key("comment"));
    let prefix = format!("comment-{section}");
    let (text_id, name_id, error_id) = (format!("{prefix}-text"), format!("{prefix}-name"), format!("{prefix}-error"));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let name_typed = name.get_untracked().trim().to_owned();
        let comment = NewComment {
            idempotency_key: key.get_value(),
            section,
            text: text.get_untracked(),
            name: (!name_typed.is_empty()).then_some(name_typed),
        };
        if let Some(issue) = check_comment(&comment, sections).first() {
            let label = if issue.field == "name" { ui.t("consult.name") } else { ui.t("consult.comment") };
            error.set(Some(labels::field_error(ui, issue.error, label)));
            return;
        }
        error.set(None);
        busy.set(true);
        spawn_local(async move {
            match api::comment(id, &comment).await {
                Ok(_) => sent.set(true),
                Err(e) => error.set(Some(labels::fetch_error(ui, &e))),
            }
            busy.set(false);
        });
    };
    let (t1, t2, n1, n2, e1) = (text_id.clone(), text_id.clone(), name_id.clone(), name_id.clone(), error_id.clone());
    move || {
        if sent.get() {
            return view! { <p class="notice" role="status" id=format!("{prefix}-sent")>{ui.t("consult.sent")}</p> }.into_any();
        }
        let (t1, t2, n1, n2, e1, e2) = (t1.clone(), t2.clone(), n1.clone(), n2.clone(), e1.clone(), e1.clone());
        view! {
            <form class="desk-form comment-form" on:submit=submit>
                <p class="field">
                    <label for=t1>{ui.t("consult.comment")}</label>
                    <textarea id=t2 rows="3" maxlength="2000" aria-invalid=move || error.with(Option::is_some).then_some("true")
                        aria-describedby=move || error.with(Option::is_some).then(|| e2.clone())
                        prop:value=text on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                </p>
                <p class="field">
                    <label for=n1>{ui.t("consult.name")}</label>
                    <input id=n2 type="text" maxlength="100" autocomplete="name" prop:value=name on:input=move |ev| name.set(event_target_value(&ev)) />
                </p>
                {move || error.get().map(|e| view! { <p id=e1.clone() class="alert" role="alert">{e}</p> })}
                <button type="submit" class="button" aria-disabled=move || busy.get().then_some("true")>{ui.t("consult.send")}</button>
            </form>
        }
        .into_any()
    }
}
