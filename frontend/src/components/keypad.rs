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

/// The box the keypad types into: a one-line input or a text area (a
/// report's text). web-sys gives the two no common type for their value
/// and caret, so this one forwards the few calls the keypad makes.
#[derive(Clone)]
enum TextBox {
    Line(web_sys::HtmlInputElement),
    Area(web_sys::HtmlTextAreaElement),
}

impl TextBox {
    fn value(&self) -> String {
        match self {
            TextBox::Line(i) => i.value(),
            TextBox::Area(a) => a.value(),
        }
    }
    fn set_value(&self, v: &str) {
        match self {
            TextBox::Line(i) => i.set_value(v),
            TextBox::Area(a) => a.set_value(v),
        }
    }
    fn selection(&self) -> (Option<u32>, Option<u32>) {
        match self {
            TextBox::Line(i) => (i.selection_start().ok().flatten(), i.selection_end().ok().flatten()),
            TextBox::Area(a) => (a.selection_start().ok().flatten(), a.selection_end().ok().flatten()),
        }
    }
    fn set_caret(&self, at: u32) {
        let _ = match self {
            TextBox::Line(i) => i.set_selection_range(at, at),
            TextBox::Area(a) => a.set_selection_range(at, at),
        };
    }
    fn max_length(&self) -> i32 {
        match self {
            TextBox::Line(i) => i.max_length(),
            TextBox::Area(a) => a.max_length(),
        }
    }
    fn form(&self) -> Option<web_sys::HtmlFormElement> {
        match self {
            TextBox::Line(i) => i.form(),
            TextBox::Area(a) => a.form(),
        }
    }
    fn element(&self) -> &web_sys::HtmlElement {
        match self {
            TextBox::Line(i) => i,
            TextBox::Area(a) => a,
        }
    }
}

#[component]
pub fn Keypad() -> impl IntoView {
    let ui = use_ui();
    let layout = RwSignal::new(None::<Layout>);
    let shift = RwSignal::new(false);
    let target = StoredValue::new_local(None::<TextBox>);

    // A text box takes the focus: the keypad for it; anything else: none.
    let on_focus = EventListener::new(&document(), "focusin", move |ev| {
        let Some(el) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return };
        if el.closest("#keypad").ok().flatten().is_some() {
            return;
        }
        // A button (a form's send, a photo's remove) keeps the keypad: taking
        // it away would move the button from under the finger pressing it.
        if el.tag_name() == "BUTTON" {
            return;
        }
        let text_box = match el.dyn_into::<web_sys::HtmlInputElement>() {
            Ok(input) if matches!(input.type_().as_str(), "text" | "search" | "tel") => {
                let digits = input.type_() == "tel" || input.input_mode() == "numeric";
                Some((TextBox::Line(input), digits))
            }
            Ok(_) => None,
            Err(el) => el.dyn_into::<web_sys::HtmlTextAreaElement>().ok().map(|a| (TextBox::Area(a), false)),
        };
        match text_box {
            Some((input, digits)) => {
                layout.set(Some(if digits { Layout::Digits } else { Layout::Letters }));
                // The box just above the keypad, so the keypad never hides what is typed.
                let shown = input.element().clone();
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
            None => {
                layout.set(None);
                target.set_value(None);
            }
        }
    });
    // Removed with the keypad.
    crate::keep_while_mounted(on_focus);

    let press = move |key: Key| {
        let Some(input) = target.get_value() else { return };
        if !input.element().is_connected() {
            return;
        }
        // Enter goes on from a one-line box; in a text area it starts a new line.
        let area = matches!(input, TextBox::Area(_));
        if let (Key::Enter, false) = (key, area) {
            if let Some(form) = input.form() {
                let _ = form.request_submit();
            }
            return;
        }
        let value: Vec<u16> = input.value().encode_utf16().collect();
        let (selection_start, selection_end) = input.selection();
        let end = selection_end.map_or(value.len(), |e| (e as usize).min(value.len()));
        let start = selection_start.map_or(end, |s| (s as usize).min(end));
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
            Key::Enter => format!("{before}\n"),
        };
        let max = input.max_length();
        let text = format!("{before}{after}");
        if max >= 0 && text.encode_utf16().count() > max as usize {
            return;
        }
        input.set_value(&text);
        input.set_caret(before.encode_utf16().count() as u32);
        let init = web_sys::EventInit::new();
        init.set_bubbles(true);
        if let Ok(event) = web_sys::Event::new_with_event_init_dict("input", &init) {
            let _ = input.element().dispatch_event(&event);
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
