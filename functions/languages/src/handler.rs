//! HTTP routes of the languages component.

use crate::{all_sources, entry_for, locale_file, po, read_locale_file, studio_rows, unpublished, vietnamese};
use http_kit::db::transaction;
use http_kit::{clock, compressed, decode_segment, header, json, json_only_body, method_not_allowed, no_route, operator, path_info, serve, Result};
use motcua_shared::api_error::ApiError;
use motcua_shared::desk::Role;
use motcua_shared::languages::{
    audio_type, check_translation, translated_language, valid_key, AudioFile, AudioIndex, ImportFormat, ImportReport, ImportRequest,
    LocaleEntry, LocaleIndex, RefusedString, Source, StoredTranslation, StringGroup, StudioLanguage, StudioString, TranslationEdit, LANGUAGES, MAX_RECORDING_BYTES,
};
use province_store::Saved;
use spin_sdk::http::{IncomingRequest, Method, Request, Response};
use spin_sdk::http_component;
use spin_sdk::sqlite::Connection;
use std::collections::BTreeMap;

/// A translators' file of a few thousand strings, or one recording.
const MAX_STUDIO_BODY: usize = 2 * 1024 * 1024;

#[http_component]
async fn handle(req: IncomingRequest) -> Response {
    serve(req, "languages", |route| if route.starts_with("/api/") { MAX_STUDIO_BODY } else { 0 }, routes).await
}

fn routes(req: &Request) -> Result<Response> {
    let route = header(req, "spin-matched-route");
    let info = path_info(req);
    let segments: Vec<&str> = info.trim_matches('/').split('/').collect();
    match (route, req.method(), segments.as_slice()) {
        ("/locales/...", Method::Get, ["index.json"]) => locale_index(req),
        ("/locales/...", Method::Get, [file]) if file.ends_with(".json") => locale(req, &file[..file.len() - 5]),
        ("/locales/...", _, [_]) => method_not_allowed("GET"),
        ("/audio/...", Method::Get, ["index.json"]) => audio_index(req),
        ("/audio/...", Method::Get, [lang, key]) => audio(req, lang, key),
        ("/audio/...", _, ["index.json"] | [_, _]) => method_not_allowed("GET"),
        ("/api/translations", Method::Get, _) => languages(req),
        ("/api/translations", _, _) => method_not_allowed("GET"),
        ("/api/translations/...", method, rest) => studio(req, method, rest),
        _ => no_route(),
    }
}

fn studio(req: &Request, method: &Method, rest: &[&str]) -> Result<Response> {
    match (method, rest) {
        (Method::Get, [lang]) => language(req, lang),
        (Method::Put, [lang, "strings", key]) => save_string(req, lang, key),
        (Method::Post, [lang, "publish"]) => publish(req, lang),
        (Method::Get, [lang, "po"]) => export(req, lang),
        (Method::Post, [lang, "import"]) => import(req, lang),
        (Method::Get, [lang, "recordings", key]) => listen(req, lang, key),
        (Method::Put, [lang, "recordings", key]) => record(req, lang, key),
        (Method::Delete, [lang, "recordings", key]) => discard(req, lang, key),
        (_, [_]) | (_, [_, "po"]) => method_not_allowed("GET"),
        (_, [_, "strings", _]) => method_not_allowed("PUT"),
        (_, [_, "publish" | "import"]) => method_not_allowed("POST"),
        (_, [_, "recordings", _]) => method_not_allowed("GET, PUT, DELETE"),
        _ => no_route(),
    }
}

fn db() -> Result<Connection> {
    Ok(dossier_store::open()?)
}

// --- What citizens fetch ------------------------------------------------------

fn sources(conn: &Connection) -> Result<Vec<Source>> {
    Ok(all_sources(province_store::form_strings(conn)?))
}

/// Every language: Vietnamese, then each other as last published (or never).
/// Fetched by every app start, so it reads one stored line per published
/// language and nothing else (no string, no form).
fn locale_index(req: &Request) -> Result<Response> {
    let conn = db()?;
    let published: BTreeMap<String, LocaleEntry> = province_store::published_entries(&conn)?.into_iter().map(|e| (e.code.clone(), e)).collect();
    // The counts as of the newest publication; a portal that has published
    // nothing yet counts its sources once.
    let newest = published.values().max_by_key(|e| e.version).cloned();
    let counted = match &newest {
        Some(e) => vietnamese_like(e),
        None => vietnamese(&sources(&conn)?),
    };
    let mut languages = vec![counted.clone()];
    for lang in LANGUAGES.iter().skip(1) {
        languages.push(published.get(lang.code).cloned().unwrap_or_else(|| never_published(lang.code, &counted)));
    }
    // Fresh on every load (a new publication shows at once); small.
    Ok(compressed(req, json(200, &LocaleIndex { languages }, "no-cache")))
}

/// Vietnamese with the string counts of a published line.
fn vietnamese_like(e: &LocaleEntry) -> LocaleEntry {
    let whole = crate::vietnamese(&[]);
    LocaleEntry { strings: e.strings, translated: e.strings, help: e.help, help_translated: e.help, ..whole }
}

/// A language never published: nothing translated of what Vietnamese has.
fn never_published(code: &str, vi: &LocaleEntry) -> LocaleEntry {
    let empty = unpublished(code, &[]);
    LocaleEntry { strings: vi.strings, help: vi.help, ..empty }
}

/// The published strings of a language; its version is the `ETag`, so a
/// phone (and the service worker) revalidates with one cheap 304.
fn locale(req: &Request, code: &str) -> Result<Response> {
    let lang = translated_language(code).ok_or_else(|| ApiError::not_found("no such language"))?;
    let conn = db()?;
    let (version, body) = province_store::published_language(&conn, lang.code)?.ok_or_else(|| ApiError::not_found("this language is not published yet"))?;
    let etag = format!("\"{}-{version}\"", lang.code);
    if header(req, "if-none-match").split(',').any(|t| t.trim() == etag) {
        return Ok(Response::builder().status(304).header("etag", etag).header("cache-control", "no-cache").body(Vec::new()).build());
    }
    let mut resp = Response::builder()
        .status(200)
        .header("content-type", "application/json; charset=utf-8")
        .header("cache-control", "no-cache")
        .header("etag", etag)
        .body(body.into_bytes())
        .build();
    resp = compressed(req, resp);
    Ok(resp)
}

fn audio_index(req: &Request) -> Result<Response> {
    let conn = db()?;
    let mut index = AudioIndex::new();
    for (lang, key, v, bytes) in province_store::published_recordings(&conn)? {
        index.entry(lang).or_default().insert(key, AudioFile { v, bytes });
    }
    Ok(compressed(req, json(200, &index, "no-cache")))
}

/// A published recording. Its address carries its version (`?v=`), so the
/// current one is kept for a year and a new recording is a new address.
fn audio(req: &Request, lang: &str, key: &str) -> Result<Response> {
    let lang = translated_language(lang).ok_or_else(|| ApiError::not_found("no such language"))?;
    let key = decode_segment(key).filter(|k| valid_key(k)).ok_or_else(|| ApiError::not_found("no such recording"))?;
    let conn = db()?;
    let (mime, sound, version) = province_store::recording(&conn, lang.code, &key, false)?.ok_or_else(|| ApiError::not_found("no such recording"))?;
    let asked = http_kit::query_pairs(req).into_iter().find(|(k, _)| k == "v").map(|(_, v)| v);
    let cache = if asked.as_deref() == Some(version.to_string().as_str()) { "public, max-age=31536000, immutable" } else { "no-cache" };
    Ok(Response::builder().status(200).header("content-type", mime).header("cache-control", cache).body(sound).build())
}

// --- The studio -----------------------------------------------------------------

/// Who is acting, if they may work on `lang` (`None`: every language):
/// the operator's token, the administrator, or that language's translator.
fn translator(req: &Request, lang: Option<&str>) -> Result<(Connection, String, Option<String>)> {
    let conn = db()?;
    if operator::token_given(req)? {
        return Ok((conn, "token".into(), None));
    }
    let Some(o) = dossier_store::desk_session::member(&conn, req, clock::unix_seconds())? else {
        return Err(ApiError::unauthorized("sign in at the desk as a translator first").into());
    };
    match (o.role, o.language) {
        (Role::Administrator, _) => Ok((conn, o.username, None)),
        (Role::Translator, Some(own)) if lang.is_none_or(|l| l == own) => Ok((conn, o.username, Some(own))),
        _ => Err(ApiError::forbidden("only this language's translator or the administrator may do this").into()),
    }
}

fn language_code(raw: &str) -> Result<&'static str> {
    Ok(translated_language(raw).ok_or_else(|| ApiError::not_found("no such language"))?.code)
}

/// The languages the one asking may work on, with what citizens have now.
fn languages(req: &Request) -> Result<Response> {
    let (conn, _, own) = translator(req, None)?;
    let sources = sources(&conn)?;
    let published: BTreeMap<String, LocaleEntry> = province_store::published_entries(&conn)?.into_iter().map(|e| (e.code.clone(), e)).collect();
    let languages = LANGUAGES
        .iter()
        .skip(1)
        .filter(|l| own.as_deref().is_none_or(|o| o == l.code))
        .map(|l| published.get(l.code).cloned().unwrap_or_else(|| unpublished(l.code, &sources)))
        .collect();
    Ok(json(200, &LocaleIndex { languages }, "no-store"))
}

fn rows(conn: &Connection, lang: &str, sources: &[Source]) -> Result<Vec<StudioString>> {
    let stored: BTreeMap<String, StoredTranslation> = province_store::translations(conn, lang)?.into_iter().map(|t| (t.key.clone(), t)).collect();
    let recordings = province_store::recordings(conn, lang)?.into_iter().collect();
    Ok(studio_rows(sources, &stored, &recordings))
}

fn published_entry(conn: &Connection, lang: &str, sources: &[Source]) -> Result<LocaleEntry> {
    let found = province_store::published_entries(conn)?.into_iter().find(|e| e.code == lang);
    Ok(found.unwrap_or_else(|| unpublished(lang, sources)))
}

/// Every string of the language beside the Vietnamese, with what is published.
fn language(req: &Request, raw: &str) -> Result<Response> {
    let lang = language_code(raw)?;
    let (conn, _, _) = translator(req, Some(lang))?;
    let sources = sources(&conn)?;
    let strings = rows(&conn, lang, &sources)?;
    let published = published_entry(&conn, lang, &sources)?;
    let draft = entry_for(lang, &strings, published.version, published.recordings);
    let name = draft.name.clone();
    Ok(compressed(req, json(200, &StudioLanguage { code: lang.into(), name, strings, published, draft }, "no-store")))
}

fn source_of(sources: &[Source], raw_key: &str) -> Result<Source> {
    let key = decode_segment(raw_key).filter(|k| valid_key(k)).ok_or_else(|| ApiError::not_found("no such string"))?;
    Ok(sources.iter().find(|s| s.key == key).cloned().ok_or_else(|| ApiError::not_found("no such string"))?)
}

fn save_string(req: &Request, raw: &str, raw_key: &str) -> Result<Response> {
    let lang = language_code(raw)?;
    let (conn, actor, _) = translator(req, Some(lang))?;
    let TranslationEdit { text, reviewed } = json_only_body(req)?;
    let sources = sources(&conn)?;
    let source = source_of(&sources, raw_key)?;
    check_translation(&source.vi, &text).map_err(|p| ApiError::invalid("text", p.explain()))?;
    let now = clock::now_iso();
    transaction(&conn, |conn| {
        if province_store::save_translation(conn, lang, &source, &text, reviewed, &actor, &now)? == Saved::Changed {
            let what = if text.trim().is_empty() { "removed".to_owned() } else if reviewed { format!("reviewed: {}", text.trim()) } else { text.trim().to_owned() };
            province_store::record_change(conn, &actor, "translation.save", &format!("{lang}/{}", source.key), &what)?;
        }
        Ok(())
    })?;
    let row = rows(&conn, lang, &sources)?.into_iter().find(|r| r.key == source.key).ok_or_else(|| ApiError::not_found("no such string"))?;
    Ok(json(200, &row, "no-store"))
}

/// Citizens get what the studio holds now: the file, its index line and
/// the recordings waiting, as the next version, in one transaction.
fn publish(req: &Request, raw: &str) -> Result<Response> {
    let lang = language_code(raw)?;
    let (conn, actor, _) = translator(req, Some(lang))?;
    let _: serde_json::Value = json_only_body(req)?;
    let sources = sources(&conn)?;
    let now = clock::now_iso();
    let entry = transaction(&conn, |conn| {
        let strings = rows(conn, lang, &sources)?;
        let previous = published_entry(conn, lang, &sources)?;
        // After this, every string with a recording (waiting or published) has a published one.
        let recorded = strings.iter().filter(|r| r.recording.is_some()).count() as u32;
        let entry = entry_for(lang, &strings, previous.version + 1, recorded);
        province_store::publish_language(conn, lang, &locale_file(&entry, &strings), &entry, &actor, &now)?;
        let detail = format!("version {}: {} of {} strings, {} of {} help texts, {} recordings", entry.version, entry.translated, entry.strings, entry.help_translated, entry.help, entry.recordings);
        province_store::record_change(conn, &actor, "translation.publish", lang, &detail)?;
        Ok(entry)
    })?;
    Ok(json(200, &entry, "no-store"))
}

fn export(req: &Request, raw: &str) -> Result<Response> {
    let lang = language_code(raw)?;
    let (conn, _, _) = translator(req, Some(lang))?;
    let sources = sources(&conn)?;
    let strings = rows(&conn, lang, &sources)?;
    let file = po::export(lang, &strings);
    let resp = Response::builder()
        .status(200)
        .header("content-type", "text/x-gettext-translation; charset=utf-8")
        .header("content-disposition", format!("attachment; filename=\"motcua-{lang}.po\""))
        .header("cache-control", "no-store")
        .body(file.into_bytes())
        .build();
    Ok(compressed(req, resp))
}

/// A translators' file: each entry checked like a typed one; what passes is
/// saved, what does not is listed by key.
fn import(req: &Request, raw: &str) -> Result<Response> {
    let lang = language_code(raw)?;
    let (conn, actor, _) = translator(req, Some(lang))?;
    let ImportRequest { format, text, reviewed } = json_only_body(req)?;
    let entries: Vec<po::Entry> = match format {
        ImportFormat::Po => po::import(&text).ok_or_else(|| ApiError::invalid("text", "this is not a PO file"))?,
        ImportFormat::LocaleJson => read_locale_file(&text)
            .ok_or_else(|| ApiError::invalid("text", "this is not a locale file"))?
            .into_iter()
            .map(|(key, text)| po::Entry { key, vi: String::new(), text, fuzzy: false })
            .collect(),
    };
    let sources = sources(&conn)?;
    let by_key: BTreeMap<&str, &Source> = sources.iter().map(|s| (s.key.as_str(), s)).collect();
    let now = clock::now_iso();
    let report = transaction(&conn, |conn| {
        let mut report = ImportReport::default();
        for e in &entries {
            let Some(source) = by_key.get(e.key.as_str()) else {
                report.unknown.push(e.key.clone());
                continue;
            };
            if let Err(problem) = check_translation(&source.vi, &e.text) {
                report.refused.push(RefusedString { key: e.key.clone(), problem });
                continue;
            }
            // Translated from another Vietnamese than today's: kept, marked stale.
            let vi = if e.vi.is_empty() { source.vi.clone() } else { e.vi.clone() };
            let stored = Source { key: source.key.clone(), vi: vi.clone(), group: source.group };
            let vouched = reviewed && !e.fuzzy && vi == source.vi;
            match province_store::save_translation(conn, lang, &stored, &e.text, vouched, &actor, &now)? {
                Saved::Changed => report.applied += 1,
                Saved::Unchanged => report.unchanged += 1,
            }
        }
        let detail = format!(
            "{} file: {} saved, {} unchanged, {} refused, {} unknown{}",
            match format {
                ImportFormat::Po => "PO",
                ImportFormat::LocaleJson => "locale",
            },
            report.applied,
            report.unchanged,
            report.refused.len(),
            report.unknown.len(),
            if reviewed { ", as reviewed" } else { "" }
        );
        province_store::record_change(conn, &actor, "translation.import", lang, &detail)?;
        Ok(report)
    })?;
    Ok(json(200, &report, "no-store"))
}

// --- Recordings ---------------------------------------------------------------

fn recordable(sources: &[Source], raw_key: &str) -> Result<Source> {
    let source = source_of(sources, raw_key)?;
    if source.group == StringGroup::Desk {
        return Err(ApiError::invalid("key", "recordings are for what citizens read").into());
    }
    Ok(source)
}

/// Saves a recording as the draft. The body is the sound itself, typed
/// `audio/…`: a cross-site form cannot send that type without a CORS
/// preflight this portal never grants (the CSRF guard, as JSON is elsewhere).
/// Its type is read from its bytes, not from what the browser says.
fn record(req: &Request, raw: &str, raw_key: &str) -> Result<Response> {
    let lang = language_code(raw)?;
    if !header(req, "content-type").trim_start().to_ascii_lowercase().starts_with("audio/") {
        return Err(ApiError::invalid("content-type", "send the recording as audio/webm, audio/ogg, audio/mp4 or audio/mpeg").into());
    }
    let (conn, actor, _) = translator(req, Some(lang))?;
    let sources = sources(&conn)?;
    let source = recordable(&sources, raw_key)?;
    let sound = req.body();
    if sound.len() > MAX_RECORDING_BYTES {
        return Err(ApiError::too_large(MAX_RECORDING_BYTES).into());
    }
    let mime = audio_type(sound).ok_or_else(|| ApiError::invalid("audio", "this is not a WebM, Ogg, MP4 or MP3 recording"))?;
    let now = clock::now_iso();
    transaction(&conn, |conn| {
        province_store::save_recording(conn, lang, &source.key, mime, sound, &actor, &now)?;
        province_store::record_change(conn, &actor, "recording.save", &format!("{lang}/{}", source.key), &format!("{mime}, {} bytes", sound.len()))?;
        Ok(())
    })?;
    let row = rows(&conn, lang, &sources)?.into_iter().find(|r| r.key == source.key).and_then(|r| r.recording);
    Ok(json(201, &row, "no-store"))
}

/// The recording waiting to be published (else the published one), to listen back.
fn listen(req: &Request, raw: &str, raw_key: &str) -> Result<Response> {
    let lang = language_code(raw)?;
    let (conn, _, _) = translator(req, Some(lang))?;
    let key = decode_segment(raw_key).filter(|k| valid_key(k)).ok_or_else(|| ApiError::not_found("no such recording"))?;
    let (mime, sound, _) = province_store::recording(&conn, lang, &key, true)?.ok_or_else(|| ApiError::not_found("no such recording"))?;
    Ok(Response::builder().status(200).header("content-type", mime).header("cache-control", "no-store").body(sound).build())
}

/// Discards the draft recording; answers what remains (the published one, if any).
fn discard(req: &Request, raw: &str, raw_key: &str) -> Result<Response> {
    let lang = language_code(raw)?;
    let (conn, actor, _) = translator(req, Some(lang))?;
    let key = decode_segment(raw_key).filter(|k| valid_key(k)).ok_or_else(|| ApiError::not_found("no such recording"))?;
    let gone = transaction(&conn, |conn| {
        let gone = province_store::discard_recording(conn, lang, &key)?;
        if gone {
            province_store::record_change(conn, &actor, "recording.discard", &format!("{lang}/{key}"), "discarded before publishing")?;
        }
        Ok(gone)
    })?;
    if !gone {
        return Err(ApiError::not_found("no recording waits to be published").into());
    }
    let remaining = province_store::recordings(&conn, lang)?.into_iter().find(|(k, _)| *k == key).map(|(_, info)| info);
    Ok(json(200, &remaining, "no-store"))
}
