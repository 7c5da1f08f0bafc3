//! "How should we tell you about your dossier?": the one page of the form
//! the portal itself asks (after the procedure's questions, before checking
//! the answers), in the citizen's form and at the counter alike. The choice
//! is checked by `motcua_shared::notify` here and again by the function.

use crate::components::labels;
use crate::components::read_aloud::read_aloud;
use crate::state::Ui;
use leptos::prelude::*;
use motcua_shared::notify::{Channel, NotifyChoice};
use motcua_shared::validation::FieldError;

pub use motcua_views::labels::channel_name;

pub use motcua_views::form::shown_choice;

/// The field a refusal names, and the input that shows it.
pub fn field_for(channel: Channel) -> (&'static str, &'static str) {
    match channel {
        Channel::Email => ("notify.email_address", "notify-email"),
        _ => ("notify.phone", "notify-phone"),
    }
}

/// The question. `choice` is the draft's (None until the citizen picks);
/// `suggested_phone`: the phone the form already asked for, offered for SMS and Zalo.
pub fn notify_view(
    ui: Ui,
    choice: RwSignal<Option<NotifyChoice>>,
    error: RwSignal<Option<FieldError>>,
    suggested_phone: Option<String>,
) -> impl IntoView {
    let title = labels::live(move || ui.t("notify.title").to_owned());
    let channel = move || choice.with(|c| c.as_ref().map(|c| c.channel));
    let suggested_phone = StoredValue::new(suggested_phone);
    let pick = move |picked: Channel| {
        error.set(None);
        choice.update(|c| {
            let mut next = c.clone().unwrap_or_default();
            next.channel = picked;
            if matches!(picked, Channel::Sms | Channel::Zalo) && next.phone.as_deref().is_none_or(|p| p.trim().is_empty()) {
                next.phone = suggested_phone.get_value();
            }
            *c = Some(next);
        });
    };
    let described = move || {
        let mut ids = vec!["answer-help"];
        if error.with(Option::is_some) {
            ids.push("answer-error");
        }
        ids.join(" ")
    };
    let error_view = move || {
        error.get().map(|e| {
            let field = channel().map(field_for).map_or("notify.title", |(label, _)| label);
            let text = Signal::derive(move || labels::field_error(ui, e, ui.t(field)));
            view! {
                <p id="answer-error" class="field-error">{text}</p>
                {read_aloud(ui, "read-error", None, text)}
            }
        })
    };
    let radios = Channel::ALL
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let input_id = if i == 0 { "answer".to_owned() } else { format!("answer-{i}") };
            view! {
                <div class="choice">
                    <input
                        type="radio"
                        name="notify-channel"
                        id=input_id.clone()
                        value=c.as_str()
                        prop:checked=move || channel() == Some(c)
                        aria-describedby=described
                        on:change=move |_| pick(c)
                    />
                    <label for=input_id>{move || channel_name(ui, c)}</label>
                </div>
            }
        })
        .collect_view();
    // The address the chosen way needs: a phone for SMS and Zalo, an e-mail address for e-mail.
    let address = move || {
        let invalid = move || error.with(Option::is_some).then_some("true");
        let (label, input_id, kind, mode, autocomplete): (&'static str, &'static str, _, _, _) = match channel()? {
            Channel::Sms | Channel::Zalo => ("notify.phone", "notify-phone", "tel", Some("numeric"), "tel"),
            Channel::Email => ("notify.email_address", "notify-email", "email", None, "email"),
            Channel::None => return None,
        };
        let email = kind == "email";
        let value = move || choice.with(|c| c.as_ref().and_then(|c| if email { c.email.clone() } else { c.phone.clone() }).unwrap_or_default());
        let set = move |typed: String| {
            choice.update(|c| {
                if let Some(c) = c {
                    *(if email { &mut c.email } else { &mut c.phone }) = Some(typed);
                }
            })
        };
        Some(view! {
            <label for=input_id class="field-label">{ui.tr(label)}</label>
            <input
                id=input_id
                class="answer-input"
                type=kind
                inputmode=mode
                autocomplete=autocomplete
                prop:value=value
                aria-invalid=invalid
                aria-describedby=described
                on:input=move |ev| set(event_target_value(&ev))
            />
        })
    };
    view! {
        <fieldset class="question" aria-invalid=move || error.with(Option::is_some).then_some("true")>
            <legend>
                <h2 id="question" tabindex="-1">
                    <span>{title}</span>
                </h2>
            </legend>
            {read_aloud(ui, "read-question", Some("notify.title".to_owned()), title)}
            <p id="answer-help" class="hint">{ui.tr("notify.hint")}</p>
            {error_view}
            {radios}
            {address}
        </fieldset>
    }
}

/// The choice, checked: `Err` with the error to show at the field.
pub fn check(choice: Option<&NotifyChoice>) -> Result<NotifyChoice, FieldError> {
    let choice = choice.ok_or(FieldError::Required)?;
    choice.check().map_err(|issue| issue.error)?;
    Ok(choice.clone())
}
