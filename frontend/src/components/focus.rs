//! Moving the keyboard and screen-reader focus to what just appeared: the
//! next question, an error, a confirmation under the button pressed.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Moves the focus after the DOM has caught up (a new step, an error).
pub fn focus_later(id: &'static str) {
    request_animation_frame(move || {
        if let Some(el) = document().get_element_by_id(id) {
            let _ = el.unchecked_into::<web_sys::HtmlElement>().focus();
        }
    });
}
