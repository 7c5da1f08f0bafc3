//! `/apply/{code}/preview/{version}`: a version of a form, a draft included,
//! exactly as citizens will see it, for the administrator about to publish
//! it (the desk's admin page links here, in a new tab). The form comes from
//! the admin API, which the desk's session cookie opens (it is sent to all
//! of `/api`); the answers are checked but never sent, and they are kept
//! apart from any real draft on this device (`Channel::Preview`).

use crate::api::{self, FetchError, Load, loader};
use crate::components::load_error::{LoadError, Loading};
use crate::components::page_heading::PageHeading;
use crate::i18n::fill;
use crate::routes::apply::{Channel, Form};
use crate::state::use_ui;
use leptos::prelude::*;
use motcua_shared::api_error::ErrorCode;
use motcua_shared::dossier::api::Receipt;

#[component]
pub fn PreviewPage(code: String, version: u32) -> impl IntoView {
    let ui = use_ui();
    let key = code.clone();
    let (state, retry) =
        loader(move || Some(key.clone()), move |code: String| async move { api::admin_form_version(&code, version).await });
    // Never called: a preview sends nothing.
    let done = Callback::new(|_: Receipt| {});
    let banner = crate::components::labels::live(move || fill(ui.t("apply.preview.banner"), &[("version", &version.to_string())]));
    view! {
        <div id="preview-banner" class="preview-banner" role="note">
            <p>{banner}</p>
        </div>
        {move || {
            state
                .with(|s| match s {
                    Load::Loading => view! { <Loading /> }.into_any(),
                    Load::Failed(FetchError::Api(e)) if matches!(e.code, ErrorCode::Unauthorized | ErrorCode::Forbidden) => {
                        view! {
                            <PageHeading text=Signal::derive(move || ui.t("apply.preview.title").to_owned()) />
                            <div id="preview-sign-in" class="alert" role="alert">
                                <p>{ui.tr("apply.preview.sign_in")}</p>
                                <p>
                                    <a class="button" href="/desk/admin">{ui.tr("apply.preview.to_desk")}</a>
                                </p>
                            </div>
                        }
                            .into_any()
                    }
                    Load::Failed(error) => view! { <LoadError error=error.clone() retry /> }.into_any(),
                    Load::Ready(spec) => view! { <Form spec=spec.clone() channel=Channel::Preview done /> }.into_any(),
                })
        }}
    }
}
