//! The kiosk's on-screen keypad: a kiosk has a touch screen and no keyboard,
//! and the tablet's own keyboard rarely has Vietnamese. It opens under the
//! text box that has the focus: digits for numbers (phone, citizen ID),
//! otherwise the Vietnamese letters (and f j w z, which H'Mông and other
//! minority spellings use) with five tone keys that put the mark where the
//! spelling rules put it (`motcua_shared::tones`).
//!
//! The keys never take the focus (the text box keeps its caret), and every
//! change is sent to the box as an `input` event, so the form saves it like
//! anything typed.

use crate::state::{use_ui, Ui};
use gloo_events::EventListener;
use leptos::prelude::*;
use motcua_shared::tones::{apply_tone, capital, Tone};
use wasm_bindgen::JsCast;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Layout {
    Digits,
    Letters,
}

const LETTER_ROWS: [&str; 4] = ["aăâbcdđeê", "ghiklmnoôơ", "pqrstuưvxy", "fjwz'-"];
const DIGIT_ROWS: [&str; 4] = ["123", "456", "789", "0"];

/// What a key does to the text box.
#[derive(Clone, Copy)]
enum Key {
    Text(char),
    Space,
    Backspace,
    Tone(Tone),
    /// Sends the box's form (search, continue), as a keyboard's Enter does.
    Enter,
}

/// What a screen reader says for a key that shows a sign rather than a letter.
fn key_label(ui: Ui, key: Key) -> Option<&'static str> {
    Some(match key {
        Key::Text(_) => return None,
        Key::Space => ui.t("keypad.space"),
        Key::Backspace => ui.t("keypad.backspace"),
        Key::Enter => ui.t("keypad.enter"),
        Key::Tone(Tone::Acute) => ui.t("keypad.tone.acute"),
        Key::Tone(Tone::Grave) => ui.t("keypad.tone.grave"),
        Key::Tone(Tone::Hook) => ui.t("keypad.tone.hook"),
        Key::Tone(Tone::Tilde) => ui.t("keypad.tone.tilde"),
        Key::Tone(Tone::Dot) => ui.t("keypad.tone.dot"),
    })
}

#[component]
pub fn Keypad() -> impl IntoView {
    let ui = use_ui();
    let layout = RwSignal::new(None::<Layout>);
    let shift = RwSignal::new(false);
    let target = StoredValue::new_local(None::<web_sys::HtmlInputElement>);

    // A text box takes the focus: the keypad for it; anything else: none.
    let on_focus = EventListener::new(&document(), "focusin", move |ev| {
        let Some(el) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
        if el.closest("#keypad").ok().flatten().is_some() {
            return;
        }
        match el.dyn_into::<web_sys::HtmlInputElement>() {
            Ok(input) if matches!(input.type_().as_str(), "text" | "search" | "tel") => {
                let digits = input.type_() == "tel" || input.input_mode() == "numeric";
                layout.set(Some(if digits { Layout::Digits } else { Layout::Letters }));
                // The box just above the keypad, so the keypad never hides what is typed.
                let shown = input.clone();
                request_animation_frame(move || {
                    let Some(keypad) = document().get_element_by_id("keypad") else { return };
                    let (box_at, keypad_top) = (shown.get_bounding_client_rect(), keypad.get_bounding_client_rect().top());
                    let overlap = box_at.bottom() + 8.0 - keypad_top;
                    if overlap > 0.0 || box_at.top() < 0.0 {
                        window().scroll_by_with_x_and_y(0.0, if overlap > 0.0 { overlap } else { box_at.top() - 8.0 });
                    }
                });
                target.set_value(Some(input));
            }
            _ => {
                layout.set(None);
                target.set_value(None);
            }
        }
    });
    // Removed with the keypad.
    crate::keep_while_mounted(on_focus);

    let press = move |key: Key| {
        let Some(input) = target.get_value() else { return };
        if !input.is_connected() {
            return;
        }
        if let Key::Enter = key {
            if let Some(form) = input.form() {
                let _ = form.request_submit();
            }
            return;
        }
        let value: Vec<u16> = input.value().encode_utf16().collect();
        let end = input.selection_end().ok().flatten().map_or(value.len(), |e| (e as usize).min(value.len()));
        let start = input.selection_start().ok().flatten().map_or(end, |s| (s as usize).min(end));
        let (before, after) = (String::from_utf16_lossy(&value[..start]), String::from_utf16_lossy(&value[end..]));
        let before = match key {
            Key::Text(c) => {
                let c = if shift.get_untracked() { capital(c) } else { c };
                shift.set(false);
                format!("{before}{c}")
            }
            Key::Space => format!("{before} "),
            Key::Backspace if start == end => {
                let mut b = before;
                b.pop();
                b
            }
            Key::Backspace => before,
            Key::Tone(t) => apply_tone(&before, t),
            Key::Enter => return,
        };
        let max = input.max_length();
        let text = format!("{before}{after}");
        if max >= 0 && text.encode_utf16().count() > max as usize {
            return;
        }
        input.set_value(&text);
        let caret = before.encode_utf16().count() as u32;
        let _ = input.set_selection_range(caret, caret);
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        if let Ok(event) = web_sys::Event::new_with_event_init_dict("input", &init) {
            let _ = input.dispatch_event(&event);
        }
    };
    // A key: pressing it must not move the focus away from the text box.
    let key = move |key: Key, text: String, class: &'static str| {
        view! {
            <button
                type="button"
                class=format!("key {class}")
                aria-label=move || key_label(ui, key)
                on:mousedown=|ev| ev.prevent_default()
                on:click=move |_| press(key)
            >
                {text}
            </button>
        }
    };
    let letters = move || {
        let upper = shift.get();
        let rows = LETTER_ROWS
            .iter()
            .map(|row| {
                let keys = row
                    .chars()
                    .map(|c| {
                        let shown = if upper { capital(c) } else { c }.to_string();
                        key(Key::Text(c), shown, "")
                    })
                    .collect_view();
                view! { <div class="keypad-row">{keys}</div> }
            })
            .collect_view();
        let tones = Tone::ALL
            .iter()
            .map(|&t| key(Key::Tone(t), t.sample().to_string(), "tone"))
            .collect_view();
        view! {
            {rows}
            <div class="keypad-row" role="group" aria-label=move || ui.t("keypad.tones")>{tones}</div>
            <div class="keypad-row">
                <button
                    type="button"
                    class="key wide"
                    aria-pressed=move || shift.get().to_string()
                    aria-label=move || ui.t("keypad.shift")
                    on:mousedown=|ev| ev.prevent_default()
                    on:click=move |_| shift.update(|s| *s = !*s)
                >
                    "⇧"
                </button>
                {key(Key::Space, "␣".into(), "wide space")}
                {key(Key::Backspace, "⌫".into(), "wide")}
                {key(Key::Enter, "↵".into(), "wide enter")}
            </div>
        }
    };
    let digits = move || {
        let rows = DIGIT_ROWS
            .iter()
            .map(|row| {
                let keys = row.chars().map(|c| key(Key::Text(c), c.to_string(), "")).collect_view();
                view! { <div class="keypad-row">{keys}</div> }
            })
            .collect_view();
        view! {
            {rows}
            <div class="keypad-row">
                {key(Key::Backspace, "⌫".into(), "wide")}
                {key(Key::Enter, "↵".into(), "wide enter")}
            </div>
        }
    };
    move || {
        layout.get().map(|l| {
            view! {
                <div id="keypad" class="keypad" role="group" aria-label=move || ui.t("keypad.label") data-layout=match l {
                    Layout::Digits => "digits",
                    Layout::Letters => "letters",
                }>
                    {match l {
                        Layout::Digits => digits().into_any(),
                        Layout::Letters => letters().into_any(),
                    }}
                    <div class="keypad-row">
                        <button
                            type="button"
                            class="key wide"
                            id="keypad-close"
                            on:mousedown=|ev| ev.prevent_default()
                            on:click=move |_| layout.set(None)
                        >
                            {ui.tr("keypad.close")}
                        </button>
                    </div>
                </div>
            }
        })
    }
}
