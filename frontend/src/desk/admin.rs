//! `/desk/admin`: the province administrator's area. Publish the procedure
//! catalogue from a file (checked record by record, previewed, then
//! published), save a form file as a draft, preview it as citizens will see
//! it and publish it, keep the receiving agencies and the officers' accounts,
//! see the imports, publish a year of the working-day calendar and read the
//! audit trail. Every rule is the admin function's: this page sends what the
//! administrator chose and shows what it is told.

mod agencies;
mod calendar;
mod officers;
pub(crate) mod refusals;
mod templates;

use super::{Session, api, show_time, use_session};
use crate::api::{FetchError, Load, loader};
use crate::components::load_error::{LoadError, Loading};
use crate::components::page_heading::PageHeading;
use crate::i18n::fill;
use crate::state::{Ui, use_ui};
use leptos::prelude::*;
use leptos::task::spawn_local;
use motcua_shared::admin::FormListing;
use motcua_shared::catalogue_import::{BATCH_RECORDS, ImportPreview, ImportState, RecordBatch};
use motcua_shared::forms::FormSpec;
use refusals::{Form, refused};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Reads the chosen file, starts an import and sends it in batches; the preview after.
async fn import_file(ui: Ui, input: web_sys::HtmlInputElement, progress: RwSignal<String>) -> Result<ImportPreview, String> {
    let file = input.files().and_then(|f| f.get(0)).ok_or_else(|| ui.t("desk.admin.import.choose").to_owned())?;
    let text = JsFuture::from(file.text()).await.ok().and_then(|t| t.as_string()).unwrap_or_default();
    let records: Vec<serde_json::Value> =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", ui.t("desk.admin.import.not_json")))?;
    let failed = |e: FetchError| refused(ui, Form::Import, &e);
    let started = api::start_import().await.map_err(failed)?;
    for (i, chunk) in records.chunks(BATCH_RECORDS).enumerate() {
        let batch = RecordBatch { first_position: (i * BATCH_RECORDS + 1) as u32, records: chunk.to_vec() };
        api::send_records(started.id, &batch).await.map_err(failed)?;
        progress.set(format!("{} / {}", (i * BATCH_RECORDS + chunk.len()), records.len()));
    }
    api::import_preview(started.id).await.map_err(failed)
}

/// A table of the administration page: scrolls on its own when wider than the
/// screen (a labelled, focusable region, so keyboard users can scroll it).
pub(super) fn admin_table(id: &'static str, labelled_by: &'static str, headings: Vec<&'static str>, rows: impl IntoView) -> impl IntoView {
    let headings = headings.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view();
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-labelledby=labelled_by>
            <table id=id class="desk-table">
                <thead><tr>{headings}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

fn state_name(ui: Ui, state: ImportState) -> &'static str {
    match state {
        ImportState::Draft => ui.t("desk.admin.state.draft"),
        ImportState::Published => ui.t("desk.admin.state.published"),
        ImportState::Discarded => ui.t("desk.admin.state.discarded"),
    }
}

fn names_list(title: String, id: &'static str, items: Vec<motcua_shared::catalogue_import::ProcedureName>, count: u32) -> impl IntoView {
    (count > 0).then(|| {
        let more = count as usize - items.len().min(count as usize);
        view! {
            <h4>{title} ": " {count}</h4>
            <ul id=id>
                {items.into_iter().map(|p| view! { <li><span class="code">{p.code}</span> " " {p.name}</li> }).collect_view()}
                {(more > 0).then(|| view! { <li>"… +" {more}</li> })}
            </ul>
        }
    })
}

#[component]
fn Preview(preview: ImportPreview, published: RwSignal<u32>) -> impl IntoView {
    let ui = use_ui();
    let session = use_session();
    let id = preview.import.id;
    let c = preview.import.counts.clone();
    let outcome = RwSignal::new(None::<Result<String, String>>);
    let publish = move |_| {
        spawn_local(async move {
            match api::publish_import(id).await {
                Ok(_) => {
                    outcome.set(Some(Ok(ui.t("desk.admin.import.published").to_owned())));
                    published.update(|n| *n += 1);
                }
                Err(e) => {
                    session.check(&e);
                    outcome.set(Some(Err(refused(ui, Form::ImportPublish, &e))));
                }
            }
        });
    };
    let problems = preview.problems.clone();
    let can_publish = preview.import.state == ImportState::Draft && c.problems == 0 && c.records > 0;
    view! {
        <section class="fact" aria-labelledby="preview-title" id="import-preview">
            <h3 id="preview-title">{format!("{} #{id}", ui.t("desk.admin.import.preview"))}</h3>
            <p id="preview-counts">
                {format!("{}: {} · {}: {} · {}: {} · {}: {} · {}: {}",
                    ui.t("desk.admin.import.records"), c.records, ui.t("desk.admin.import.added"), c.added,
                    ui.t("desk.admin.import.changed"), c.changed, ui.t("desk.admin.import.withdrawn"), c.withdrawn,
                    ui.t("desk.admin.import.problems"), c.problems)}
            </p>
            {(!problems.is_empty()).then(|| view! {
                <div class="alert" role="alert" id="import-problems">
                    <p>{ui.t("desk.admin.import.fix")}</p>
                    <ul>
                        {problems.into_iter().map(|p| view! {
                            <li>{refusals::record_problem_text(ui, &p)}</li>
                        }).collect_view()}
                    </ul>
                </div>
            })}
            {names_list(ui.t("desk.admin.import.added").to_owned(), "preview-added", preview.added.clone(), c.added)}
            {names_list(ui.t("desk.admin.import.changed").to_owned(), "preview-changed", preview.changed.clone(), c.changed)}
            {names_list(ui.t("desk.admin.import.withdrawn").to_owned(), "preview-withdrawn", preview.withdrawn.clone(), c.withdrawn)}
            {can_publish.then(|| view! {
                <button id="import-publish" type="button" class="button primary" on:click=publish>
                    {ui.t("desk.admin.import.publish")}
                </button>
            })}
            {move || outcome.get().map(|o| match o {
                Ok(t) => view! { <p id="import-done" class="notice" role="status">{t}</p> }.into_any(),
                Err(t) => view! { <p class="alert" role="alert">{t}</p> }.into_any(),
            })}
        </section>
    }
}

/// What an action came to: the words for a status or for an alert.
type Outcome = Result<String, String>;

/// An outcome in its live region `id` (focusable, for the focus to move to
/// it); a refusal names the `field` it is about in `data-field` too.
fn outcome_view(id: &'static str, outcome: Option<Outcome>, field: Option<String>) -> impl IntoView {
    outcome.map(|o| match o {
        Ok(t) => view! { <p id=id class="notice" role="status" tabindex="-1">{t}</p> }.into_any(),
        Err(t) => view! { <p id=id class="alert" role="alert" tabindex="-1" data-field=field>{t}</p> }.into_any(),
    })
}

/// What the function refused, in a sentence naming the field by its label
/// on `form` (see `refusals`), and that field's name, to mark the field
/// invalid. Without a field: the sentence alone.
fn field_refusal(ui: Ui, form: Form, e: &FetchError) -> (Option<String>, String) {
    let field = match e {
        FetchError::Api(a) => a.field.clone(),
        _ => None,
    };
    (field, refused(ui, form, e))
}

/// Reads the chosen form file and saves it as its procedure's draft (the
/// procedure code read from the file); what to tell the administrator.
async fn save_form_file(ui: Ui, session: Session, input: web_sys::HtmlInputElement) -> Result<String, String> {
    let file = input.files().and_then(|f| f.get(0)).ok_or_else(|| ui.t("desk.admin.import.choose").to_owned())?;
    let text = JsFuture::from(file.text()).await.ok().and_then(|t| t.as_string()).unwrap_or_default();
    let code = serde_json::from_str::<serde_json::Value>(&text)
        .ok()
        .and_then(|v| v.get("procedure_code")?.as_str().map(str::to_owned))
        .filter(|c| !c.trim().is_empty())
        .ok_or_else(|| ui.t("desk.admin.forms.not_json").to_owned())?;
    match api::save_form_draft(&code, text.clone()).await {
        Ok(saved) => Ok(fill(ui.t("desk.admin.forms.saved"), &[("version", &saved.version.to_string()), ("code", &saved.procedure_code)])),
        Err(e) => {
            session.check(&e);
            // A file the function could not read: the browser reads it as a
            // form too, to name the field at fault.
            let local = match &e {
                FetchError::Api(a) if refusals::is_shape(a) => serde_json::from_str::<FormSpec>(&text).err(),
                _ => None,
            };
            Err(match local {
                Some(why) => refusals::shape_text(ui, Form::FormDraft, &why),
                None => refused(ui, Form::FormDraft, &e),
            })
        }
    }
}

/// One form's row: the versions, and for a draft its preview (the citizen's
/// app, in a new tab) and the button that publishes it.
fn form_row(ui: Ui, f: &FormListing, publish: impl Fn(String, u32) + Copy + Send + Sync + 'static) -> impl IntoView {
    let actions = f.draft.map(|n| {
        let code = f.procedure_code.clone();
        let href = format!("/apply/{}/preview/{n}", crate::api::encode(&code, false));
        let which = fill(ui.t("desk.admin.forms.preview_of"), &[("version", &n.to_string()), ("code", &code)]);
        let of = fill(ui.t("desk.admin.forms.of"), &[("code", &code)]);
        let pressed = code.clone();
        view! {
            <div class="form-actions">
                <a class="button preview-form" href=href target="_blank" rel="noopener" data-code=code.clone() data-version=n>
                    {ui.t("desk.admin.forms.preview")}
                    <span class="visually-hidden">" " {which} " " {ui.t("desk.admin.forms.new_tab")}</span>
                </a>
                <button
                    type="button"
                    class="button primary publish-form"
                    data-code=code
                    data-version=n
                    on:click=move |_| publish(pressed.clone(), n)
                >
                    {fill(ui.t("desk.admin.forms.publish"), &[("version", &n.to_string())])}
                    <span class="visually-hidden">" " {of}</span>
                </button>
            </div>
        }
    });
    let version = |v: Option<u32>| v.map_or_else(|| "—".to_owned(), |n| n.to_string());
    view! {
        <tr>
            <th scope="row" class="code">{f.procedure_code.clone()}</th>
            <td lang="vi">{f.title_vi.clone()}</td>
            <td>{version(f.published)}</td>
            <td>{version(f.draft)}</td>
            <td>{actions}</td>
        </tr>
    }
}

/// The forms: a file saved as a draft, the list with each draft's preview
/// and publish button. `changed` is bumped after a change (the audit trail
/// below reloads with it).
#[component]
fn FormsSection(changed: RwSignal<u32>) -> impl IntoView {
    let ui = use_ui();
    let session = use_session();
    let (state, retry) = loader(
        move || Some(changed.get()),
        move |_| async move {
            let r = api::admin_forms().await;
            if let Err(e) = &r {
                session.check(e);
            }
            r
        },
    );
    let file_input = NodeRef::<leptos::html::Input>::new();
    let saved = RwSignal::new(None::<Result<String, String>>);
    let published = RwSignal::new(None::<Result<String, String>>);
    let busy = StoredValue::new(false);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(input) = file_input.get_untracked() else {
            return;
        };
        if busy.get_value() {
            return;
        }
        busy.set_value(true);
        let input: web_sys::HtmlInputElement = input.unchecked_into();
        saved.set(None);
        spawn_local(async move {
            let outcome = save_form_file(ui, session, input).await;
            if outcome.is_ok() {
                changed.update(|n| *n += 1);
            }
            saved.set(Some(outcome));
            busy.set_value(false);
        });
    };
    let publish = move |code: String, version: u32| {
        if busy.get_value() {
            return;
        }
        busy.set_value(true);
        published.set(None);
        spawn_local(async move {
            let outcome = match api::publish_form(&code, version).await {
                Ok(p) => {
                    changed.update(|n| *n += 1);
                    Ok(fill(ui.t("desk.admin.forms.published"), &[("version", &p.version.to_string()), ("code", &p.procedure_code)]))
                }
                Err(e) => {
                    session.check(&e);
                    Err(refused(ui, Form::FormPublish, &e))
                }
            };
            published.set(Some(outcome));
            busy.set_value(false);
            // The row's button is gone once the list reloads: the focus goes to the outcome.
            crate::components::focus::focus_later("publish-result");
        });
    };
    view! {
        <section id="admin-forms" aria-labelledby="forms-title">
            <h2 id="forms-title">{ui.t("desk.admin.forms.title")}</h2>
            <p class="hint">{ui.t("desk.admin.forms.hint")}</p>
            <form class="desk-form" on:submit=save>
                <label for="form-file">{ui.t("desk.admin.forms.file")}</label>
                <input id="form-file" type="file" accept=".json,application/json" node_ref=file_input />
                <button id="save-form-draft" type="submit" class="button">{ui.t("desk.admin.forms.save")}</button>
            </form>
            {move || saved.get().map(|o| match o {
                Ok(t) => view! { <p id="form-result" class="notice" role="status">{t}</p> }.into_any(),
                Err(t) => view! { <p id="form-result" class="alert" role="alert">{t}</p> }.into_any(),
            })}
            {move || published.get().map(|o| match o {
                Ok(t) => view! { <p id="publish-result" class="notice" role="status" tabindex="-1">{t}</p> }.into_any(),
                Err(t) => view! { <p id="publish-result" class="alert" role="alert" tabindex="-1">{t}</p> }.into_any(),
            })}
            {move || state.with(|s| match s {
                Load::Loading => view! { <Loading /> }.into_any(),
                Load::Failed(e) => view! { <LoadError error=e.clone() retry /> }.into_any(),
                Load::Ready(forms) if forms.is_empty() => view! { <p id="forms-none">{ui.t("desk.admin.forms.none")}</p> }.into_any(),
                Load::Ready(forms) => {
                    let rows = forms.iter().map(|f| form_row(ui, f, publish)).collect_view();
                    view! {
                        {admin_table("admin-forms-table", "forms-title", vec![ui.t("desk.admin.forms.code"), ui.t("desk.admin.forms.name"), ui.t("desk.admin.forms.published_version"), ui.t("desk.admin.forms.draft_version"), ui.t("desk.admin.forms.actions")], rows)}
                    }.into_any()
                }
            })}
        </section>
    }
}

#[component]
pub fn AdminPage() -> impl IntoView {
    let ui = use_ui();
    let session = use_session();
    let published = RwSignal::new(0u32);
    let (state, retry) = loader(move || Some(published.get()), move |_| async move {
        let r = api::admin_overview().await;
        if let Err(e) = &r {
            session.check(e);
        }
        r
    });
    let file_input = NodeRef::<leptos::html::Input>::new();
    let progress = RwSignal::new(String::new());
    let preview = RwSignal::new(None::<Result<ImportPreview, String>>);
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(input) = file_input.get_untracked() else { return };
        let input: web_sys::HtmlInputElement = input.unchecked_into();
        preview.set(None);
        spawn_local(async move { preview.set(Some(import_file(ui, input, progress).await)) });
    };
    // The agencies: listed in their own section and offered to new officers.
    let (agency_list, agency_retry) = loader(move || Some(published.get()), move |_| async move {
        let r = api::agencies().await;
        if let Err(e) = &r {
            session.check(e);
        }
        r
    });
    let years = Signal::derive(move || state.with(|s| match s {
        Load::Ready(o) => Some(o.calendar.clone()),
        _ => None,
    }));
    view! {
        <PageHeading text=Signal::derive(move || ui.t("desk.admin.title").to_owned()) />
        <section aria-labelledby="import-title">
            <h2 id="import-title">{ui.t("desk.admin.import.title")}</h2>
            <p class="hint">{ui.t("desk.admin.import.hint")}</p>
            <form class="desk-form" on:submit=send>
                <label for="import-file">{ui.t("desk.admin.import.file")}</label>
                <input id="import-file" type="file" accept=".json,application/json" node_ref=file_input />
                <button id="import-send" type="submit" class="button">{ui.t("desk.admin.import.check")}</button>
                <p role="status" id="import-progress">{move || progress.get()}</p>
            </form>
            {move || preview.get().map(|p| match p {
                Ok(p) => view! { <Preview preview=p published /> }.into_any(),
                Err(t) => view! { <p class="alert" role="alert">{t}</p> }.into_any(),
            })}
        </section>
        <FormsSection changed=published />
        <agencies::AgenciesSection changed=published agencies=agency_list retry=agency_retry />
        <officers::OfficersSection changed=published agencies=agency_list />
        // The imports, the calendar's years and the audit trail come in one
        // load, again after every change; the calendar's editor stays put.
        {move || state.with(|s| match s {
            Load::Loading => Some(view! { <Loading /> }.into_any()),
            Load::Failed(e) => Some(view! { <LoadError error=e.clone() retry /> }.into_any()),
            Load::Ready(o) => Some(imports_section(ui, &o.imports).into_any()),
        })}
        <calendar::CalendarSection years changed=published />
        <templates::TemplatesSection changed=published />
        {move || state.with(|s| match s {
            Load::Ready(o) => Some(audit_section(ui, &o.audit).into_any()),
            _ => None,
        })}
    }
}

fn imports_section(ui: Ui, imports: &[motcua_shared::catalogue_import::CatalogueImport]) -> impl IntoView {
    let rows = imports.iter().map(|i| view! {
        <tr>
            <th scope="row">{i.id}</th>
            <td>{state_name(ui, i.state)}</td>
            <td>{show_time(&i.created_at)}</td>
            <td>{i.created_by.clone()}</td>
            <td>{i.counts.records}</td>
            <td>{i.counts.added}</td>
            <td>{i.counts.changed}</td>
            <td>{i.counts.withdrawn}</td>
        </tr>
    }).collect_view();
    view! {
        <section aria-labelledby="imports-title">
            <h2 id="imports-title">{ui.t("desk.admin.imports")}</h2>
            {admin_table("admin-imports", "imports-title", vec!["#", ui.t("desk.admin.state"), ui.t("desk.admin.when"), ui.t("desk.admin.who"), ui.t("desk.admin.import.records"), ui.t("desk.admin.import.added"), ui.t("desk.admin.import.changed"), ui.t("desk.admin.import.withdrawn")], rows)}
        </section>
    }
}

fn audit_section(ui: Ui, audit: &[motcua_shared::admin::AdminChange]) -> impl IntoView {
    let rows = audit.iter().map(|c| view! {
        <tr>
            <td>{show_time(&c.at)}</td>
            <td>{c.actor.clone()}</td>
            <td>{c.action.clone()}</td>
            <td>{c.subject.clone()}</td>
            <td>{c.detail.clone()}</td>
        </tr>
    }).collect_view();
    view! {
        <section aria-labelledby="audit-title">
            <h2 id="audit-title">{ui.t("desk.admin.audit")}</h2>
            {admin_table("admin-audit", "audit-title", vec![ui.t("desk.admin.when"), ui.t("desk.admin.who"), ui.t("desk.admin.action"), ui.t("desk.admin.subject"), ui.t("desk.admin.detail")], rows)}
        </section>
    }
}
