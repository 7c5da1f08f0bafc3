//! The page's one h1. It names the page in `document.title`, and after an
//! in-app page change it takes the focus, so screen readers announce the new page.

use crate::state::use_ui;
use leptos::html::H1;
use leptos::prelude::*;


#[component]
pub fn PageHeading(
    #[prop(into)] text: Signal<String>,
    #[prop(optional)] id: Option<&'static str>,
    /// Set to "vi" when the heading is catalogue data rather than interface text.
    #[prop(optional)]
    lang: Option<&'static str>,
) -> impl IntoView {
    let ui = use_ui();
    let heading = NodeRef::<H1>::new();
    // The page being left may still be mounted when the path changes: only the
    // heading of the page at the new path takes the focus.
    let path = crate::router::use_loc().path.get_untracked();
    Effect::new(move |_| {
        document().set_title(&format!("{} · {}", text.get(), ui.t("app.name")));
    });
    Effect::new(move |_| {
        if let Some(h1) = heading.get()
            && ui.focus_pending.with(|p| p.as_ref() == Some(&path))
        {
            ui.focus_pending.set(None);
            let _ = h1.focus();
        }
    });
    view! {
        <h1 id=id lang=lang tabindex="-1" node_ref=heading>
            {move || text.get()}
        </h1>
    }
}
