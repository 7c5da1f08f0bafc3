//! `/consultations/{id}`: a draft in sections, each with the comments
//! published under it (with a name, without, or entered by an officer for
//! someone at a meeting or on paper) and, while it is open, a form to
//! comment on it; once closed, the agency's response report, linked to the
//! comments it answers.

use crate::api::{self, loader, Load};
use crate::components::labels;
use crate::components::load_error::{LoadError, Loading};
use crate::components::page_heading::PageHeading;
use crate::state::{use_ui, Ui};
use leptos::prelude::*;
use leptos::task::spawn_local;
use motcua_shared::consultations::{check_comment, Consultation, NewComment};
use motcua_views::consultations::{comment_form, comment_sent};

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

fn consultation_view(ui: Ui, c: Consultation) -> impl IntoView {
    let title = c.title.clone();
    let count = c.sections.len();
    let id = c.id;
    view! {
        <PageHeading text=Signal::derive(move || title.clone()) />
        {motcua_views::consultations::consultation_body(ui, &c, move |section| view! { <CommentForm id section sections=count /> })}
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
    move || {
        if sent.get() {
            return comment_sent(ui, section).into_any();
        }
        comment_form(ui, section, text, name, error.into(), busy.into(), None, submit).into_any()
    }
}
