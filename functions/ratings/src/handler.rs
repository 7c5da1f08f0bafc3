//! HTTP routes of the ratings component.

use crate::criteria;
use dossier_store::{desk_session, NewRating, OfficerRow};
use http_kit::db::transaction;
use http_kit::{clock, compressed, decode_segment, error, json, json_body, json_only_body, path_info, query_pairs, read_within, too_many_requests};
use motcua_shared::api_error::ApiError;
use motcua_shared::dossier::lifecycle::Status;
use motcua_shared::ratings::{
    check_rating, figure_rows, figures_csv, valid_counter, CatalogueShares, Channel, CounterOpen, CounterRating,
    CounterSession, DossierRating, Figures, RatingView, StaffFigures, StaffRow, CHANGE_WINDOW_SECS,
    COUNTER_RATINGS_PER_MINUTE, COUNTER_SESSION_SECS, OVERALL, TARGET_PERCENT,
};
use serde::{Deserialize, Serialize};
use spin_sdk::http::{IncomingRequest, Method, Request, Response};
use spin_sdk::http_component;
use spin_sdk::key_value::Store;
use spin_sdk::sqlite::Connection;
use std::collections::BTreeMap;

type Reply = Result<Response, Response>;

#[http_component]
async fn handle(req: IncomingRequest) -> Response {
    let req = match read_within(req, 8 * 1024).await {
        Ok(r) => r,
        Err(resp) => return resp,
    };
    let route = req.header("spin-matched-route").and_then(|v| v.as_str()).unwrap_or("").to_owned();
    let info = path_info(&req);
    let result = match (route.as_str(), info.trim_end_matches('/'), req.method()) {
        ("/api/ratings/...", "/criteria", Method::Get) => Ok(compressed(&req, json(200, &criteria(), "public, max-age=3600"))),
        ("/api/ratings/...", "/criteria", _) => Err(error(ApiError::method_not_allowed("GET"))),
        ("/api/ratings/...", rest, method) => match rest.strip_prefix("/dossiers/").filter(|c| !c.contains('/')) {
            Some(code) if *method == Method::Post => rate_dossier(&req, code),
            Some(_) => Err(error(ApiError::method_not_allowed("POST"))),
            None => Err(error(ApiError::not_found("no such route"))),
        },
        ("/api/desk/counter", "", Method::Get) => counter_status(&req),
        ("/api/desk/counter", "", Method::Post) => open_counter(&req),
        ("/api/desk/counter", "", Method::Delete) => close_counter(&req),
        ("/api/desk/counter", _, _) => Err(error(ApiError::method_not_allowed("GET, POST, DELETE"))),
        ("/api/desk/counter/...", "/ratings", Method::Post) => rate_at_counter(&req),
        ("/api/desk/counter/...", "/ratings", _) => Err(error(ApiError::method_not_allowed("POST"))),
        ("/api/stats", "", Method::Get) => stats(&req, false).map(|r| compressed(&req, r)),
        ("/api/stats.csv", "", Method::Get) => stats(&req, true).map(|r| compressed(&req, r)),
        ("/api/stats" | "/api/stats.csv", _, _) => Err(error(ApiError::method_not_allowed("GET"))),
        ("/api/desk/ratings", "", Method::Get) => staff(&req),
        ("/api/desk/ratings", _, _) => Err(error(ApiError::method_not_allowed("GET"))),
        _ => Err(error(ApiError::not_found("no such route"))),
    };
    result.unwrap_or_else(|e| e)
}

fn db() -> Result<Connection, Response> {
    dossier_store::open().map_err(db_error)
}

fn db_error(e: spin_sdk::sqlite::Error) -> Response {
    eprintln!("ratings: database error: {e:?}");
    error(ApiError::internal())
}

fn store() -> Result<Store, Response> {
    Store::open_default().map_err(|e| {
        eprintln!("ratings: key-value: {e:?}");
        error(ApiError::internal())
    })
}

fn signed_in(req: &Request) -> Result<(Connection, OfficerRow), Response> {
    let conn = db()?;
    let officer = desk_session::officer(&conn, req, clock::unix_seconds())
        .map_err(db_error)?
        .ok_or_else(|| error(ApiError::unauthorized("sign in at the desk first")))?;
    Ok((conn, officer))
}


// --- A dossier's rating -------------------------------------------------------

fn rate_dossier(req: &Request, raw_code: &str) -> Reply {
    let code = decode_segment(raw_code).unwrap_or_default();
    let code = code.trim();
    let rating: DossierRating = json_body(req.body())?;
    let conn = db()?;
    let now = clock::unix_seconds();
    // The same guard as tracking, with the same counters.
    let row = dossier_store::find_for_holder(&conn, req, code, &rating.secret)?;
    if !matches!(row.status, Status::ResultReturned | Status::Refused) {
        return Err(error(ApiError::conflict("status", "a dossier is rated once its result is returned (or it was refused)")));
    }
    let criteria = criteria();
    check_rating(&criteria, &rating).map_err(|issues| error(ApiError::invalid_answers(issues)))?;
    let comment = rating.comment.as_deref().map(str::trim).filter(|c| !c.is_empty());
    let at = clock::now_iso();
    let (status, created_at) = transaction(&conn, db_error, |conn| match dossier_store::dossier_rating(conn, &row.code).map_err(db_error)? {
        Some(old) if now - old.created_at > CHANGE_WINDOW_SECS => {
            Err(error(ApiError::conflict("rating", "this dossier was rated more than a day ago; the rating is fixed")))
        }
        Some(old) => {
            dossier_store::change_rating(conn, &old, &rating.answers, comment).map_err(db_error)?;
            Ok((200, old.created_at))
        }
        None => {
            let agency = dossier_store::dossier_agency(conn, &row.code).map_err(db_error)?.unwrap_or_default();
            let officer = dossier_store::last_officer(conn, &row.code).map_err(db_error)?;
            let new = NewRating {
                created_at: now,
                at: &at,
                agency_id: &agency,
                officer: officer.as_deref(),
                counter: None,
                channel: Channel::Online,
                dossier_code: Some(&row.code),
                comment,
                answers: &rating.answers,
            };
            dossier_store::insert_rating(conn, &new).map_err(db_error)?;
            Ok((201, now))
        }
    })?;
    let view = RatingView {
        answers: rating.answers,
        comment: comment.map(str::to_owned),
        changeable_until: clock::iso_at(created_at + CHANGE_WINDOW_SECS),
        changeable: true,
    };
    Ok(json(status, &view, "no-store"))
}

// --- The counter screen -------------------------------------------------------

fn session_view(o: &OfficerRow, counter: String, channel: Channel, expires_at: i64) -> CounterSession {
    CounterSession { counter, officer: o.display_name.clone(), channel, expires_at }
}

fn counter_status(req: &Request) -> Reply {
    let (conn, o) = signed_in(req)?;
    match dossier_store::counter_session(&conn, o.id, clock::unix_seconds()).map_err(db_error)? {
        Some((counter, channel, expires)) => Ok(json(200, &session_view(&o, counter, channel, expires), "no-store")),
        None => Err(error(ApiError::not_found("no counter screen is open for you"))),
    }
}

fn open_counter(req: &Request) -> Reply {
    let (conn, o) = signed_in(req)?;
    let ask: CounterOpen = json_only_body(req)?;
    if !valid_counter(&ask.counter) {
        return Err(error(ApiError::invalid("counter", "the counter's name: 1 to 40 characters")));
    }
    let channel = if ask.kiosk { Channel::Kiosk } else { Channel::Counter };
    let expires = clock::unix_seconds() + COUNTER_SESSION_SECS;
    let counter = ask.counter.trim().to_owned();
    dossier_store::open_counter(&conn, o.id, &counter, channel, expires).map_err(db_error)?;
    Ok(json(200, &session_view(&o, counter, channel, expires), "no-store"))
}

fn close_counter(req: &Request) -> Reply {
    let (conn, o) = signed_in(req)?;
    dossier_store::close_counter(&conn, o.id).map_err(db_error)?;
    Ok(Response::builder().status(204).body(Vec::new()).build())
}

/// Taps counted in the current minute for one counter.
#[derive(Default, Serialize, Deserialize)]
struct Minute {
    minute: i64,
    count: u32,
}

fn rate_at_counter(req: &Request) -> Reply {
    let (conn, o) = signed_in(req)?;
    let CounterRating { choice } = json_only_body(req)?;
    let now = clock::unix_seconds();
    let (counter, channel, _) = dossier_store::counter_session(&conn, o.id, now)
        .map_err(db_error)?
        .ok_or_else(|| error(ApiError::conflict("counter", "open the counter screen first")))?;
    let kv = store()?;
    let key = format!("counter-ratings:{}:{}", o.agency_id, motcua_shared::dossier::secret::sha256_hex(counter.as_bytes()));
    let minute = now / 60;
    let mut seen: Minute = kv.get_json(&key).ok().flatten().filter(|m: &Minute| m.minute == minute).unwrap_or_default();
    if seen.count >= COUNTER_RATINGS_PER_MINUTE {
        return Err(too_many_requests(60 - now % 60));
    }
    let answers = BTreeMap::from([(OVERALL.to_owned(), choice)]);
    let at = clock::now_iso();
    let new = NewRating {
        created_at: now,
        at: &at,
        agency_id: &o.agency_id,
        officer: Some(&o.username),
        counter: Some(&counter),
        channel,
        dossier_code: None,
        comment: None,
        answers: &answers,
    };
    transaction(&conn, db_error, |conn| dossier_store::insert_rating(conn, &new).map_err(db_error))?;
    seen = Minute { minute, count: seen.count + 1 };
    let _ = kv.set_json(&key, &seen);
    Ok(json(201, &CounterRating { choice }, "no-store"))
}

// --- Figures -----------------------------------------------------------------

/// `YYYY-MM` of the month `back` months before this one.
fn months_back(back: u32) -> String {
    let today = clock::today();
    let index = today.year() as i64 * 12 + (today.month() as i64 - 1) - back as i64;
    format!("{:04}-{:02}", index.div_euclid(12), index.rem_euclid(12) + 1)
}

/// The catalogue's shares: procedures published with documents, time and
/// fees stated; procedures offered fully online.
fn shares() -> CatalogueShares {
    use motcua_shared::catalogue::OnlineLevel;
    let all = catalogue_data::procedures().unwrap_or_default();
    let total = all.len() as u64;
    let disclosed = all
        .iter()
        .filter(|p| !p.documents.is_empty() && (p.processing_days.is_some() || p.processing_note.is_some()) && p.fees.is_some())
        .count() as u64;
    let online = all.iter().filter(|p| p.online == OnlineLevel::Full).count() as u64;
    CatalogueShares {
        disclosure: motcua_shared::ratings::percent(disclosed, total),
        online_procedures: motcua_shared::ratings::percent(online, total),
    }
}

fn months_param(req: &Request) -> Result<u32, Response> {
    match query_pairs(req).into_iter().find(|(k, _)| k == "months") {
        None => Ok(12),
        Some((_, v)) => v
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=36).contains(n))
            .ok_or_else(|| error(ApiError::invalid("months", "a number of months from 1 to 36"))),
    }
}

fn stats(req: &Request, csv: bool) -> Reply {
    let months = months_param(req)?;
    let since = months_back(months - 1);
    let conn = db()?;
    let ratings = dossier_store::rating_tallies(&conn, &since).map_err(db_error)?;
    let dossiers = dossier_store::dossier_tallies(&conn, &since).map_err(db_error)?;
    let rows = figure_rows(&ratings, &dossiers, shares());
    if csv {
        return Ok(Response::builder()
            .status(200)
            .header("content-type", "text/csv; charset=utf-8")
            .header("content-disposition", "attachment; filename=\"mot-cua-figures.csv\"")
            .header("cache-control", "public, max-age=300")
            .header("x-content-type-options", "nosniff")
            .body(figures_csv(&rows))
            .build());
    }
    Ok(json(200, &Figures { target_percent: TARGET_PERCENT, rows }, "public, max-age=300"))
}

fn staff(req: &Request) -> Reply {
    let (conn, o) = signed_in(req)?;
    if o.role != "supervisor" {
        return Err(error(ApiError::forbidden("only a supervisor sees the figures per officer")));
    }
    let months = months_param(req)?;
    let since = months_back(months - 1);
    let rows = dossier_store::staff_tallies(&conn, &o.agency_id, &since).map_err(db_error)?;
    let (mut officers, mut counters) = (Vec::new(), Vec::new());
    for (month, who, tally) in rows {
        let row = StaffRow { month, satisfaction: tally.satisfaction(), who: who.clone(), ratings: tally };
        if who.starts_with("counter:") { counters.push(row) } else { officers.push(row) }
    }
    let comments = dossier_store::comments(&conn, &o.agency_id, 100).map_err(db_error)?;
    Ok(json(200, &StaffFigures { agency_id: o.agency_id.clone(), officers, counters, comments }, "no-store"))
}
