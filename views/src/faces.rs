//! The three answers of a satisfaction question as large faces with words:
//! radio buttons underneath, so keyboards and screen readers use them as
//! any choice. Used by the rating on the tracking page and the counter screen.

use crate::ui::Ui;
use leptos::prelude::*;
use motcua_shared::ratings::Choice;

pub fn choice_name(ui: Ui, c: Choice) -> &'static str {
    match c {
        Choice::VerySatisfied => ui.t("rating.choice.very_satisfied"),
        Choice::Satisfied => ui.t("rating.choice.satisfied"),
        Choice::NotSatisfied => ui.t("rating.choice.not_satisfied"),
    }
}

/// A face drawn in SVG (no image files, nothing to download).
pub fn face(c: Choice) -> impl IntoView {
    let (mouth, colour) = match c {
        Choice::VerySatisfied => ("M7 14c2.5 4 7.5 4 10 0", "#1d6b32"),
        Choice::Satisfied => ("M8 15c2 1.5 6 1.5 8 0", "#0b4f8a"),
        Choice::NotSatisfied => ("M8 17c2-2.5 6-2.5 8 0", "#b3261e"),
    };
    view! {
        <svg class="face" viewBox="0 0 24 24" aria-hidden="true" focusable="false" style=format!("color:{colour}")>
            <circle cx="12" cy="12" r="10"></circle>
            <circle class="eye" cx="9" cy="9.5" r="1.2"></circle>
            <circle class="eye" cx="15" cy="9.5" r="1.2"></circle>
            <path d=mouth></path>
        </svg>
    }
}

/// One question answered with the three faces; `name` groups the radios.
pub fn faces(ui: Ui, name: String, value: RwSignal<Option<Choice>>) -> impl IntoView {
    Choice::ALL
        .into_iter()
        .map(|c| {
            let id = format!("{name}-{}", c.as_str());
            view! {
                <div class="face-choice">
                    <input
                        type="radio"
                        id=id.clone()
                        name=name.clone()
                        value=c.as_str()
                        checked=move || value.get() == Some(c)
                        prop:checked=move || value.get() == Some(c)
                        on:change=move |_| value.set(Some(c))
                    />
                    <label for=id>
                        {face(c)}
                        <span>{move || choice_name(ui, c)}</span>
                    </label>
                </div>
            }
        })
        .collect_view()
}
