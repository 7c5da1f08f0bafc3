//! `/desk/studio`: the translators' studio. A translator (one language) or
//! the administrator (any) sees every string a citizen reads beside the
//! Vietnamese, translates it, vouches for it (their name and the time are
//! kept), records it for read-aloud (MediaRecorder, listened back from the
//! server, recorded again at will), carries the language to and from a
//! translation team's tools as a PO file, and publishes: citizens get the
//! new version on their next page, without a rebuild. The language enters
//! the citizens' menu from 90% of the interface. Every rule is the
//! languages function's; every step is in the audit trail.

use super::admin::refusals::{Form, refused};
use super::{api, show_time, use_session};
use crate::api::{FetchError, Load, loader};
use crate::components::load_error::{LoadError, Loading};
use crate::components::page_heading::PageHeading;
use crate::i18n::fill;
use crate::components::focus::focus_later;
use crate::state::{Ui, use_ui};
use leptos::prelude::*;
use leptos::task::spawn_local;
use motcua_shared::languages::{
    ImportFormat, ImportRequest, LocaleEntry, OFFERED_FROM_PERCENT, StringGroup, StudioLanguage, StudioString, TranslationEdit,
    TranslationProblem, check_translation,
};
use std::cell::RefCell;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use wasm_bindgen_futures::JsFuture;

/// Rows a page: a language holds hundreds of strings.
const PAGE: usize = 25;

fn problem_text(ui: Ui, p: TranslationProblem) -> &'static str {
    match p {
        TranslationProblem::Placeholders => ui.t("desk.studio.problem.placeholders"),
        TranslationProblem::TooLong => ui.t("desk.studio.problem.too_long"),
        TranslationProblem::ControlCharacters => ui.t("desk.studio.problem.control"),
    }
}

fn group_name(ui: Ui, g: StringGroup) -> &'static str {
    match g {
        StringGroup::App => ui.t("desk.studio.group.app"),
        StringGroup::Form => ui.t("desk.studio.group.form"),
        StringGroup::Help => ui.t("desk.studio.group.help"),
        StringGroup::Rating => ui.t("desk.studio.group.rating"),
        StringGroup::Desk => ui.t("desk.studio.group.desk"),
    }
}

/// "312 of 378 strings (82%) · 10 of 72 help texts · 4 recordings".
fn coverage(ui: Ui, e: &LocaleEntry) -> String {
    fill(
        ui.t("desk.studio.coverage"),
        &[
            ("translated", &e.translated.to_string()),
            ("strings", &e.strings.to_string()),
            ("percent", &e.percent().to_string()),
            ("help_translated", &e.help_translated.to_string()),
            ("help", &e.help.to_string()),
            ("recordings", &e.recordings.to_string()),
        ],
    )
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Show {
    All,
    Missing,
    Unreviewed,
}

#[component]
pub fn StudioPage() -> impl IntoView {
    let ui = use_ui();
    let session = use_session();
    let (languages, retry_languages) = loader(|| Some(()), move |_| async move {
        let r = api::studio_languages().await;
        if let Err(e) = &r {
            session.check(e);
        }
        r
    });
    let chosen = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        if chosen.with_untracked(Option::is_none) {
            languages.with(|l| {
                if let Load::Ready(index) = l {
                    chosen.set(index.languages.first().map(|e| e.code.clone()));
                }
            });
        }
    });
    let changed = RwSignal::new(0u32);
    // Outlive a reload of the language after publishing or importing.
    let result = RwSignal::new(None::<Result<String, String>>);
    let (language, retry) = loader(
        move || chosen.get().map(|c| (c, changed.get())),
        move |(code, _)| async move {
            let r = api::studio_language(&code).await;
            if let Err(e) = &r {
                session.check(e);
            }
            r
        },
    );
    view! {
        <PageHeading text=ui.tr("desk.studio.title") id="studio-title" />
        <p class="hint">{move || fill(ui.t("desk.studio.intro"), &[("percent", &OFFERED_FROM_PERCENT.to_string())])}</p>
        {move || languages.with(|l| match l {
            Load::Loading => view! { <Loading /> }.into_any(),
            Load::Failed(e) => view! { <LoadError error=e.clone() retry=retry_languages /> }.into_any(),
            Load::Ready(index) if index.languages.len() > 1 => {
                let options = index.languages.iter().map(|e| {
                    let code = e.code.clone();
                    let is = code.clone();
                    view! { <option value=code.clone() prop:selected=move || chosen.with(|c| c.as_deref() == Some(is.as_str()))>{format!("{} ({code})", e.name)}</option> }
                }).collect_view();
                view! {
                    <p class="field">
                        <label for="studio-language">{ui.tr("desk.studio.language")}</label>
                        <select id="studio-language" on:change=move |ev| chosen.set(Some(event_target_value(&ev)))>{options}</select>
                    </p>
                }.into_any()
            }
            Load::Ready(_) => ().into_any(),
        })}
        {move || language.with(|l| match l {
            Load::Loading => view! { <Loading /> }.into_any(),
            Load::Failed(e) => view! { <LoadError error=e.clone() retry=retry /> }.into_any(),
            Load::Ready(lang) => view! { <LanguageDesk lang=lang.clone() changed result /> }.into_any(),
        })}
    }
}

#[component]
fn LanguageDesk(lang: StudioLanguage, changed: RwSignal<u32>, result: RwSignal<Option<Result<String, String>>>) -> impl IntoView {
    let ui = use_ui();
    let session = use_session();
    let code = StoredValue::new(lang.code.clone());
    let rows = RwSignal::new(lang.strings.clone());
    let show = RwSignal::new(Show::Missing);
    let group = RwSignal::new(None::<StringGroup>);
    let page = RwSignal::new(0usize);
    let busy = StoredValue::new(false);

    let shown = Memo::new(move |_| {
        rows.with(|all| {
            all.iter()
                .enumerate()
                .filter(|(_, r)| group.get().is_none_or(|g| r.group == g))
                .filter(|(_, r)| match show.get() {
                    Show::All => true,
                    Show::Missing => r.text.trim().is_empty() || r.stale,
                    Show::Unreviewed => r.reviewed_by.is_none() || r.stale,
                })
                .map(|(i, _)| i)
                .collect::<Vec<_>>()
        })
    });
    let pages = move || shown.with(|s| s.len().div_ceil(PAGE).max(1));

    // What publishing or importing did, said where the focus goes; the language reloaded.
    let settle = move |form: Form, done: Result<String, FetchError>| {
        match done {
            Ok(said) => {
                result.set(Some(Ok(said)));
                changed.update(|n| *n += 1);
            }
            Err(e) => {
                session.check(&e);
                result.set(Some(Err(refused(ui, form, &e))));
            }
        }
        focus_later("studio-result");
        busy.set_value(false);
    };

    let publish = move |_| {
        if busy.get_value() {
            return;
        }
        busy.set_value(true);
        spawn_local(async move {
            let done = api::publish_language(&code.get_value()).await.map(|e| {
                let offered = if e.offered { ui.t("desk.studio.offered") } else { ui.t("desk.studio.not_offered") };
                fill(ui.t("desk.studio.published"), &[("version", &e.version.to_string()), ("coverage", &coverage(ui, &e)), ("offered", offered)])
            });
            settle(Form::LanguagePublish, done);
        });
    };

    let import_reviewed = RwSignal::new(false);
    let import = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_value() {
            return;
        }
        let Some(input) = document().get_element_by_id("studio-import-file").and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            result.set(Some(Err(ui.t("desk.studio.import.choose").to_owned())));
            focus_later("studio-result");
            return;
        };
        busy.set_value(true);
        spawn_local(async move {
            let text = JsFuture::from(file.text()).await.ok().and_then(|t| t.as_string()).unwrap_or_default();
            let request = ImportRequest { format: ImportFormat::Po, text, reviewed: import_reviewed.get_untracked() };
            let done = api::import_translations(&code.get_value(), &request).await.map(|r| {
                let mut said = fill(
                    ui.t("desk.studio.import.done"),
                    &[("applied", &r.applied.to_string()), ("unchanged", &r.unchanged.to_string()), ("unknown", &r.unknown.len().to_string())],
                );
                for refused in &r.refused {
                    said.push_str(&format!(" {}: {}.", refused.key, problem_text(ui, refused.problem)));
                }
                said
            });
            settle(Form::TranslationImport, done);
        });
    };

    let published = lang.published.clone();
    let draft = lang.draft.clone();
    let export_href = format!("/api/translations/{}/po", lang.code);
    let filters = move || {
        let choice = |value: Show, label: &'static str, id: &'static str| {
            view! {
                <div class="choice">
                    <input id=id type="radio" name="studio-show" prop:checked=move || show.get() == value
                        on:change=move |_| { show.set(value); page.set(0); } />
                    <label for=id>{label}</label>
                </div>
            }
        };
        let groups = StringGroup::ALL;
        view! {
            <fieldset class="studio-filters desk-form">
                <legend>{ui.t("desk.studio.show")}</legend>
                {choice(Show::Missing, ui.t("desk.studio.show.missing"), "studio-show-missing")}
                {choice(Show::Unreviewed, ui.t("desk.studio.show.unreviewed"), "studio-show-unreviewed")}
                {choice(Show::All, ui.t("desk.studio.show.all"), "studio-show-all")}
            </fieldset>
            <p class="field desk-form">
                <label for="studio-group">{ui.t("desk.studio.group")}</label>
                <select id="studio-group" on:change=move |ev| {
                    let v = event_target_value(&ev);
                    group.set(groups.into_iter().find(|g| g.as_str() == v));
                    page.set(0);
                }>
                    <option value="">{ui.t("desk.studio.group.all")}</option>
                    {groups.map(|g| view! { <option value=g.as_str()>{group_name(ui, g)}</option> }).to_vec()}
                </select>
            </p>
        }
    };

    view! {
        <section class="studio-state" aria-labelledby="studio-state-title">
            <h2 id="studio-state-title">{lang.name.clone()}</h2>
            <p id="studio-published">{fill(ui.t("desk.studio.now"), &[("version", &published.version.to_string()), ("coverage", &coverage(ui, &published))])}
                " " {if published.offered { ui.t("desk.studio.offered") } else { ui.t("desk.studio.not_offered") }}</p>
            <p id="studio-draft">{fill(ui.t("desk.studio.draft"), &[("coverage", &coverage(ui, &draft))])}
                " " {if draft.offered { ui.t("desk.studio.would_be_offered") } else { ui.t("desk.studio.not_offered") }}</p>
            <p class="actions">
                <button id="studio-publish" type="button" class="button primary" on:click=publish>{ui.t("desk.studio.publish")}</button>
                <a id="studio-export" class="button" href=export_href download="">{ui.t("desk.studio.export")}</a>
            </p>
            <form id="studio-import" class="desk-form" on:submit=import>
                <p class="field">
                    <label for="studio-import-file">{ui.t("desk.studio.import.file")}</label>
                    <input id="studio-import-file" type="file" accept=".po,text/x-gettext-translation" />
                </p>
                <div class="choice">
                    <input id="studio-import-reviewed" type="checkbox" on:change=move |ev| import_reviewed.set(event_target_checked(&ev)) />
                    <label for="studio-import-reviewed">{ui.t("desk.studio.import.reviewed")}</label>
                </div>
                <button id="studio-import-send" type="submit" class="button">{ui.t("desk.studio.import")}</button>
            </form>
            {move || result.get().map(|r| {
                let (class, text) = match r { Ok(t) => ("notice", t), Err(t) => ("alert", t) };
                view! { <p id="studio-result" class=class role="status" tabindex="-1">{text}</p> }
            })}
        </section>
        <section aria-labelledby="studio-strings-title">
            <h2 id="studio-strings-title">{ui.t("desk.studio.strings")}</h2>
            {filters}
            <p id="studio-count" class="hint" aria-live="polite">
                {move || fill(ui.t("desk.studio.count"), &[("count", &shown.with(Vec::len).to_string()), ("page", &(page.get() + 1).to_string()), ("pages", &pages().to_string())])}
            </p>
            <ol id="studio-strings" class="studio-strings">
                {move || {
                    let at = page.get() * PAGE;
                    shown.with(|s| s.iter().skip(at).take(PAGE).copied().collect::<Vec<_>>())
                        .into_iter()
                        .map(|i| view! { <StringRow code=code.get_value() rows index=i /> })
                        .collect_view()
                }}
            </ol>
            <p class="actions">
                <button id="studio-previous" type="button" class="button" prop:disabled=move || page.get() == 0
                    on:click=move |_| { page.update(|p| *p = p.saturating_sub(1)); focus_later("studio-strings-title"); }>{ui.t("paging.previous")}</button>
                <button id="studio-next" type="button" class="button" prop:disabled=move || page.get() + 1 >= pages()
                    on:click=move |_| { page.update(|p| *p += 1); focus_later("studio-strings-title"); }>{ui.t("paging.next")}</button>
            </p>
        </section>
    }
}

/// One string: the Vietnamese, the translation, the review, the voice.
#[component]
fn StringRow(code: String, rows: RwSignal<Vec<StudioString>>, index: usize) -> impl IntoView {
    let ui = use_ui();
    let session = use_session();
    let Some(row) = rows.with_untracked(|r| r.get(index).cloned()) else { return ().into_any() };
    let code = StoredValue::new(code);
    let key = StoredValue::new(row.key.clone());
    let vi = StoredValue::new(row.vi.clone());
    let text = RwSignal::new(row.text.clone());
    let reviewed = RwSignal::new(row.reviewed_by.is_some() && !row.stale);
    let said = RwSignal::new(None::<Result<String, String>>);
    let problem = Memo::new(move |_| text.with(|t| vi.with_value(|v| check_translation(v, t).err())));
    let id = format!("s-{}", row.key.replace('.', "-"));
    let field = format!("{id}-text");
    let status_id = format!("{id}-said");
    let vouch_id = format!("{id}-reviewed");
    let busy = StoredValue::new(false);
    let save = move |_| {
        if busy.get_value() {
            return;
        }
        if let Some(p) = problem.get_untracked() {
            said.set(Some(Err(problem_text(ui, p).to_owned())));
            return;
        }
        busy.set_value(true);
        let edit = TranslationEdit { text: text.get_untracked(), reviewed: reviewed.get_untracked() };
        spawn_local(async move {
            match api::save_translation(&code.get_value(), &key.get_value(), &edit).await {
                Ok(saved) => {
                    said.set(Some(Ok(ui.t("desk.studio.saved").to_owned())));
                    rows.update(|r| {
                        if let Some(slot) = r.get_mut(index) {
                            *slot = saved;
                        }
                    });
                }
                Err(e) => {
                    session.check(&e);
                    said.set(Some(Err(refused(ui, Form::Translation, &e))));
                }
            }
            busy.set_value(false);
        });
    };
    let who = move || {
        rows.with(|r| {
            r.get(index).map(|s| match (&s.reviewed_by, &s.reviewed_at, s.stale) {
                (_, _, true) => ui.t("desk.studio.stale").to_owned(),
                (Some(by), Some(at), _) => fill(ui.t("desk.studio.reviewed_by"), &[("who", by), ("when", &show_time(at))]),
                _ if !s.text.is_empty() => ui.t("desk.studio.not_reviewed").to_owned(),
                _ => String::new(),
            })
        })
    };
    let voice = (row.group != StringGroup::Desk).then(|| view! { <Recorder code=code.get_value() key=row.key.clone() rows index /> });
    let lang = code.get_value();
    view! {
        <li class="studio-string desk-form" data-key=row.key.clone()>
            <p class="hint"><code>{row.key.clone()}</code> " · " {group_name(ui, row.group)}</p>
            <p class="studio-vi" lang="vi">{row.vi.clone()}</p>
            <p class="field">
                <label for=field.clone()>{ui.t("desk.studio.translation")}</label>
                <textarea id=field rows="2" lang=lang aria-invalid=move || problem.with(Option::is_some).then_some("true")
                    aria-describedby=status_id.clone()
                    prop:value=text on:input=move |ev| text.set(event_target_value(&ev))></textarea>
            </p>
            {move || problem.get().map(|p| view! { <p class="field-error">{problem_text(ui, p)}</p> })}
            <div class="choice">
                <input id=vouch_id.clone() type="checkbox" class="studio-reviewed" prop:checked=reviewed on:change=move |ev| reviewed.set(event_target_checked(&ev)) />
                <label for=vouch_id>{ui.t("desk.studio.vouch")}</label>
            </div>
            <p class="actions">
                <button type="button" class="button studio-save" on:click=save>{ui.t("desk.studio.save")}</button>
            </p>
            <p id=status_id class="hint studio-said" role="status">
                {move || said.get().map(|r| match r { Ok(t) | Err(t) => t })} " " {who}
            </p>
            {voice}
        </li>
    }
    .into_any()
}

/// The recording under way on this page (one at a time): the recorder, the
/// microphone's stream and the sound gathered so far.
struct Recording {
    recorder: web_sys::MediaRecorder,
    stream: web_sys::MediaStream,
    chunks: std::rc::Rc<RefCell<Vec<wasm_bindgen::JsValue>>>,
    _on_data: Closure<dyn FnMut(web_sys::BlobEvent)>,
}

thread_local! {
    static RECORDING: RefCell<Option<Recording>> = const { RefCell::new(None) };
}

/// Starts the microphone and a recorder; the sound comes back through `done` when stopped.
async fn start_recording(done: impl FnOnce(web_sys::Blob, String) + 'static) -> Result<(), wasm_bindgen::JsValue> {
    let devices = window().navigator().media_devices()?;
    let constraints = web_sys::MediaStreamConstraints::new();
    constraints.set_audio(&wasm_bindgen::JsValue::TRUE);
    let stream: web_sys::MediaStream = JsFuture::from(devices.get_user_media_with_constraints(&constraints)?).await?.dyn_into()?;
    let recorder = web_sys::MediaRecorder::new_with_media_stream(&stream)?;
    let chunks = std::rc::Rc::new(RefCell::new(Vec::new()));
    let gathered = chunks.clone();
    let on_data = Closure::<dyn FnMut(web_sys::BlobEvent)>::new(move |e: web_sys::BlobEvent| {
        if let Some(data) = e.data() {
            gathered.borrow_mut().push(data.into());
        }
    });
    recorder.set_ondataavailable(Some(on_data.as_ref().unchecked_ref()));
    let on_stop = Closure::once_into_js(move || {
        let Some(r) = RECORDING.with(|r| r.borrow_mut().take()) else { return };
        for track in r.stream.get_tracks().iter() {
            track.unchecked_into::<web_sys::MediaStreamTrack>().stop();
        }
        let mime = r.recorder.mime_type();
        let parts: js_sys::Array = r.chunks.borrow().iter().collect();
        let options = web_sys::BlobPropertyBag::new();
        options.set_type(&mime);
        if let Ok(blob) = web_sys::Blob::new_with_blob_sequence_and_options(&parts, &options) {
            done(blob, mime);
        }
    });
    recorder.set_onstop(Some(on_stop.unchecked_ref()));
    recorder.start()?;
    RECORDING.with(|r| *r.borrow_mut() = Some(Recording { recorder, stream, chunks, _on_data: on_data }));
    Ok(())
}

fn stop_recording() {
    RECORDING.with(|r| {
        if let Some(r) = r.borrow().as_ref() {
            let _ = r.recorder.stop();
        }
    });
}

/// Record, stop, listen back (from the server, as citizens will hear it), record again, discard.
#[component]
fn Recorder(code: String, key: String, rows: RwSignal<Vec<StudioString>>, index: usize) -> impl IntoView {
    let ui = use_ui();
    let session = use_session();
    let code = StoredValue::new(code);
    let key = StoredValue::new(key);
    let recording = RwSignal::new(false);
    let take = RwSignal::new(0u32);
    let said = RwSignal::new(None::<String>);
    let has = move || rows.with(|r| r.get(index).and_then(|s| s.recording.clone()));
    let record = move |_| {
        if recording.get_untracked() {
            stop_recording();
            return;
        }
        if RECORDING.with(|r| r.borrow().is_some()) {
            said.set(Some(ui.t("desk.studio.voice.one_at_a_time").to_owned()));
            return;
        }
        spawn_local(async move {
            let uploaded = move |blob: web_sys::Blob, mime: String| {
                recording.set(false);
                said.set(Some(ui.t("desk.studio.voice.sending").to_owned()));
                spawn_local(async move {
                    match api::save_recording(&code.get_value(), &key.get_value(), &blob, &mime).await {
                        Ok(info) => {
                            rows.update(|r| {
                                if let Some(slot) = r.get_mut(index) {
                                    slot.recording = info;
                                }
                            });
                            take.update(|t| *t += 1);
                            said.set(Some(ui.t("desk.studio.voice.saved").to_owned()));
                        }
                        Err(e) => {
                            session.check(&e);
                            said.set(Some(refused(ui, Form::Recording, &e)));
                        }
                    }
                });
            };
            match start_recording(uploaded).await {
                Ok(()) => {
                    recording.set(true);
                    said.set(Some(ui.t("desk.studio.voice.recording").to_owned()));
                }
                Err(_) => said.set(Some(ui.t("desk.studio.voice.no_microphone").to_owned())),
            }
        });
    };
    let discard = move |_| {
        spawn_local(async move {
            match api::discard_recording(&code.get_value(), &key.get_value()).await {
                Ok(remaining) => {
                    rows.update(|r| {
                        if let Some(slot) = r.get_mut(index) {
                            slot.recording = remaining;
                        }
                    });
                    take.update(|t| *t += 1);
                    said.set(Some(ui.t("desk.studio.voice.discarded").to_owned()));
                }
                Err(e) => said.set(Some(refused(ui, Form::Recording, &e))),
            }
        });
    };
    view! {
        <div class="studio-voice">
            <button type="button" class="button studio-record" aria-pressed=move || if recording.get() { "true" } else { "false" } on:click=record>
                {move || if recording.get() { ui.t("desk.studio.voice.stop") } else if has().is_some() { ui.t("desk.studio.voice.again") } else { ui.t("desk.studio.voice.record") }}
            </button>
            {move || has().map(|info| {
                let src = api::recording_url(&code.get_value(), &key.get_value(), take.get());
                let state = if info.published { ui.t("desk.studio.voice.published") } else { ui.t("desk.studio.voice.waiting") };
                let about = format!("{state} · {} KB · {}", info.bytes.div_ceil(1024), info.recorded_by);
                view! {
                    <audio class="studio-listen" controls preload="none" src=src aria-label=ui.t("desk.studio.voice.listen")></audio>
                    <span class="hint">{about}</span>
                    {(!info.published).then(|| view! { <button type="button" class="button studio-discard" on:click=discard>{ui.t("desk.studio.voice.discard")}</button> })}
                }
            })}
            <span class="hint studio-voice-said" role="status">{move || said.get()}</span>
        </div>
    }
}
