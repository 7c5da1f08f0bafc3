//! `/consultations`: drafts the province's agencies put out for comment
//! (lấy ý kiến), newest first: open, upcoming and closed, and whether the
//! agency has published its response.

use crate::api::{self, loader, Load};
use crate::components::load_error::{LoadError, Loading};
use crate::components::page_heading::PageHeading;
use crate::state::use_ui;
use leptos::prelude::*;

#[component]
pub fn ConsultationsPage() -> impl IntoView {
    let ui = use_ui();
    let (list, retry) = loader(|| Some(()), |_| api::consultations());
    view! {
        <PageHeading text=Signal::derive(move || ui.t("consult.list_title").to_owned()) />
        <p>{ui.tr("consult.list_intro")}</p>
        {move || list.with(|l| match l {
            Load::Loading => view! { <Loading /> }.into_any(),
            Load::Failed(e) => view! { <LoadError error=e.clone() retry /> }.into_any(),
            Load::Ready(l) => motcua_views::consultations::consultation_list(ui, l).into_any(),
        })}
    }
}
