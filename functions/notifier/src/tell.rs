//! Making the message of a change, inside its transaction.

use motcua_shared::dossier::lifecycle::Status;
use motcua_shared::notify::{fallback_template, render, Event, MessageValues};
use spin_sdk::sqlite::{Connection, Error};

/// The change of dossier `code` from `from` to `to`, told to its citizen if
/// the change sends a message and the citizen asked for them: the message is
/// made from the province's template in the citizen's language (else
/// Vietnamese) and queued. Call inside the transaction of the change.
/// `true` when a message was queued.
pub fn tell(conn: &Connection, code: &str, from: Status, to: Status, reason: Option<&str>, origin: &str, now: &str) -> Result<bool, Error> {
    let Some(event) = Event::for_change(from, to) else { return Ok(false) };
    let Some((recipient, language)) = dossier_store::recipient(conn, code)? else { return Ok(false) };
    let Some((procedure_code, agency_id, appointment_on)) = dossier_store::message_facts(conn, code)? else { return Ok(false) };
    let template = province_store::template_for(conn, event, language.as_deref())?.unwrap_or_else(|| fallback_template(event).to_owned());
    let place = province_store::agency_place(conn, &agency_id)?.map(|p| format!("{}, {}", p.name, p.address)).unwrap_or_default();
    let values = MessageValues {
        code: code.to_owned(),
        procedure: province_store::procedure_name(conn, &procedure_code)?,
        link: holder_link(origin, code),
        reason: reason.unwrap_or_default().to_owned(),
        date: appointment_on.as_deref().map(day_month_year).unwrap_or_default(),
        place,
    };
    dossier_store::queue(conn, code, event, &recipient, &render(&template, &values), now, http_kit::clock::unix_seconds())?;
    Ok(true)
}

/// A citizen's report answered, told to them if they asked to be: the
/// province's template in their language (else Vietnamese), queued. Call
/// inside the transaction that records the answer.
pub fn tell_report_answered(conn: &Connection, report: &dossier_store::ReportRow, origin: &str, now: &str) -> Result<bool, Error> {
    let Some(recipient) = &report.notify else { return Ok(false) };
    let event = Event::ReportAnswered;
    let template =
        province_store::template_for(conn, event, report.language.as_deref())?.unwrap_or_else(|| fallback_template(event).to_owned());
    let values = MessageValues { code: report.code.clone(), link: holder_link(origin, &report.code), ..Default::default() };
    dossier_store::queue(conn, &report.code, event, recipient, &render(&template, &values), now, http_kit::clock::unix_seconds())?;
    Ok(true)
}

/// Where the holder reads what a message tells of: a dossier's tracking
/// page or a report's page (its code only; the secret is never sent).
pub fn holder_link(origin: &str, code: &str) -> String {
    if motcua_shared::reports::is_report_code(code) {
        format!("{origin}/reports/{code}")
    } else {
        format!("{origin}/track/{code}")
    }
}

/// `2026-12-03` as Vietnamese write it: `03/12/2026`.
fn day_month_year(iso: &str) -> String {
    match iso.splitn(3, '-').collect::<Vec<_>>()[..] {
        [y, m, d] => format!("{d}/{m}/{y}"),
        _ => iso.to_owned(),
    }
}
