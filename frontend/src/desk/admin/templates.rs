//! The messages citizens get when their dossier changes: the province's
//! template per event and language, edited here with the message it makes
//! (sample values) and what it costs as an SMS, both worked out as the
//! administrator types by the same rules the function applies
//! (`motcua_shared::notify`). Saving is checked again there.

use super::refusals::Form;
use super::{Outcome, field_refusal, outcome_view};
use crate::api::{Load, loader};
use crate::desk::dossier::event_name;
use crate::desk::{api, use_session};
use crate::i18n::{Lang, fill};
use crate::components::focus::focus_later;
use crate::state::{Ui, use_ui};
use leptos::prelude::*;
use leptos::task::spawn_local;
use motcua_shared::notify::{Event, MAX_TEMPLATE_CHARS, PLACEHOLDERS, Template, TemplateProblem, check_template, preview};

/// A template's problem in the administrator's language.
fn problem_text(ui: Ui, p: &TemplateProblem) -> String {
    match p {
        TemplateProblem::Empty => ui.t("desk.admin.templates.empty").to_owned(),
        TemplateProblem::TooLong { chars } => fill(
            ui.t("desk.admin.templates.too_long"),
            &[("max", &MAX_TEMPLATE_CHARS.to_string()), ("chars", &chars.to_string())],
        ),
        TemplateProblem::UnknownPlaceholder(name) => fill(ui.t("desk.admin.templates.unknown"), &[("name", name), ("known", &known())]),
        TemplateProblem::MissingCode => ui.t("desk.admin.templates.no_code").to_owned(),
        TemplateProblem::MissingReason => ui.t("desk.admin.templates.no_reason").to_owned(),
    }
}

fn known() -> String {
    PLACEHOLDERS.map(|p| format!("{{{p}}}")).join(" ")
}

#[component]
pub fn TemplatesSection(changed: RwSignal<u32>) -> impl IntoView {
    let ui = use_ui();
    let session = use_session();
    let (list, _) = loader(move || Some(changed.get()), move |_| async move {
        let r = api::message_templates().await;
        if let Err(e) = &r {
            session.check(e);
        }
        r
    });
    let event = RwSignal::new(Event::Accepted);
    let language = RwSignal::new("vi".to_owned());
    let text = RwSignal::new(String::new());
    let result = RwSignal::new(None::<Outcome>);
    let invalid = RwSignal::new(false);
    let busy = StoredValue::new(false);

    let problem = Memo::new(move |_| text.with(|t| check_template(event.get(), t).err()));
    let shown = Memo::new(move |_| text.with(|t| preview(t.trim())));
    let cost = move || {
        let sms = shown.get().sms;
        let kind = if sms.unicode { ui.t("desk.admin.templates.unicode") } else { ui.t("desk.admin.templates.gsm") };
        fill(ui.t("desk.admin.templates.sms"), &[("parts", &sms.parts.to_string()), ("units", &sms.units.to_string()), ("kind", kind)])
    };

    let edit = move |t: Template| {
        event.set(t.event);
        language.set(t.language);
        text.set(t.text);
        result.set(None);
        invalid.set(false);
        focus_later("template-text");
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_value() {
            return;
        }
        if let Some(p) = problem.get_untracked() {
            invalid.set(true);
            result.set(Some(Err(format!("{} {}", ui.t("desk.admin.error.lead.template"), problem_text(ui, &p)))));
            focus_later("template-result");
            return;
        }
        let (e, l, t) = (event.get_untracked(), language.get_untracked(), text.get_untracked());
        busy.set_value(true);
        spawn_local(async move {
            match api::save_message_template(e, &l, &t).await {
                Ok(saved) => {
                    invalid.set(false);
                    let words = [("event", event_name(ui, saved.event)), ("language", saved.language.as_str())];
                    result.set(Some(Ok(fill(ui.t("desk.admin.templates.saved"), &words))));
                    changed.update(|n| *n += 1);
                }
                Err(err) => {
                    session.check(&err);
                    let (field, sentence) = field_refusal(ui, Form::Template, &err);
                    invalid.set(field.is_some());
                    result.set(Some(Err(sentence)));
                }
            }
            focus_later("template-result");
            busy.set_value(false);
        });
    };

    let rows = move || {
        list.with(|l| match l {
            Load::Ready(templates) => templates
                .iter()
                .cloned()
                .map(|t| {
                    let of = format!("{} · {}", event_name(ui, t.event), t.language);
                    let data = format!("{}/{}", t.event.as_str(), t.language);
                    let (text_shown, updated) = (t.text.clone(), format!("{} · {}", t.updated_by, crate::desk::show_time(&t.updated_at)));
                    view! {
                        <tr data-template=data>
                            <td>{event_name(ui, t.event)}</td>
                            <td>{t.language.clone()}</td>
                            <td lang=t.language.clone()>{text_shown}</td>
                            <td class="hint">{updated}</td>
                            <td>
                                <button type="button" class="button template-edit" on:click=move |_| edit(t.clone())>
                                    {ui.t("desk.admin.templates.edit")}
                                    <span class="visually-hidden">" " {of}</span>
                                </button>
                            </td>
                        </tr>
                    }
                })
                .collect_view()
                .into_any(),
            _ => ().into_any(),
        })
    };
    let headings = vec![
        ui.t("desk.admin.templates.event"),
        ui.t("desk.admin.templates.language"),
        ui.t("desk.admin.templates.text"),
        ui.t("desk.admin.templates.updated"),
        "",
    ];
    view! {
        <section id="admin-templates-section" aria-labelledby="templates-title">
            <h2 id="templates-title">{ui.t("desk.admin.templates")}</h2>
            <p class="hint">{fill(ui.t("desk.admin.templates.hint"), &[("known", &known())])}</p>
            {super::admin_table("admin-templates", "templates-title", headings, rows)}
            <h3 id="template-form-title">{ui.t("desk.admin.templates.form")}</h3>
            <form id="template-form" class="desk-form" aria-labelledby="template-form-title" on:submit=save>
                <p class="field">
                    <label for="template-event">{ui.t("desk.admin.templates.event")}</label>
                    <select id="template-event" on:change=move |ev| {
                        if let Some(e) = Event::parse(&event_target_value(&ev)) {
                            event.set(e);
                        }
                    }>
                        {Event::ALL.map(|e| view! {
                            <option value=e.as_str() selected=move || event.get() == e>{event_name(ui, e)}</option>
                        }).collect_view()}
                    </select>
                </p>
                <p class="field">
                    <label for="template-language">{ui.t("desk.admin.templates.language")}</label>
                    <select id="template-language" on:change=move |ev| language.set(event_target_value(&ev))>
                        {Lang::ALL.map(|l| view! {
                            <option value=l.code() selected=move || language.with(|c| c == l.code())>{l.name()}</option>
                        }).collect_view()}
                    </select>
                </p>
                <p class="field">
                    <label for="template-text">{ui.t("desk.admin.templates.text")}</label>
                    <textarea id="template-text" rows="4" maxlength="600" aria-describedby="template-sms template-problem"
                        aria-invalid=move || invalid.get().then_some("true")
                        prop:value=text on:input=move |ev| text.set(event_target_value(&ev))></textarea>
                </p>
                <p id="template-problem" class="hint" aria-live="polite">
                    {move || problem.get().map(|p| problem_text(ui, &p))}
                </p>
                <h4>{ui.t("desk.admin.templates.preview")}</h4>
                <p id="template-preview" class="message-preview">{move || shown.get().text}</p>
                <p id="template-sms" class="hint">{cost}</p>
                <button id="save-template" type="submit" class="button primary">{ui.t("desk.admin.templates.save")}</button>
            </form>
            {move || outcome_view("template-result", result.get(), invalid.get().then(|| "text".to_owned()))}
        </section>
    }
}
