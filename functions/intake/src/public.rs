//! What the public reads of what came in: published reports with their
//! answers, the agencies a report may go to, consultations with their
//! published comments. The voice component's JSON and the server's pages
//! (functions/pages) read them here, the same way.

use dossier_store::{ConsultationRow, PublicQuery};
use http_kit::{clock, Result};
use motcua_shared::api_error::ApiError;
use motcua_shared::consultations::{phase, Consultation, ConsultationSummary};
use motcua_shared::reports::{PublicPage, PublicReport, Publication, ReportAgency, ReportStatus};
use spin_sdk::sqlite::Connection;
use std::collections::BTreeMap;

/// An agency's name for the public, each looked up once per request in
/// `names` (a page lists a few agencies many times); its code if unknown.
pub fn agency_name(conn: &Connection, names: &mut BTreeMap<String, String>, id: &str) -> Result<String> {
    if let Some(n) = names.get(id) {
        return Ok(n.clone());
    }
    let name = province_store::agency_place(conn, id)?.map(|p| p.name).unwrap_or_else(|| id.to_owned());
    names.insert(id.to_owned(), name.clone());
    Ok(name)
}

/// The public list's query (`q`, `agency`, `status`, `before`), each
/// parameter checked; an unknown one is ignored.
pub fn public_query(pairs: &[(String, String)]) -> std::result::Result<PublicQuery, ApiError> {
    let mut q = PublicQuery::default();
    for (key, value) in pairs {
        let value = value.trim().to_owned();
        match key.as_str() {
            "q" if value.chars().count() > motcua_shared::search::MAX_QUERY_CHARS as usize => {
                return Err(ApiError::invalid("q", "at most 200 characters"));
            }
            "q" => q.words = motcua_shared::text::words(&value).into_iter().take(motcua_shared::search::MAX_QUERY_WORDS).collect(),
            "agency" if value.is_empty() => {}
            "agency" if value.len() <= 32 => q.agency_id = Some(value),
            "agency" => return Err(ApiError::invalid("agency", "an agency's code")),
            "status" if value.is_empty() => {}
            "status" => q.status = Some(ReportStatus::parse(&value).ok_or_else(|| ApiError::invalid("status", "received or answered"))?),
            "before" if value.is_empty() => {}
            "before" => q.before = Some(value.parse().map_err(|_| ApiError::invalid("before", "the `next` of the page before"))?),
            _ => {}
        }
    }
    Ok(q)
}

/// One page of published reports, newest first.
pub fn public_page(conn: &Connection, q: &PublicQuery) -> Result<PublicPage> {
    let (rows, next) = dossier_store::public_reports(conn, q)?;
    let mut names = BTreeMap::new();
    let mut reports = Vec::with_capacity(rows.len());
    for r in &rows {
        reports.push(r.public_view(agency_name(conn, &mut names, &r.agency_id)?));
    }
    Ok(PublicPage { reports, next: next.map(|n| n.to_string()) })
}

/// A report as published, if it is.
pub fn published_report(conn: &Connection, code: &str) -> Result<Option<PublicReport>> {
    let Some(row) = dossier_store::report(conn, code)?.filter(|r| r.publication == Publication::Published) else {
        return Ok(None);
    };
    let name = agency_name(conn, &mut BTreeMap::new(), &row.agency_id)?;
    Ok(Some(row.public_view(name)))
}

/// The agencies a citizen may address a report to (a province has tens to hundreds).
pub fn report_agencies(conn: &Connection) -> Result<Vec<ReportAgency>> {
    Ok(province_store::agency_listing(conn, 1000)?
        .into_iter()
        .map(|a| ReportAgency { id: a.place.id, name: a.place.name })
        .collect())
}

/// The published consultations, newest first.
pub fn consultations(conn: &Connection) -> Result<Vec<ConsultationSummary>> {
    let today = clock::today();
    let mut out = Vec::new();
    let mut names = BTreeMap::new();
    for (c, comments) in dossier_store::consultations(conn, 100)? {
        out.push(ConsultationSummary {
            agency_name: agency_name(conn, &mut names, &c.agency_id)?,
            phase: phase(c.opens_on, c.closes_on, today),
            responded: c.response.is_some(),
            comments,
            id: c.id,
            agency_id: c.agency_id,
            title: c.title,
            summary: c.summary,
            opens_on: c.opens_on,
            closes_on: c.closes_on,
        });
    }
    Ok(out)
}

/// The consultation of a path's number.
pub fn consultation_row(conn: &Connection, raw: &str) -> Result<ConsultationRow> {
    let missing = || ApiError::not_found("no consultation with this number");
    let id = raw.parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(missing)?;
    Ok(dossier_store::consultation(conn, id)?.ok_or_else(missing)?)
}

/// A consultation with its published comments, as everyone reads it.
pub fn consultation(conn: &Connection, c: ConsultationRow) -> Result<Consultation> {
    Ok(Consultation {
        agency_name: agency_name(conn, &mut BTreeMap::new(), &c.agency_id)?,
        phase: phase(c.opens_on, c.closes_on, clock::today()),
        comments: dossier_store::published_comments(conn, c.id)?,
        id: c.id,
        agency_id: c.agency_id,
        title: c.title,
        summary: c.summary,
        sections: c.sections,
        opens_on: c.opens_on,
        closes_on: c.closes_on,
        response: c.response,
    })
}
