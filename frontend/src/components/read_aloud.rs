//! A "read aloud" button beside a question, its help and its error, for
//! people who read little. A recording the province's translators made for
//! the string in the studio (`/audio/<lang>/<key>?v=<version>`, listed in
//! `/audio/index.json`; the service worker keeps the chosen language's for
//! offline use) plays first; otherwise the browser's speech synthesis reads
//! the text when the device has a voice for the language; otherwise the
//! button says there is none.

use crate::state::Ui;
use leptos::prelude::*;
use leptos::task::spawn_local;
use motcua_shared::languages::AudioIndex;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

thread_local! {
    /// Language code → the string keys with a recording; `None` until fetched.
    static RECORDED: std::cell::RefCell<Option<AudioIndex>> = const { std::cell::RefCell::new(None) };
}

/// Fetches `/audio/index.json` once (none is fine: no recordings).
async fn load_recordings() {
    if RECORDED.with(|r| r.borrow().is_some()) {
        return;
    }
    let index = crate::api::get_json::<AudioIndex>("/audio/index.json").await.unwrap_or_default();
    RECORDED.with(|r| *r.borrow_mut() = Some(index));
}

/// The address of the recording of `key` in `lang`, if there is one.
fn recording(lang: &str, key: &str) -> Option<String> {
    RECORDED.with(|r| {
        let v = r.borrow().as_ref()?.get(lang)?.get(key)?.v;
        Some(format!("/audio/{lang}/{key}?v={v}"))
    })
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

/// Plays a recording to its end (`false` if it cannot be played).
async fn play(src: &str) -> bool {
    let Ok(audio) = web_sys::HtmlAudioElement::new_with_src(src) else { return false };
    let ended = js_sys::Promise::new(&mut |done, failed| {
        audio.set_onended(Some(&done));
        audio.set_onerror(Some(&failed));
    });
    let Ok(started) = audio.play() else { return false };
    JsFuture::from(started).await.is_ok() && JsFuture::from(ended).await.is_ok()
}

/// Reads `parts` (a question, then its choices; each its string key, if it
/// has one, and its text) in the chosen language: the province's recordings
/// one after the other when every part has one; else the device's voice for
/// all of it; else, with no voice, the first part's recording alone.
async fn read(lang: &'static str, parts: Vec<(Option<String>, String)>) -> bool {
    let recorded: Vec<Option<String>> = parts.iter().map(|(k, _)| k.as_deref().and_then(|k| recording(lang, k))).collect();
    if recorded.iter().all(Option::is_some) {
        for src in recorded.iter().flatten() {
            if !play(src).await {
                return false;
            }
        }
        return true;
    }
    if has_voice(lang) {
        let Ok(synth) = window().speech_synthesis() else { return false };
        synth.cancel();
        for (_, text) in &parts {
            if let Ok(u) = web_sys::SpeechSynthesisUtterance::new_with_text(text) {
                u.set_lang(lang);
                synth.speak(&u);
            }
        }
        return true;
    }
    match recorded.first() {
        Some(Some(src)) => play(src).await,
        _ => false,
    }
}

/// Asks the service worker to keep the recordings of the chosen language
/// (a kiosk: of every offered language) for read-aloud with no signal,
/// within the budget of `shared::languages`; again when the choice changes.
/// Nothing without a worker running the page (the request would cross the network).
pub fn keep_voices(ui: Ui) {
    use motcua_shared::languages::{KIOSK_AUDIO_BUDGET_BYTES, PHONE_AUDIO_BUDGET_BYTES};
    Effect::new(move |_| {
        let kiosk = crate::components::kiosk::config().is_some();
        let langs: Vec<&str> = if kiosk {
            ui.offered.get().iter().map(|l| l.code()).filter(|c| *c != "vi").collect()
        } else {
            Some(ui.lang.get().code()).filter(|c| *c != "vi").into_iter().collect()
        };
        if langs.is_empty() || !crate::offline::worker_runs_page() {
            return;
        }
        let budget = if kiosk { KIOSK_AUDIO_BUDGET_BYTES } else { PHONE_AUDIO_BUDGET_BYTES };
        let url = format!("/sw/audio?langs={}&budget={budget}", langs.join(","));
        spawn_local(async move {
            let _ = crate::api::post_json::<serde::de::IgnoredAny>(&url, String::new()).await;
        });
    });
}

/// The button that reads `text` (the string `key`, for a recording).
pub fn read_aloud(ui: Ui, id: &'static str, key: Option<String>, text: Signal<String>) -> impl IntoView {
    read_aloud_all(ui, id, vec![(key, text)])
}

/// The button that reads several parts in turn: a question and its choices.
pub fn read_aloud_all(ui: Ui, id: &'static str, parts: Vec<(Option<String>, Signal<String>)>) -> impl IntoView {
    let none = RwSignal::new(false);
    let parts = StoredValue::new(parts);
    let on_click = move |_| {
        let lang = ui.lang.get_untracked().code();
        let said: Vec<(Option<String>, String)> = parts.with_value(|p| p.iter().map(|(k, t)| (k.clone(), t.get_untracked())).collect());
        spawn_local(async move {
            load_recordings().await;
            none.set(!read(lang, said).await);
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
