//! HTTP routes of the admin component.

use dossier_store::desk_session;
use http_kit::db::transaction;
use http_kit::{Result, clock, decode_segment, json, json_only_body, method_not_allowed, no_route, operator, query_pairs, serve};
use motcua_shared::admin::CalendarYear;
use motcua_shared::agency::{Agency, check_agency};
use motcua_shared::api_error::ApiError;
use motcua_shared::catalogue_import::{BATCH_RECORDS, BatchReport, MAX_RECORDS, RecordBatch, check_record};
use motcua_shared::desk::{NewAccount, Role, TemporaryPassword, check_account, check_account_language};
use motcua_shared::forms::{FormSpec, check_spec};
use motcua_shared::notify::{check_template, valid_language, Event, Template};
use province_store::{FormRefusal, ImportRefusal};
use spin_sdk::http::{IncomingRequest, Method, Request, Response};
use spin_sdk::http_component;
use spin_sdk::sqlite::Connection;

/// A batch of records (`BATCH_RECORDS` of a few KB each) with room to spare.
const MAX_BODY: usize = 4 * 1024 * 1024;

#[http_component]
async fn handle(req: IncomingRequest) -> Response {
    serve(req, "admin", |_| MAX_BODY, routes).await
}

fn routes(req: &Request) -> Result<Response> {
    let path = http_kit::path_info(req);
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    match (req.method(), segments.as_slice()) {
        (Method::Get, ["catalogue", "imports"]) => imports(req),
        (Method::Post, ["catalogue", "imports"]) => start_import(req),
        (Method::Get, ["catalogue", "imports", id]) => preview(req, id),
        (Method::Post, ["catalogue", "imports", id, "records"]) => records(req, id),
        (Method::Post, ["catalogue", "imports", id, "publish"]) => publish(req, id),
        (Method::Get, ["calendar"]) => calendar(req),
        (Method::Put, ["calendar", year]) => put_calendar_year(req, year),
        (Method::Get, ["forms"]) => forms(req),
        (Method::Get, ["forms", code]) => form_history(req, code),
        (Method::Put, ["forms", code, "draft"]) => save_form_draft(req, code),
        (Method::Get, ["forms", code, "versions", version]) => form_version(req, code, version),
        (Method::Post, ["forms", code, "versions", version, "publish"]) => publish_form(req, code, version),
        (Method::Get, ["agencies"]) => agencies(req),
        (Method::Get, ["agencies", id]) => agency(req, id),
        (Method::Put, ["agencies", id]) => put_agency(req, id),
        (Method::Get, ["officers"]) => officers(req),
        (Method::Post, ["officers"]) => create_officer(req),
        (Method::Post, ["officers", username, "disable"]) => set_active(req, username, false),
        (Method::Post, ["officers", username, "enable"]) => set_active(req, username, true),
        (Method::Post, ["officers", username, "password"]) => reset_password(req, username),
        (Method::Get, ["audit"]) => audit(req),
        (Method::Get, ["notification-templates"]) => message_templates(req),
        (Method::Post, ["notification-templates", "preview"]) => preview_message(req),
        (Method::Put, ["notification-templates", event, language]) => put_message_template(req, event, language),
        (Method::Post, ["notifications", "sweep"]) => sweep(req),
        (_, ["notification-templates"]) => method_not_allowed("GET"),
        (_, ["notification-templates", "preview"] | ["notifications", "sweep"]) => method_not_allowed("POST"),
        (_, ["notification-templates", _, _]) => method_not_allowed("PUT"),
        (_, ["officers"]) => method_not_allowed("GET, POST"),
        (_, ["officers", _, "disable" | "enable" | "password"]) => method_not_allowed("POST"),
        (_, ["agencies"]) => method_not_allowed("GET"),
        (_, ["agencies", _]) => method_not_allowed("GET, PUT"),
        (_, ["catalogue", "imports"]) => method_not_allowed("GET, POST"),
        (_, ["catalogue", "imports", _] | ["audit"] | ["calendar"] | ["forms"] | ["forms", _] | ["forms", _, "versions", _]) => {
            method_not_allowed("GET")
        }
        (_, ["forms", _, "draft"]) => method_not_allowed("PUT"),
        (_, ["forms", _, "versions", _, "publish"]) => method_not_allowed("POST"),
        (_, ["calendar", _]) => method_not_allowed("PUT"),
        (_, ["catalogue", "imports", _, "records" | "publish"]) => method_not_allowed("POST"),
        _ => no_route(),
    }
}

/// The database, and who is acting: `token` for the operator's script, else
/// the username of a signed-in administrator.
fn administrator(req: &Request) -> Result<(Connection, String)> {
    let conn = dossier_store::open()?;
    if operator::token_given(req)? {
        return Ok((conn, "token".to_owned()));
    }
    match desk_session::member(&conn, req, clock::unix_seconds())? {
        Some(o) if o.role == Role::Administrator => Ok((conn, o.username)),
        Some(_) => Err(ApiError::forbidden("only the province's administrator may do this").into()),
        None => Err(ApiError::unauthorized("sign in at the desk as an administrator first").into()),
    }
}

fn import_id(raw: &str) -> Result<u32> {
    raw.parse().map_err(|_| ApiError::not_found("no such import").into())
}

fn refused(why: ImportRefusal) -> http_kit::Failure {
    match why {
        ImportRefusal::NoSuchImport => ApiError::not_found("no such import").into(),
        ImportRefusal::NotADraft => ApiError::conflict("import", "this import is already published or discarded: start a new one").into(),
        ImportRefusal::TooManyRecords => ApiError::invalid("records", format!("a catalogue holds at most {MAX_RECORDS} records")).into(),
        ImportRefusal::NotPublishable(why) => ApiError::invalid("import", why).into(),
    }
}

fn imports(req: &Request) -> Result<Response> {
    let (conn, _) = administrator(req)?;
    Ok(json(200, &province_store::history(&conn, 50)?, "no-store"))
}

fn start_import(req: &Request) -> Result<Response> {
    let (conn, actor) = administrator(req)?;
    let _: serde_json::Value = json_only_body(req)?;
    let id = transaction(&conn, |conn| {
        let id = province_store::start_import(conn, &actor)?;
        province_store::record_change(conn, &actor, "catalogue.import", &id.to_string(), "started an import")?;
        Ok(id)
    })?;
    let import = province_store::find(&conn, id)?;
    Ok(json(201, &import, "no-store"))
}

fn records(req: &Request, id: &str) -> Result<Response> {
    let (conn, _) = administrator(req)?;
    let id = import_id(id)?;
    let batch: RecordBatch = json_only_body(req)?;
    if batch.records.len() > BATCH_RECORDS {
        return Err(ApiError::invalid("records", format!("send at most {BATCH_RECORDS} records a request")).into());
    }
    let received = batch.records.len() as u32;
    let first = batch.first_position.max(1);
    let checked: Vec<_> = batch.records.iter().enumerate().map(|(i, r)| (first + i as u32, check_record(first + i as u32, r))).collect();
    let staged = transaction(&conn, |conn| Ok(province_store::stage_batch(conn, id, &checked)?))?;
    let (accepted, problems) = staged.map_err(refused)?;
    Ok(json(200, &BatchReport { received, accepted, problems }, "no-store"))
}

fn preview(req: &Request, id: &str) -> Result<Response> {
    let (conn, _) = administrator(req)?;
    let preview = province_store::preview(&conn, import_id(id)?)?.ok_or_else(|| refused(ImportRefusal::NoSuchImport))?;
    Ok(json(200, &preview, "no-store"))
}

fn publish(req: &Request, id: &str) -> Result<Response> {
    let (conn, actor) = administrator(req)?;
    let id = import_id(id)?;
    let _: serde_json::Value = json_only_body(req)?;
    let published = transaction(&conn, |conn| {
        let published = province_store::publish(conn, id)?;
        if let Ok(import) = &published {
            let c = &import.counts;
            let detail = format!("published: {} new, {} changed, {} withdrawn, {} unchanged", c.added, c.changed, c.withdrawn, c.unchanged);
            province_store::record_change(conn, &actor, "catalogue.publish", &id.to_string(), &detail)?;
        }
        Ok(published)
    })?;
    Ok(json(200, &published.map_err(refused)?, "no-store"))
}

/// The published years, oldest first.
fn calendar(req: &Request) -> Result<Response> {
    let (conn, _) = administrator(req)?;
    Ok(json(200, &province_store::years_between(&conn, i32::MIN, i32::MAX)?, "no-store"))
}

/// Publishes a year's days off and make-up working days (replacing what was there).
fn put_calendar_year(req: &Request, year: &str) -> Result<Response> {
    let (conn, actor) = administrator(req)?;
    let days: CalendarYear = json_only_body(req)?;
    if year.parse::<i32>().ok() != Some(days.year) {
        return Err(ApiError::invalid("year", "the year in the path and in the body differ").into());
    }
    transaction(&conn, |conn| {
        province_store::put_year(conn, &days, &actor)?.map_err(|e| ApiError::invalid("days_off", e.to_string()))?;
        let detail = format!("{} days off, {} make-up working days", days.days_off.len(), days.workdays.len());
        province_store::record_change(conn, &actor, "calendar.publish", &days.year.to_string(), &detail)?;
        Ok(())
    })?;
    Ok(json(200, &days, "no-store"))
}

fn procedure_code(raw: &str) -> Result<String> {
    decode_segment(raw)
        .filter(|c| motcua_shared::catalogue_import::is_procedure_code(c))
        .ok_or_else(|| ApiError::not_found("no procedure with this code").into())
}

fn form_version_number(raw: &str) -> Result<u32> {
    raw.parse().map_err(|_| ApiError::not_found("no such form version").into())
}

/// Every form, with the version citizens fill and the draft waiting.
fn forms(req: &Request) -> Result<Response> {
    let (conn, _) = administrator(req)?;
    Ok(json(200, &province_store::form_listing(&conn)?, "no-store"))
}

/// A form's versions, newest first.
fn form_history(req: &Request, code: &str) -> Result<Response> {
    let (conn, _) = administrator(req)?;
    let code = procedure_code(code)?;
    Ok(json(200, &province_store::form_history(&conn, &code)?, "no-store"))
}

/// One version, drafts included: what the preview shows.
fn form_version(req: &Request, code: &str, version: &str) -> Result<Response> {
    let (conn, _) = administrator(req)?;
    let (code, version) = (procedure_code(code)?, form_version_number(version)?);
    let spec = province_store::form_version(&conn, &code, version, true)?.ok_or_else(|| ApiError::not_found("no such form version"))?;
    Ok(json(200, &spec, "no-store"))
}

/// Saves a form as the procedure's draft, checked as it will be served;
/// citizens see it only once it is published.
fn save_form_draft(req: &Request, code: &str) -> Result<Response> {
    let (conn, actor) = administrator(req)?;
    let code = procedure_code(code)?;
    let spec: FormSpec = json_only_body(req)?;
    if spec.procedure_code != code {
        return Err(ApiError::invalid("procedure_code", "the procedure code in the path and in the form differ").into());
    }
    check_spec(&spec).map_err(|problems| ApiError::invalid("questions", problems))?;
    if province_store::procedure(&conn, &code)?.is_none() {
        return Err(ApiError::invalid("procedure_code", "publish the procedure in the catalogue before its form").into());
    }
    let now = clock::now_iso();
    let saved = transaction(&conn, |conn| {
        let saved = province_store::save_draft(conn, &spec, &actor, &now)?;
        let detail = format!("saved version {} as a draft: {} questions", saved.version, spec.questions.len());
        province_store::record_change(conn, &actor, "form.draft", &code, &detail)?;
        Ok(saved)
    })?;
    Ok(json(200, &saved, "no-store"))
}

/// Publishes the draft: citizens fill it from now on.
fn publish_form(req: &Request, code: &str, version: &str) -> Result<Response> {
    let (conn, actor) = administrator(req)?;
    let (code, version) = (procedure_code(code)?, form_version_number(version)?);
    let _: serde_json::Value = json_only_body(req)?;
    let now = clock::now_iso();
    let published = transaction(&conn, |conn| {
        let published = province_store::publish_form(conn, &code, version, &now)?;
        if published.is_ok() {
            province_store::record_change(conn, &actor, "form.publish", &code, &format!("published version {version}"))?;
        }
        Ok(published)
    })?;
    let published = published.map_err(|why| match why {
        FormRefusal::NoSuchVersion => ApiError::not_found(why.to_string()),
        FormRefusal::NotTheDraft => ApiError::conflict("version", why.to_string()),
    })?;
    Ok(json(200, &published, "no-store"))
}

/// Every receiving agency, with how many procedures each receives.
fn agencies(req: &Request) -> Result<Response> {
    let (conn, _) = administrator(req)?;
    Ok(json(200, &province_store::agency_listing(&conn, 1000)?, "no-store"))
}

fn agency(req: &Request, id: &str) -> Result<Response> {
    let (conn, _) = administrator(req)?;
    let id = decode_segment(id).unwrap_or_default();
    let agency = province_store::agency(&conn, &id)?.ok_or_else(|| ApiError::not_found("no agency with this code"))?;
    Ok(json(200, &agency, "no-store"))
}

/// Creates or replaces an agency: where citizens go, and what it receives.
fn put_agency(req: &Request, id: &str) -> Result<Response> {
    let (conn, actor) = administrator(req)?;
    let id = decode_segment(id).unwrap_or_default();
    let agency: Agency = json_only_body(req)?;
    if agency.id != id {
        return Err(ApiError::invalid("id", "the agency code in the path and in the body differ").into());
    }
    check_agency(&agency).map_err(|(field, message)| ApiError::invalid(field, message))?;
    let now = clock::now_iso();
    let existed = transaction(&conn, |conn| {
        let existed = province_store::put_agency(conn, &agency, &actor, &now)?;
        let detail =
            format!("{} {}: {} procedures", if existed { "changed" } else { "added" }, agency.name.trim(), agency.procedures.len());
        province_store::record_change(conn, &actor, "agency.save", &agency.id, &detail)?;
        Ok(existed)
    })?;
    let saved = province_store::agency(&conn, &agency.id)?.ok_or_else(|| http_kit::Failure::internal("the agency just saved"))?;
    Ok(json(if existed { 200 } else { 201 }, &saved, "no-store"))
}

/// Accounts by username, a page at a time (`after`), of one agency (`agency`) or all.
fn officers(req: &Request) -> Result<Response> {
    let (conn, _) = administrator(req)?;
    let pairs = query_pairs(req);
    let param = |name: &str| pairs.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let accounts = dossier_store::officer_accounts(&conn, param("agency").filter(|a| !a.is_empty()), param("after").unwrap_or(""), 100)?;
    Ok(json(200, &accounts, "no-store"))
}

fn new_password() -> Result<(String, String)> {
    let password = dossier_store::temporary_password().ok_or_else(|| http_kit::Failure::internal("no randomness"))?;
    let hash = dossier_store::hash_password(&password).ok_or_else(|| http_kit::Failure::internal("password hash"))?;
    Ok((password, hash))
}

fn account(conn: &Connection, username: &str) -> Result<motcua_shared::desk::OfficerAccount> {
    Ok(dossier_store::officer_account(conn, username)?.ok_or_else(|| ApiError::not_found("no officer with this username"))?)
}

/// A new account at one of the province's agencies, with a first password
/// the portal makes, shown this once.
fn create_officer(req: &Request) -> Result<Response> {
    let (conn, actor) = administrator(req)?;
    let new: NewAccount = json_only_body(req)?;
    check_account(&new.username, &new.display_name).map_err(|(field, why)| ApiError::invalid(field, why))?;
    check_account_language(new.role, new.language.as_deref()).map_err(|(field, why)| ApiError::invalid(field, why))?;
    let display_name = new.display_name.trim();
    if province_store::agency_place(&conn, &new.agency_id)?.is_none() {
        return Err(ApiError::invalid("agency_id", "choose one of the province's agencies").into());
    }
    let (password, hash) = new_password()?;
    let row = dossier_store::OfficerRow {
        id: 0,
        username: new.username.clone(),
        display_name: display_name.to_owned(),
        agency_id: new.agency_id.clone(),
        role: new.role,
        password_hash: hash,
        language: new.language.clone(),
    };
    let now = clock::now_iso();
    let created = transaction(&conn, |conn| {
        let created = dossier_store::insert_officer(conn, &row, &now)?;
        if created {
            let detail = format!("created {} ({}{}) at {}", row.display_name, row.role.as_str(), row.language.as_deref().map(|l| format!(", {l}")).unwrap_or_default(), row.agency_id);
            province_store::record_change(conn, &actor, "officer.create", &row.username, &detail)?;
        }
        Ok(created)
    })?;
    if !created {
        return Err(ApiError::conflict("username", "this username is taken").into());
    }
    Ok(json(201, &TemporaryPassword { officer: account(&conn, &row.username)?, temporary_password: password }, "no-store"))
}

/// Disables (sessions end at once) or enables an account. An administrator
/// cannot disable their own account: the province is never left locked out
/// by one mistaken click.
fn set_active(req: &Request, username: &str, active: bool) -> Result<Response> {
    let (conn, actor) = administrator(req)?;
    let _: serde_json::Value = json_only_body(req)?;
    if !active && actor == username {
        return Err(ApiError::conflict("username", "you cannot disable your own account").into());
    }
    let now = clock::now_iso();
    let found = transaction(&conn, |conn| {
        let found = dossier_store::set_officer_active(conn, username, active, &now)?;
        if found {
            let (action, detail) = if active { ("officer.enable", "enabled") } else { ("officer.disable", "disabled; sessions ended") };
            province_store::record_change(conn, &actor, action, username, detail)?;
        }
        Ok(found)
    })?;
    if !found {
        return Err(ApiError::not_found("no officer with this username").into());
    }
    Ok(json(200, &account(&conn, username)?, "no-store"))
}

/// A new password the portal makes, shown this once; every session of the
/// account ends.
fn reset_password(req: &Request, username: &str) -> Result<Response> {
    let (conn, actor) = administrator(req)?;
    let _: serde_json::Value = json_only_body(req)?;
    let (password, hash) = new_password()?;
    let found = transaction(&conn, |conn| {
        let found = dossier_store::reset_officer_password(conn, username, &hash)?;
        if found {
            province_store::record_change(conn, &actor, "officer.password", username, "password reset; sessions ended")?;
        }
        Ok(found)
    })?;
    if !found {
        return Err(ApiError::not_found("no officer with this username").into());
    }
    Ok(json(200, &TemporaryPassword { officer: account(&conn, username)?, temporary_password: password }, "no-store"))
}

fn audit(req: &Request) -> Result<Response> {
    let (conn, _) = administrator(req)?;
    let before = match query_pairs(req).into_iter().find(|(k, _)| k == "before") {
        Some((_, v)) => Some(v.parse::<u64>().map_err(|_| ApiError::invalid("before", "the id of the oldest change shown"))?),
        None => None,
    };
    Ok(json(200, &province_store::recent_changes(&conn, before, 100)?, "no-store"))
}

/// The province's message templates, every event and language there is.
fn message_templates(req: &Request) -> Result<Response> {
    let (conn, _) = administrator(req)?;
    Ok(json(200, &province_store::templates(&conn)?, "no-store"))
}

#[derive(serde::Deserialize)]
struct TemplateText {
    text: String,
}

#[derive(serde::Deserialize)]
struct PreviewAsk {
    event: Event,
    text: String,
}

fn template_problem(event: Event, text: &str) -> Result<()> {
    check_template(event, text).map_err(|why| ApiError::invalid("text", why.to_string()).into())
}

/// The message a template makes, with sample values, and what it costs as an SMS.
fn preview_message(req: &Request) -> Result<Response> {
    let _ = administrator(req)?;
    let ask: PreviewAsk = json_only_body(req)?;
    template_problem(ask.event, &ask.text)?;
    Ok(json(200, &motcua_shared::notify::preview(ask.text.trim()), "no-store"))
}

fn put_message_template(req: &Request, event: &str, language: &str) -> Result<Response> {
    let (conn, actor) = administrator(req)?;
    let event = Event::parse(event).ok_or_else(|| ApiError::not_found("no such event"))?;
    let language = decode_segment(language).filter(|l| valid_language(l)).ok_or_else(|| ApiError::invalid("language", "a language code of the app: vi, en, hmn…"))?;
    let TemplateText { text } = json_only_body(req)?;
    template_problem(event, &text)?;
    let template = Template { event, language, text: text.trim().to_owned(), updated_at: clock::now_iso(), updated_by: actor.clone() };
    let existed = transaction(&conn, |conn| {
        let existed = province_store::put_template(conn, &template, &actor, &template.updated_at)?;
        let subject = format!("{}/{}", event.as_str(), template.language);
        province_store::record_change(conn, &actor, "template.save", &subject, &template.text)?;
        Ok(existed)
    })?;
    Ok(json(if existed { 200 } else { 201 }, &template, "no-store"))
}

/// Sends what is due (a scheduler calls this: a Kubernetes CronJob, a
/// systemd timer, or the local host with `--sweep-every`). Answers counts only.
fn sweep(req: &Request) -> Result<Response> {
    let (conn, _) = administrator(req)?;
    let settings = notifier::Settings::from_variables(http_kit::origin::public(req));
    let done = notifier::send_due(&conn, &settings, None, SWEEP_MESSAGES)?;
    Ok(json(200, &done, "no-store"))
}

/// Messages one sweep sends at most: a call stays within a request's time.
const SWEEP_MESSAGES: u32 = 100;
