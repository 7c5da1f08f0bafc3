//! Rating a returned (or refused) dossier from its tracking page: each
//! criterion with three faces, an optional comment; changeable for a day,
//! then shown as given. The app sends it itself; the server's page posts the
//! same form back to `/track` with the code and secret.

use crate::faces::{choice_name, faces};
use crate::labels::{self, show_time};
use crate::ui::Ui;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use motcua_shared::ratings::{Choice, Criterion, RatingView, MAX_COMMENT_CHARS};

pub fn criterion_label(ui: Ui, c: &Criterion) -> String {
    labels::form_label(ui, &c.label_key, &c.label_vi)
}

/// A fixed rating, as the citizen gave it.
pub fn given(ui: Ui, list: &[Criterion], v: &RatingView) -> impl IntoView + use<> {
    let rows = list
        .iter()
        .map(|c| {
            let answer = v.answers.get(&c.id).map(|a| choice_name(ui, *a)).unwrap_or("—");
            view! { <dt>{criterion_label(ui, c)}</dt><dd>{answer}</dd> }
        })
        .collect_view();
    view! {
        <p id="rating-fixed">{ui.tr("rating.fixed")}</p>
        <dl class="pairs">{rows}</dl>
    }
}

/// The server's form: where it posts, with the holder's code and secret.
pub struct PostTo {
    pub code: String,
    pub secret: String,
}

/// The form. `answers`: each criterion with its face (if chosen); `failed`:
/// what is wrong, said above the button; `saved`: the rating kept (thanks,
/// and until when it can change).
#[allow(clippy::too_many_arguments)]
pub fn rating_form(
    ui: Ui,
    answers: Vec<(Criterion, RwSignal<Option<Choice>>)>,
    comment: RwSignal<String>,
    post_to: Option<PostTo>,
    busy: Signal<bool>,
    failed: Signal<Option<String>>,
    saved: Signal<Option<RatingView>>,
    on_submit: impl FnMut(SubmitEvent) + 'static,
) -> impl IntoView {
    let server = post_to.is_some();
    let hidden = post_to.map(|p| {
        view! {
            <input type="hidden" name="code" value=p.code />
            <input type="hidden" name="secret" value=p.secret />
            <input type="hidden" name="do" value="rate" />
        }
    });
    let questions = answers
        .into_iter()
        .map(|(c, value)| {
            let label = criterion_label(ui, &c);
            view! {
                <fieldset class="rating-question">
                    <legend>{label}</legend>
                    <div class="faces">{faces(ui, format!("rate-{}", c.id), value)}</div>
                </fieldset>
            }
        })
        .collect_view();
    view! {
        <p>{ui.tr("rating.intro")}</p>
        <form class="rating-form" method=server.then_some("post") action=server.then_some("/track") on:submit=on_submit>
            {hidden}
            {questions}
            <p class="field">
                <label for="rate-comment">{ui.tr("rating.comment")}</label>
                <textarea
                    id="rate-comment"
                    name="comment"
                    rows="3"
                    maxlength=MAX_COMMENT_CHARS.to_string()
                    prop:value=comment
                    on:input=move |ev| comment.set(event_target_value(&ev))
                >
                    {move || if server { comment.get() } else { String::new() }}
                </textarea>
            </p>
            {move || failed.get().map(|t| view! { <p id="rating-error" class="alert" role="alert">{t}</p> })}
            <button id="rate-submit" type="submit" class="button primary" disabled=busy>
                {move || if saved.with(Option::is_some) { ui.t("rating.change") } else { ui.t("rating.submit") }}
            </button>
            // Under the button the person pressed, announced once.
            {move || saved.get().map(|v| view! {
                <p id="rating-thanks" class="notice" role="status" tabindex="-1">
                    {ui.t("rating.thanks")} " " {crate::i18n::fill(ui.t("rating.changeable"), &[("until", &show_time(&v.changeable_until))])}
                </p>
            })}
        </form>
    }
}
