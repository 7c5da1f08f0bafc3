//! Said once on a device: "this app now works without signal", the first
//! time the service worker has kept the app, the catalogue and the forms.
//! Until then a person has no way to know they may close the page in a
//! place with no signal and open it again.

use crate::state::use_ui;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::time::Duration;

const TOLD: &str = "motcua.offline-told";

#[derive(serde::Deserialize)]
struct Ready {
    ready: bool,
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

#[component]
pub fn OfflineReady() -> impl IntoView {
    let ui = use_ui();
    let shown = RwSignal::new(false);
    let told = storage().and_then(|s| s.get_item(TOLD).ok().flatten()).is_some();
    if !told {
        // Asked every few seconds for a while (the worker keeps the data in
        // the background after the first page); answered by the worker itself.
        let tries = StoredValue::new(0u32);
        let handle = set_interval_with_handle(
            move || {
                if shown.get_untracked() || tries.get_value() > 60 {
                    return;
                }
                // Only the worker answers `/sw/ready`: without one running the
                // page the request would cross the network, every 3 s, on 2G.
                if window().navigator().service_worker().controller().is_none() {
                    return;
                }
                tries.update_value(|n| *n += 1);
                spawn_local(async move {
                    if let Ok(Ready { ready: true }) = crate::api::get_json::<Ready>("/sw/ready").await {
                        if storage().and_then(|s| s.get_item(TOLD).ok().flatten()).is_none() {
                            if let Some(s) = storage() {
                                let _ = s.set_item(TOLD, "1");
                            }
                            shown.try_set(true);
                        }
                    }
                });
            },
            Duration::from_secs(3),
        );
        if let Ok(handle) = handle {
            on_cleanup(move || handle.clear());
        }
    }
    move || {
        shown.get().then(|| {
            view! {
                <section id="offline-ready" class="notice offline-ready" role="status">
                    <p>{ui.tr("offline.ready")}</p>
                    <button id="offline-ready-ok" type="button" class="button" on:click=move |_| shown.set(false)>
                        {ui.tr("offline.ready_ok")}
                    </button>
                </section>
            }
        })
    }
}
