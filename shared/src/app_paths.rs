//! Which browser app owns a path. The portal is three WASM bundles, so a
//! first visit downloads only what it shows:
//! - the catalogue (search and procedure pages): what most visits need;
//! - the dossier app (the online form, receipt, tracking), loaded when a
//!   citizen applies or tracks;
//! - the one-stop desk, for officers.
//!
//! The static files component serves each path the shell of its app, and
//! each app's router leaves links to another app's paths to the browser (a
//! full page load), so both read this one rule.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shell {
    Catalogue,
    Dossier,
    Desk,
}

impl Shell {
    /// The app's HTML shell in the built `dist/` folder.
    pub fn index(self) -> &'static str {
        match self {
            Shell::Catalogue => "index.html",
            Shell::Dossier => "dossier/index.html",
            Shell::Desk => "desk/index.html",
        }
    }
}

/// The app a path (`/procedures/1.001193/apply`, no query) belongs to.
pub fn shell_for(path: &str) -> Shell {
    let p = path.trim_end_matches('/');
    if p == "/desk" || p.starts_with("/desk/") {
        Shell::Desk
    } else if p == "/track"
        || p == "/dashboard"
        || p == "/reports"
        || p.starts_with("/reports/")
        || p == "/consultations"
        || p.starts_with("/consultations/")
        || p.starts_with("/track/")
        || p.starts_with("/receipt/")
        || (p.starts_with("/procedures/") && p.ends_with("/apply"))
        || p.starts_with("/apply/")
    {
        Shell::Dossier
    } else {
        Shell::Catalogue
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_their_apps() {
        for (path, shell) in [
            ("/", Shell::Catalogue),
            ("/procedures/1.001193", Shell::Catalogue),
            ("/no/such/page", Shell::Catalogue),
            ("/procedures/1.001193/apply", Shell::Dossier),
            ("/reports", Shell::Dossier),
            ("/reports/PA-261127-0001", Shell::Dossier),
            ("/consultations/3", Shell::Dossier),
            // An administrator's preview of a form version.
            ("/apply/1.001193/preview/2", Shell::Dossier),
            ("/receipt/000.00.06.H56-260101-0001", Shell::Dossier),
            ("/track", Shell::Dossier),
            ("/track/", Shell::Dossier),
            ("/track/000.00.06.H56-260101-0001", Shell::Dossier),
            ("/tracking", Shell::Catalogue),
            ("/dashboard", Shell::Dossier),
            ("/desk", Shell::Desk),
            ("/desk/dossiers/X", Shell::Desk),
            ("/desktop", Shell::Catalogue),
        ] {
            assert_eq!(shell_for(path), shell, "{path}");
        }
    }
}
