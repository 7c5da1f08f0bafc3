//! Spin's HTTP route rules.
//!
//! Routes are exact (`/api/procedures`), may contain `:name` segments
//! (`/users/:id`), and may end in a wildcard `/...` (or `/*`). When several
//! routes match, the most specific wins, compared segment by segment: an exact
//! segment beats a `:name` segment, which beats the wildcard. So an exact
//! route beats a wildcard one and a longer wildcard prefix beats a shorter one,
//! as in Spin (which uses the `routefinder` crate for this).
//! Like Spin, a single trailing slash is ignored on both routes and paths.

use anyhow::{Result, bail};

/// A parsed route pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteSpec {
    segments: Vec<Segment>,
    wildcard: bool,
    /// The route with a leading `/` and without a trailing one (Spin's "based route").
    based: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Exact(String),
    Param(String),
}

impl RouteSpec {
    pub fn parse(route: &str) -> Result<Self, String> {
        if let Some(c) = route
            .chars()
            .find(|c| c.is_whitespace() || c.is_control() || matches!(c, '?' | '#'))
        {
            return Err(format!("routes may not contain {c:?}"));
        }
        // Spin makes routes absolute and strips one trailing slash.
        let mut based = if route.starts_with('/') {
            route.to_string()
        } else {
            format!("/{route}")
        };
        if based.ends_with('/') {
            based.pop();
        }
        let (prefix, wildcard) = match based
            .strip_suffix("/...")
            .or_else(|| based.strip_suffix("/*"))
        {
            Some(prefix) => (prefix, true),
            None => (based.as_str(), false),
        };
        let mut segments = Vec::new();
        if !prefix.is_empty() {
            for seg in prefix[1..].split('/') {
                if seg.is_empty() {
                    return Err("routes may not contain empty segments (`//`)".into());
                }
                if seg.contains("...") || seg.contains('*') {
                    return Err(
                        "a wildcard (`...`) is only allowed as the last segment, after a `/`"
                            .into(),
                    );
                }
                match seg.strip_prefix(':') {
                    Some("") => return Err("`:` must be followed by a parameter name".into()),
                    Some(name) => segments.push(Segment::Param(name.to_string())),
                    None => segments.push(Segment::Exact(seg.to_string())),
                }
            }
        }
        Ok(Self {
            segments,
            wildcard,
            based,
        })
    }

    /// Identity used to spot duplicates: parameter names don't make routes differ.
    fn shape(&self) -> (Vec<Option<&str>>, bool) {
        let segs = self
            .segments
            .iter()
            .map(|s| match s {
                Segment::Exact(e) => Some(e.as_str()),
                Segment::Param(_) => None,
            })
            .collect();
        (segs, self.wildcard)
    }

    /// Ranks for "most specific wins"; greater is more specific.
    fn specificity(&self) -> Vec<u8> {
        const WILDCARD: u8 = 1;
        const PARAM: u8 = 2;
        const EXACT: u8 = 3;
        const END: u8 = 4; // an exact-length route beats a wildcard at the same depth
        let mut ranks: Vec<u8> = self
            .segments
            .iter()
            .map(|s| {
                if matches!(s, Segment::Exact(_)) {
                    EXACT
                } else {
                    PARAM
                }
            })
            .collect();
        ranks.push(if self.wildcard { WILDCARD } else { END });
        ranks
    }

    /// Matches path segments; returns captured `:name` values and the
    /// segments left for the wildcard.
    fn matches<'a, 'p>(
        &self,
        path: &'a [&'p str],
    ) -> Option<(Vec<(String, String)>, &'a [&'p str])> {
        if path.len() < self.segments.len() || (!self.wildcard && path.len() != self.segments.len())
        {
            return None;
        }
        let mut params = Vec::new();
        for (seg, part) in self.segments.iter().zip(path) {
            match seg {
                Segment::Exact(e) if e == part => {}
                Segment::Param(name) if !part.is_empty() => {
                    params.push((name.clone(), part.to_string()))
                }
                _ => return None,
            }
        }
        Some((params, &path[self.segments.len()..]))
    }

    fn display(&self) -> String {
        match (
            self.wildcard,
            self.based
                .strip_suffix("/...")
                .or_else(|| self.based.strip_suffix("/*")),
        ) {
            (true, Some("")) => "/ (wildcard)".to_string(),
            (true, Some(prefix)) => format!("{prefix} (wildcard)"),
            _ => self.based.clone(),
        }
    }
}

#[derive(Debug, Clone)]
struct Route {
    raw: String,
    component: String,
    spec: RouteSpec,
}

/// The routing table for an app.
#[derive(Debug, Clone)]
pub struct Router {
    routes: Vec<Route>,
}

/// The outcome of routing a path: what Spin passes to the component in its
/// `spin-*` headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteMatch<'r> {
    pub component_id: &'r str,
    /// The route as written in the manifest (`spin-raw-component-route`).
    pub raw_route: &'r str,
    /// The route with the (fixed `/`) base applied (`spin-matched-route`).
    pub matched_route: &'r str,
    /// The route without its wildcard suffix (`spin-component-route`).
    pub component_route: &'r str,
    /// The path after the wildcard prefix (`spin-path-info`); empty for exact routes.
    pub path_info: String,
    /// `:name` captures (`spin-path-match-<name>`).
    pub params: Vec<(String, String)>,
}

impl Router {
    /// Builds the table from `(route, component id)` pairs. Fails on a bad or
    /// duplicate route (Spin only warns about duplicates; here they are an
    /// error so a typo cannot silently hide a component).
    pub fn build<'a>(routes: impl IntoIterator<Item = (&'a str, &'a str)>) -> Result<Self> {
        let mut out: Vec<Route> = Vec::new();
        for (raw, component) in routes {
            let spec = match RouteSpec::parse(raw) {
                Ok(spec) => spec,
                Err(e) => bail!("bad route {raw:?} for component {component:?}: {e}"),
            };
            if let Some(prev) = out.iter().find(|r| r.spec.shape() == spec.shape()) {
                bail!(
                    "duplicate route {raw:?} (component {component:?}) clashes with {:?} (component {:?})",
                    prev.raw,
                    prev.component
                );
            }
            out.push(Route {
                raw: raw.to_string(),
                component: component.to_string(),
                spec,
            });
        }
        Ok(Self { routes: out })
    }

    /// Finds the most specific route for a request path (no query string).
    pub fn route(&self, path: &str) -> Option<RouteMatch<'_>> {
        let trailing_slash = path.ends_with('/');
        let trimmed = path.strip_prefix('/').unwrap_or(path);
        let trimmed = trimmed.strip_suffix('/').unwrap_or(trimmed);
        let parts: Vec<&str> = if trimmed.is_empty() {
            Vec::new()
        } else {
            trimmed.split('/').collect()
        };

        let (route, (params, rest)) = self
            .routes
            .iter()
            .filter_map(|r| r.spec.matches(&parts).map(|m| (r, m)))
            .max_by(|(a, _), (b, _)| a.spec.specificity().cmp(&b.spec.specificity()))?;

        let path_info = if route.spec.wildcard {
            // Spin keeps the request's trailing slash in the path info.
            match (rest.is_empty(), trailing_slash) {
                (true, false) => String::new(),
                (true, true) => "/".to_string(),
                (false, false) => format!("/{}", rest.join("/")),
                (false, true) => format!("/{}/", rest.join("/")),
            }
        } else {
            String::new()
        };
        Some(RouteMatch {
            component_id: &route.component,
            raw_route: &route.raw,
            matched_route: &route.spec.based,
            component_route: route.raw.strip_suffix("/...").unwrap_or(&route.raw),
            path_info,
            params,
        })
    }

    /// `(display route, component id)` in manifest order, for the start-up banner.
    pub fn routes(&self) -> impl Iterator<Item = (String, &str)> {
        self.routes
            .iter()
            .map(|r| (r.spec.display(), r.component.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn router(routes: &[(&str, &str)]) -> Router {
        Router::build(routes.iter().copied()).unwrap()
    }

    fn component<'r>(r: &'r Router, path: &str) -> Option<&'r str> {
        r.route(path).map(|m| m.component_id)
    }

    #[test]
    fn exact_routes() {
        let r = router(&[("/foo", "foo"), ("/foo/bar", "foobar"), ("/", "root")]);
        assert_eq!(component(&r, "/foo"), Some("foo"));
        assert_eq!(
            component(&r, "/foo/"),
            Some("foo"),
            "trailing slash is ignored"
        );
        assert_eq!(component(&r, "/foo/bar"), Some("foobar"));
        assert_eq!(component(&r, "/"), Some("root"));
        assert_eq!(component(&r, "/foo/baz"), None);
        assert_eq!(component(&r, "/fo"), None);
        let m = r.route("/foo").unwrap();
        assert_eq!(m.path_info, "");
        assert_eq!(m.raw_route, "/foo");
        assert_eq!(m.component_route, "/foo");
    }

    #[test]
    fn exact_beats_wildcard() {
        let r = router(&[
            ("/...", "all"),
            ("/api/procedures", "list"),
            ("/api/procedures/...", "one"),
        ]);
        assert_eq!(component(&r, "/api/procedures"), Some("list"));
        assert_eq!(component(&r, "/api/procedures/1.001193"), Some("one"));
        assert_eq!(component(&r, "/index.html"), Some("all"));
        assert_eq!(component(&r, "/"), Some("all"));
    }

    #[test]
    fn longest_wildcard_prefix_wins_regardless_of_order() {
        let forward = [
            ("/one/...", "1"),
            ("/one/two/...", "2"),
            ("/one/two/three/...", "3"),
        ];
        let mut backward = forward;
        backward.reverse();
        for routes in [forward, backward] {
            let r = router(&routes);
            assert_eq!(component(&r, "/one/two/three/four"), Some("3"));
            assert_eq!(component(&r, "/one/two/x"), Some("2"));
            assert_eq!(component(&r, "/one/x"), Some("1"));
            assert_eq!(component(&r, "/one"), Some("1"));
            assert_eq!(
                component(&r, "/onex"),
                None,
                "prefixes match whole segments only"
            );
        }
    }

    #[test]
    fn path_info_follows_spin() {
        let r = router(&[("/api/procedures/...", "one"), ("/...", "all")]);
        let m = r.route("/api/procedures/1.001193").unwrap();
        assert_eq!(m.component_id, "one");
        assert_eq!(m.path_info, "/1.001193");
        assert_eq!(m.raw_route, "/api/procedures/...");
        assert_eq!(m.matched_route, "/api/procedures/...");
        assert_eq!(m.component_route, "/api/procedures");
        assert_eq!(r.route("/api/procedures").unwrap().path_info, "");
        assert_eq!(r.route("/api/procedures/").unwrap().path_info, "/");
        assert_eq!(r.route("/api/procedures/a/b/").unwrap().path_info, "/a/b/");
        assert_eq!(r.route("/").unwrap().path_info, "/");
        assert_eq!(r.route("/css/site.css").unwrap().path_info, "/css/site.css");
    }

    #[test]
    fn named_segments() {
        let r = router(&[
            ("/users/:id", "user"),
            ("/users/me", "me"),
            ("/users/...", "users"),
            ("/:x/...", "any"),
        ]);
        let m = r.route("/users/42").unwrap();
        assert_eq!(m.component_id, "user");
        assert_eq!(m.params, [("id".to_string(), "42".to_string())]);
        assert_eq!(component(&r, "/users/me"), Some("me"), "exact beats :name");
        assert_eq!(
            component(&r, "/users/42/x"),
            Some("users"),
            "exact segment beats :name"
        );
        assert_eq!(component(&r, "/other/1"), Some("any"));
    }

    #[test]
    fn star_is_a_wildcard_too() {
        let r = router(&[("/static/*", "s")]);
        assert_eq!(r.route("/static/a.css").unwrap().path_info, "/a.css");
    }

    #[test]
    fn root_route_is_based_as_empty_like_spin() {
        let r = router(&[("/", "root")]);
        let m = r.route("/").unwrap();
        assert_eq!(m.matched_route, "");
        assert_eq!(m.raw_route, "/");
    }

    #[test]
    fn bad_and_duplicate_routes_are_rejected() {
        for bad in ["/a/.../b", "/a/:", "/a//b", "/a*b", "/a?x", "/a b"] {
            assert!(Router::build([(bad, "c")]).is_err(), "{bad}");
        }
        for (a, b) in [
            ("/a", "/a"),
            ("/a", "/a/"),
            ("/a/...", "/a/*"),
            ("/u/:id", "/u/:name"),
        ] {
            let e = Router::build([(a, "c1"), (b, "c2")])
                .unwrap_err()
                .to_string();
            assert!(e.contains("duplicate route"), "{a} {b}: {e}");
        }
        assert!(Router::build([("/a", "c1"), ("/a/...", "c2")]).is_ok());
        assert!(
            Router::build([("relative", "c")]).is_ok(),
            "Spin makes routes absolute"
        );
    }

    #[test]
    fn display_marks_wildcards() {
        let r = router(&[("/api/...", "a"), ("/x", "b")]);
        let shown: Vec<_> = r.routes().collect();
        assert_eq!(
            shown,
            [
                ("/api (wildcard)".to_string(), "a"),
                ("/x".to_string(), "b")
            ]
        );
    }
}
