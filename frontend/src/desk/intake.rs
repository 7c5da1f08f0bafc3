//! `/desk/intake`: a citizen at the counter. The officer picks the procedure
//! and types what the citizen says, with the same form (and the same checks)
//! as online; the dossier is marked as submitted at the desk and accepted at
//! once. The receipt is shown for printing and kept nowhere on this computer.

use super::{api, use_session};
use crate::api::{loader, Load};
use crate::components::load_error::{LoadError, Loading};
use crate::components::page_heading::PageHeading;
use crate::routes::apply::{Channel, Form};
use crate::routes::receipt::ReceiptView;
use crate::state::use_ui;
use leptos::prelude::*;
use motcua_shared::dossier::api::Receipt;

#[component]
pub fn IntakeList() -> impl IntoView {
    let ui = use_ui();
    let session = use_session();
    let agency = session.officer.get_untracked().map(|o| o.agency_id).unwrap_or_default();
    let (state, retry) = loader(|| Some(()), |_| api::forms());
    view! {
        <PageHeading text=Signal::derive(move || ui.t("desk.intake.title").to_owned()) />
        <p>{ui.tr("desk.intake.intro")}</p>
        {move || {
            state
                .with(|s| match s {
                    Load::Loading => view! { <Loading /> }.into_any(),
                    Load::Failed(e) => view! { <LoadError error=e.clone() retry /> }.into_any(),
                    Load::Ready(forms) => {
                        let mine: Vec<_> = forms.iter().filter(|f| f.agency_id == agency).cloned().collect();
                        if mine.is_empty() {
                            return view! { <p>{ui.tr("desk.intake.none")}</p> }.into_any();
                        }
                        view! {
                            <ul id="intake-forms" class="link-list">
                                {mine
                                    .into_iter()
                                    .map(|f| {
                                        let href = format!("/desk/intake/{}", crate::api::encode(&f.procedure_code, false));
                                        view! {
                                            <li>
                                                <a class="button" href=href lang="vi">{f.title_vi} " (" {f.procedure_code} ")"</a>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                            .into_any()
                    }
                })
        }}
    }
}

#[component]
pub fn IntakePage(code: String) -> impl IntoView {
    let ui = use_ui();
    let key = code.clone();
    let (state, retry) = loader(move || Some(key.clone()), |code: String| async move { crate::api::form(&code).await });
    let receipt = RwSignal::new(None::<Receipt>);
    let done = Callback::new(move |r: Receipt| receipt.set(Some(r)));
    view! {
        <p class="back">
            <a class="back-link" href="/desk/intake">{ui.tr("desk.intake.title")}</a>
        </p>
        {move || {
            if let Some(r) = receipt.get() {
                return view! {
                    <ReceiptView r track_link=false />
                    <p class="no-print">
                        <a id="intake-another" class="button" href="/desk/intake">{ui.tr("desk.intake.another")}</a>
                    </p>
                }
                    .into_any();
            }
            state
                .with(|s| match s {
                    Load::Loading => view! { <Loading /> }.into_any(),
                    Load::Failed(e) => view! { <LoadError error=e.clone() retry /> }.into_any(),
                    Load::Ready(spec) => view! { <Form spec=spec.clone() channel=Channel::Desk done /> }.into_any(),
                })
        }}
    }
}
