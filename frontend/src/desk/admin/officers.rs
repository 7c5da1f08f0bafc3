//! The officers' accounts: the list, a new account (the portal makes its
//! first password), disabling or enabling one and resetting its password.
//! A password the portal made is shown here once, for the administrator to
//! hand over privately; it is kept nowhere else.

use super::refusals::Form;
use super::{Outcome, admin_table, field_refusal, outcome_view};
use crate::api::{FetchError, Load, loader};
use crate::components::load_error::{LoadError, Loading};
use crate::desk::{api, use_session};
use crate::i18n::fill;
use crate::components::focus::focus_later;
use crate::state::{Ui, use_ui};
use leptos::prelude::*;
use leptos::task::spawn_local;
use motcua_shared::agency::AgencyListing;
use motcua_shared::api_error::ErrorCode;
use motcua_shared::desk::{NewAccount, OfficerAccount, Role};
use motcua_shared::languages::LANGUAGES;

const ROLES: [Role; 4] = [Role::Officer, Role::Supervisor, Role::Administrator, Role::Translator];

pub(super) fn role_name(ui: Ui, role: Role) -> &'static str {
    match role {
        Role::Officer => ui.t("desk.admin.role.officer"),
        Role::Supervisor => ui.t("desk.admin.role.supervisor"),
        Role::Administrator => ui.t("desk.admin.role.administrator"),
        Role::Translator => ui.t("desk.admin.role.translator"),
    }
}

/// A password the portal made, to hand over: whose, and whether the account is new.
#[derive(Clone)]
struct Handover {
    username: String,
    display_name: String,
    password: String,
    new_account: bool,
}

/// What was pressed on a row.
#[derive(Clone, Copy)]
enum RowAction {
    Disable,
    Enable,
    Reset,
}

#[component]
pub fn OfficersSection(changed: RwSignal<u32>, agencies: ReadSignal<Load<Vec<AgencyListing>>>) -> impl IntoView {
    let ui = use_ui();
    let session = use_session();
    let (state, retry) = loader(
        move || Some(changed.get()),
        move |_| async move {
            let r = api::officers().await;
            if let Err(e) = &r {
                session.check(e);
            }
            r
        },
    );
    let username = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let agency = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Officer);
    // A translator's language (the first one translated, until chosen).
    let language = RwSignal::new(LANGUAGES[1].code.to_owned());
    let invalid = RwSignal::new(None::<String>);
    let result = RwSignal::new(None::<Outcome>);
    let handover = RwSignal::new(None::<Handover>);
    let busy = StoredValue::new(false);

    let failed = move |e: FetchError, action: Option<RowAction>| {
        session.check(&e);
        let form = match action {
            None => Form::OfficerCreate,
            Some(RowAction::Disable) => Form::OfficerDisable,
            Some(RowAction::Enable) => Form::OfficerEnable,
            Some(RowAction::Reset) => Form::OfficerReset,
        };
        let (field, text) = field_refusal(ui, form, &e);
        // Only the new account's form marks a field; a taken name is its username.
        if action.is_none() {
            let conflict = matches!(&e, FetchError::Api(a) if a.code == ErrorCode::Conflict);
            invalid.set(if conflict { Some("username".to_owned()) } else { field });
        }
        result.set(Some(Err(text)));
        focus_later("officer-result");
    };

    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_value() {
            return;
        }
        busy.set_value(true);
        let account = NewAccount {
            username: username.get_untracked().trim().to_owned(),
            display_name: name.get_untracked().trim().to_owned(),
            agency_id: agency.get_untracked(),
            role: role.get_untracked(),
            language: (role.get_untracked() == Role::Translator).then(|| language.get_untracked()),
        };
        result.set(None);
        handover.set(None);
        invalid.set(None);
        spawn_local(async move {
            match api::create_officer(&account).await {
                Ok(t) => {
                    handover.set(Some(Handover {
                        username: t.officer.username,
                        display_name: t.officer.display_name,
                        password: t.temporary_password,
                        new_account: true,
                    }));
                    username.set(String::new());
                    name.set(String::new());
                    changed.update(|n| *n += 1);
                    focus_later("officer-password");
                }
                Err(e) => failed(e, None),
            }
            busy.set_value(false);
        });
    };

    let act = move |action: RowAction, who: String| {
        if busy.get_value() {
            return;
        }
        busy.set_value(true);
        result.set(None);
        handover.set(None);
        invalid.set(None);
        spawn_local(async move {
            let done = match action {
                RowAction::Disable | RowAction::Enable => {
                    api::set_officer_active(&who, matches!(action, RowAction::Enable)).await.map(|o| {
                        let key = if o.active { ui.t("desk.admin.officers.enabled") } else { ui.t("desk.admin.officers.disabled") };
                        result.set(Some(Ok(fill(key, &[("username", &o.username)]))));
                        "officer-result"
                    })
                }
                RowAction::Reset => api::reset_officer_password(&who).await.map(|t| {
                    handover.set(Some(Handover {
                        username: t.officer.username,
                        display_name: t.officer.display_name,
                        password: t.temporary_password,
                        new_account: false,
                    }));
                    "officer-password"
                }),
            };
            match done {
                Ok(focus) => {
                    changed.update(|n| *n += 1);
                    // The row's button is redrawn with the list: the focus goes to what happened.
                    focus_later(focus);
                }
                Err(e) => failed(e, Some(action)),
            }
            busy.set_value(false);
        });
    };

    let agency_name = move |id: &str| {
        agencies.with(|a| match a {
            Load::Ready(list) => list.iter().find(|l| l.place.id == id).map(|l| l.place.name.clone()),
            _ => None,
        })
    };
    let marked = move |field: &'static str| move || (invalid.get().as_deref() == Some(field)).then_some("true");

    view! {
        <section id="admin-officers" aria-labelledby="officers-title">
            <h2 id="officers-title" tabindex="-1">{ui.t("desk.admin.officers.title")}</h2>
            <p class="hint">{ui.t("desk.admin.officers.hint")}</p>
            {move || handover.get().map(|h| password_box(ui, h, handover))}
            {move || outcome_view("officer-result", result.get(), invalid.get())}
            {move || state.with(|s| match s {
                Load::Loading => view! { <Loading /> }.into_any(),
                Load::Failed(e) => view! { <LoadError error=e.clone() retry /> }.into_any(),
                Load::Ready(list) if list.is_empty() => view! { <p id="officers-none">{ui.t("desk.admin.officers.none")}</p> }.into_any(),
                Load::Ready(list) => {
                    let rows = list.iter().map(|o| officer_row(ui, o, agency_name(&o.agency_id), act)).collect_view();
                    view! {
                        {admin_table("admin-officers-table", "officers-title", vec![ui.t("desk.admin.officers.username"), ui.t("desk.admin.officers.name"), ui.t("desk.admin.officers.agency"), ui.t("desk.admin.officers.role"), ui.t("desk.admin.officers.state"), ui.t("desk.admin.forms.actions")], rows)}
                    }.into_any()
                }
            })}
            <h3 id="new-officer-title">{ui.t("desk.admin.officers.new")}</h3>
            <form id="new-officer" class="desk-form" aria-labelledby="new-officer-title" on:submit=create>
                <p class="field">
                    <label for="new-officer-username">{ui.t("desk.admin.officers.username")}</label>
                    <span id="new-officer-username-hint" class="hint">{ui.t("desk.admin.officers.username_hint")}</span>
                    <input id="new-officer-username" required maxlength="32" autocomplete="off" autocapitalize="none" spellcheck="false"
                        aria-describedby="new-officer-username-hint" aria-invalid=marked("username")
                        prop:value=username on:input=move |ev| username.set(event_target_value(&ev)) />
                </p>
                <p class="field">
                    <label for="new-officer-name">{ui.t("desk.admin.officers.name")}</label>
                    <input id="new-officer-name" required maxlength="100" autocomplete="off" aria-invalid=marked("display_name")
                        prop:value=name on:input=move |ev| name.set(event_target_value(&ev)) />
                </p>
                <p class="field">
                    <label for="new-officer-agency">{ui.t("desk.admin.officers.agency")}</label>
                    <select id="new-officer-agency" required aria-invalid=marked("agency_id")
                        on:change=move |ev| agency.set(event_target_value(&ev))>
                        <option value="" prop:selected=move || agency.with(String::is_empty)>{ui.t("desk.admin.officers.choose_agency")}</option>
                        {move || agencies.with(|a| match a {
                            Load::Ready(list) => list.iter().map(|l| {
                                let id = l.place.id.clone();
                                let chosen = id.clone();
                                view! {
                                    <option value=id.clone() lang="vi" prop:selected=move || agency.with(|a| *a == chosen)>
                                        {format!("{} ({id})", l.place.name)}
                                    </option>
                                }
                            }).collect_view().into_any(),
                            _ => ().into_any(),
                        })}
                    </select>
                </p>
                <p class="field">
                    <label for="new-officer-role">{ui.t("desk.admin.officers.role")}</label>
                    <select id="new-officer-role" on:change=move |ev| role.set(Role::parse(&event_target_value(&ev)).unwrap_or(Role::Officer))>
                        {ROLES.into_iter().map(|r| view! {
                            <option value=r.as_str() prop:selected=move || role.get() == r>{role_name(ui, r)}</option>
                        }).collect_view()}
                    </select>
                </p>
                {move || (role.get() == Role::Translator).then(|| view! {
                    <p class="field">
                        <label for="new-officer-language">{ui.t("desk.admin.officers.language")}</label>
                        <select id="new-officer-language" aria-invalid=marked("language") on:change=move |ev| language.set(event_target_value(&ev))>
                            {LANGUAGES.iter().skip(1).map(|l| {
                                let code = l.code;
                                view! { <option value=code prop:selected=move || language.with(|c| c == code)>{format!("{} ({code})", l.name)}</option> }
                            }).collect_view()}
                        </select>
                    </p>
                })}
                <button id="create-officer" type="submit" class="button primary">{ui.t("desk.admin.officers.create")}</button>
            </form>
        </section>
    }
}

/// The password the portal made, shown this once, and what to do with it.
fn password_box(ui: Ui, h: Handover, handover: RwSignal<Option<Handover>>) -> impl IntoView {
    let whose = fill(
        if h.new_account { ui.t("desk.admin.officers.password_new") } else { ui.t("desk.admin.officers.password_reset") },
        &[("username", &h.username), ("name", &h.display_name)],
    );
    view! {
        <div id="officer-password" class="notice password-box" role="status" tabindex="-1" data-username=h.username.clone()>
            <p class="password-box-title">{ui.t("desk.admin.officers.password_once")}</p>
            <p>{whose}</p>
            <p>
                {ui.t("desk.admin.officers.password")} ": "
                <code id="officer-password-value" class="temporary-password">{h.password}</code>
            </p>
            <p>{ui.t("desk.admin.officers.hand_over")}</p>
            <button id="officer-password-hide" type="button" class="button" on:click=move |_| {
                handover.set(None);
                focus_later("officers-title");
            }>
                {ui.t("desk.admin.officers.password_hide")}
            </button>
        </div>
    }
}

fn officer_row(ui: Ui, o: &OfficerAccount, agency: Option<String>, act: impl Fn(RowAction, String) + Copy + 'static) -> impl IntoView {
    let who = o.username.clone();
    let (toggle, class, label) = if o.active {
        (RowAction::Disable, "button officer-disable", ui.t("desk.admin.officers.disable"))
    } else {
        (RowAction::Enable, "button officer-enable", ui.t("desk.admin.officers.enable"))
    };
    let account_of = fill(ui.t("desk.admin.officers.account_of"), &[("username", &who)]);
    let password_of = fill(ui.t("desk.admin.officers.password_of"), &[("username", &who)]);
    let (w1, w2, d1, d2) = (who.clone(), who.clone(), who.clone(), who.clone());
    view! {
        <tr data-username=o.username.clone() data-active=o.active.to_string()>
            <th scope="row" class="code">{who}</th>
            <td lang="vi">{o.display_name.clone()}</td>
            <td>
                {agency.map(|n| view! { <span lang="vi">{n}</span> " " })}
                <span class="code">{format!("({})", o.agency_id)}</span>
            </td>
            <td>{role_name(ui, o.role)}</td>
            <td class="officer-state">
                {if o.active { ui.t("desk.admin.officers.active") } else { ui.t("desk.admin.officers.inactive") }}
            </td>
            <td>
                <div class="form-actions">
                    <button type="button" class=class data-username=d1 on:click=move |_| act(toggle, w1.clone())>
                        {label}
                        <span class="visually-hidden">" " {account_of}</span>
                    </button>
                    <button type="button" class="button officer-reset" data-username=d2 on:click=move |_| act(RowAction::Reset, w2.clone())>
                        {ui.t("desk.admin.officers.reset")}
                        <span class="visually-hidden">" " {password_of}</span>
                    </button>
                </div>
            </td>
        </tr>
    }
}
