//! `/procedures/{code}/apply` for a browser that runs no JavaScript: one
//! question a page, each a plain form posted back here. The answers are kept
//! in a draft on the server (`dossier_store::drafts`) under a random id in an
//! HttpOnly cookie, never in a URL; each post saves what was typed, even when
//! it is refused, so nothing is lost. The rules are the app's
//! (`validate_answers` on the one question, the official list for
//! addresses), and the submission is the API's own (`intake::submit`).
//!
//! A first visit's first question may be taken over by the app (where it
//! runs); a form begun here stays here, since the app's draft is on the device.

use crate::form_post::{self, Action, Posted};
use crate::handler::{Shown, context, respond};
use crate::pages::{self, Context, FormShown, FormState};
use dossier_store::drafts::{self, DRAFT_TTL_SECS, FormDraft};
use http_kit::{Failure, Result, clock, query_pairs, throttle};
use motcua_shared::api_error::ApiError;
use motcua_shared::dossier::api::Submission;
use motcua_shared::dossier::attachments::{MAX_FILES_PER_QUESTION, UploadError, sniff, validate_attachments};
use motcua_shared::dossier::secret::hex;
use motcua_shared::forms::{FormSpec, Question, QuestionKind, validate_answers};
use motcua_shared::notify::{Channel, NotifyChoice};
use motcua_shared::throttle::{FORM_DRAFTS_PER_CLIENT, UPLOADS_PER_CLIENT};
use motcua_shared::validation::{FieldError, FieldIssue, place_known, split_address};
use motcua_views::form::{Given, Refusal, ServerStep};
use province_store as store;
use spin_sdk::http::{Request, Response};
use spin_sdk::sqlite::Connection;
use std::collections::BTreeMap;

/// The form of one procedure, as this request finds it.
struct Form<'r> {
    req: &'r Request,
    conn: Connection,
    cx: Context,
    spec: FormSpec,
    /// `/procedures/{code}/apply`, as the links and the cookie's path write it.
    path: String,
}

/// `GET`: the step asked for, from the draft; a first visit's first question.
pub fn get(req: &Request, code: &str, head: bool) -> Result<Response> {
    let form = match Form::open(req, code)? {
        Ok(form) => form,
        Err(cx) => return Ok(no_form(req, &cx, code, head)),
    };
    let now = clock::unix_seconds();
    let query = query_pairs(req);
    let asked = |name: &str| query.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or("");
    let draft = match form_post::draft_id(http_kit::header(req, "cookie")) {
        Some(id) => drafts::draft(&form.conn, id, code, now)?.filter(|d| !d.sent),
        None => None,
    };
    let Some(draft) = draft else {
        // A first visit (or an expired draft): the first question, blank.
        let step = form.step(0, false);
        let page = form.page(&FormDraft::default(), step, first_question_shown(&form.spec), None);
        return Ok(respond(req, &form.cx, 200, page, Shown { head, takeover: true, cookie: None }));
    };
    let last = form.spec.questions.len() + 1;
    let at = asked("step").parse::<usize>().unwrap_or(0).min(last);
    let step = form.step(at, asked("change") == "1");
    let shown = form.shown(&draft, at, None);
    let page = form.page(&draft, step, shown, None);
    Ok(respond(req, &form.cx, 200, page, Shown { head, takeover: false, cookie: None }))
}

/// `POST`: saves the step's answer, then goes on (303), or shows it refused (400).
pub fn post(req: &Request, code: &str) -> Result<Response> {
    let form = match Form::open(req, code)? {
        Ok(form) => form,
        Err(cx) => return Ok(no_form(req, &cx, code, false)),
    };
    let posted = match Posted::read(http_kit::header(req, "content-type"), req.body()) {
        Ok(posted) => posted,
        Err(_) => return Err(ApiError::invalid("body", "send the form as the page does").into()),
    };
    let last = form.spec.questions.len() + 1;
    let at = posted.step(last);
    let action = posted.action();
    let step = form.step(at, posted.change());
    let now = clock::unix_seconds();

    let found = match form_post::draft_id(http_kit::header(req, "cookie")) {
        Some(id) => drafts::draft(&form.conn, id, code, now)?.map(|d| (id.to_owned(), d)),
        None => None,
    };
    // The same submit again (a reload of the receipt, a dropped answer):
    // the same dossier's receipt.
    if let Some((id, draft)) = &found
        && draft.sent
        && action == Action::Submit
    {
        return form.submit(id, draft, step);
    }
    let (id, mut draft, new_cookie) = match found.filter(|(_, d)| !d.sent) {
        Some((id, draft)) => (id, draft, None),
        None => {
            let taken = throttle::take(&FORM_DRAFTS_PER_CLIENT, &throttle::client(req), "too many forms begun");
            if let Err(Failure::TooMany { .. }) = taken {
                // Nothing is kept, but the page shows what was typed.
                let mut typed = FormDraft::default();
                form.keep(&mut typed, at, &posted);
                let shown = form.shown(&typed, at, None);
                let page = form.page(&typed, step, shown, Some("error.too_many_requests"));
                return Ok(respond(req, &form.cx, 429, page, Shown { head: false, takeover: false, cookie: None }));
            }
            taken?;
            let id = random_hex()?;
            let draft = FormDraft { procedure_code: code.to_owned(), idempotency_key: random_hex()?, ..Default::default() };
            let cookie = form_post::draft_cookie(&id, &form.path, http_kit::origin::is_https(req), DRAFT_TTL_SECS);
            (id, draft, Some(cookie))
        }
    };

    if at == last {
        form.keep(&mut draft, at, &posted);
        drafts::save(&form.conn, &id, &draft, now)?;
        return match action {
            Action::Submit => form.submit(&id, &draft, step).map(|resp| with_cookie(resp, new_cookie)),
            _ => Ok(see_other(&step.href(last, false), new_cookie)),
        };
    }

    // A photo: checked by its bytes, kept under the uploads' limit.
    let mut refusal = None;
    if let Some(q) = form.spec.questions.get(at).filter(|q| q.kind == QuestionKind::File) {
        let photos = draft.photos.entry(q.id.clone()).or_default();
        if let Action::RemovePhoto(i) = action
            && i < photos.len()
        {
            photos.remove(i);
        }
        if let Some(bytes) = posted.photo {
            refusal = match sniff(bytes) {
                Err(UploadError::TooLarge) => Some(Refusal::PhotoTooLarge),
                Err(_) => Some(Refusal::NotAPhoto),
                Ok(_) if photos.len() >= MAX_FILES_PER_QUESTION => Some(Refusal::Field(FieldError::TooLong)),
                Ok(media_type) => {
                    let limit = UPLOADS_PER_CLIENT.with_max(throttle::variable("uploads_per_client", UPLOADS_PER_CLIENT.max));
                    match throttle::take(&limit, &throttle::client(req), "too many uploads") {
                        Err(Failure::TooMany { .. }) => {
                            drafts::save(&form.conn, &id, &draft, now)?;
                            let shown = form.shown(&draft, at, None);
                            let page = form.page(&draft, step, shown, Some("error.too_many_requests"));
                            return Ok(respond(req, &form.cx, 429, page, Shown { head: false, takeover: false, cookie: new_cookie }));
                        }
                        other => other?,
                    }
                    let upload = random_hex()?;
                    dossier_store::insert_upload(&form.conn, &upload, media_type, bytes, now)?;
                    photos.push(upload);
                    None
                }
            };
        }
    } else {
        form.keep(&mut draft, at, &posted);
    }
    drafts::save(&form.conn, &id, &draft, now)?;

    let stay = matches!(action, Action::AddPhoto | Action::RemovePhoto(_)) && refusal.is_none();
    // An address whose province was just chosen: the page again, with its communes.
    let pick_commune = form.spec.questions.get(at).is_some_and(|q| q.kind == QuestionKind::Address) && communes_not_shown(&posted);
    if stay || pick_commune {
        let resp = if pick_commune {
            let shown = form.shown(&draft, at, None);
            respond(req, &form.cx, 200, form.page(&draft, step.clone(), shown, None), Shown { head: false, takeover: false, cookie: None })
        } else {
            see_other(&step.href(at, step.change), None)
        };
        return Ok(with_cookie(resp, new_cookie));
    }
    if let Some(refusal) = refusal.or_else(|| form.check(&draft, at)) {
        let shown = form.shown(&draft, at, Some(refusal));
        let page = form.page(&draft, step, shown, None);
        return Ok(respond(req, &form.cx, 400, page, Shown { head: false, takeover: false, cookie: new_cookie }));
    }
    let next = if step.change { last } else { at + 1 };
    Ok(see_other(&step.href(next, step.change && next != last), new_cookie))
}

impl<'r> Form<'r> {
    /// The form, or the page's context when the procedure has none online.
    fn open(req: &'r Request, code: &str) -> Result<std::result::Result<Self, Context>> {
        let conn = store::open()?;
        let cx = context(req, &conn)?;
        let Some(spec) = store::published_form(&conn, code)? else { return Ok(Err(cx)) };
        // The code was checked (`is_procedure_code`): digits and dots, safe in a path.
        let path = format!("/procedures/{code}/apply");
        Ok(Ok(Form { req, conn, cx, spec, path }))
    }

    fn step(&self, at: usize, change: bool) -> ServerStep {
        ServerStep {
            action: self.path.clone(),
            procedure_href: self.path.trim_end_matches("/apply").to_owned(),
            at,
            questions: self.spec.questions.len(),
            change,
            today: clock::today().to_string(),
        }
    }

    /// Keeps in the draft what was posted at step `at` (as typed, checked later).
    fn keep(&self, draft: &mut FormDraft, at: usize, posted: &Posted) {
        let n = self.spec.questions.len();
        if at == n {
            let given = |name: &str| Some(posted.field(name).trim().to_owned()).filter(|v| !v.is_empty());
            let channel = Channel::parse(posted.field("channel"));
            draft.notify = channel.map(|channel| NotifyChoice { channel, phone: given("phone"), email: given("email") });
            return;
        }
        let Some(q) = self.spec.questions.get(at) else { return };
        let answer = match q.kind {
            QuestionKind::File => return,
            QuestionKind::Address => form_post::address(posted.field("detail"), posted.field("commune"), posted.field("province")),
            _ => posted.field("answer").to_owned(),
        };
        draft.answers.insert(q.id.clone(), answer);
    }

    /// The question at `at` checked as the app checks it before going on.
    fn check(&self, draft: &FormDraft, at: usize) -> Option<Refusal> {
        let n = self.spec.questions.len();
        if at == n {
            return match &draft.notify {
                None => Some(Refusal::Field(FieldError::Required)),
                Some(choice) => choice.check().err().map(|issue| Refusal::Field(issue.error)),
            };
        }
        let q = self.spec.questions.get(at)?;
        let one = FormSpec { questions: vec![q.clone()], ..self.spec.clone() };
        let answers: BTreeMap<String, String> = draft.answers.get(&q.id).map(|a| (q.id.clone(), a.clone())).into_iter().collect();
        let mut issues = validate_answers(&one, &answers, clock::today()).err().unwrap_or_default();
        let photos: BTreeMap<String, Vec<String>> = draft.photos.get(&q.id).map(|p| (q.id.clone(), p.clone())).into_iter().collect();
        issues.extend(validate_attachments(&one, &photos).into_iter().filter(|i| i.error != FieldError::UnknownField));
        if issues.is_empty()
            && q.kind == QuestionKind::Address
            && answers.get(&q.id).is_some_and(|a| !a.is_empty() && !place_known(a.trim(), units_data::has))
        {
            return Some(Refusal::Field(FieldError::InvalidAddress));
        }
        issues.first().map(|i| Refusal::Field(i.error))
    }

    /// What the page of step `at` shows, from the draft.
    fn shown(&self, draft: &FormDraft, at: usize, refusal: Option<Refusal>) -> FormShown {
        let n = self.spec.questions.len();
        if at > n {
            return FormShown::Check { issues: Vec::new() };
        }
        if at == n {
            let error = match refusal {
                Some(Refusal::Field(e)) => Some((notify_label(draft.notify.as_ref()), e)),
                _ => None,
            };
            return FormShown::Notify { error };
        }
        let q = &self.spec.questions[at];
        FormShown::Question { given: given(q, draft), refusal }
    }

    fn page(&self, draft: &FormDraft, step: ServerStep, shown: FormShown, alert: Option<&'static str>) -> pages::Rendered {
        let state = FormState {
            spec: self.spec.clone(),
            answers: draft.answers.clone(),
            photos: draft.photos.iter().map(|(id, p)| (id.clone(), p.len())).collect(),
            notify: draft.notify.clone(),
        };
        pages::apply(&self.cx, state, step, shown, alert)
    }

    /// Sends the draft as the app sends its own: the same rule, the same limit.
    fn submit(&self, id: &str, draft: &FormDraft, step: ServerStep) -> Result<Response> {
        let is_file = |id: &String| self.spec.question(id).map(|q| q.kind == QuestionKind::File);
        let submission = Submission {
            procedure_code: self.spec.procedure_code.clone(),
            idempotency_key: draft.idempotency_key.clone(),
            answers: draft.answers.iter().filter(|(id, _)| is_file(id) == Some(false)).map(|(k, v)| (k.clone(), v.clone())).collect(),
            attachments: draft.photos.iter().filter(|(id, p)| is_file(id) == Some(true) && !p.is_empty()).map(|(k, v)| (k.clone(), v.clone())).collect(),
            form_version: Some(self.spec.version).filter(|v| *v > 0),
            // Only the address of the channel chosen goes with the dossier.
            notify: draft.notify.clone().map(|c| NotifyChoice {
                phone: c.phone.filter(|_| matches!(c.channel, Channel::Sms | Channel::Zalo)),
                email: c.email.filter(|_| c.channel == Channel::Email),
                channel: c.channel,
            }),
            language: Some(self.cx.lang.code().to_owned()),
        };
        let refused = |issues: Vec<FieldIssue>, status: u16, alert: Option<&'static str>| {
            let page = self.page(draft, step.clone(), FormShown::Check { issues }, alert);
            Ok(respond(self.req, &self.cx, status, page, Shown { head: false, takeover: false, cookie: None }))
        };
        match intake::submit(self.req, submission, None) {
            Ok((_, receipt)) => {
                drafts::mark_sent(&self.conn, id)?;
                // The receipt holds the secret: never kept by a cache, never taken over.
                let page = pages::receipt(&self.cx, receipt);
                Ok(respond(self.req, &self.cx, 200, page, Shown { head: false, takeover: false, cookie: None }))
            }
            Err(Failure::Api(e)) if !e.issues.is_empty() => refused(e.issues, 400, None),
            Err(Failure::TooMany { .. }) => refused(Vec::new(), 429, Some("error.too_many_requests")),
            Err(Failure::Busy) => refused(Vec::new(), 503, Some("error.service_unavailable")),
            Err(other) => Err(other),
        }
    }
}

/// The first question of a blank form.
fn first_question_shown(spec: &FormSpec) -> FormShown {
    match spec.questions.first() {
        Some(q) => FormShown::Question { given: given(q, &FormDraft::default()), refusal: None },
        None => FormShown::Notify { error: None },
    }
}

/// A question's controls as the draft fills them.
fn given(q: &Question, draft: &FormDraft) -> Given {
    let answer = draft.answers.get(&q.id).cloned().unwrap_or_default();
    match q.kind {
        QuestionKind::File => Given::Photos(draft.photos.get(&q.id).map_or(0, Vec::len)),
        QuestionKind::Address => {
            // "detail, commune, province"; a detail alone keeps its commas.
            let (detail, commune, province) = split_address(&answer)
                .map(|(d, c, p)| (d.to_owned(), c.to_owned(), p.to_owned()))
                .unwrap_or_else(|| {
                    let mut parts = answer.rsplitn(3, ',').map(|s| s.trim().to_owned());
                    let (p, c, d) = (parts.next().unwrap_or_default(), parts.next().unwrap_or_default(), parts.next().unwrap_or_default());
                    (d, c, p)
                });
            let provinces = units_data::province_list();
            let communes = provinces
                .iter()
                .find(|u| u.name == province)
                .and_then(|u| units_data::province(u.code))
                .map(|p| p.communes.into_iter().map(|c| c.name).collect())
                .unwrap_or_default();
            let commune = if units_data::has(&province, &commune) { commune } else { String::new() };
            Given::Address { province, commune, detail, provinces: provinces.into_iter().map(|u| u.name).collect(), communes }
        }
        _ => Given::Typed(answer),
    }
}

/// The notify field a refusal names (its label's key).
fn notify_label(choice: Option<&NotifyChoice>) -> &'static str {
    match choice.map(|c| c.channel) {
        None => "notify.title",
        Some(Channel::Email) => "notify.email_address",
        Some(_) => "notify.phone",
    }
}

/// An address posted with a province but without its communes on the page
/// (the commune list is disabled until then, so not sent), or with a commune
/// of another province (the province was changed).
fn communes_not_shown(posted: &Posted) -> bool {
    let province = posted.field("province").trim();
    let commune = posted.field("commune").trim();
    !province.is_empty() && (!posted.has("commune") || (!commune.is_empty() && !units_data::has(province, commune)))
}

/// A procedure without a published online form.
fn no_form(req: &Request, cx: &Context, code: &str, head: bool) -> Response {
    let error = ApiError::not_found(format!("{code} has no online form"));
    respond(req, cx, 404, pages::error(cx, &error), Shown { head, takeover: false, cookie: None })
}

fn see_other(location: &str, cookie: Option<String>) -> Response {
    let mut builder = Response::builder();
    builder.status(303).header("location", location).header("cache-control", "no-store");
    if let Some(cookie) = cookie {
        builder.header("set-cookie", cookie);
    }
    builder.build()
}

fn with_cookie(mut resp: Response, cookie: Option<String>) -> Response {
    if let Some(cookie) = cookie {
        resp.set_header("set-cookie", cookie);
    }
    resp
}

/// 16 random bytes as hex: a draft's id, its idempotency key, a photo's id.
pub(crate) fn random_hex() -> Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|_| Failure::internal("no randomness"))?;
    Ok(hex(&bytes))
}
