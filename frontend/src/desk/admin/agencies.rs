//! The receiving agencies (where citizens go): the list, and a form that adds
//! one or changes one (its name, address, hours, phone and the procedures it
//! receives). The receipt and the procedure page show what is saved here.

use super::{admin_table, field_refusal};
use super::refusals::Form;
use crate::api::{FetchError, Load};
use crate::components::load_error::{LoadError, Loading};
use crate::desk::{api, use_session};
use crate::i18n::fill;
use crate::components::focus::focus_later;
use crate::state::{Ui, use_ui};
use leptos::prelude::*;
use leptos::task::spawn_local;
use motcua_shared::agency::{Agency, AgencyListing};

/// Procedure codes as typed: separated by spaces, commas, semicolons or
/// lines; each once, in the order given.
fn procedure_codes(text: &str) -> Vec<String> {
    let mut codes: Vec<String> = Vec::new();
    for code in text.split(|c: char| c.is_whitespace() || c == ',' || c == ';').filter(|c| !c.is_empty()) {
        if !codes.iter().any(|c| c == code) {
            codes.push(code.to_owned());
        }
    }
    codes
}

/// The form's fields.
#[derive(Clone, Copy)]
struct Fields {
    id: RwSignal<String>,
    name: RwSignal<String>,
    address: RwSignal<String>,
    hours: RwSignal<String>,
    phone: RwSignal<String>,
    procedures: RwSignal<String>,
    report_days: RwSignal<String>,
}

impl Fields {
    fn fill(self, a: Option<Agency>) {
        let a = a.unwrap_or(Agency {
            id: String::new(),
            name: String::new(),
            address: String::new(),
            opening_hours: String::new(),
            phone: None,
            procedures: Vec::new(),
            report_answer_days: None,
        });
        self.id.set(a.id);
        self.name.set(a.name);
        self.address.set(a.address);
        self.hours.set(a.opening_hours);
        self.phone.set(a.phone.unwrap_or_default());
        self.procedures.set(a.procedures.join("\n"));
        self.report_days.set(a.report_answer_days.map(|d| d.to_string()).unwrap_or_default());
    }

    fn agency(self) -> Agency {
        let phone = self.phone.get_untracked().trim().to_owned();
        Agency {
            id: self.id.get_untracked().trim().to_owned(),
            name: self.name.get_untracked().trim().to_owned(),
            address: self.address.get_untracked().trim().to_owned(),
            opening_hours: self.hours.get_untracked().trim().to_owned(),
            phone: (!phone.is_empty()).then_some(phone),
            procedures: procedure_codes(&self.procedures.get_untracked()),
            // Left empty: the default. Not a number: sent as 0, which the server refuses by name.
            report_answer_days: Some(self.report_days.get_untracked().trim().to_owned())
                .filter(|d| !d.is_empty())
                .map(|d| d.parse().unwrap_or(0)),
        }
    }
}

/// What became of the last save or edit.
#[derive(Clone)]
enum Saved {
    Added(String),
    Changed(String),
    Failed(String),
}

#[component]
pub fn AgenciesSection(
    changed: RwSignal<u32>,
    agencies: ReadSignal<Load<Vec<AgencyListing>>>,
    retry: RwSignal<u32>,
) -> impl IntoView {
    let ui = use_ui();
    let session = use_session();
    let fields = Fields {
        id: RwSignal::new(String::new()),
        name: RwSignal::new(String::new()),
        address: RwSignal::new(String::new()),
        hours: RwSignal::new(String::new()),
        phone: RwSignal::new(String::new()),
        procedures: RwSignal::new(String::new()),
        report_days: RwSignal::new(String::new()),
    };
    let invalid = RwSignal::new(None::<String>);
    let result = RwSignal::new(None::<Saved>);
    let busy = StoredValue::new(false);

    let failed = move |e: FetchError, form: Form| {
        session.check(&e);
        let (field, text) = field_refusal(ui, form, &e);
        invalid.set(field);
        result.set(Some(Saved::Failed(text)));
        focus_later("agency-result");
    };

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_value() {
            return;
        }
        busy.set_value(true);
        let agency = fields.agency();
        result.set(None);
        invalid.set(None);
        spawn_local(async move {
            match api::save_agency(&agency).await {
                Ok((saved, added)) => {
                    let count = saved.procedures.len().to_string();
                    let words = &[("name", saved.name.as_str()), ("id", saved.id.as_str()), ("count", count.as_str())];
                    result.set(Some(if added {
                        Saved::Added(fill(ui.t("desk.admin.agencies.added"), words))
                    } else {
                        Saved::Changed(fill(ui.t("desk.admin.agencies.changed"), words))
                    }));
                    fields.fill(Some(saved));
                    changed.update(|n| *n += 1);
                    focus_later("agency-result");
                }
                Err(e) => failed(e, Form::Agency),
            }
            busy.set_value(false);
        });
    };

    let edit = move |id: String| {
        if busy.get_value() {
            return;
        }
        busy.set_value(true);
        result.set(None);
        invalid.set(None);
        spawn_local(async move {
            match api::agency(&id).await {
                Ok(a) => {
                    fields.fill(Some(a));
                    focus_later("agency-name");
                }
                Err(e) => failed(e, Form::AgencyEdit),
            }
            busy.set_value(false);
        });
    };

    let clear = move |_| {
        fields.fill(None);
        result.set(None);
        invalid.set(None);
        focus_later("agency-id");
    };

    let marked = move |field: &'static str| move || (invalid.get().as_deref() == Some(field)).then_some("true");
    let input = move |id: &'static str, field: &'static str, label: &'static str, value: RwSignal<String>, max: &'static str| {
        view! {
            <p class="field">
                <label for=id>{label}</label>
                <input id=id required maxlength=max autocomplete="off" aria-invalid=marked(field)
                    prop:value=value on:input=move |ev| value.set(event_target_value(&ev)) />
            </p>
        }
    };

    view! {
        <section id="admin-agencies" aria-labelledby="agencies-title">
            <h2 id="agencies-title">{ui.t("desk.admin.agencies.title")}</h2>
            <p class="hint">{ui.t("desk.admin.agencies.hint")}</p>
            {move || agencies.with(|s| match s {
                Load::Loading => view! { <Loading /> }.into_any(),
                Load::Failed(e) => view! { <LoadError error=e.clone() retry /> }.into_any(),
                Load::Ready(list) if list.is_empty() => view! { <p id="agencies-none">{ui.t("desk.admin.agencies.none")}</p> }.into_any(),
                Load::Ready(list) => {
                    let rows = list.iter().map(|a| agency_row(ui, a, edit)).collect_view();
                    view! {
                        {admin_table("admin-agencies-table", "agencies-title", vec![ui.t("desk.admin.agencies.id"), ui.t("desk.admin.agencies.name"), ui.t("desk.admin.agencies.address"), ui.t("desk.admin.agencies.hours"), ui.t("desk.admin.agencies.phone"), ui.t("desk.admin.agencies.count"), ui.t("desk.admin.forms.actions")], rows)}
                    }.into_any()
                }
            })}
            <h3 id="agency-form-title">{ui.t("desk.admin.agencies.form")}</h3>
            <p class="hint">{ui.t("desk.admin.agencies.form_hint")}</p>
            <form id="agency-form" class="desk-form" aria-labelledby="agency-form-title" on:submit=save>
                {input("agency-id", "id", ui.t("desk.admin.agencies.id"), fields.id, "32")}
                {input("agency-name", "name", ui.t("desk.admin.agencies.name"), fields.name, "200")}
                {input("agency-address", "address", ui.t("desk.admin.agencies.address"), fields.address, "300")}
                {input("agency-hours", "opening_hours", ui.t("desk.admin.agencies.hours"), fields.hours, "200")}
                <p class="field">
                    <label for="agency-phone">{ui.t("desk.admin.agencies.phone_optional")}</label>
                    <input id="agency-phone" type="tel" maxlength="20" autocomplete="off" aria-invalid=marked("phone")
                        prop:value=fields.phone on:input=move |ev| fields.phone.set(event_target_value(&ev)) />
                </p>
                <p class="field">
                    <label for="agency-report-days">{ui.t("desk.admin.agencies.report_days")}</label>
                    <input id="agency-report-days" type="text" inputmode="numeric" maxlength="2" autocomplete="off"
                        aria-invalid=marked("report_answer_days")
                        prop:value=fields.report_days on:input=move |ev| fields.report_days.set(event_target_value(&ev)) />
                </p>
                <p class="field">
                    <label for="agency-procedures">{ui.t("desk.admin.agencies.procedures")}</label>
                    <span id="agency-procedures-hint" class="hint">{ui.t("desk.admin.agencies.procedures_hint")}</span>
                    <textarea id="agency-procedures" rows="5" spellcheck="false" aria-describedby="agency-procedures-hint"
                        aria-invalid=marked("procedures")
                        prop:value=fields.procedures on:input=move |ev| fields.procedures.set(event_target_value(&ev))></textarea>
                </p>
                <div class="form-actions">
                    <button id="save-agency" type="submit" class="button primary">{ui.t("desk.admin.agencies.save")}</button>
                    <button id="agency-new" type="button" class="button" on:click=clear>{ui.t("desk.admin.agencies.new")}</button>
                </div>
            </form>
            {move || result.get().map(|r| match r {
                Saved::Added(t) => view! { <p id="agency-result" class="notice" role="status" tabindex="-1" data-outcome="added">{t}</p> }.into_any(),
                Saved::Changed(t) => view! { <p id="agency-result" class="notice" role="status" tabindex="-1" data-outcome="changed">{t}</p> }.into_any(),
                Saved::Failed(t) => view! { <p id="agency-result" class="alert" role="alert" tabindex="-1" data-outcome="refused" data-field=invalid.get()>{t}</p> }.into_any(),
            })}
        </section>
    }
}

fn agency_row(ui: Ui, a: &AgencyListing, edit: impl Fn(String) + Copy + 'static) -> impl IntoView {
    let p = &a.place;
    let id = p.id.clone();
    let of = fill(ui.t("desk.admin.agencies.edit_of"), &[("id", &id)]);
    let pressed = id.clone();
    view! {
        <tr data-id=id.clone()>
            <th scope="row" class="code">{id.clone()}</th>
            <td lang="vi">{p.name.clone()}</td>
            <td lang="vi">{p.address.clone()}</td>
            <td lang="vi">{p.opening_hours.clone()}</td>
            <td>{p.phone.clone().unwrap_or_else(|| "—".to_owned())}</td>
            <td>{a.procedures}</td>
            <td>
                <button type="button" class="button agency-edit" data-id=id.clone() on:click=move |_| edit(pressed.clone())>
                    {ui.t("desk.admin.agencies.edit")}
                    <span class="visually-hidden">" " {of}</span>
                </button>
            </td>
        </tr>
    }
}
