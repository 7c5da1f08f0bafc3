//! The language and text size of a server-rendered page.
//!
//! Chosen in the page's header form (`?lang=en`, `?large=1`) and kept in one
//! cookie, `motcua_prefs=<language>.<0|1>` (one: a Spin response carries one
//! value per header), which the app writes too when the citizen changes them
//! there (`frontend/src/state.rs`): both ways of using the portal agree. Only
//! languages the province offers are taken; anything else reads Vietnamese.

use motcua_views::i18n::Lang;

pub const COOKIE: &str = "motcua_prefs";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prefs {
    pub lang: Lang,
    pub large: bool,
    /// The `Set-Cookie` value for a choice made with this request.
    pub set_cookie: Option<String>,
}

/// From the query (a choice just made) else the cookie (one made before).
pub fn choose(query: &[(String, String)], cookie_header: &str, offered: &[Lang]) -> Prefs {
    let kept = cookie_header
        .split(';')
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == COOKIE)
        .and_then(|(_, v)| v.trim().split_once('.'))
        .map(|(lang, large)| (lang.to_owned(), large == "1"));
    let asked = |name: &str| query.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.clone());
    let offered_lang = |code: Option<&str>| code.and_then(Lang::parse).filter(|l| *l == Lang::Vi || offered.contains(l));
    let asked_lang = offered_lang(asked("lang").as_deref());
    let asked_large = asked("large").filter(|v| v == "0" || v == "1").map(|v| v == "1");
    let lang = asked_lang.or_else(|| offered_lang(kept.as_ref().map(|(l, _)| l.as_str()))).unwrap_or(Lang::Vi);
    let large = asked_large.or(kept.as_ref().map(|(_, large)| *large)).unwrap_or(false);
    let set_cookie = (asked_lang.is_some() || asked_large.is_some()).then(|| {
        // A year, for the whole site; readable by the app (a display choice,
        // not a secret), and never sent from another site's page.
        format!("{COOKIE}={}.{}; Path=/; Max-Age=31536000; SameSite=Lax", lang.code(), if large { 1 } else { 0 })
    });
    Prefs { lang, large, set_cookie }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    #[test]
    fn a_choice_in_the_query_is_kept_in_a_cookie() {
        let p = choose(&q(&[("q", "khai sinh"), ("lang", "en"), ("large", "1")]), "", &[Lang::En, Lang::Hmn]);
        assert_eq!((p.lang, p.large), (Lang::En, true));
        assert_eq!(p.set_cookie.as_deref(), Some("motcua_prefs=en.1; Path=/; Max-Age=31536000; SameSite=Lax"));
        // Only the size changes: the language kept before stays.
        let p = choose(&q(&[("large", "0")]), "motcua_prefs=hmn.1", &[Lang::Hmn]);
        assert_eq!(p.set_cookie.as_deref(), Some("motcua_prefs=hmn.0; Path=/; Max-Age=31536000; SameSite=Lax"));
    }

    #[test]
    fn the_cookie_carries_the_choice_to_the_next_page() {
        let p = choose(&[], "x=1; motcua_prefs=hmn.1", &[Lang::En, Lang::Hmn]);
        assert_eq!((p.lang, p.large), (Lang::Hmn, true));
        assert_eq!(p.set_cookie, None);
    }

    #[test]
    fn a_language_not_offered_reads_vietnamese() {
        // Ê Đê is known to the portal but not yet translated far enough to be offered.
        let p = choose(&q(&[("lang", "rad")]), "motcua_prefs=rad.0", &[Lang::En]);
        assert_eq!(p.lang, Lang::Vi);
        assert_eq!(p.set_cookie, None);
        assert_eq!(choose(&q(&[("lang", "<script>")]), "", &[Lang::En]).lang, Lang::Vi);
        assert!(!choose(&q(&[("large", "yes")]), "motcua_prefs=vi.0", &[]).large);
        assert_eq!(choose(&[], "motcua_prefs=garbage", &[]), Prefs { lang: Lang::Vi, large: false, set_cookie: None });
    }
}
