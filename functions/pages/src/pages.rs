//! The pages, rendered to HTML from the app's own views (`motcua_views`).
//! Each gives its title (its h1) and the frame around it: header with the
//! language and text-size form, `<main>`, footer.

use leptos::prelude::*;
use leptos::tachys::view::RenderHtml;
use motcua_shared::api_error::ApiError;
use motcua_shared::catalogue::{ProcedurePage, SearchPage};
use motcua_shared::dossier::api::Tracking;
use motcua_shared::ratings::{Choice, Criterion};
use motcua_views::rating::{PostTo, criterion_label};
use std::collections::BTreeMap;
use motcua_shared::search::SearchParams;
use motcua_views::frame::{ServerPage, footer, header};
use motcua_views::i18n::Lang;
use motcua_views::search::{SearchHooks, count_text, invalid_search, paging, result_cards, results_section, search_form};
use motcua_views::tracking::track_form;
use motcua_views::ui::Ui;
use motcua_shared::dossier::api::Receipt;
use motcua_shared::forms::FormSpec;
use motcua_shared::notify::NotifyChoice;
use motcua_shared::validation::{FieldError, FieldIssue};

use motcua_shared::consultations::{Consultation, ConsultationSummary};
use motcua_shared::reports::{HolderView, PublicPage, PublicReport, ReportAgency, ReportReceipt};
use motcua_views::consultations::CommentPost;
use motcua_views::reports as reports_view;
use motcua_views::form::{
    AnswerRow, Given, Refusal, ServerStep, question_label, server_check, server_notify, server_question, shown_answer, shown_choice,
};

/// A page to send: its title and its frame's HTML.
pub struct Rendered {
    pub title: String,
    pub body: String,
}

/// What every page is rendered with.
pub struct Context {
    pub lang: Lang,
    pub large: bool,
    pub offered: Vec<Lang>,
    /// The request's query, kept by the language form.
    pub query: Vec<(String, String)>,
    /// A choice of language or size made with this request, to keep.
    pub set_cookie: Option<String>,
}

/// A page's h1, as the app's `PageHeading` writes it.
struct Heading {
    text: String,
    id: &'static str,
    /// "vi" when the heading is catalogue data rather than interface text.
    lang: Option<&'static str>,
}

fn titled(text: &str) -> Heading {
    Heading { text: text.to_owned(), id: "page-heading", lang: None }
}

/// Renders `page` (given the page's `Ui`) inside the frame, under an owner
/// of its own: the views' signals live for this render only.
fn render<V: IntoView + 'static>(cx: &Context, heading: impl FnOnce(Ui) -> Heading, page: impl FnOnce(Ui) -> V) -> Rendered {
    let owner = Owner::new();
    owner.with(|| {
        let mut offered = vec![Lang::Vi];
        offered.extend(cx.offered.iter().copied().filter(|l| *l != Lang::Vi));
        let ui = Ui::new(cx.lang, cx.large, String::new(), offered);
        provide_context(ui);
        let Heading { text: title, id, lang } = heading(ui);
        let heading = title.clone();
        let server = ServerPage { query: cx.query.clone() };
        let body = view! {
            {header(ui, Some(server), |_| (), |_| (), |_| ())}
            <main id="main" tabindex="-1">
                <h1 id=id lang=lang tabindex="-1">{heading}</h1>
                {page(ui)}
            </main>
            {footer(ui)}
        }
        .to_html();
        Rendered { title, body }
    })
}

/// `/`: the search, its results and paging, as the app shows them.
pub fn search(cx: &Context, params: Result<SearchParams, ApiError>, raw_q: String, found: Option<SearchPage>) -> Rendered {
    render(cx, |ui| titled(ui.t("search.title")), move |ui| {
        let current = params.clone().unwrap_or_default();
        let fields = found.as_ref().map(|f| f.fields.clone()).unwrap_or_default();
        let form = search_form(
            ui,
            Signal::stored(current.clone()),
            Signal::stored(raw_q),
            Signal::stored(fields),
            SearchHooks::default(),
            |_| (),
            |_| (),
        );
        let invalid = params.err().map(|error| invalid_search(ui, error));
        let count = found.as_ref().map(|f| count_text(ui, f)).unwrap_or_default();
        let pages = found.as_ref().and_then(|f| paging(ui, f, current.clone(), || ()));
        let cards = result_cards(found.map(|f| f.items).unwrap_or_default());
        view! {
            {form}
            {invalid}
            {results_section(ui, NodeRef::new(), Signal::stored(false), count, (), cards, pages)}
        }
    })
}

/// `/procedures/{code}`: the record, and "Apply online" when it has a form.
pub fn procedure(cx: &Context, page: ProcedurePage, has_form: bool) -> Rendered {
    let name = page.procedure.name.clone();
    let code = page.procedure.code.clone();
    render(cx, move |_| Heading { text: name, id: "procedure-name", lang: Some("vi") }, move |ui| {
        let apply = if has_form { motcua_views::procedure::apply_link(ui, &code).into_any() } else { ().into_any() };
        motcua_views::procedure::details(ui, page, apply)
    })
}

/// A procedure code the catalogue does not have.
pub fn unknown_procedure(cx: &Context, code: String) -> Rendered {
    render(cx, |ui| titled(ui.t("detail.not_found.title")), move |ui| motcua_views::procedure::unknown_code(ui, code))
}

/// A page that cannot be shown: not found, a bad link, busy, our failure.
pub fn error(cx: &Context, error: &ApiError) -> Rendered {
    let error = error.clone();
    let not_found = error.code == motcua_shared::api_error::ErrorCode::NotFound;
    let title = move |ui: Ui| titled(if not_found { ui.t("detail.not_found.title") } else { ui.t("error.title") });
    render(cx, title, move |ui| {
        view! {
            <p id="page-error" role="alert">{motcua_views::labels::api_error(ui, &error)}</p>
            <p>
                <a class="button" href="/">
                    {ui.tr("action.go_search")}
                </a>
            </p>
        }
    })
}

/// Why a dossier could not be shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrackRefusal {
    /// The code or the secret was left empty.
    Missing,
    /// No dossier with this code and secret (the same for a wrong secret).
    NotFound,
    /// Too many wrong secrets from here or for this code: wait.
    TooMany,
}

/// A rating just posted from the tracking page and refused: what was chosen
/// and typed (kept), and why.
pub struct RatingAttempt {
    pub answers: BTreeMap<String, Choice>,
    pub comment: String,
    pub problem: RatingProblem,
}

pub enum RatingProblem {
    /// Criteria left without a face (their ids).
    Missing(Vec<String>),
    /// Rated more than a day ago: the rating is fixed.
    Fixed,
}

/// What the tracking page says about what was just done.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Done {
    Nothing,
    StoppedMessages,
}

/// `/track`: the code and secret form, and, once posted, the dossier, or why
/// not; a returned dossier's rating form (with `criteria`), and what was
/// just `done` or a refused `attempt` at rating.
pub fn track(
    cx: &Context,
    code: String,
    secret: String,
    found: Option<Result<Tracking, TrackRefusal>>,
    done: Done,
    criteria: Vec<Criterion>,
    attempt: Option<RatingAttempt>,
) -> Rendered {
    let stopped = done == Done::StoppedMessages;
    render(cx, |ui| titled(ui.t("track.title")), move |ui| {
        let form = track_form(ui, Signal::stored(code), Signal::stored(secret.clone()), true, |_| (), |_| (), |_| ());
        let (refusal, dossier) = match found {
            Some(Err(refusal)) => (Some(refusal), None),
            Some(Ok(t)) => (None, Some(t)),
            None => (None, None),
        };
        let refusal = refusal.map(|r| {
            let text = match r {
                TrackRefusal::Missing => ui.t("track.missing"),
                TrackRefusal::NotFound => ui.t("track.not_found"),
                TrackRefusal::TooMany => ui.t("error.too_many_requests"),
            };
            view! { <p id="track-error" class="alert" role="alert">{text}</p> }
        });
        let dossier = dossier.map(|t| {
            let summary = motcua_views::tracking::summary(ui, &t);
            let (code, held) = (t.code.clone(), secret.clone());
            // Stopping messages is a small form of its own, posted back here.
            let stop = move || {
                let (code, secret) = (code.clone(), held.clone());
                view! {
                    <form method="post" action="/track">
                        <input type="hidden" name="code" value=code />
                        <input type="hidden" name="secret" value=secret />
                        <button id="messages-stop" type="submit" name="do" value="stop_messages" class="button">
                            {ui.tr("track.stop")}
                        </button>
                    </form>
                }
                .into_any()
            };
            let after = stopped.then(|| {
                view! { <p id="messages-stopped" class="notice" role="status">{ui.tr("track.stopped")}</p> }
            });
            let rate = t.can_rate.then(|| rating_section(ui, &t, secret.clone(), criteria, attempt));
            view! {
                {summary}
                {motcua_views::tracking::messages(ui, Signal::stored(t.told_by.clone()), stop, after)}
                {rate}
            }
        });
        view! {
            <p>{ui.tr("track.intro")}</p>
            {form}
            {refusal}
            {dossier}
        }
    })
}

/// The rating of a returned dossier: the form (its faces as chosen before,
/// or as just posted), or the rating as given once it is fixed.
fn rating_section(ui: Ui, t: &Tracking, secret: String, criteria: Vec<Criterion>, attempt: Option<RatingAttempt>) -> impl IntoView + use<> {
    let body = match (&t.rating, &attempt) {
        (Some(v), None) if !v.changeable => motcua_views::rating::given(ui, &criteria, v).into_any(),
        _ => {
            let chosen = |id: &str| match &attempt {
                Some(a) => a.answers.get(id).copied(),
                None => t.rating.as_ref().and_then(|v| v.answers.get(id).copied()),
            };
            let answers = criteria.iter().map(|c| (c.clone(), RwSignal::new(chosen(&c.id)))).collect();
            let comment = match &attempt {
                Some(a) => a.comment.clone(),
                None => t.rating.as_ref().and_then(|v| v.comment.clone()).unwrap_or_default(),
            };
            let problem = attempt.map(|a| match a.problem {
                RatingProblem::Missing(ids) => {
                    let names: Vec<String> = ids
                        .iter()
                        .map(|id| criteria.iter().find(|c| &c.id == id).map(|c| criterion_label(ui, c)).unwrap_or_else(|| id.clone()))
                        .collect();
                    format!("{} {}", ui.t("rating.missing"), names.join(", "))
                }
                RatingProblem::Fixed => ui.t("rating.fixed").to_owned(),
            });
            let post_to = PostTo { code: t.code.clone(), secret };
            motcua_views::rating::rating_form(
                ui,
                answers,
                RwSignal::new(comment),
                Some(post_to),
                Signal::stored(false),
                Signal::stored(problem),
                Signal::stored(t.rating.clone()),
                |_| (),
            )
            .into_any()
        }
    };
    view! {
        <section id="rate" class="fact" aria-labelledby="rate-title">
            <h2 id="rate-title">{ui.tr("rating.title")}</h2>
            {body}
        </section>
    }
}

/// What the server's online form has so far, for its pages.
pub struct FormState {
    pub spec: FormSpec,
    pub answers: BTreeMap<String, String>,
    /// File question id → how many photos it has.
    pub photos: BTreeMap<String, usize>,
    pub notify: Option<NotifyChoice>,
}

/// Which page of the form, and what it says about the last post.
pub enum FormShown {
    /// One of the procedure's questions (`step.at`), as given, or refused.
    Question { given: Given, refusal: Option<Refusal> },
    /// How to be told; a refusal names its field (`notify.phone`…).
    Notify { error: Option<(&'static str, FieldError)> },
    /// Check your answers; a refused submission's issues above.
    Check { issues: Vec<FieldIssue> },
}

/// `/procedures/{code}/apply` without JavaScript: one step of the form
/// (`form::server_*`), under the form's title; `alert` a page-wide notice
/// (too many posts from here, busy).
pub fn apply(cx: &Context, form: FormState, step: ServerStep, shown: FormShown, alert: Option<&'static str>) -> Rendered {
    let title = form.spec.title_vi.clone();
    render(cx, move |_| Heading { text: title, id: "page-heading", lang: Some("vi") }, move |ui| {
        let alert = alert.map(|key| view! { <p id="form-alert" class="alert" role="alert">{ui.tr(key)}</p> });
        let n = form.spec.questions.len();
        let content = match shown {
            FormShown::Question { given, refusal } => match form.spec.questions.get(step.at) {
                Some(q) => server_question(ui, &step, q, given, refusal).into_any(),
                None => ().into_any(),
            },
            FormShown::Notify { error } => server_notify(ui, &step, form.notify.clone(), error).into_any(),
            FormShown::Check { issues } => {
                let mut rows: Vec<AnswerRow> = form
                    .spec
                    .questions
                    .iter()
                    .enumerate()
                    .map(|(at, q)| AnswerRow {
                        label: question_label(ui, q),
                        shown: shown_answer(ui, q, form.answers.get(&q.id).map(String::as_str), form.photos.get(&q.id).copied().unwrap_or(0)),
                        at,
                    })
                    .collect();
                rows.push(AnswerRow { label: ui.t("notify.title").to_owned(), shown: shown_choice(ui, form.notify.as_ref()), at: n });
                let issues = issues
                    .into_iter()
                    .map(|issue| {
                        let (label, at) = match issue.field.as_str() {
                            "notify.phone" => (ui.t("notify.phone").to_owned(), Some(n)),
                            "notify.email" => (ui.t("notify.email_address").to_owned(), Some(n)),
                            "notify" => (ui.t("notify.title").to_owned(), Some(n)),
                            id => match form.spec.questions.iter().position(|q| q.id == id) {
                                Some(at) => (question_label(ui, &form.spec.questions[at]), Some(at)),
                                None => (String::new(), None),
                            },
                        };
                        (label, issue, at)
                    })
                    .collect();
                server_check(ui, &step, rows, issues).into_any()
            }
        };
        view! {
            {alert}
            {content}
        }
    })
}

/// The receipt, as the answer to the form's last post: never in a URL, and
/// its way on to tracking is a form posting the code and secret.
pub fn receipt(cx: &Context, r: Receipt) -> Rendered {
    render(cx, |ui| Heading { text: ui.t("receipt.title").to_owned(), id: "receipt-title", lang: None }, move |ui| {
        let (code, secret) = (r.code.clone(), r.secret.clone());
        let actions = view! {
            <form method="post" action="/track" class="receipt-actions">
                <input type="hidden" name="code" value=code />
                <input type="hidden" name="secret" value=secret />
                <button id="receipt-track" type="submit" class="button primary">{ui.tr("receipt.track")}</button>
            </form>
        };
        motcua_views::receipt::receipt(ui, r, actions.into_any())
    })
}

/// `/accessibility`: the statement.
pub fn accessibility(cx: &Context) -> Rendered {
    render(cx, |ui| titled(ui.t("a11y.title")), motcua_views::accessibility::statement)
}

/// The filters of `/reports` as the request gave them.
#[derive(Clone, Default)]
pub struct ReportFilters {
    pub q: String,
    pub status: String,
    pub agency: String,
}

/// `/reports`: the filters, a page of published reports and the link to
/// the next; a bad link says which parameter.
pub fn reports(cx: &Context, filters: ReportFilters, agencies: Vec<ReportAgency>, page: Result<PublicPage, ApiError>) -> Rendered {
    render(cx, |ui| titled(ui.t("report.list_title")), move |ui| {
        let ReportFilters { q, status, agency } = filters;
        let form = reports_view::report_filters(
            ui,
            RwSignal::new(q.clone()),
            RwSignal::new(status.clone()),
            RwSignal::new(agency.clone()),
            Signal::stored(agencies),
            |_| (),
        );
        let list = match page {
            Err(error) => view! { <p id="reports-invalid" class="alert" role="alert">{motcua_views::labels::api_error(ui, &error)}</p> }.into_any(),
            Ok(p) if p.reports.is_empty() => view! { <p id="reports-none">{ui.tr("report.none")}</p> }.into_any(),
            Ok(p) => {
                let more = p.next.map(|before| {
                    let href = reports_view::next_page_href(&q, &status, &agency, &before);
                    view! { <p><a id="reports-more" class="button" rel="next" href=href>{ui.tr("report.more")}</a></p> }
                });
                let cards = p.reports.iter().map(|r| reports_view::report_card(ui, r)).collect_view();
                view! {
                    <ol class="report-list">{cards}</ol>
                    {more}
                }
                .into_any()
            }
        };
        view! {
            <p>{ui.tr("report.list_intro")}</p>
            <p><a id="new-report" class="button primary" href="/reports/new">{ui.tr("report.new_link")}</a></p>
            {form}
            <section id="public-reports" aria-labelledby="public-reports-title">
                <h2 id="public-reports-title">{ui.tr("report.published")}</h2>
                {list}
            </section>
        }
    })
}

/// What `/reports/{code}` shows.
pub enum ReportShown {
    /// A visit: the report as published, if it is.
    Public(Option<PublicReport>),
    /// The holder's report, with the secret they posted; a refused rating's reason.
    Holder { view: HolderView, secret: String, problem: Option<&'static str> },
    /// Why the code and secret did not open a report.
    Refused(TrackRefusal),
}

/// `/reports/{code}`: the report (as published, or the holder's with its
/// rating) and the form for the secret.
pub fn report(cx: &Context, code: String, shown: ReportShown) -> Rendered {
    let code_again = code.clone();
    let title = move |ui: Ui| titled(&motcua_views::i18n::fill(ui.t("report.title"), &[("code", &code)]));
    let secret_typed = match &shown {
        ReportShown::Holder { secret, .. } => secret.clone(),
        _ => String::new(),
    };
    render(cx, title, move |ui| {
        let body = match shown {
            ReportShown::Public(Some(r)) => view! { <ol class="report-list">{reports_view::report_card(ui, &r)}</ol> }.into_any(),
            ReportShown::Public(None) => ().into_any(),
            ReportShown::Refused(refusal) => {
                let text = match refusal {
                    TrackRefusal::Missing => ui.t("track.missing"),
                    TrackRefusal::NotFound => ui.t("report.not_found"),
                    TrackRefusal::TooMany => ui.t("error.too_many_requests"),
                };
                view! { <p id="report-error" class="alert" role="alert">{text}</p> }.into_any()
            }
            ReportShown::Holder { view, secret, problem } => {
                let rating = match view.rating {
                    Some(c) => reports_view::rated(ui, c).into_any(),
                    None => {
                        let failed = problem.map(|key| ui.t(key).to_owned());
                        let post = Some((view.code.clone(), secret));
                        reports_view::rate_form(ui, RwSignal::new(None), Signal::stored(failed), Signal::stored(false), post, |_| ()).into_any()
                    }
                };
                reports_view::holder_report(ui, &view, reports_view::rate_section(ui, rating)).into_any()
            }
        };
        view! {
            {body}
            {reports_view::secret_form(ui, &code_again, RwSignal::new(secret_typed), |_| ())}
        }
    })
}

/// Why the report form came back, above it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportAlert {
    /// Fields to fix, each named at its field.
    Fix,
    PhotoTooLarge,
    NotAPhoto,
    TooManyPhotos,
    TooManyRequests,
    Busy,
}

/// `/reports/new` as a plain form: as typed, with each refused field named.
pub fn new_report(cx: &Context, typed: reports_view::Typed, agencies: Vec<ReportAgency>, issues: Vec<FieldIssue>, alert: Option<ReportAlert>) -> Rendered {
    render(cx, |ui| titled(ui.t("report.new_title")), move |ui| {
        let alert = alert.map(|a| {
            match a {
                ReportAlert::Fix => ui.t("report.fix"),
                ReportAlert::PhotoTooLarge => ui.t("photo.error.too_large"),
                ReportAlert::NotAPhoto => ui.t("photo.error.not_a_photo"),
                ReportAlert::TooManyPhotos => ui.t("report.photos_too_many"),
                ReportAlert::TooManyRequests => ui.t("error.too_many_requests"),
                ReportAlert::Busy => ui.t("error.service_unavailable"),
            }
            .to_owned()
        });
        reports_view::server_report_form(ui, typed, agencies, issues, alert)
    })
}

/// The receipt of a report sent from the plain form: the answer to its
/// post, never in a URL; its page opens by posting the secret.
pub fn report_sent(cx: &Context, r: ReportReceipt) -> Rendered {
    render(cx, |ui| titled(ui.t("report.new_title")), move |ui| {
        let open = view! {
            <form method="post" action=format!("/reports/{}", r.code)>
                <input type="hidden" name="secret" value=r.secret.clone() />
                <button id="report-open" type="submit" class="button primary">{ui.tr("report.open")}</button>
            </form>
        };
        reports_view::report_sent(ui, &r, open)
    })
}

/// `/consultations`: the drafts out for comment, newest first.
pub fn consultations(cx: &Context, list: Vec<ConsultationSummary>) -> Rendered {
    render(cx, |ui| titled(ui.t("consult.list_title")), move |ui| {
        view! {
            <p>{ui.tr("consult.list_intro")}</p>
            {motcua_views::consultations::consultation_list(ui, &list)}
        }
    })
}

/// A section's comment form as the server draws it.
#[derive(Clone, Default)]
pub struct CommentDraft {
    pub key: String,
    pub text: String,
    pub name: String,
    pub error: Option<CommentRefusal>,
    pub sent: bool,
}

/// Why a posted comment was not taken.
#[derive(Clone)]
pub enum CommentRefusal {
    /// The name (`true`) or the comment was refused by the rule.
    Field { name: bool, error: FieldError },
    /// The consultation is not open (any more).
    Closed,
    /// Too many comments from here, busy, or our failure.
    Other(ApiError),
}

fn comment_refusal(ui: Ui, r: CommentRefusal) -> String {
    match r {
        CommentRefusal::Field { name: true, error } => motcua_views::labels::field_error(ui, error, ui.t("consult.name")),
        CommentRefusal::Field { name: false, error } => motcua_views::labels::field_error(ui, error, ui.t("consult.comment")),
        CommentRefusal::Closed => ui.t("consult.closed_now").to_owned(),
        CommentRefusal::Other(e) => motcua_views::labels::api_error(ui, &e),
    }
}

/// `/consultations/{id}`: the draft, its comments, and while open a form per
/// section (`drafts[section]`, the one just posted as typed or sent).
pub fn consultation(cx: &Context, c: Consultation, drafts: Vec<CommentDraft>) -> Rendered {
    let title = c.title.clone();
    let closed = drafts.iter().find(|d| matches!(d.error, Some(CommentRefusal::Closed))).map(|d| d.text.clone());
    render(cx, move |_| Heading { text: title, id: "page-heading", lang: Some("vi") }, move |ui| {
        let id = c.id;
        let form = move |section: u32| {
            let d = drafts.get(section as usize).cloned().unwrap_or_default();
            if d.sent {
                return motcua_views::consultations::comment_sent(ui, section).into_any();
            }
            let post = Some(CommentPost { consultation: id, key: d.key });
            motcua_views::consultations::comment_form(
                ui,
                section,
                RwSignal::new(d.text),
                RwSignal::new(d.name),
                Signal::stored(d.error.map(|r| comment_refusal(ui, r))),
                Signal::stored(false),
                post,
                |_| (),
            )
            .into_any()
        };
        // Closed meanwhile: the sections have no forms any more, so what was
        // typed is given back here, with why it was not taken.
        let closed = closed.map(|text| {
            view! {
                <div id="comment-closed" class="alert" role="alert">
                    <p>{ui.t("consult.closed_now")}</p>
                    <p class="report-text">{text}</p>
                </div>
            }
        });
        view! {
            {closed}
            {motcua_views::consultations::consultation_body(ui, &c, form)}
            <p><a href="/consultations">{ui.tr("consult.list_title")}</a></p>
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use motcua_shared::catalogue::{FieldCount, Level, OnlineLevel, ProcedureSummary};

    fn cx(lang: Lang) -> Context {
        Context { lang, large: false, offered: vec![Lang::En], query: vec![("q".into(), "khai sinh".into())], set_cookie: None }
    }

    fn summary(code: &str, name: &str) -> ProcedureSummary {
        ProcedureSummary {
            code: code.into(),
            name: name.into(),
            field: "Hộ tịch".into(),
            level: Level::Commune,
            online: OnlineLevel::Full,
            processing_days: Some(1),
        }
    }

    #[test]
    fn a_search_page_is_a_plain_form_with_links() {
        let params = SearchParams { q: "khai sinh".into(), page: 2, per_page: 1, ..Default::default() };
        let found = SearchPage {
            items: vec![summary("1.001193", "Đăng ký khai sinh")],
            total: 3,
            page: 2,
            per_page: 1,
            fields: vec![FieldCount { name: "Hộ tịch".into(), count: 3 }],
        };
        let page = search(&cx(Lang::Vi), Ok(params), "khai sinh".into(), Some(found));
        let html = page.body;
        assert_eq!(page.title, "Tìm thủ tục hành chính");
        assert!(html.contains(r#"<form role="search" id="search-form" method="get" action="/""#), "{html}");
        assert!(html.contains(r#"value="khai sinh""#), "the words stay in the box: {html}");
        assert!(html.contains(r#"href="/procedures/1.001193""#), "{html}");
        assert!(html.contains("Tìm thấy 3 thủ tục. Trang 2 / 3."), "{html}");
        assert!(html.contains(r#"rel="prev" href="/?q=khai+sinh&amp;per_page=1""#), "{html}");
        assert!(html.contains(r#"rel="next" href="/?q=khai+sinh&amp;page=3&amp;per_page=1""#), "{html}");
        // The language form keeps the search as hidden fields.
        assert!(html.contains(r#"<input type="hidden" name="q" value="khai sinh""#), "{html}");
        assert!(html.contains(r#"id="language-apply""#), "{html}");
    }

    #[test]
    fn a_bad_link_names_the_parameter() {
        let en = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../frontend/locales/en.json")).unwrap();
        assert!(motcua_views::i18n::install(Lang::En, &en));
        let error = ApiError::invalid("level", "bad");
        let html = search(&cx(Lang::En), Err(error), String::new(), None).body;
        assert!(html.contains(r#"id="search-invalid""#), "{html}");
        // Said in the page's language, naming the parameter by its label.
        assert!(html.contains("“Handled at”"), "{html}");
    }

    fn birth_form() -> FormState {
        let spec: FormSpec = serde_json::from_str(include_str!("../../../data/forms/1.001193.json")).unwrap();
        FormState { spec, answers: BTreeMap::new(), photos: BTreeMap::new(), notify: None }
    }

    fn step(at: usize, change: bool) -> ServerStep {
        ServerStep {
            action: "/procedures/1.001193/apply".into(),
            procedure_href: "/procedures/1.001193".into(),
            at,
            questions: 12,
            change,
            today: "2026-11-27".into(),
        }
    }

    #[test]
    fn a_refused_answer_comes_back_as_typed_with_its_error_named() {
        let shown = FormShown::Question { given: Given::Typed("Nguyễn Văn A1".into()), refusal: Some(Refusal::Field(FieldError::InvalidName)) };
        let page = apply(&cx(Lang::Vi), birth_form(), step(0, false), shown, None);
        let html = page.body;
        assert!(html.contains(r#"<form method="post" action="/procedures/1.001193/apply""#), "{html}");
        assert!(html.contains(r#"<input type="hidden" name="step" value="0""#), "{html}");
        assert!(html.contains(r#"value="Nguyễn Văn A1""#), "what was typed stays: {html}");
        assert!(html.contains(r#"id="answer-error""#) && html.contains(r#"aria-invalid="true""#), "{html}");
        assert!(html.contains(r#"id="form-back" href="/procedures/1.001193""#), "{html}");
        assert!(html.contains("Bước 1 / 13"), "{html}");
        assert!(!html.contains("multipart"), "no photo here: {html}");
    }

    #[test]
    fn a_photo_question_posts_its_file_and_can_take_each_photo_off() {
        let shown = FormShown::Question { given: Given::Photos(2), refusal: Some(Refusal::PhotoTooLarge) };
        let html = apply(&cx(Lang::Vi), birth_form(), step(11, false), shown, None).body;
        assert!(html.contains(r#"enctype="multipart/form-data""#), "{html}");
        assert!(html.contains(r#"type="file""#) && html.contains(r#"name="photo""#), "{html}");
        assert!(html.contains(r#"value="remove-1""#) && !html.contains(r#"value="remove-2""#), "{html}");
        assert!(html.contains("Tệp quá lớn"), "{html}");
    }

    #[test]
    fn the_check_page_links_each_issue_to_the_step_that_asks_it() {
        let mut form = birth_form();
        form.answers.insert("applicant_name".into(), "Lò Văn Páo".into());
        let issues = vec![FieldIssue::new("applicant_id", FieldError::Required), FieldIssue::new("notify.phone", FieldError::InvalidPhone)];
        let html = apply(&cx(Lang::Vi), form, step(13, false), FormShown::Check { issues }, Some("error.too_many_requests")).body;
        assert!(html.contains("Lò Văn Páo"), "{html}");
        assert!(html.contains(r#"href="/procedures/1.001193/apply?step=1&amp;change=1""#), "{html}");
        assert!(html.contains(r#"href="/procedures/1.001193/apply?step=12&amp;change=1""#), "{html}");
        assert!(html.contains(r#"id="error-summary""#) && html.contains(r#"id="form-submit""#), "{html}");
        assert!(html.contains(r#"id="form-alert""#), "{html}");
    }

    #[test]
    fn the_receipt_goes_on_to_tracking_by_a_post_not_a_link_with_the_secret() {
        let r = Receipt {
            code: "000.00.06.H56-261127-0001".into(),
            secret: "K7Q2-9XZP".into(),
            procedure_code: "1.001193".into(),
            procedure_name: "Đăng ký khai sinh".into(),
            received_on: motcua_shared::dossier::calendar::Date::new(2026, 11, 27).unwrap(),
            appointment_on: None,
            documents_to_bring: Vec::new(),
            tracking_url: "http://localhost/track/000.00.06.H56-261127-0001#K7Q2-9XZP".into(),
            qr_svg: String::new(),
            where_to_go: None,
        };
        let html = receipt(&cx(Lang::Vi), r).body;
        assert!(html.contains(r#"id="receipt-secret""#) && html.contains("K7Q2-9XZP"), "{html}");
        assert!(html.contains(r#"<form method="post" action="/track""#), "{html}");
        assert!(!html.contains("#K7Q2-9XZP"), "the link with the secret is not on the page: {html}");
    }

    #[test]
    fn the_statement_renders_in_the_chosen_language() {
        let page = accessibility(&cx(Lang::Vi));
        assert!(page.body.contains(r#"id="a11y-report""#), "{}", page.body);
        assert!(page.body.contains("WCAG 2.2"), "{}", page.body);
    }

    fn day(d: u8) -> motcua_shared::dossier::calendar::Date {
        motcua_shared::dossier::calendar::Date::new(2026, 11, d).unwrap()
    }

    fn answered_report() -> PublicReport {
        PublicReport {
            code: "PA-261120-0001".into(),
            subject: motcua_shared::reports::Subject::Conduct,
            text: "Cán bộ hẹn ba lần mà chưa trả giấy khai sinh.".into(),
            status: motcua_shared::reports::ReportStatus::Answered,
            agency_id: "000.21.06.H56".into(),
            agency_name: "Bộ phận Một cửa xã".into(),
            received_on: day(20),
            due_on: day(25),
            answer: Some("Mời anh nhận tại quầy số 2.".into()),
            answered_on: Some(day(24)),
            on_time: Some(true),
        }
    }

    #[test]
    fn the_reports_list_is_a_get_form_with_the_filters_kept_and_a_link_to_the_next_page() {
        let filters = ReportFilters { q: "khai sinh".into(), status: "answered".into(), agency: "000.21.06.H56".into() };
        let agencies = vec![ReportAgency { id: "000.21.06.H56".into(), name: "Bộ phận Một cửa xã".into() }];
        let page = PublicPage { reports: vec![answered_report()], next: Some("41".into()) };
        let html = reports(&cx(Lang::Vi), filters, agencies, Ok(page)).body;
        assert!(html.contains(r#"method="get" action="/reports""#), "{html}");
        assert!(html.contains(r#"name="q" maxlength="200" value="khai sinh""#), "{html}");
        assert!(html.contains(r#"<option value="answered" selected>"#), "{html}");
        assert!(html.contains(r#"<option value="000.21.06.H56" selected lang="vi">"#), "{html}");
        assert!(html.contains(r#"id="report-PA-261120-0001""#) && html.contains("quầy số 2"), "{html}");
        assert!(html.contains(r#"href="/reports?q=khai+sinh&amp;status=answered&amp;agency=000.21.06.H56&amp;before=41""#), "{html}");
        let refused = reports(&cx(Lang::Vi), ReportFilters::default(), Vec::new(), Err(ApiError::invalid("status", "bad"))).body;
        assert!(refused.contains(r#"id="reports-invalid""#), "{refused}");
    }

    #[test]
    fn the_holders_report_rates_its_answer_by_a_post_that_carries_the_secret() {
        let r = answered_report();
        let view = HolderView {
            code: r.code.clone(),
            subject: r.subject,
            text: r.text.clone(),
            status: r.status,
            publication: motcua_shared::reports::Publication::Published,
            agency_name: r.agency_name.clone(),
            received_on: r.received_on,
            due_on: r.due_on,
            answer: r.answer.clone(),
            answered_on: r.answered_on,
            rating: None,
        };
        let shown = ReportShown::Holder { view: view.clone(), secret: "K7Q2-9XZP".into(), problem: Some("report.rate_pick") };
        let html = report(&cx(Lang::Vi), r.code.clone(), shown).body;
        assert!(html.contains(r#"<form id="report-rate-form" method="post" action="/reports/PA-261120-0001""#), "{html}");
        assert!(html.contains(r#"<input type="hidden" name="secret" value="K7Q2-9XZP">"#), "{html}");
        assert!(html.contains(r#"name="answer-rating" value="satisfied""#), "{html}");
        assert!(html.contains("Hãy chọn một khuôn mặt."), "{html}");
        // Rated: said, and no form.
        let rated = HolderView { rating: Some(Choice::Satisfied), ..view };
        let html = report(&cx(Lang::Vi), r.code.clone(), ReportShown::Holder { view: rated, secret: "K7Q2-9XZP".into(), problem: None }).body;
        assert!(html.contains(r#"id="report-rated""#) && !html.contains("report-rate-form"), "{html}");
    }

    #[test]
    fn a_drafts_comment_form_posts_to_its_section_and_a_refusal_keeps_what_was_typed() {
        let c = Consultation {
            id: 7,
            agency_id: "000.21.06.H56".into(),
            agency_name: "Bộ phận Một cửa xã".into(),
            title: "Dự thảo giờ làm việc".into(),
            summary: "Mở cửa sáng thứ Bảy.".into(),
            sections: vec![
                motcua_shared::consultations::Section { heading: "Điều 1".into(), text: "Sáng thứ Bảy.".into() },
                motcua_shared::consultations::Section { heading: "Điều 2".into(), text: "Hiệu lực.".into() },
            ],
            opens_on: day(20),
            closes_on: day(30),
            phase: motcua_shared::consultations::Phase::Open,
            comments: Vec::new(),
            response: None,
        };
        let refused = CommentDraft {
            key: "b".repeat(32),
            text: "Hay".into(),
            name: "Giàng A Sử".into(),
            error: Some(CommentRefusal::Field { name: false, error: FieldError::TooShort }),
            sent: false,
        };
        let drafts = vec![CommentDraft { key: "a".repeat(32), ..CommentDraft::default() }, refused];
        let html = consultation(&cx(Lang::Vi), c.clone(), drafts).body;
        assert!(html.contains(r##"method="post" action="/consultations/7#section-0""##), "{html}");
        assert!(html.contains(r#"<input type="hidden" name="section" value="1">"#), "{html}");
        assert!(html.contains(&format!(r#"name="key" value="{}""#, "b".repeat(32))), "{html}");
        assert!(html.contains(">Hay</textarea>") && html.contains(r#"value="Giàng A Sử""#), "{html}");
        assert!(html.contains(r#"id="comment-1-error""#) && html.contains(r#"aria-describedby="comment-1-error""#), "{html}");
        // Closed meanwhile: no forms, and the comment given back with why.
        let closed = Consultation { phase: motcua_shared::consultations::Phase::Closed, ..c };
        let gone = CommentDraft { text: "Một ý kiến muộn.".into(), error: Some(CommentRefusal::Closed), ..CommentDraft::default() };
        let html = consultation(&cx(Lang::Vi), closed, vec![gone]).body;
        assert!(html.contains(r#"id="comment-closed""#) && html.contains("Một ý kiến muộn.") && !html.contains("<form method=\"post\" action=\"/consultations"), "{html}");
    }
}
