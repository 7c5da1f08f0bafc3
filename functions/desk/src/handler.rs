//! HTTP routes of the desk component.

use crate::session;
use dossier_store::{Change, DeskRow, OfficerRow};
use http_kit::db::transaction;
use http_kit::{clock, decode_segment, error, json, json_only_body, query_pairs, read_within, too_many_requests};
use motcua_shared::api_error::ApiError;
use motcua_shared::desk::{
    valid_username, ActionRequest, AuditEntry, DeskDossier, NewOfficer, Officer, QueueFilter, QueueItem, Role, SignIn,
    MAX_NOTE_CHARS, MIN_PASSWORD_CHARS,
};
use motcua_shared::dossier::api::is_overdue;
use motcua_shared::dossier::calendar::{extend_for_pause, HolidayCalendar};
use motcua_shared::dossier::lifecycle::{allowed_actions, transition, Actor, TransitionError};
use motcua_shared::throttle::{keys, Failures};
use spin_sdk::http::{IncomingRequest, Method, Request, Response};
use spin_sdk::key_value::Store;
use spin_sdk::http_component;
use spin_sdk::sqlite::Connection;

const MAX_BODY: usize = 16 * 1024;

type Reply = Result<Response, Response>;

#[http_component]
async fn handle(req: IncomingRequest) -> Response {
    let req = match read_within(req, MAX_BODY).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    let path = req.header("spin-path-info").and_then(|v| v.as_str()).unwrap_or("").to_owned();
    let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
    let result = match (req.method(), segments.as_slice()) {
        (Method::Post, ["admin", "officers"]) => create_officer(&req),
        (Method::Post, ["session"]) => sign_in(&req),
        (Method::Delete, ["session"]) => sign_out(&req),
        (Method::Get, ["me"]) => signed_in(&req).map(|(_, o)| json(200, &officer(&o), "no-store")),
        (Method::Get, ["dossiers"]) => queue(&req),
        (Method::Get, ["dossiers", code]) => dossier(&req, code),
        (Method::Post, ["dossiers", code, "actions"]) => act(&req, code),
        (Method::Get, ["dossiers", code, "attachments", id]) => attachment(&req, code, id),
        (_, ["admin", "officers"] | ["dossiers", _, "actions"]) => Err(error(ApiError::method_not_allowed("POST"))),
        (_, ["session"]) => Err(error(ApiError::method_not_allowed("POST, DELETE"))),
        (_, ["me"] | ["dossiers"] | ["dossiers", _] | ["dossiers", _, "attachments", _]) => {
            Err(error(ApiError::method_not_allowed("GET")))
        }
        _ => Err(error(ApiError::not_found("no such route"))),
    };
    result.unwrap_or_else(|e| e)
}

fn db() -> Result<Connection, Response> {
    dossier_store::open().map_err(db_error)
}

fn db_error(e: spin_sdk::sqlite::Error) -> Response {
    eprintln!("desk: database error: {e:?}");
    error(ApiError::internal())
}

/// JSON only: see [`json_only_body`] (CSRF).
fn body<T: serde::de::DeserializeOwned>(req: &Request) -> Result<T, Response> {
    json_only_body(req)
}

fn officer(o: &OfficerRow) -> Officer {
    Officer {
        username: o.username.clone(),
        display_name: o.display_name.clone(),
        agency_id: o.agency_id.clone(),
        role: Role::parse(&o.role).unwrap_or(Role::Officer),
    }
}

fn actor(o: &OfficerRow) -> Actor {
    if o.role == "supervisor" { Actor::Supervisor } else { Actor::Officer }
}

fn signed_in(req: &Request) -> Result<(Connection, OfficerRow), Response> {
    let unauthorized = || error(ApiError::unauthorized("sign in at the desk first"));
    let conn = db()?;
    let found = dossier_store::desk_session::officer(&conn, req, clock::unix_seconds()).map_err(db_error)?;
    found.map(|o| (conn, o)).ok_or_else(unauthorized)
}

fn create_officer(req: &Request) -> Reply {
    // Disabled unless the operator set the `desk_admin_token` variable.
    let expected = spin_sdk::variables::get("admin_token").unwrap_or_default();
    let given = req.header("authorization").and_then(|v| v.as_str()).and_then(|v| v.strip_prefix("Bearer ")).unwrap_or("");
    if expected.len() < 16 || !constant_time_eq(expected.as_bytes(), given.as_bytes()) {
        return Err(error(ApiError::not_found("no such route")));
    }
    let new: NewOfficer = body(req)?;
    if !valid_username(&new.username) {
        return Err(error(ApiError::invalid("username", "3 to 32 lower-case letters, digits, '.', '_' or '-'")));
    }
    if new.password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(error(ApiError::invalid("password", format!("at least {MIN_PASSWORD_CHARS} characters"))));
    }
    if new.display_name.trim().is_empty() || new.agency_id.trim().is_empty() {
        return Err(error(ApiError::invalid("display_name", "a name and an agency are required")));
    }
    let hash = session::hash_password(&new.password).ok_or_else(|| error(ApiError::internal()))?;
    let row = OfficerRow {
        id: 0,
        username: new.username.clone(),
        display_name: new.display_name.trim().to_owned(),
        agency_id: new.agency_id.trim().to_owned(),
        role: new.role.as_str().to_owned(),
        password_hash: hash,
    };
    let conn = db()?;
    if !dossier_store::insert_officer(&conn, &row, &clock::now_iso()).map_err(db_error)? {
        return Err(error(ApiError::conflict("username", "this username is taken")));
    }
    Ok(json(201, &officer(&row), "no-store"))
}

fn sign_in(req: &Request) -> Reply {
    let SignIn { username, password } = body(req)?;
    let username = username.trim();
    // Failed sign-ins are counted per username and per client; past the limit, wait.
    let client = req.header("spin-client-addr").and_then(|v| v.as_str()).unwrap_or("");
    let store = Store::open_default().map_err(|e| {
        eprintln!("desk: key-value: {e:?}");
        error(ApiError::internal())
    })?;
    let now = clock::unix_seconds();
    let counters = keys("sign-in", username, client);
    let failures: Vec<Failures> =
        counters.iter().map(|k| store.get_json::<Failures>(k).ok().flatten().unwrap_or_default()).collect();
    if let Some(wait) = failures.iter().filter_map(|f| f.retry_after(now)).max() {
        return Err(too_many_requests(wait));
    }
    let conn = db()?;
    let found = dossier_store::officer_by_username(&conn, username).map_err(db_error)?;
    let verified = match &found {
        Some(o) => session::verify_password(&password, &o.password_hash),
        None => {
            // As slow as a real check, so timing does not tell which usernames exist.
            let _ = session::hash_password(&password);
            false
        }
    };
    // The same answer for an unknown user as for a wrong password.
    let Some(o) = found.filter(|_| verified) else {
        for (key, f) in counters.iter().zip(failures) {
            let _ = store.set_json(key, &f.record(now));
        }
        return Err(error(ApiError::unauthorized("the username or password is wrong")));
    };
    let token = session::new_token().ok_or_else(|| error(ApiError::internal()))?;
    let expires = clock::unix_seconds() + session::SESSION_SECS;
    dossier_store::create_session(&conn, &session::token_hash(&token), o.id, expires).map_err(db_error)?;
    let mut resp = json(200, &officer(&o), "no-store");
    resp.set_header("set-cookie", session::set_cookie(req, &token, session::SESSION_SECS));
    Ok(resp)
}

fn sign_out(req: &Request) -> Reply {
    if let Some(token) = session::token(req) {
        dossier_store::delete_session(&db()?, &session::token_hash(&token)).map_err(db_error)?;
    }
    let mut resp = Response::builder().status(204).body(Vec::new()).build();
    resp.set_header("set-cookie", session::set_cookie(req, "", 0));
    Ok(resp)
}

fn queue_item(row: &DeskRow) -> QueueItem {
    let today = clock::today();
    QueueItem {
        code: row.code.clone(),
        procedure_code: row.procedure_code.clone(),
        procedure_name: catalogue_data::procedure(&row.procedure_code).map(|p| p.name.clone()).unwrap_or_default(),
        status: row.status,
        channel: row.channel.clone(),
        received_on: row.received_on.unwrap_or(today),
        appointment_on: row.appointment_on,
        overdue: is_overdue(row.status, row.appointment_on, today),
    }
}

fn queue(req: &Request) -> Reply {
    let (conn, o) = signed_in(req)?;
    let filter = query_pairs(req).into_iter().find(|(k, _)| k == "filter").map(|(_, v)| v).unwrap_or_default();
    let filter = QueueFilter::parse(&filter)
        .ok_or_else(|| error(ApiError::invalid("filter", "one of: new, due_soon, overdue, waiting, open")))?;
    let today = clock::today();
    let rows = dossier_store::agency_dossiers(&conn, &o.agency_id, false).map_err(db_error)?;
    let items: Vec<QueueItem> =
        rows.iter().filter(|r| filter.includes(r.status, r.appointment_on, today)).map(queue_item).collect();
    Ok(json(200, &items, "no-store"))
}

fn load(conn: &Connection, o: &OfficerRow, code: &str) -> Result<DeskDossier, Response> {
    let code = decode_segment(code).unwrap_or_default();
    let row = dossier_store::agency_dossier(conn, &code, &o.agency_id)
        .map_err(db_error)?
        .ok_or_else(|| error(ApiError::not_found("no dossier with this code at your agency")))?;
    let history = dossier_store::audit_trail(conn, &row.code)
        .map_err(db_error)?
        .into_iter()
        .map(|a| AuditEntry {
            at: a.at,
            actor: a.actor,
            from: a.from_status,
            to: a.to_status,
            note_to_citizen: a.note_to_citizen,
            internal_note: a.internal_note,
        })
        .collect();
    let attachments = dossier_store::attachments(conn, &row.code).map_err(db_error)?;
    Ok(DeskDossier {
        attachments,
        answers: serde_json::from_str(&row.answers_json).unwrap_or_default(),
        allowed_actions: allowed_actions(row.status, actor(o)),
        history,
        item: queue_item(&row),
    })
}

fn dossier(req: &Request, code: &str) -> Reply {
    let (conn, o) = signed_in(req)?;
    Ok(json(200, &load(&conn, &o, code)?, "no-store"))
}

fn act(req: &Request, code: &str) -> Reply {
    let (conn, o) = signed_in(req)?;
    let ask: ActionRequest = body(req)?;
    for (field, note) in [("note_to_citizen", &ask.note_to_citizen), ("internal_note", &ask.internal_note)] {
        if note.as_ref().is_some_and(|n| n.chars().count() > MAX_NOTE_CHARS) {
            return Err(error(ApiError::invalid(field, format!("at most {MAX_NOTE_CHARS} characters"))));
        }
    }
    let current = load(&conn, &o, code)?;
    let from = current.item.status;
    let to = transition(from, &ask.action, actor(&o)).map_err(|e| match e {
        TransitionError::ReasonRequired { .. } | TransitionError::ReasonTooLong { .. } => {
            error(ApiError::invalid("reason", e.to_string()))
        }
        other => error(ApiError::conflict("action", other.to_string())),
    })?;
    // The reason of a refusal, a request for documents or a stop is what the citizen reads.
    let note = ask.note_to_citizen.as_deref().or(ask.action.reason()).map(str::trim).filter(|n| !n.is_empty());
    let internal = ask.internal_note.as_deref().map(str::trim).filter(|n| !n.is_empty());
    let who = format!("officer:{}", o.username);
    let now = clock::now_iso();
    // Leaving "documents requested" or "fees requested": the clock stood still
    // since the dossier entered that state, so the appointment moves back.
    let new_appointment = if from.clock_paused() && !to.clock_paused() {
        let paused_on = current.history.iter().rev().find(|e| e.to == from).and_then(|e| e.at.get(..10)?.parse().ok());
        match (current.item.appointment_on, paused_on) {
            (Some(due), Some(paused_on)) => extend_for_pause(due, paused_on, clock::today(), HolidayCalendar::vietnam())
                .map_err(|e| eprintln!("desk: appointment not moved: {e}"))
                .ok(),
            _ => None,
        }
    } else {
        None
    };
    let applied = transaction(&conn, db_error, |conn| {
        let changed = dossier_store::apply_change(
            conn,
            &Change { code: &current.item.code, from, to, actor: &who, note_to_citizen: note, internal_note: internal, now: &now },
        )
        .map_err(db_error)?;
        if let (true, Some(date)) = (changed, new_appointment) {
            dossier_store::set_appointment(conn, &current.item.code, date).map_err(db_error)?;
        }
        Ok(changed)
    })?;
    if !applied {
        return Err(error(ApiError::conflict("action", "the dossier changed meanwhile; reload it")));
    }
    Ok(json(200, &load(&conn, &o, &current.item.code)?, "no-store"))
}

/// A paper of one of the agency's dossiers, shown inline but never run: the
/// type is the one sniffed at upload, and the sandbox CSP stops a crafted PDF
/// or image from acting as a page of the portal.
fn attachment(req: &Request, code: &str, id: &str) -> Reply {
    let (conn, o) = signed_in(req)?;
    let code = decode_segment(code).unwrap_or_default();
    let not_found = || error(ApiError::not_found("no such paper in a dossier of your agency"));
    dossier_store::agency_dossier(&conn, &code, &o.agency_id).map_err(db_error)?.ok_or_else(not_found)?;
    let (media_type, content) = dossier_store::attachment_content(&conn, &code, id).map_err(db_error)?.ok_or_else(not_found)?;
    Ok(Response::builder()
        .status(200)
        .header("content-type", media_type.mime())
        .header("content-disposition", format!("inline; filename=\"{code}-{id}.{}\"", media_type.as_str()))
        .header("cache-control", "private, no-store")
        .header("x-content-type-options", "nosniff")
        .header("content-security-policy", "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'")
        .body(content)
        .build())
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
