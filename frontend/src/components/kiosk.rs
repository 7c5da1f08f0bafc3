//! Kiosk mode, for the shared touch screen at a service centre. An
//! administrator switches a device on once by opening any page with
//! `?kiosk=1` (and `&idle=<seconds>`, 120 by default; `?kiosk=0` switches it
//! off); the device remembers it. In kiosk mode:
//! - targets are 56 px and text is larger (the `kiosk` class on `<html>`);
//! - links out of the portal do nothing (their text stays readable);
//! - the first touch asks for full screen;
//! - after the idle time minus [`WARNING_SECS`] without a touch or a key, a
//!   countdown warns that the screen will be cleared; a touch cancels it;
//! - at the end, everything the last person typed or photographed is wiped
//!   from the device (local and session storage, but the kiosk setting) and
//!   the app starts again from the home page (a full reload, so nothing stays
//!   in memory either);
//! - an on-screen keypad opens under the text box being filled ([`Keypad`]);
//! - a receipt prints itself once (on the kiosk's printer when Chromium runs
//!   with `--kiosk --kiosk-printing`), and its QR code lets the citizen carry
//!   on from their own phone (tracking, papers, rating).

use crate::components::keypad::Keypad;
use crate::state::use_ui;
use gloo_events::EventListener;
use gloo_timers::callback::Interval;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use wasm_bindgen::JsCast;

const KIOSK_KEY: &str = "motcua.kiosk";
/// How long the countdown shows before the wipe.
pub const WARNING_SECS: u32 = 30;
const DEFAULT_IDLE_SECS: u32 = 120;

#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct KioskConfig {
    pub idle_secs: u32,
}

/// web-sys, not gloo-storage: see `drafts::storage`.
fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

/// Reads `?kiosk=` (the administrator's switch) and the device's setting.
pub fn config() -> Option<KioskConfig> {
    let search = window().location().search().unwrap_or_default();
    if let Ok(params) = web_sys::UrlSearchParams::new_with_str(&search) {
        match params.get("kiosk").as_deref() {
            Some("1") => {
                let idle = params.get("idle").and_then(|s| s.parse::<u32>().ok()).filter(|s| (2..=3600).contains(s));
                let config = KioskConfig { idle_secs: idle.unwrap_or(DEFAULT_IDLE_SECS) };
                if let (Some(s), Ok(json)) = (storage(), serde_json::to_string(&config)) {
                    let _ = s.set_item(KIOSK_KEY, &json);
                }
            }
            Some("0") => {
                if let Some(s) = storage() {
                    let _ = s.remove_item(KIOSK_KEY);
                }
            }
            _ => {}
        }
    }
    storage().and_then(|s| s.get_item(KIOSK_KEY).ok().flatten()).and_then(|j| serde_json::from_str(&j).ok())
}

/// Clears everything but the kiosk setting, then starts again at the home page.
fn wipe(config: KioskConfig) {
    if let Some(s) = storage() {
        let _ = s.clear();
        if let Ok(json) = serde_json::to_string(&config) {
            let _ = s.set_item(KIOSK_KEY, &json);
        }
    }
    if let Ok(Some(s)) = window().session_storage() {
        let _ = s.clear();
    }
    let _ = window().location().replace("/");
}

/// The idle watch and its countdown; renders nothing outside kiosk mode.
#[component]
pub fn KioskGuard() -> impl IntoView {
    let ui = use_ui();
    let Some(config) = config() else {
        return ().into_any();
    };
    if let Some(root) = document().document_element() {
        let _ = root.class_list().add_1("kiosk");
    }
    let idle = RwSignal::new(0u32);
    // Any touch, click or key is activity; the first also asks for full screen.
    let on_activity = move |_: &web_sys::Event| {
        idle.set(0);
        if document().fullscreen_element().is_none() {
            let _ = document().document_element().map(|e| e.request_fullscreen());
        }
    };
    let activity = ["pointerdown", "keydown", "input"].map(|event| EventListener::new(&document(), event, on_activity));
    let warn_from = config.idle_secs.saturating_sub(WARNING_SECS.min(config.idle_secs / 2));
    // The warning takes the focus, so a screen reader announces it and Enter answers it.
    Effect::new(move |was: Option<bool>| {
        let shown = idle.get() >= warn_from;
        if shown && was != Some(true) {
            request_animation_frame(|| {
                if let Some(b) = document().get_element_by_id("idle-continue") {
                    let _ = b.unchecked_into::<web_sys::HtmlElement>().focus();
                }
            });
        }
        shown
    });
    let tick = Interval::new(1000, move || {
        let now = idle.get_untracked() + 1;
        idle.set(now);
        if now >= config.idle_secs {
            wipe(config);
        }
    });
    // The watch stops (listeners removed, interval cleared) with the guard.
    crate::keep_while_mounted((activity, tick));
    view! {
        <Keypad />
        <Show when=move || { idle.get() >= warn_from }>
            <div id="idle-warning" class="idle-warning" role="alertdialog" aria-modal="true" aria-labelledby="idle-title" aria-describedby="idle-text">
                <div class="idle-box">
                    <h2 id="idle-title">{ui.tr("kiosk.idle.title")}</h2>
                    <p id="idle-text">
                        {move || crate::i18n::fill(ui.t("kiosk.idle.text"), &[("seconds", &config.idle_secs.saturating_sub(idle.get()).to_string())])}
                    </p>
                    <button id="idle-continue" type="button" class="button primary" on:click=move |_| idle.set(0)>
                        {ui.tr("kiosk.idle.continue")}
                    </button>
                </div>
            </div>
        </Show>
    }
    .into_any()
}
