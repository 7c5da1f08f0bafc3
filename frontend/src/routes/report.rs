//! `/reports/{code}#secret`: the holder reads their report and its answer
//! and rates the answer (three faces, once). The secret comes from the
//! fragment (never sent to a server but in a POST body) or is typed;
//! without it the page shows the report as published, if it is.

use crate::api::{self, loader, FetchError, Load};
use crate::components::labels;
use crate::components::load_error::{LoadError, Loading};
use crate::components::page_heading::PageHeading;
use motcua_views::reports::report_card;
use crate::state::{use_ui, Ui};
use leptos::prelude::*;
use leptos::task::spawn_local;
use motcua_shared::api_error::ErrorCode;
use motcua_shared::ratings::Choice;
use motcua_shared::reports::{AnswerRating, HolderView};

#[component]
pub fn ReportPage(code: String) -> impl IntoView {
    let ui = use_ui();
    let hash = window().location().hash().unwrap_or_default();
    let from_link = js_sys::decode_uri_component(hash.trim_start_matches('#')).ok().and_then(|s| s.as_string()).unwrap_or_default();
    let secret_in = RwSignal::new(from_link.clone());
    let asked = RwSignal::new((!from_link.is_empty()).then_some(from_link));
    let title = motcua_views::i18n::fill(ui.t("report.title"), &[("code", &code)]);
    let code = StoredValue::new(code);
    let (holder, retry) = loader(move || asked.get(), move |s: String| async move { api::holder_report(&code.get_value(), &s).await });
    let (public, public_retry) = loader(move || asked.with(Option::is_none).then_some(()), move |_| async move { api::public_report(&code.get_value()).await });
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let s = secret_in.get_untracked().trim().to_owned();
        if !s.is_empty() {
            asked.set(Some(s));
        }
    };
    let secret_form = motcua_views::reports::secret_form(ui, &code.get_value(), secret_in, on_submit);
    view! {
        <PageHeading text=Signal::derive(move || title.clone()) />
        {move || match asked.get() {
            Some(secret) => holder.with(|h| match h {
                Load::Loading => view! { <Loading /> }.into_any(),
                Load::Failed(FetchError::Api(e)) if e.code == ErrorCode::NotFound => {
                    view! { <p id="report-error" class="alert" role="alert">{ui.tr("report.not_found")}</p> }.into_any()
                }
                Load::Failed(FetchError::Api(e)) if e.code == ErrorCode::TooManyRequests => {
                    view! { <p id="report-error" class="alert" role="alert">{ui.tr("error.too_many_requests")}</p> }.into_any()
                }
                Load::Failed(e) => view! { <LoadError error=e.clone() retry /> }.into_any(),
                Load::Ready(v) => holder_view(ui, v.clone(), secret.clone()).into_any(),
            }),
            None => public.with(|p| match p {
                Load::Loading => view! { <Loading /> }.into_any(),
                Load::Ready(r) => view! { <ol class="report-list">{report_card(ui, r)}</ol> }.into_any(),
                Load::Failed(FetchError::Api(e)) if e.code == ErrorCode::NotFound => ().into_any(),
                Load::Failed(e) => view! { <LoadError error=e.clone() retry=public_retry /> }.into_any(),
            }),
        }}
        {secret_form}
    }
}

fn holder_view(ui: Ui, v: HolderView, secret: String) -> impl IntoView {
    let rating = view! { <RateAnswer code=v.code.clone() secret rated=v.rating /> };
    motcua_views::reports::holder_report(ui, &v, rating)
}

#[component]
fn RateAnswer(code: String, secret: String, rated: Option<Choice>) -> impl IntoView {
    let ui = use_ui();
    let saved = RwSignal::new(rated);
    let choice = RwSignal::new(None::<Choice>);
    let failed = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let (code, secret) = (StoredValue::new(code), StoredValue::new(secret));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(picked) = choice.get_untracked() else {
            failed.set(Some(ui.t("report.rate_pick").to_owned()));
            return;
        };
        busy.set(true);
        spawn_local(async move {
            let rating = AnswerRating { secret: secret.get_value(), choice: picked };
            match api::rate_report_answer(&code.get_value(), &rating).await {
                Ok(v) => {
                    saved.set(v.rating);
                    crate::components::focus::focus_later("report-rated");
                }
                Err(e) => failed.set(Some(labels::fetch_error(ui, &e))),
            }
            busy.set(false);
        });
    };
    let body = move || match saved.get() {
        Some(c) => motcua_views::reports::rated(ui, c).into_any(),
        None => motcua_views::reports::rate_form(ui, choice, failed.into(), busy.into(), None, submit).into_any(),
    };
    motcua_views::reports::rate_section(ui, body)
}
