//! Rating a returned (or refused) dossier from its tracking page: each
//! criterion with three faces, an optional comment, checked with the same
//! rule as the function; changeable for a day, then shown as given.

use crate::api::{self, loader, FetchError, Load};
use crate::components::faces::{choice_name, faces};
use crate::components::labels;
use crate::components::load_error::{LoadError, Loading};
use crate::drafts::show_time;
use crate::state::{use_ui, Ui};
use leptos::prelude::*;
use leptos::task::spawn_local;
use motcua_shared::ratings::{check_rating, Choice, Criterion, DossierRating, RatingView, MAX_COMMENT_CHARS};
use std::collections::BTreeMap;

fn criterion_label(ui: Ui, c: &Criterion) -> String {
    labels::form_label(ui, &c.label_key, &c.label_vi)
}

#[component]
pub fn RateService(code: String, secret: String, existing: Option<RatingView>) -> impl IntoView {
    let ui = use_ui();
    let (criteria, retry) = loader(|| Some(()), |_| api::rating_criteria());
    let saved = RwSignal::new(existing);
    let (code, secret) = (StoredValue::new(code), StoredValue::new(secret));
    view! {
        <section id="rate" class="fact" aria-labelledby="rate-title">
            <h2 id="rate-title">{ui.tr("rating.title")}</h2>
            {move || criteria.with(|c| match c {
                Load::Loading => view! { <Loading /> }.into_any(),
                Load::Failed(e) => view! { <LoadError error=e.clone() retry /> }.into_any(),
                Load::Ready(list) => {
                    let list = list.clone();
                    match saved.get() {
                        Some(v) if !v.changeable => given(ui, &list, &v).into_any(),
                        current => view! { <RateForm list current code=code.get_value() secret=secret.get_value() saved /> }.into_any(),
                    }
                }
            })}
        </section>
    }
}

/// A fixed rating, as the citizen gave it.
fn given(ui: Ui, list: &[Criterion], v: &RatingView) -> impl IntoView + use<> {
    let rows = list
        .iter()
        .map(|c| {
            let answer = v.answers.get(&c.id).map(|a| choice_name(ui, *a)).unwrap_or("—");
            view! { <dt>{criterion_label(ui, c)}</dt><dd>{answer}</dd> }
        })
        .collect_view();
    view! {
        <p id="rating-fixed">{ui.tr("rating.fixed")}</p>
        <dl class="pairs">{rows}</dl>
    }
}

#[component]
fn RateForm(
    list: Vec<Criterion>,
    current: Option<RatingView>,
    code: String,
    secret: String,
    saved: RwSignal<Option<RatingView>>,
) -> impl IntoView {
    let ui = use_ui();
    let answers: Vec<(Criterion, RwSignal<Option<Choice>>)> = list
        .iter()
        .map(|c| (c.clone(), RwSignal::new(current.as_ref().and_then(|v| v.answers.get(&c.id).copied()))))
        .collect();
    let comment = RwSignal::new(current.as_ref().and_then(|v| v.comment.clone()).unwrap_or_default());
    let busy = RwSignal::new(false);
    let failed = RwSignal::new(None::<String>);
    let chosen = answers.clone();
    let (code, secret) = (StoredValue::new(code), StoredValue::new(secret));
    let list = StoredValue::new(list);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let picked: BTreeMap<String, Choice> =
            chosen.iter().filter_map(|(c, v)| v.get_untracked().map(|v| (c.id.clone(), v))).collect();
        let text = comment.get_untracked();
        let rating = DossierRating {
            secret: secret.get_value(),
            answers: picked,
            comment: (!text.trim().is_empty()).then_some(text),
        };
        if let Err(issues) = list.with_value(|l| check_rating(l, &rating)) {
            let names: Vec<String> = issues
                .iter()
                .map(|i| list.with_value(|l| l.iter().find(|c| c.id == i.field).map(|c| criterion_label(ui, c))).unwrap_or_else(|| i.field.clone()))
                .collect();
            failed.set(Some(format!("{} {}", ui.t("rating.missing"), names.join(", "))));
            return;
        }
        busy.set(true);
        failed.set(None);
        spawn_local(async move {
            match api::rate(&code.get_value(), &rating).await {
                Ok(v) => {
                    saved.set(Some(v));
                    crate::components::focus::focus_later("rating-thanks");
                }
                Err(e) => {
                    failed.set(Some(match &e {
                        FetchError::Api(a) if a.code == motcua_shared::api_error::ErrorCode::Conflict => ui.t("rating.fixed").to_owned(),
                        other => labels::fetch_error(ui, other),
                    }));
                }
            }
            busy.set(false);
        });
    };
    let questions = answers
        .into_iter()
        .map(|(c, value)| {
            let label = criterion_label(ui, &c);
            view! {
                <fieldset class="rating-question">
                    <legend>{label}</legend>
                    <div class="faces">{faces(ui, format!("rate-{}", c.id), value)}</div>
                </fieldset>
            }
        })
        .collect_view();
    view! {
        <p>{ui.tr("rating.intro")}</p>
        <form class="rating-form" on:submit=submit>
            {questions}
            <p class="field">
                <label for="rate-comment">{ui.tr("rating.comment")}</label>
                <textarea
                    id="rate-comment"
                    rows="3"
                    maxlength=MAX_COMMENT_CHARS.to_string()
                    prop:value=comment
                    on:input=move |ev| comment.set(event_target_value(&ev))
                ></textarea>
            </p>
            {move || failed.get().map(|t| view! { <p id="rating-error" class="alert" role="alert">{t}</p> })}
            <button id="rate-submit" type="submit" class="button primary" disabled=busy>
                {move || if saved.with(Option::is_some) { ui.t("rating.change") } else { ui.t("rating.submit") }}
            </button>
            // Under the button the person pressed, announced once.
            {move || saved.get().map(|v| view! {
                <p id="rating-thanks" class="notice" role="status" tabindex="-1">
                    {ui.t("rating.thanks")} " " {crate::i18n::fill(ui.t("rating.changeable"), &[("until", &show_time(&v.changeable_until))])}
                </p>
            })}
        </form>
    }
}
