//! A "read aloud" button beside a question, its help and its error, for
//! people who read little. A recording the province supplies for the string
//! (`/audio/<lang>/<key>.mp3`, listed in `/audio/index.json`) plays first;
//! otherwise the browser's speech synthesis reads the text when the device
//! has a voice for the language; otherwise the button says there is none.

use crate::state::Ui;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::collections::BTreeMap;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

thread_local! {
    /// Language code → the string keys with a recording; `None` until fetched.
    static RECORDED: std::cell::RefCell<Option<BTreeMap<String, Vec<String>>>> = const { std::cell::RefCell::new(None) };
}

/// Fetches `/audio/index.json` once (none is fine: no recordings).
async fn load_recordings() {
    if RECORDED.with(|r| r.borrow().is_some()) {
        return;
    }
    let index = crate::api::get_json::<BTreeMap<String, Vec<String>>>("/audio/index.json").await.unwrap_or_default();
    RECORDED.with(|r| *r.borrow_mut() = Some(index));
}

fn recordings_has(lang: &str, key: &str) -> bool {
    RECORDED.with(|r| r.borrow().as_ref().and_then(|m| m.get(lang)).is_some_and(|keys| keys.iter().any(|k| k == key)))
}

/// Whether the device has a speech voice for `lang` (`vi`, `km`…).
fn has_voice(lang: &str) -> bool {
    window().speech_synthesis().ok().is_some_and(|s| {
        s.get_voices().iter().any(|v| {
            let v: web_sys::SpeechSynthesisVoice = v.unchecked_into();
            v.lang().to_ascii_lowercase().split(['-', '_']).next() == Some(lang)
        })
    })
}

/// Reads `text` (the string `key`, if it has one) in the chosen language.
async fn read(lang: &'static str, key: Option<String>, text: String) -> bool {
    if let Some(key) = key.filter(|k| recordings_has(lang, k)) {
        if let Ok(audio) = web_sys::HtmlAudioElement::new_with_src(&format!("/audio/{lang}/{key}.mp3")) {
            if let Ok(p) = audio.play() {
                return JsFuture::from(p).await.is_ok();
            }
        }
    }
    if !has_voice(lang) {
        return false;
    }
    let (Ok(synth), Ok(u)) = (window().speech_synthesis(), web_sys::SpeechSynthesisUtterance::new_with_text(&text)) else {
        return false;
    };
    u.set_lang(lang);
    synth.cancel();
    synth.speak(&u);
    true
}

/// The button that reads `text` (the string `key`, for a recording).
pub fn read_aloud(ui: Ui, id: &'static str, key: Option<String>, text: Signal<String>) -> impl IntoView {
    let none = RwSignal::new(false);
    let key = StoredValue::new(key);
    let on_click = move |_| {
        let lang = ui.lang.get_untracked().code();
        let text = text.get_untracked();
        spawn_local(async move {
            load_recordings().await;
            none.set(!read(lang, key.get_value(), text).await);
        });
    };
    view! {
        <button id=id type="button" class="read-aloud" on:click=on_click>
            <svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                <path d="M4 9h4l5-4v14l-5-4H4zM16 9a4 4 0 0 1 0 6M18.5 6.5a8 8 0 0 1 0 11"></path>
            </svg>
            <span>{ui.tr("read_aloud.button")}</span>
        </button>
        {move || none.get().then(|| view! { <span class="hint" role="status">{ui.tr("read_aloud.no_voice")}</span> })}
    }
}
