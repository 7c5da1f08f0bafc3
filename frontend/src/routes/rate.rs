//! Rating a returned (or refused) dossier from its tracking page: each
//! criterion with three faces, an optional comment, checked with the same
//! rule as the function; changeable for a day, then shown as given.

use crate::api::{self, loader, FetchError, Load};
use crate::components::labels;
use crate::components::load_error::{LoadError, Loading};
use crate::state::use_ui;
use motcua_views::rating::{criterion_label, given, rating_form};
use leptos::prelude::*;
use leptos::task::spawn_local;
use motcua_shared::ratings::{check_rating, Choice, Criterion, DossierRating, RatingView};
use std::collections::BTreeMap;

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
    rating_form(ui, answers, comment, None, busy.into(), failed.into(), saved.into(), submit)
}
