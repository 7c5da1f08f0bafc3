//! HTTP routes of the desk component.

use dossier_store::desk_session::token_hash;
use dossier_store::{Change, DeskRow, OfficerRow, Scope, DESK_SESSION_SECS};
use http_kit::db::transaction;
use http_kit::origin::SessionCookie;
use http_kit::{clock, decode_segment, json, json_only_body, method_not_allowed, no_route, query_pairs, serve, throttle, Failure, Result};
use motcua_shared::admin::CalendarNotice;
use motcua_shared::api_error::ApiError;
use motcua_shared::desk::{
    appointment_after, check_account, check_account_language, ActionRequest, QueueCursor, QUEUE_PAGE, QUEUE_SCAN, AuditEntry, DeskDossier, NewOfficer, Officer, QueueFilter, QueueItem, QueueSearch, Role, SignIn,
    MAX_NOTE_CHARS, MAX_SEARCH_CHARS, MIN_PASSWORD_CHARS, SEARCH_RESULTS,
};
use motcua_shared::dossier::api::is_overdue;
use motcua_shared::dossier::lifecycle::{allowed_actions, transition, Actor, TransitionError};
use motcua_shared::throttle::{WRONG_PASSWORD_PER_CLIENT, WRONG_PASSWORD_PER_USER};
use spin_sdk::http::{IncomingRequest, Method, Request, Response};
use spin_sdk::http_component;
use spin_sdk::sqlite::Connection;

const MAX_BODY: usize = 16 * 1024;

#[http_component]
async fn handle(req: IncomingRequest) -> Response {
    serve(req, "desk", |_| MAX_BODY, routes).await
}

fn routes(req: &Request) -> Result<Response> {
    let path = http_kit::path_info(req);
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    match (req.method(), segments.as_slice()) {
        (Method::Post, ["admin", "officers"]) => create_officer(req),
        (Method::Post, ["session"]) => sign_in(req),
        (Method::Delete, ["session"]) => sign_out(req),
        (Method::Get, ["calendar"]) => calendar_notice(req),
        (Method::Get, ["me"]) => me(req),
        (Method::Get, ["dossiers"]) => queue(req),
        (Method::Get, ["dossiers", code]) => dossier(req, code),
        (Method::Post, ["dossiers", code, "actions"]) => act(req, code),
        (Method::Get, ["dossiers", code, "attachments", id]) => attachment(req, code, id),
        (_, ["admin", "officers"] | ["dossiers", _, "actions"]) => method_not_allowed("POST"),
        (_, ["session"]) => method_not_allowed("POST, DELETE"),
        (_, ["me"] | ["calendar"] | ["dossiers"] | ["dossiers", _] | ["dossiers", _, "attachments", _]) => method_not_allowed("GET"),
        _ => no_route(),
    }
}

fn db() -> Result<Connection> {
    Ok(dossier_store::open()?)
}

/// JSON only: see [`json_only_body`] (CSRF).
fn body<T: serde::de::DeserializeOwned>(req: &Request) -> Result<T> {
    json_only_body(req)
}

fn officer(o: &OfficerRow) -> Officer {
    Officer::from(o)
}

fn actor(o: &OfficerRow) -> Actor {
    match o.role {
        Role::Supervisor | Role::Administrator => Actor::Supervisor,
        Role::Officer | Role::Translator => Actor::Officer,
    }
}

/// Whoever is signed in, translators too (the app opens their studio).
fn me(req: &Request) -> Result<Response> {
    let conn = db()?;
    let found = dossier_store::desk_session::member(&conn, req, clock::unix_seconds())?;
    let o = found.ok_or_else(|| ApiError::unauthorized("sign in at the desk first"))?;
    Ok(json(200, &officer(&o), "no-store"))
}

fn signed_in(req: &Request) -> Result<(Connection, OfficerRow)> {
    let conn = db()?;
    let found = dossier_store::desk_session::officer(&conn, req, clock::unix_seconds())?;
    found.map(|o| (conn, o)).ok_or_else(|| ApiError::unauthorized("sign in at the desk first").into())
}

/// How far the published working-day calendar reaches, and whether the
/// desk should warn that next year's must be published (60 days ahead).
fn calendar_notice(req: &Request) -> Result<Response> {
    let (conn, _) = signed_in(req)?;
    let last = province_store::last_year(&conn)?;
    Ok(json(200, &CalendarNotice::at(clock::today(), last), "no-store"))
}

fn create_officer(req: &Request) -> Result<Response> {
    // Only the operator's token (scripts/officer) or, later, an administrator's session.
    if !http_kit::operator::token_given(req)? {
        return no_route();
    }
    let new: NewOfficer = body(req)?;
    check_account(&new.username, &new.display_name).map_err(|(field, why)| ApiError::invalid(field, why))?;
    check_account_language(new.role, new.language.as_deref()).map_err(|(field, why)| ApiError::invalid(field, why))?;
    if new.password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(ApiError::invalid("password", format!("at least {MIN_PASSWORD_CHARS} characters")).into());
    }
    if new.agency_id.trim().is_empty() {
        return Err(ApiError::invalid("agency_id", "the officer's agency code").into());
    }
    let hash = dossier_store::hash_password(&new.password).ok_or_else(|| Failure::internal("password hash"))?;
    let row = OfficerRow {
        id: 0,
        username: new.username.clone(),
        display_name: new.display_name.trim().to_owned(),
        agency_id: new.agency_id.trim().to_owned(),
        role: new.role,
        password_hash: hash,
        language: new.language.clone(),
    };
    let conn = db()?;
    let created = transaction(&conn, |conn| {
        let created = dossier_store::insert_officer(conn, &row, &clock::now_iso())?;
        if created {
            let detail = format!("created {} ({}) at {}", row.display_name, row.role.as_str(), row.agency_id);
            province_store::record_change(conn, "token", "officer.create", &row.username, &detail)?;
        }
        Ok(created)
    })?;
    if !created {
        return Err(ApiError::conflict("username", "this username is taken").into());
    }
    Ok(json(201, &officer(&row), "no-store"))
}

fn sign_in(req: &Request) -> Result<Response> {
    let SignIn { username, password } = body(req)?;
    let username = username.trim();
    let conn = db()?;
    let found = dossier_store::officer_by_username(&conn, username)?;
    let verified = match &found {
        Some(o) => dossier_store::verify_password(&password, &o.password_hash),
        None => {
            // As slow as a real check, so timing does not tell which usernames exist.
            let _ = dossier_store::hash_password(&password);
            false
        }
    };
    // The same answer for an unknown user as for a wrong password. Failures
    // are counted per client and per username, but a right password is
    // never refused: nobody can lock an officer out by failing on purpose.
    let Some(o) = found.filter(|_| verified) else {
        let wrong = ApiError::unauthorized("the username or password is wrong").into();
        let subject = Some((&WRONG_PASSWORD_PER_USER, username));
        return Err(throttle::failed(&WRONG_PASSWORD_PER_CLIENT, &throttle::client(req), subject, wrong));
    };
    let token = dossier_store::start_session(&conn, o.id, Scope::Desk, clock::unix_seconds() + DESK_SESSION_SECS, None)?;
    let mut resp = json(200, &officer(&o), "no-store");
    resp.set_header("set-cookie", SessionCookie::for_request(req).set(&token, DESK_SESSION_SECS));
    Ok(resp)
}

fn sign_out(req: &Request) -> Result<Response> {
    let cookie = SessionCookie::for_request(req);
    if let Some(token) = cookie.token(req) {
        dossier_store::delete_session(&db()?, &token_hash(&token))?;
    }
    let mut resp = Response::builder().status(204).body(Vec::new()).build();
    resp.set_header("set-cookie", cookie.set("", 0));
    Ok(resp)
}

fn queue_item(conn: &Connection, row: &DeskRow) -> Result<QueueItem> {
    let today = clock::today();
    Ok(QueueItem {
        code: row.code.clone(),
        procedure_code: row.procedure_code.clone(),
        procedure_name: province_store::procedure_name(conn, &row.procedure_code)?,
        status: row.status,
        channel: row.channel.clone(),
        received_on: row.received_on.unwrap_or(today),
        appointment_on: row.appointment_on,
        overdue: is_overdue(row.status, row.appointment_on, today),
        citizen_name: row.citizen_name.clone().unwrap_or_default(),
        papers_sent: row.papers_sent,
    })
}

/// A page of the agency's open dossiers in the view `filter`, oldest first.
/// Reads the open-queue index page by page from `after`, never the whole
/// table; when more may follow, `Link: <…>; rel="next"` says where.
/// With `q`, the first matches of a search among all the agency's dossiers
/// instead (see [`QueueSearch`]), without a next page.
fn queue(req: &Request) -> Result<Response> {
    let (conn, o) = signed_in(req)?;
    let params = query_pairs(req);
    let param = |name: &str| params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    if let Some(q) = param("q").filter(|q| !q.trim().is_empty()) {
        let search = QueueSearch::parse(q).ok_or_else(|| {
            ApiError::invalid("q", format!("at most {MAX_SEARCH_CHARS} characters: a dossier code, a name, an ID number or a phone"))
        })?;
        let rows = dossier_store::search_agency_dossiers(&conn, &o.agency_id, &search, SEARCH_RESULTS as u32)?;
        let items = rows.iter().map(|r| queue_item(&conn, r)).collect::<Result<Vec<_>>>()?;
        return Ok(json(200, &items, "no-store"));
    }
    let filter = QueueFilter::parse(param("filter").unwrap_or_default())
        .ok_or_else(|| ApiError::invalid("filter", "one of: new, due_soon, overdue, waiting, open"))?;
    let mut after = match param("after") {
        Some(a) => Some(QueueCursor::parse(a).ok_or_else(|| ApiError::invalid("after", "the `next` link of the previous page"))?),
        None => None,
    };
    let today = clock::today();
    let (mut items, mut scanned, mut more) = (Vec::new(), 0, false);
    while items.len() < QUEUE_PAGE && scanned < QUEUE_SCAN {
        let cursor = after.as_ref().map(|c| (c.received_on.to_string(), c.code.clone()));
        let rows = dossier_store::agency_dossiers(&conn, &o.agency_id, cursor.as_ref(), 200)?;
        more = rows.len() == 200;
        for r in &rows {
            scanned += 1;
            after = Some(QueueCursor { received_on: r.received_on.unwrap_or(today), code: r.code.clone() });
            if filter.includes(r.status, r.appointment_on, today) {
                items.push(queue_item(&conn, r)?);
                if items.len() == QUEUE_PAGE {
                    more = true;
                    break;
                }
            }
        }
        if !more {
            break;
        }
    }
    let mut resp = json(200, &items, "no-store");
    if let (true, Some(next)) = (more, after) {
        let next = form_urlencoded::byte_serialize(next.to_string().as_bytes()).collect::<String>();
        resp.set_header("link", format!("</api/desk/dossiers?filter={}&after={next}>; rel=\"next\"", filter.as_str()));
    }
    Ok(resp)
}

fn load(conn: &Connection, o: &OfficerRow, code: &str) -> Result<DeskDossier> {
    let code = decode_segment(code).unwrap_or_default();
    let row = dossier_store::agency_dossier(conn, &code, &o.agency_id)
        ?
        .ok_or_else(|| ApiError::not_found("no dossier with this code at your agency"))?;
    let history = dossier_store::audit_trail(conn, &row.code)
        ?
        .into_iter()
        .map(|a| AuditEntry {
            at: a.at,
            actor: a.actor,
            actor_name: a.actor_name,
            from: a.from_status,
            to: a.to_status,
            note_to_citizen: a.note_to_citizen,
            internal_note: a.internal_note,
        })
        .collect();
    let attachments = dossier_store::attachments(conn, &row.code)?;
    Ok(DeskDossier {
        attachments,
        form_version: row.form_version,
        answers: serde_json::from_str(&row.answers_json).unwrap_or_default(),
        allowed_actions: allowed_actions(row.status, actor(o)),
        messages: dossier_store::deliveries(conn, &row.code)?,
        history,
        item: queue_item(&conn, &row)?,
    })
}

fn dossier(req: &Request, code: &str) -> Result<Response> {
    let (conn, o) = signed_in(req)?;
    Ok(json(200, &load(&conn, &o, code)?, "no-store"))
}

fn act(req: &Request, code: &str) -> Result<Response> {
    let (conn, o) = signed_in(req)?;
    let ask: ActionRequest = body(req)?;
    for (field, note) in [("note_to_citizen", &ask.note_to_citizen), ("internal_note", &ask.internal_note)] {
        if note.as_ref().is_some_and(|n| n.chars().count() > MAX_NOTE_CHARS) {
            return Err(ApiError::invalid(field, format!("at most {MAX_NOTE_CHARS} characters")).into());
        }
    }
    let current = load(&conn, &o, code)?;
    let from = current.item.status;
    let to = transition(from, &ask.action, actor(&o)).map_err(|e| match e {
        TransitionError::ReasonRequired { .. } | TransitionError::ReasonTooLong { .. } => {
            ApiError::invalid("reason", e.to_string())
        }
        other => ApiError::conflict("action", other.to_string()),
    })?;
    // The reason of a refusal, a request for documents or a stop is what the citizen reads.
    let note = ask.note_to_citizen.as_deref().or(ask.action.reason()).map(str::trim).filter(|n| !n.is_empty());
    let internal = ask.internal_note.as_deref().map(str::trim).filter(|n| !n.is_empty());
    let who = format!("officer:{}", o.username);
    let now = clock::now_iso();
    let origin = http_kit::origin::public(req);
    // Leaving a pause (documents or fees owed), the appointment moves back.
    let today = clock::today();
    // The calendar is read only when the clock restarts (leaving a pause).
    let new_appointment = if from.clock_paused() && !to.clock_paused() {
        let calendar = province_store::calendar(&conn, today.year() - 1, today.year() + 2)?;
        appointment_after(from, to, current.item.appointment_on, &current.history, today, &calendar)
    } else {
        None
    };
    let (applied, told) = transaction(&conn, |conn| {
        let changed = dossier_store::apply_change(
            conn,
            &Change { code: &current.item.code, from, to, actor: &who, note_to_citizen: note, internal_note: internal, now: &now },
        )
        ?;
        if let (true, Some(date)) = (changed, new_appointment) {
            dossier_store::set_appointment(conn, &current.item.code, date)?;
        }
        // The citizen's message, in the same transaction: never a change without it.
        let told = changed && notifier::tell(conn, &current.item.code, from, to, note, &origin, &now)?;
        Ok((changed, told))
    })?;
    if !applied {
        return Err(ApiError::conflict("action", "the dossier changed meanwhile; reload it").into());
    }
    if told {
        // Sent now, after the commit; what fails is retried by the sweep.
        let settings = notifier::Settings::from_variables(origin);
        if let Err(e) = notifier::send_due(&conn, &settings, Some(&current.item.code), notifier::SEND_AFTER_COMMIT) {
            eprintln!("desk: messages left for the sweep: {e}");
        }
    }
    Ok(json(200, &load(&conn, &o, &current.item.code)?, "no-store"))
}

/// A paper of one of the agency's dossiers, shown inline but never run.
fn attachment(req: &Request, code: &str, id: &str) -> Result<Response> {
    let (conn, o) = signed_in(req)?;
    let code = decode_segment(code).unwrap_or_default();
    let not_found = || ApiError::not_found("no such paper in a dossier of your agency");
    dossier_store::agency_dossier(&conn, &code, &o.agency_id)?.ok_or_else(not_found)?;
    let (media_type, content) = dossier_store::attachment_content(&conn, &code, id)?.ok_or_else(not_found)?;
    Ok(http_kit::sandboxed_file(media_type, &format!("{code}-{id}"), content))
}
