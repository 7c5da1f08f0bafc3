//! The one rule for a dossier entering the portal: validate the answers,
//! papers and messages choice again, count the client's submissions, store
//! the dossier with its photos and its receipt in one transaction, and make
//! the receipt (secret, tracking link, QR code). Idempotent by key.

use crate::receipt;
use dossier_store::{Change, OfficerRow};
use http_kit::db::transaction;
use http_kit::{clock, throttle, Failure, Result};
use motcua_shared::api_error::ApiError;
use motcua_shared::dossier::api::{valid_idempotency_key, Receipt, Submission};
use motcua_shared::dossier::attachments::validate_attachments;
use motcua_shared::dossier::calendar::add_working_days;
use motcua_shared::dossier::lifecycle::Status;
use motcua_shared::forms::{validate_answers, QuestionKind};
use motcua_shared::notify::{valid_language, NotifyChoice};
use motcua_shared::throttle::SUBMISSIONS_PER_CLIENT;
use motcua_shared::validation::{place_known, FieldError, FieldIssue};
use spin_sdk::http::Request;

enum Outcome {
    New(Receipt),
    Again(Receipt),
}

/// Stores a dossier: online (`officer` None) or entered at the desk. The
/// status says which: 201 new, 200 the same dossier again under its key.
pub fn submit(req: &Request, submission: Submission, officer: Option<OfficerRow>) -> Result<(u16, Receipt)> {
    if !valid_idempotency_key(&submission.idempotency_key) {
        return Err(ApiError::invalid("idempotency_key", "16 to 64 letters, digits, '-' or '_', made once per dossier").into());
    }
    let conn = dossier_store::open()?;
    let spec = province_store::published_form(&conn, &submission.procedure_code)?
        .ok_or_else(|| ApiError::invalid("procedure_code", "this procedure has no online form here"))?;
    if officer.as_ref().is_some_and(|o| o.agency_id != spec.agency_id) {
        return Err(ApiError::invalid("procedure_code", "your agency does not receive this procedure").into());
    }
    let procedure = province_store::procedure(&conn, &spec.procedure_code)?
        .ok_or_else(|| ApiError::invalid("procedure_code", "this procedure is not published now"))?;
    let today = clock::today();
    let (answers, mut issues) = match validate_answers(&spec, &submission.answers, today) {
        Ok(clean) => (clean, Vec::new()),
        Err(issues) => (Default::default(), issues),
    };
    // Addresses name a commune of that province in the official list.
    for q in spec.questions.iter().filter(|q| q.kind == QuestionKind::Address) {
        if answers.get(&q.id).is_some_and(|a| !place_known(a, units_data::has)) {
            issues.push(FieldIssue::new(&q.id, FieldError::InvalidAddress));
        }
    }
    issues.extend(validate_attachments(&spec, &submission.attachments));
    // How to be told: checked like an answer, naming `notify.phone` or `notify.email`.
    let recipient = match submission.notify.as_ref().map(NotifyChoice::check).transpose() {
        Ok(recipient) => recipient.flatten(),
        Err(issue) => {
            issues.push(issue);
            None
        }
    };
    let language = submission.language.as_deref().map(str::trim).filter(|l| !l.is_empty());
    if language.is_some_and(|l| !valid_language(l)) {
        issues.push(FieldIssue::new("language", FieldError::InvalidChoice));
    }
    if !issues.is_empty() {
        let mut refusal = ApiError::invalid_answers(issues);
        // Filled on an older version (a draft, the offline outbox): its
        // answers were checked against the form published now, and failed.
        if submission.form_version.is_some_and(|v| v != spec.version) {
            refusal.message =
                format!("the form changed since this dossier was filled (version {} is current); {}", spec.version, refusal.message);
        }
        return Err(refusal.into());
    }
    if officer.is_none() {
        // Counted once the answers pass, so correcting a form costs nothing.
        // Online only: an officer at the counter is signed in and accountable.
        let limit = SUBMISSIONS_PER_CLIENT.with_max(throttle::variable("submissions_per_client", SUBMISSIONS_PER_CLIENT.max));
        throttle::take(&limit, &throttle::client(req), "too many dossiers from this address; wait and try again")?;
    }
    let answers_json = serde_json::to_string(&answers).map_err(|_| Failure::internal("answers"))?;
    let attachments_json = serde_json::to_string(&submission.attachments).map_err(|_| Failure::internal("attachments"))?;
    let fingerprint = receipt::request_hash(&spec.procedure_code, &format!("{answers_json}\n{attachments_json}"));
    // The calendar as the administrator published it, for the years a
    // deadline can reach; read only for a procedure with a processing time.
    let appointment_on = match procedure.processing_days {
        Some(days) => add_working_days(today, days, &province_store::calendar(&conn, today.year(), today.year() + 2)?)
            .map_err(|e| eprintln!("submission: no appointment date: {e}"))
            .ok(),
        None => None,
    };
    let (channel, actor) = match &officer {
        Some(o) => ("desk", format!("officer:{}", o.username)),
        None => ("online", "citizen".to_owned()),
    };

    let site_key = dossier_store::site_key(&conn, "tracking")?;
    let secret = receipt::tracking_secret(&site_key, &submission.idempotency_key);
    let now = clock::now_iso();
    let now_secs = clock::unix_seconds();
    // From the configured origin, never the Host header a client sets.
    let origin = http_kit::origin::public(req);
    let outcome = transaction(&conn, |conn| -> Result<Outcome> {
        if let Some((hash, stored)) = dossier_store::receipt_for_key(conn, &submission.idempotency_key)? {
            if hash != fingerprint {
                return Err(ApiError::conflict("idempotency_key", "this key was already used for a different dossier").into());
            }
            let mut again: Receipt = serde_json::from_str(&stored).map_err(|_| Failure::internal("stored receipt"))?;
            again.secret = secret.clone();
            return Ok(Outcome::Again(again));
        }
        let code = dossier_store::insert(
            conn,
            &dossier_store::NewDossier {
                procedure_code: &spec.procedure_code,
                agency_id: &spec.agency_id,
                secret_hash: &motcua_shared::dossier::secret::secret_hash(&secret),
                channel,
                received_on: today,
                appointment_on,
                answers_json: &answers_json,
                form_version: spec.version,
                now: &now,
                actor: &actor,
            },
        )
        ?
        .to_string();
        dossier_store::set_recipient(conn, &code, recipient.as_ref(), language)?;
        for (question_id, ids) in &submission.attachments {
            for id in ids {
                if !dossier_store::attach_upload(conn, id, &code, Some(question_id), &now, now_secs)? {
                    // Rolled back with everything else: the citizen adds the photo again.
                    let issue = FieldIssue::new(question_id, FieldError::InvalidAttachment);
                    return Err(ApiError::invalid_answers(vec![issue]).into());
                }
            }
        }
        if officer.is_some() {
            // Received in person: the officer has checked the papers at the counter.
            let change = Change {
                code: &code,
                from: Status::Submitted,
                to: Status::Accepted,
                actor: &actor,
                note_to_citizen: None,
                internal_note: Some("Nộp trực tiếp tại quầy"),
                now: &now,
            };
            dossier_store::apply_change(conn, &change)?;
            notifier::tell(conn, &code, Status::Submitted, Status::Accepted, None, &origin, &now)?;
        }
        let mut receipt = Receipt {
            code,
            secret: String::new(), // never stored
            procedure_code: spec.procedure_code.clone(),
            procedure_name: procedure.name.clone(),
            received_on: today,
            appointment_on,
            documents_to_bring: procedure.documents.clone(),
            tracking_url: String::new(), // holds the secret: made per response
            qr_svg: String::new(),
            where_to_go: province_store::agency_place(conn, &spec.agency_id)?,
        };
        let stored = serde_json::to_string(&receipt).map_err(|_| Failure::internal("receipt"))?;
        dossier_store::remember_receipt(conn, &submission.idempotency_key, &receipt.code, &fingerprint, &stored, &now)
            ?;
        receipt.secret = secret.clone();
        Ok(Outcome::New(receipt))
    })?;
    if let (Outcome::New(r), true) = (&outcome, officer.is_some() && recipient.is_some()) {
        // The counter's "accepted" message goes now; the sweep retries it if the gateway fails.
        let settings = notifier::Settings::from_variables(origin.clone());
        if let Err(e) = notifier::send_due(&conn, &settings, Some(&r.code), notifier::SEND_AFTER_COMMIT) {
            eprintln!("submission: messages left for the sweep: {e}");
        }
    }
    let with_link = |mut r: Receipt| {
        r.tracking_url = receipt::tracking_url(&origin, &r.code, &r.secret);
        r.qr_svg = receipt::qr_svg(&r.tracking_url);
        r
    };
    Ok(match outcome {
        Outcome::New(r) => (201, with_link(r)),
        Outcome::Again(r) => (200, with_link(r)),
    })
}
