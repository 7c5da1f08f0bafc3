//! HTTP routes of the ratings component.

use crate::criteria;
use dossier_store::{desk_session, NewRating, OfficerRow, Scope, DESK_SESSION_SECS};
use http_kit::origin::SessionCookie;
use motcua_shared::desk::Officer;
use motcua_shared::throttle::{COUNTER_TAPS, WRONG_PASSWORD_PER_CLIENT, WRONG_PASSWORD_PER_USER};
use http_kit::db::transaction;
use http_kit::{clock, compressed, decode_segment, json, json_body, json_only_body, method_not_allowed, no_route, path_info, query_pairs, serve, throttle, Result};
use motcua_shared::api_error::ApiError;
use motcua_shared::ratings::{
    figure_rows, figures_csv, valid_counter, CatalogueShares, Channel, CounterExit, CounterOpen, CounterRating, NewCounter,
    CounterSession, DossierRating, Figures, StaffFigures, StaffRow, COUNTER_SESSION_SECS, OVERALL, TARGET_PERCENT,
};
use spin_sdk::http::{IncomingRequest, Method, Request, Response};
use spin_sdk::http_component;
use spin_sdk::sqlite::Connection;
use std::collections::BTreeMap;

#[http_component]
async fn handle(req: IncomingRequest) -> Response {
    serve(req, "ratings", |_| 8 * 1024, routes).await
}

fn routes(req: &Request) -> Result<Response> {
    let route = http_kit::header(req, "spin-matched-route");
    let info = path_info(req);
    match (route, info.trim_end_matches('/'), req.method()) {
        ("/api/ratings/...", "/criteria", Method::Get) => Ok(compressed(req, json(200, &criteria(), "public, max-age=3600"))),
        ("/api/ratings/...", "/counter", Method::Get) => counter_status(req),
        ("/api/ratings/...", "/counter", Method::Post) => open_counter(req),
        ("/api/ratings/...", "/counter", Method::Delete) => close_counter(req),
        ("/api/ratings/...", "/counter", _) => method_not_allowed("GET, POST, DELETE"),
        ("/api/ratings/...", "/counter/taps", Method::Post) => rate_at_counter(req),
        ("/api/ratings/...", "/counters", Method::Get) => counters(req),
        ("/api/ratings/...", "/counters", Method::Post) => add_counter(req),
        ("/api/ratings/...", "/counters", _) => method_not_allowed("GET, POST"),
        ("/api/ratings/...", "/staff", Method::Get) => staff(req),
        ("/api/ratings/...", "/criteria" | "/staff", _) => method_not_allowed("GET"),
        ("/api/ratings/...", "/counter/taps", _) => method_not_allowed("POST"),
        ("/api/ratings/...", rest, method) if rest.starts_with("/counters/") => match rest.strip_prefix("/counters/").filter(|c| !c.contains('/')) {
            Some(name) if *method == Method::Delete => remove_counter(req, name),
            Some(_) => method_not_allowed("DELETE"),
            None => no_route(),
        },
        ("/api/ratings/...", rest, method) => match rest.strip_prefix("/dossiers/").filter(|c| !c.contains('/')) {
            Some(code) if *method == Method::Post => rate_dossier(req, code),
            Some(_) => method_not_allowed("POST"),
            None => no_route(),
        },
        ("/api/stats", "", Method::Get) => stats(req, false).map(|r| compressed(req, r)),
        ("/api/stats.csv", "", Method::Get) => stats(req, true).map(|r| compressed(req, r)),
        ("/api/stats" | "/api/stats.csv", _, _) => method_not_allowed("GET"),
        _ => no_route(),
    }
}

fn db() -> Result<Connection> {
    Ok(dossier_store::open()?)
}

fn signed_in(req: &Request) -> Result<(Connection, OfficerRow)> {
    let conn = db()?;
    let officer = desk_session::officer(&conn, req, clock::unix_seconds())?
        .ok_or_else(|| ApiError::unauthorized("sign in at the desk first"))?;
    Ok((conn, officer))
}

// --- A dossier's rating -------------------------------------------------------

fn rate_dossier(req: &Request, raw_code: &str) -> Result<Response> {
    let code = decode_segment(raw_code).unwrap_or_default();
    let code = code.trim();
    let rating: DossierRating = json_body(req.body())?;
    let conn = db()?;
    let now = clock::unix_seconds();
    // The same guard as tracking, with the same counters.
    let row = dossier_store::find_for_holder(&conn, req, code, &rating.secret)?;
    let (status, view) = dossier_store::rate_as_holder(&conn, &row, &criteria(), rating, now)?;
    Ok(json(status, &view, "no-store"))
}

// --- The counter screen -------------------------------------------------------

fn session_view(o: &OfficerRow, counter: String, channel: Channel, expires_at: i64) -> CounterSession {
    CounterSession { counter, officer: o.display_name.clone(), channel, expires_at }
}

/// The officer whose locked counter screen this is.
fn at_counter(req: &Request) -> Result<(Connection, OfficerRow)> {
    let conn = db()?;
    let officer = desk_session::counter_officer(&conn, req, clock::unix_seconds())?
        .ok_or_else(|| ApiError::unauthorized("this screen is not an open counter"))?;
    Ok((conn, officer))
}

/// The open counter screen: only with the counter's own, locked session.
fn counter_status(req: &Request) -> Result<Response> {
    let (conn, o) = at_counter(req)?;
    match dossier_store::counter_session(&conn, o.id, clock::unix_seconds())? {
        Some((counter, channel, expires)) => Ok(json(200, &session_view(&o, counter, channel, expires), "no-store")),
        None => Err(ApiError::not_found("no counter screen is open for you").into()),
    }
}

/// Opens the counter screen at one of the agency's counters and locks this
/// device to it: the desk session is swapped for a counter-only one, so the
/// citizen who touches the tablet cannot reach the queue or any dossier.
fn open_counter(req: &Request) -> Result<Response> {
    let (conn, o) = signed_in(req)?;
    let ask: CounterOpen = json_only_body(req)?;
    let counter = ask.counter.trim().to_owned();
    if !valid_counter(&counter) || !dossier_store::counter_listed(&conn, &o.agency_id, &counter)? {
        return Err(ApiError::invalid("counter", "choose one of your agency's counters").into());
    }
    let channel = if ask.kiosk { Channel::Kiosk } else { Channel::Counter };
    let expires = clock::unix_seconds() + COUNTER_SESSION_SECS;
    let desk = desk_session::token(req);
    let token = transaction(&conn, |conn| {
        dossier_store::open_counter(conn, o.id, &counter, channel, expires)?;
        Ok(dossier_store::start_session(conn, o.id, Scope::Counter, expires, desk.as_deref())?)
    })?;
    let mut resp = json(200, &session_view(&o, counter, channel, expires), "no-store");
    resp.set_header("set-cookie", SessionCookie::for_request(req).set(&token, COUNTER_SESSION_SECS));
    Ok(resp)
}

/// Closes the counter screen. From the locked screen it takes the officer's
/// password (wrong ones throttled like sign-in) and hands the device back to
/// the desk, signed in; from the desk it simply closes it.
fn close_counter(req: &Request) -> Result<Response> {
    let conn = db()?;
    let now = clock::unix_seconds();
    if let Some(o) = desk_session::officer(&conn, req, now)? {
        dossier_store::close_counter(&conn, o.id)?;
        return Ok(Response::builder().status(204).body(Vec::new()).build());
    }
    let (conn, o) = at_counter(req)?;
    let CounterExit { password } = json_only_body(req)?;
    if !dossier_store::verify_password(&password, &o.password_hash) {
        let wrong = ApiError::unauthorized("the password is wrong").into();
        let subject = Some((&WRONG_PASSWORD_PER_USER, o.username.as_str()));
        return Err(throttle::failed(&WRONG_PASSWORD_PER_CLIENT, &throttle::client(req), subject, wrong));
    }
    let counter = desk_session::token(req);
    let token = transaction(&conn, |conn| {
        dossier_store::close_counter(conn, o.id)?;
        Ok(dossier_store::start_session(conn, o.id, Scope::Desk, now + DESK_SESSION_SECS, counter.as_deref())?)
    })?;
    let mut resp = json(200, &Officer::from(&o), "no-store");
    resp.set_header("set-cookie", SessionCookie::for_request(req).set(&token, DESK_SESSION_SECS));
    Ok(resp)
}

/// The agency's counters, for opening a screen at one (any officer) and
/// keeping the list (the supervisor).
fn counters(req: &Request) -> Result<Response> {
    let (conn, o) = signed_in(req)?;
    Ok(json(200, &dossier_store::counters(&conn, &o.agency_id)?, "no-store"))
}

fn supervisor(req: &Request) -> Result<(Connection, OfficerRow)> {
    let (conn, o) = signed_in(req)?;
    if !o.role.supervises() {
        return Err(ApiError::forbidden("only a supervisor keeps the agency's counters").into());
    }
    Ok((conn, o))
}

fn add_counter(req: &Request) -> Result<Response> {
    let (conn, o) = supervisor(req)?;
    let NewCounter { name } = json_only_body(req)?;
    let name = name.trim();
    if !valid_counter(name) {
        return Err(ApiError::invalid("name", "the counter's name: 1 to 40 characters").into());
    }
    if !dossier_store::add_counter(&conn, &o.agency_id, name, &format!("officer:{}", o.username), &clock::now_iso())? {
        return Err(ApiError::conflict("name", "the agency already has this counter").into());
    }
    Ok(json(201, &dossier_store::counters(&conn, &o.agency_id)?, "no-store"))
}

fn remove_counter(req: &Request, raw_name: &str) -> Result<Response> {
    let (conn, o) = supervisor(req)?;
    let name = decode_segment(raw_name).unwrap_or_default();
    if !dossier_store::remove_counter(&conn, &o.agency_id, &name)? {
        return Err(ApiError::not_found("the agency has no counter by this name").into());
    }
    Ok(Response::builder().status(204).body(Vec::new()).build())
}

fn rate_at_counter(req: &Request) -> Result<Response> {
    let (conn, o) = at_counter(req)?;
    let CounterRating { choice } = json_only_body(req)?;
    let now = clock::unix_seconds();
    let (counter, channel, _) = dossier_store::counter_session(&conn, o.id, now)
        ?
        .ok_or_else(|| ApiError::conflict("counter", "open the counter screen first"))?;
    // Taps per counter per minute, counted in one step: a stuck finger or a
    // script cannot flood the figures.
    throttle::take(&COUNTER_TAPS, &format!("{}\n{counter}", o.agency_id), "too many taps; wait a moment")?;
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
    transaction(&conn, |conn| Ok(dossier_store::insert_rating(conn, &new)?))?;
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
/// fees stated; procedures offered fully online (counted at publishing).
fn shares(conn: &Connection) -> Result<CatalogueShares> {
    let f = province_store::catalogue_figures(conn)?;
    Ok(CatalogueShares {
        disclosure: motcua_shared::ratings::percent(f.disclosed, f.total),
        online_procedures: motcua_shared::ratings::percent(f.online_full, f.total),
    })
}

fn months_param(req: &Request) -> Result<u32> {
    match query_pairs(req).into_iter().find(|(k, _)| k == "months") {
        None => Ok(12),
        Some((_, v)) => v
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=36).contains(n))
            .ok_or_else(|| ApiError::invalid("months", "a number of months from 1 to 36").into()),
    }
}

fn stats(req: &Request, csv: bool) -> Result<Response> {
    let months = months_param(req)?;
    let since = months_back(months - 1);
    let conn = db()?;
    let ratings = dossier_store::rating_tallies(&conn, &since)?;
    let dossiers = dossier_store::dossier_tallies(&conn, &since)?;
    let reports = dossier_store::report_tallies(&conn, &since)?;
    let rows = figure_rows(&ratings, &dossiers, &reports, shares(&conn)?);
    if csv {
        return Ok(Response::builder()
            .status(200)
            .header("content-type", "text/csv; charset=utf-8")
            .header("content-disposition", "attachment; filename=\"mot-cua-figures.csv\"")
            .header("cache-control", FIGURES_CACHE)
            .header("x-content-type-options", "nosniff")
            .body(figures_csv(&rows))
            .build());
    }
    Ok(json(200, &Figures { target_percent: TARGET_PERCENT, rows }, FIGURES_CACHE))
}

/// Fresh on every look: the person who just rated sees it counted. The
/// figures are read from monthly tallies (a few rows), not from the ratings.
const FIGURES_CACHE: &str = "no-cache";

fn staff(req: &Request) -> Result<Response> {
    let (conn, o) = signed_in(req)?;
    if !o.role.supervises() {
        return Err(ApiError::forbidden("only a supervisor sees the figures per officer").into());
    }
    let months = months_param(req)?;
    let since = months_back(months - 1);
    let rows = dossier_store::staff_tallies(&conn, &o.agency_id, &since)?;
    let (mut officers, mut counters) = (Vec::new(), Vec::new());
    for (month, who, tally) in rows {
        let row = StaffRow { month, satisfaction: tally.satisfaction(), who: who.clone(), ratings: tally };
        if who.starts_with("counter:") { counters.push(row) } else { officers.push(row) }
    }
    let comments = dossier_store::comments(&conn, &o.agency_id, 100)?;
    Ok(json(200, &StaffFigures { agency_id: o.agency_id.clone(), officers, counters, comments }, "no-store"))
}
