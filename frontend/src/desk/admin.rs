//! `/desk/admin`: the province administrator's area. Publish the procedure
//! catalogue from a file (checked record by record, previewed, then
//! published), see the imports, the working-day calendar's years and the
//! audit trail. Every rule is the admin function's: this page sends the file
//! in batches and shows what it is told.

use super::{api, show_time, use_session};
use crate::api::{loader, FetchError, Load};
use crate::components::labels;
use crate::components::load_error::{LoadError, Loading};
use crate::components::page_heading::PageHeading;
use crate::state::{use_ui, Ui};
use leptos::prelude::*;
use leptos::task::spawn_local;
use motcua_shared::catalogue_import::{ImportPreview, ImportState, RecordBatch, BATCH_RECORDS};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Reads the chosen file, starts an import and sends it in batches; the preview after.
async fn import_file(ui: Ui, input: web_sys::HtmlInputElement, progress: RwSignal<String>) -> Result<ImportPreview, String> {
    let file = input.files().and_then(|f| f.get(0)).ok_or_else(|| ui.t("desk.admin.import.choose").to_owned())?;
    let text = JsFuture::from(file.text()).await.ok().and_then(|t| t.as_string()).unwrap_or_default();
    let records: Vec<serde_json::Value> =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", ui.t("desk.admin.import.not_json")))?;
    let failed = |e: FetchError| labels::fetch_error(ui, &e);
    let started = api::start_import().await.map_err(failed)?;
    for (i, chunk) in records.chunks(BATCH_RECORDS).enumerate() {
        let batch = RecordBatch { first_position: (i * BATCH_RECORDS + 1) as u32, records: chunk.to_vec() };
        api::send_records(started.id, &batch).await.map_err(failed)?;
        progress.set(format!("{} / {}", (i * BATCH_RECORDS + chunk.len()), records.len()));
    }
    api::import_preview(started.id).await.map_err(failed)
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
                    outcome.set(Some(Err(labels::fetch_error(ui, &e))));
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
                            <li>{format!("#{} {} · {}: {}", p.position, p.code.unwrap_or_default(), p.field, p.message)}</li>
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
        {move || state.with(|s| match s {
            Load::Loading => view! { <Loading /> }.into_any(),
            Load::Failed(e) => view! { <LoadError error=e.clone() retry /> }.into_any(),
            Load::Ready(o) => {
                let imports = o.imports.iter().map(|i| view! {
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
                let years = o.calendar.iter().map(|y| view! {
                    <li>{format!("{}: {} {} · {} {}", y.year, y.days_off.len(), ui.t("desk.admin.calendar.days_off"),
                        y.workdays.len(), ui.t("desk.admin.calendar.workdays"))}</li>
                }).collect_view();
                let changes = o.audit.iter().map(|c| view! {
                    <tr>
                        <td>{show_time(&c.at)}</td>
                        <td>{c.actor.clone()}</td>
                        <td>{c.action.clone()}</td>
                        <td>{c.subject.clone()}</td>
                        <td>{c.detail.clone()}</td>
                    </tr>
                }).collect_view();
                view! {
                    <section aria-labelledby="imports-title">
                        <h2 id="imports-title">{ui.t("desk.admin.imports")}</h2>
                        <div class="table-wrap" tabindex="0" role="region" aria-labelledby="imports-title">
                            <table id="admin-imports" class="desk-table">
                                <thead><tr>
                                    <th scope="col">"#"</th>
                                    <th scope="col">{ui.t("desk.admin.state")}</th>
                                    <th scope="col">{ui.t("desk.admin.when")}</th>
                                    <th scope="col">{ui.t("desk.admin.who")}</th>
                                    <th scope="col">{ui.t("desk.admin.import.records")}</th>
                                    <th scope="col">{ui.t("desk.admin.import.added")}</th>
                                    <th scope="col">{ui.t("desk.admin.import.changed")}</th>
                                    <th scope="col">{ui.t("desk.admin.import.withdrawn")}</th>
                                </tr></thead>
                                <tbody>{imports}</tbody>
                            </table>
                        </div>
                    </section>
                    <section aria-labelledby="calendar-title">
                        <h2 id="calendar-title">{ui.t("desk.admin.calendar")}</h2>
                        <p class="hint">{ui.t("desk.admin.calendar.hint")}</p>
                        <ul id="admin-calendar">{years}</ul>
                    </section>
                    <section aria-labelledby="audit-title">
                        <h2 id="audit-title">{ui.t("desk.admin.audit")}</h2>
                        <div class="table-wrap" tabindex="0" role="region" aria-labelledby="audit-title">
                            <table id="admin-audit" class="desk-table">
                                <thead><tr>
                                    <th scope="col">{ui.t("desk.admin.when")}</th>
                                    <th scope="col">{ui.t("desk.admin.who")}</th>
                                    <th scope="col">{ui.t("desk.admin.action")}</th>
                                    <th scope="col">{ui.t("desk.admin.subject")}</th>
                                    <th scope="col">{ui.t("desk.admin.detail")}</th>
                                </tr></thead>
                                <tbody>{changes}</tbody>
                            </table>
                        </div>
                    </section>
                }.into_any()
            }
        })}
    }
}
