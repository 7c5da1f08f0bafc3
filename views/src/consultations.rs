//! Consultations on drafts (lấy ý kiến): the list's cards, a draft's
//! sections with their published comments and the response report, and the
//! comment form. The app drives them with signals; the pages component
//! renders them once, its comment form posting to the draft's page.

use crate::i18n::fill;
use crate::labels::show_date;
use crate::ui::Ui;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use motcua_shared::consultations::{Consultation, ConsultationSummary, Phase, PublicComment};

pub fn phase_name(ui: Ui, p: Phase) -> &'static str {
    match p {
        Phase::Upcoming => ui.t("consult.phase.upcoming"),
        Phase::Open => ui.t("consult.phase.open"),
        Phase::Closed => ui.t("consult.phase.closed"),
    }
}

/// The list, newest first, or the line that says there is none.
pub fn consultation_list(ui: Ui, list: &[ConsultationSummary]) -> impl IntoView + use<> {
    if list.is_empty() {
        return view! { <p id="consultations-none">{ui.tr("consult.none")}</p> }.into_any();
    }
    let cards = list
        .iter()
        .map(|c| {
            let dates = fill(ui.t("consult.dates"), &[("from", &show_date(c.opens_on)), ("to", &show_date(c.closes_on))]);
            let count = fill(ui.t("consult.comment_count"), &[("count", &c.comments.to_string())]);
            view! {
                <li class="report-card">
                    <h2><a href=format!("/consultations/{}", c.id) lang="vi">{c.title.clone()}</a></h2>
                    <p class="hint">{phase_name(ui, c.phase)} " · " {dates} " · " {count}
                        {c.responded.then(|| view! { " · " <span class="badge ok">{ui.t("consult.responded")}</span> })}</p>
                    <p lang="vi">{c.summary.clone()}</p>
                    <p class="hint" lang="vi">{c.agency_name.clone()}</p>
                </li>
            }
        })
        .collect_view();
    view! { <ol class="report-list" id="consultations">{cards}</ol> }.into_any()
}

fn comment_item(ui: Ui, c: &PublicComment) -> impl IntoView + use<> {
    let by = match (&c.name, &c.entered_for) {
        (_, Some(place)) => fill(ui.t("consult.entered_for"), &[("place", place)]),
        (Some(name), None) => name.clone(),
        (None, None) => ui.t("consult.anonymous").to_owned(),
    };
    let signed = c.entered_for.as_ref().and(c.name.clone()).map(|n| view! { " · " {n} });
    view! {
        <li class="comment" id=format!("comment-{}", c.id)>
            <p class="hint"><strong>{by}</strong> {signed} " · " {show_date(c.received_on)} " · #" {c.id}</p>
            <p class="report-text">{c.text.clone()}</p>
        </li>
    }
}

/// A draft under its title (the page's h1, drawn by the caller): dates,
/// summary, the response once published, and each section with its
/// comments and, while open, `form(section)`.
pub fn consultation_body<F: IntoView + 'static, G: Fn(u32) -> F>(ui: Ui, c: &Consultation, form: G) -> impl IntoView + use<F, G> {
    let dates = fill(ui.t("consult.dates"), &[("from", &show_date(c.opens_on)), ("to", &show_date(c.closes_on))]);
    let response = c.response.clone().map(|r| {
        let answered = r.answers.iter().map(|id| view! { <li><a href=format!("#comment-{id}")>{format!("#{id}")}</a></li> }).collect_view();
        view! {
            <section id="consultation-response" class="fact" aria-labelledby="response-title">
                <h2 id="response-title">{ui.t("consult.response")}</h2>
                <p class="hint">{show_date(r.published_on)}</p>
                <p class="report-text" lang="vi">{r.text.clone()}</p>
                <h3>{ui.t("consult.response_answers")}</h3>
                <ul class="inline-list">{answered}</ul>
            </section>
        }
    });
    let open = c.phase == Phase::Open;
    let sections = c
        .sections
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let comments: Vec<_> = c.comments.iter().filter(|m| m.section as usize == i).map(|m| comment_item(ui, m)).collect();
            let none = comments.is_empty().then(|| view! { <p class="hint">{ui.t("consult.no_comments")}</p> });
            let form = open.then(|| form(i as u32));
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
        <p class="hint">{phase_name(ui, c.phase)} " · " {dates} " · " <span lang="vi">{c.agency_name.clone()}</span></p>
        <p id="consultation-summary" lang="vi">{c.summary.clone()}</p>
        {response}
        {sections}
    }
}

/// Where the server's comment form posts, and the key that makes a second
/// post of it the same comment.
pub struct CommentPost {
    pub consultation: i64,
    pub key: String,
}

/// A section's comment form: the comment, an optional name, and why it was
/// refused; `post` for the server's form.
pub fn comment_form(
    ui: Ui,
    section: u32,
    text: RwSignal<String>,
    name: RwSignal<String>,
    error: Signal<Option<String>>,
    busy: Signal<bool>,
    post: Option<CommentPost>,
    on_submit: impl FnMut(SubmitEvent) + 'static,
) -> impl IntoView {
    let prefix = format!("comment-{section}");
    let (text_id, name_id, error_id) = (format!("{prefix}-text"), format!("{prefix}-name"), format!("{prefix}-error"));
    let (action, hidden) = match post {
        Some(p) => (
            Some(format!("/consultations/{}#section-{section}", p.consultation)),
            Some(view! {
                <input type="hidden" name="section" value=section.to_string() />
                <input type="hidden" name="key" value=p.key />
            }),
        ),
        None => (None, None),
    };
    let method = action.as_ref().map(|_| "post");
    let described = error_id.clone();
    view! {
        <form class="desk-form comment-form" method=method action=action on:submit=on_submit>
            {hidden}
            <p class="field">
                <label for=text_id.clone()>{ui.t("consult.comment")}</label>
                <textarea id=text_id name="text" rows="3" maxlength="2000" aria-invalid=move || error.with(Option::is_some).then_some("true")
                    aria-describedby=move || error.with(Option::is_some).then(|| described.clone())
                    prop:value=text on:input=move |ev| text.set(event_target_value(&ev))>{text.get_untracked()}</textarea>
            </p>
            <p class="field">
                <label for=name_id.clone()>{ui.t("consult.name")}</label>
                <input id=name_id type="text" name="name" maxlength="100" autocomplete="name" value=name prop:value=name
                    on:input=move |ev| name.set(event_target_value(&ev)) />
            </p>
            {move || error.get().map(|e| view! { <p id=error_id.clone() class="alert" role="alert">{e}</p> })}
            <button type="submit" class="button" aria-disabled=move || busy.get().then_some("true")>{ui.t("consult.send")}</button>
        </form>
    }
}

/// The line that replaces a section's form once its comment is received.
pub fn comment_sent(ui: Ui, section: u32) -> impl IntoView {
    view! { <p class="notice" role="status" id=format!("comment-{section}-sent")>{ui.t("consult.sent")}</p> }
}
