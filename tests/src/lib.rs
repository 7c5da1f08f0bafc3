//! The harness the journeys share: the real component files from `spin.toml`
//! with a fresh SQLite state folder on disk, run by the project's local host
//! or (`JOURNEYS_ON=spin`) by real Spin, so the same journeys prove both.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// The administrator token the journeys start the portal with (creates desk officers).
pub const DESK_ADMIN_TOKEN: &str = "journeys-admin-token-0123456789";

/// The repository root (this crate lives in `tests/`).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ has a parent").to_path_buf()
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| repo_root().join("target"))
}

/// A free loopback port (the OS picks; a race with another process is possible but rare).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("no free port")
}

/// What runs the components: the project's local host (`host/`), or the Spin
/// CLI, with an optional runtime config (libSQL and Redis when scaled out).
#[derive(Clone, Debug)]
pub enum Runtime {
    LocalHost,
    Spin { cli: PathBuf, runtime_config: Option<PathBuf> },
}

impl Runtime {
    /// `JOURNEYS_ON=spin` runs the journeys on real Spin (see [`find_tool`]);
    /// unset or `local`, on the local host.
    pub fn from_env() -> Runtime {
        match std::env::var("JOURNEYS_ON").as_deref() {
            Err(_) | Ok("") | Ok("local") => Runtime::LocalHost,
            Ok("spin") => match find_tool("SPIN", "spin") {
                Ok(cli) => Runtime::Spin { cli, runtime_config: None },
                Err(why) => panic!("JOURNEYS_ON=spin, but {why}"),
            },
            Ok(other) => panic!("JOURNEYS_ON={other:?}: say `local` or `spin`"),
        }
    }

    pub fn is_local_host(&self) -> bool {
        matches!(self, Runtime::LocalHost)
    }
}

/// A tool beside the project, never inside it: `$ENV`, else `name` on PATH,
/// else `../shared/tools/name` from the project root. The error says where it looked.
pub fn find_tool(env: &str, name: &str) -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os(env).filter(|p| !p.is_empty()) {
        let path = PathBuf::from(path);
        return if path.is_file() { Ok(path) } else { Err(format!("${env} names {}, which is not a file", path.display())) };
    }
    let on_path = std::env::var_os("PATH")
        .into_iter()
        .flat_map(|paths| std::env::split_paths(&paths).collect::<Vec<_>>())
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file());
    if let Some(path) = on_path {
        return Ok(path);
    }
    let beside = repo_root().join("../shared/tools").join(name);
    if beside.is_file() {
        return Ok(beside);
    }
    Err(format!("no {name} was found (${env} unset, none on PATH, none at {})", beside.display()))
}

/// A running portal. Dropping it stops the host.
pub struct Portal {
    /// Behind a lock so a journey can kill the runtime while its own threads still send.
    child: std::sync::Mutex<Child>,
    pub runtime: Runtime,
    pub base: String,
    pub port: u16,
    state: tempfile::TempDir,
    /// The host's stderr (one line per request), for checks on what it logs.
    log: std::sync::Mutex<mpsc::Receiver<String>>,
}

impl Portal {
    /// Starts the portal on a free port with a fresh, empty state folder, on
    /// the runtime `JOURNEYS_ON` names.
    pub fn start() -> Portal {
        let state = tempfile::tempdir().expect("temp dir");
        Self::start_with(free_port(), state)
    }

    /// Starts the portal with Spin variables set as an operator would (`SPIN_VARIABLE_…`).
    pub fn start_with_variables(variables: &[(&str, &str)]) -> Portal {
        let state = tempfile::tempdir().expect("temp dir");
        Self::launch(Runtime::from_env(), free_port(), state, variables)
    }

    /// Starts the portal on a given port and state folder (to restart a stopped portal).
    pub fn start_with(port: u16, state: tempfile::TempDir) -> Portal {
        Self::launch(Runtime::from_env(), port, state, &[])
    }

    /// Starts the portal on the given runtime.
    pub fn start_on(runtime: Runtime, port: u16, state: tempfile::TempDir) -> Portal {
        Self::launch(runtime, port, state, &[])
    }

    /// Starts the portal on the given runtime with Spin variables set.
    pub fn start_on_with_variables(runtime: Runtime, port: u16, state: tempfile::TempDir, variables: &[(&str, &str)]) -> Portal {
        Self::launch(runtime, port, state, variables)
    }

    /// Starts the local host with extra environment variables (its own settings, not Spin variables).
    pub fn start_local_with_env(port: u16, state: tempfile::TempDir, env: &[(&str, &str)]) -> Portal {
        Self::launch_with(Runtime::LocalHost, port, state, &[], env)
    }

    fn launch(runtime: Runtime, port: u16, state: tempfile::TempDir, variables: &[(&str, &str)]) -> Portal {
        Self::launch_with(runtime, port, state, variables, &[])
    }

    fn launch_with(runtime: Runtime, port: u16, state: tempfile::TempDir, variables: &[(&str, &str)], env: &[(&str, &str)]) -> Portal {
        let host = target_dir().join("host/spin-local-host");
        let mut needed = vec![
            target_dir().join("wasm32-wasip2/release/catalogue.wasm"),
            target_dir().join("wasm32-wasip2/release/static_files.wasm"),
            target_dir().join("wasm32-wasip2/release/api_docs.wasm"),
            target_dir().join("wasm32-wasip2/release/submission.wasm"),
            target_dir().join("wasm32-wasip2/release/tracking.wasm"),
            target_dir().join("wasm32-wasip2/release/desk.wasm"),
            target_dir().join("wasm32-wasip2/release/ratings.wasm"),
            target_dir().join("wasm32-wasip2/release/voice.wasm"),
            target_dir().join("wasm32-wasip2/release/admin.wasm"),
            repo_root().join("frontend/dist/index.html"),
        ];
        if runtime.is_local_host() {
            needed.push(host.clone());
        }
        for needed in needed {
            assert!(needed.exists(), "{} is missing: run `bash scripts/build` first (scripts/test does)", needed.display());
        }
        let listen = format!("127.0.0.1:{port}");
        let mut command = match &runtime {
            Runtime::LocalHost => {
                let mut c = Command::new(&host);
                c.arg("--manifest").arg(repo_root().join("spin.toml")).arg("--listen").arg(&listen);
                c.arg("--state-dir").arg(state.path());
                c
            }
            Runtime::Spin { cli, runtime_config } => {
                // `spin up` runs the HTTP trigger as a child process: its own
                // process group lets a stop (or a kill) reach both.
                let mut c = Command::new(cli);
                c.arg("up").arg("--from").arg(repo_root().join("spin.toml")).arg("--listen").arg(&listen);
                c.arg("--state-dir").arg(state.path());
                if let Some(config) = runtime_config {
                    c.arg("--runtime-config-file").arg(config);
                }
                c.process_group(0);
                c
            }
        };
        let mut child = command
            .env("SPIN_VARIABLE_DESK_ADMIN_TOKEN", DESK_ADMIN_TOKEN)
            .envs(variables.iter().map(|(k, v)| (format!("SPIN_VARIABLE_{}", k.to_uppercase()), *v)))
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {runtime:?}: {e}"));
        let (ready_tx, ready_rx) = mpsc::channel();
        let (log_tx, log) = mpsc::channel();
        let stdout = child.stdout.take().expect("stdout");
        let stdout_log = log_tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line.contains("Serving http://") {
                    let _ = ready_tx.send(());
                }
                let _ = stdout_log.send(line);
            }
        });
        let stderr = child.stderr.take().expect("stderr");
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = log_tx.send(line);
            }
        });
        let portal = Portal { child: std::sync::Mutex::new(child), runtime, base: format!("http://{listen}"), port, state, log: std::sync::Mutex::new(log) };
        if ready_rx.recv_timeout(Duration::from_secs(180)).is_err() {
            portal.kill();
            let logged = portal.log_lines();
            panic!("{:?} did not start serving within 180 s; it said:\n{}", portal.runtime, logged.join("\n"));
        }
        portal.publish_first_catalogue();
        portal
    }

    /// A fresh portal publishes its first catalogue and calendar as a province
    /// does: the 53 real records of `data/procedures.json` through the
    /// administrator's import, and the years of `data/holidays-vn.json` (a
    /// restarted portal keeps what it published).
    fn publish_first_catalogue(&self) {
        let listing = self.get("/api/procedures?per_page=1");
        if listing.status == 200 && listing.json()["total"].as_u64().unwrap_or(0) > 0 {
            return;
        }
        let text = std::fs::read_to_string(repo_root().join("data/procedures.json")).expect("data/procedures.json");
        let records: Vec<serde_json::Value> = serde_json::from_str(&text).expect("a JSON array of records");
        let id = self.import_catalogue(&records);
        let published = self.admin("POST", &format!("/api/admin/catalogue/imports/{id}/publish"), Some(&serde_json::json!({})));
        assert_eq!(published.status, 200, "publishing the first catalogue: {}", published.text());
        // The forms of data/forms/, as scripts/forms publishes them.
        let mut forms: Vec<_> = std::fs::read_dir(repo_root().join("data/forms")).expect("data/forms").map(|e| e.unwrap().path()).collect();
        forms.sort();
        for path in forms.iter().filter(|p| p.extension().is_some_and(|x| x == "json")) {
            let form: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).expect("a form file");
            self.publish_form(&form);
        }
        // The example agencies of data/agencies.json, as scripts/agencies puts them.
        let text = std::fs::read_to_string(repo_root().join("data/agencies.json")).expect("data/agencies.json");
        let agencies: serde_json::Value = serde_json::from_str(&text).expect("the agencies file");
        for agency in agencies["agencies"].as_array().expect("agencies") {
            let put = self.admin("PUT", &format!("/api/admin/agencies/{}", agency["id"].as_str().unwrap()), Some(agency));
            // 200 if the client sent this idempotent PUT again after a dropped
            // connection (seen once on a loaded machine): the agency is there.
            assert!(matches!(put.status, 200 | 201), "adding the agency {}: {}", agency["id"], put.text());
        }
        // The message templates of data/notification-templates.json, as scripts/message-templates puts them.
        let text = std::fs::read_to_string(repo_root().join("data/notification-templates.json")).expect("data/notification-templates.json");
        let templates: serde_json::Value = serde_json::from_str(&text).expect("the templates file");
        for t in templates["templates"].as_array().expect("templates") {
            let path = format!("/api/admin/notification-templates/{}/{}", t["event"].as_str().unwrap(), t["language"].as_str().unwrap());
            let put = self.admin("PUT", &path, Some(&serde_json::json!({"text": t["text"]})));
            assert_eq!(put.status, 201, "saving the template {path}: {}", put.text());
        }
        // And the working-day calendar of data/holidays-vn.json, year by year, as scripts/calendar does.
        let text = std::fs::read_to_string(repo_root().join("data/holidays-vn.json")).expect("data/holidays-vn.json");
        let calendar: serde_json::Value = serde_json::from_str(&text).expect("the calendar file");
        for (year, days_off) in calendar["years"].as_object().expect("years") {
            let body = serde_json::json!({"year": year.parse::<i32>().unwrap(), "days_off": days_off,
                                          "workdays": calendar["workdays"].get(year).cloned().unwrap_or(serde_json::json!([]))});
            let put = self.admin("PUT", &format!("/api/admin/calendar/{year}"), Some(&body));
            assert_eq!(put.status, 200, "publishing the calendar of {year}: {}", put.text());
        }
        // The languages' first versions (frontend/locales), as `scripts/translations seed` publishes them.
        self.seed_translations();
    }

    /// Imports and publishes `frontend/locales/<lang>.json` for each language never published.
    pub fn seed_translations(&self) {
        let listed = self.admin("GET", "/api/translations", None);
        assert_eq!(listed.status, 200, "the languages: {}", listed.text());
        for lang in listed.json()["languages"].as_array().expect("languages") {
            let code = lang["code"].as_str().unwrap();
            let path = repo_root().join(format!("frontend/locales/{code}.json"));
            if lang["version"].as_u64() != Some(0) || !path.exists() {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let body = serde_json::json!({"format": "locale_json", "text": text});
            let imported = self.admin("POST", &format!("/api/translations/{code}/import"), Some(&body));
            assert_eq!(imported.status, 200, "importing {code}: {}", imported.text());
            let published = self.admin("POST", &format!("/api/translations/{code}/publish"), Some(&serde_json::json!({})));
            assert_eq!(published.status, 200, "publishing {code}: {}", published.text());
        }
    }

    /// A request to the administrator's API with the operator's token.
    pub fn admin(&self, method: &str, path: &str, body: Option<&serde_json::Value>) -> Reply {
        let token = format!("Bearer {DESK_ADMIN_TOKEN}");
        let body = body.map(|b| b.to_string());
        self.request(method, path, &[("content-type", "application/json"), ("authorization", &token)], body.as_deref().map(str::as_bytes))
    }

    /// Runs one of the province's documented scripts (`scripts/catalogue`,
    /// `scripts/forms`, …) against this portal with the operator's token.
    pub fn script_output(&self, name: &str, args: &[&str]) -> std::process::Output {
        std::process::Command::new(repo_root().join("scripts").join(name))
            .args(args)
            .env("DESK_ADMIN_TOKEN", DESK_ADMIN_TOKEN)
            .env("PORTAL", &self.base)
            .output()
            .expect("the script runs")
    }

    /// [`Portal::script_output`]: whether it succeeded, and what it printed.
    pub fn script(&self, name: &str, args: &[&str]) -> (bool, String) {
        let out = self.script_output(name, args);
        (out.status.success(), String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr))
    }

    /// Saves `form` as its procedure's draft and publishes it, as
    /// `scripts/forms publish` does; returns the version published.
    pub fn publish_form(&self, form: &serde_json::Value) -> u64 {
        let code = form["procedure_code"].as_str().expect("a procedure_code");
        let saved = self.admin("PUT", &format!("/api/admin/forms/{code}/draft"), Some(form));
        assert_eq!(saved.status, 200, "saving the form of {code}: {}", saved.text());
        let version = saved.json()["version"].as_u64().expect("a version");
        let published = self.admin("POST", &format!("/api/admin/forms/{code}/versions/{version}/publish"), Some(&serde_json::json!({})));
        assert_eq!(published.status, 200, "publishing the form of {code}: {}", published.text());
        version
    }

    /// Starts an import and sends the records in batches, as `scripts/catalogue`
    /// does; returns the import's id (not yet published).
    pub fn import_catalogue(&self, records: &[serde_json::Value]) -> u64 {
        let started = self.admin_after_busy("POST", "/api/admin/catalogue/imports", &serde_json::json!({}));
        assert_eq!(started.status, 201, "starting an import: {}", started.text());
        let id = started.json()["id"].as_u64().expect("an import id");
        for (i, batch) in records.chunks(250).enumerate() {
            let body = serde_json::json!({"first_position": i * 250 + 1, "records": batch});
            let reply = self.admin_after_busy("POST", &format!("/api/admin/catalogue/imports/{id}/records"), &body);
            assert_eq!(reply.status, 200, "a batch of records: {}", reply.text());
        }
        id
    }

    /// An administrator's request that a busy portal asked to send again
    /// (503 with Retry-After), sent again as a client should, a few times:
    /// for setting a portal up under a loaded test machine (a fresh libSQL
    /// database took a scale-out journey's first import as busy while the
    /// whole suite ran), not for the requests a test is about.
    fn admin_after_busy(&self, method: &str, path: &str, body: &serde_json::Value) -> Reply {
        let mut reply = self.admin(method, path, Some(body));
        for _ in 0..5 {
            if reply.status != 503 {
                break;
            }
            let wait = reply.header("retry-after").and_then(|s| s.parse::<u64>().ok()).unwrap_or(1).min(3);
            std::thread::sleep(std::time::Duration::from_secs(wait));
            reply = self.admin(method, path, Some(body));
        }
        reply
    }

    /// Ends the runtime at once, as a crash or an out-of-memory kill would:
    /// no graceful shutdown, every request in flight cut off.
    pub fn kill(&self) {
        let mut child = self.child.lock().unwrap_or_else(|e| e.into_inner());
        if !self.runtime.is_local_host() {
            // The whole process group: `spin up` and the trigger it started.
            let _ = Command::new("kill")
                .args(["-KILL", "--", &format!("-{}", child.id())])
                .stderr(Stdio::null()) // the group may be gone already
                .status();
        }
        let _ = child.kill();
        let _ = child.wait();
    }

    /// Stops the host and hands back its port and state, to start it again later.
    pub fn stop(mut self) -> (u16, tempfile::TempDir) {
        self.kill();
        let state = std::mem::replace(&mut self.state, tempfile::tempdir().expect("temp dir"));
        (self.port, state)
    }

    pub fn state_dir(&self) -> &Path {
        self.state.path()
    }

    /// Everything the host has written to stderr so far.
    pub fn log_lines(&self) -> Vec<String> {
        self.log.lock().map(|l| l.try_iter().collect()).unwrap_or_default()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Sends a request and returns the reply whatever its status.
    pub fn request(&self, method: &str, path: &str, headers: &[(&str, &str)], body: Option<&[u8]>) -> Reply {
        self.try_request(method, path, headers, body).unwrap_or_else(|e| panic!("{method} {path}: {e}"))
    }

    /// Like [`Portal::request`], but a connection that fails or breaks is an
    /// `Err`, not a panic: for journeys that stop the runtime under load.
    pub fn try_request(&self, method: &str, path: &str, headers: &[(&str, &str)], body: Option<&[u8]>) -> Result<Reply, String> {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            // A 303 (the server's form going on) is what a journey checks, not where it leads.
            .max_redirects(0)
            .timeout_global(Some(Duration::from_secs(30)))
            .build()
            .into();
        let mut req = ureq::http::Request::builder().method(method).uri(self.url(path));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let resp = match body {
            Some(b) => agent.run(req.body(b.to_vec()).map_err(|e| e.to_string())?),
            None => agent.run(req.body(()).map_err(|e| e.to_string())?),
        }
        .map_err(|e| e.to_string())?;
        let status = resp.status().as_u16();
        let headers = resp
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
            .collect();
        let body = resp.into_body().with_config().limit(64 * 1024 * 1024).read_to_vec().map_err(|e| e.to_string())?;
        Ok(Reply { status, headers, body })
    }

    /// Sends a request from another loopback address (`127.0.0.2`, …: Linux
    /// routes all of 127/8 to the loopback interface), so the portal sees a
    /// different client, as a citizen on another network. HTTP/1.1 over one
    /// fresh connection, closed after the answer.
    pub fn request_from(&self, source: std::net::Ipv4Addr, method: &str, path: &str, headers: &[(&str, &str)], body: Option<&[u8]>) -> Reply {
        use std::io::{Read, Write};
        let socket = socket2::Socket::new(socket2::Domain::IPV4, socket2::Type::STREAM, None).expect("socket");
        socket.bind(&std::net::SocketAddr::from((source, 0)).into()).unwrap_or_else(|e| panic!("bind {source}: {e}"));
        socket.connect(&std::net::SocketAddr::from(([127, 0, 0, 1], self.port)).into()).expect("connect");
        let mut stream: std::net::TcpStream = socket.into();
        stream.set_read_timeout(Some(Duration::from_secs(30))).ok();
        let body = body.unwrap_or_default();
        let mut head = format!("{method} {path} HTTP/1.1\r\nhost: 127.0.0.1:{}\r\nconnection: close\r\ncontent-length: {}\r\n", self.port, body.len());
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(body)).expect("send");
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap_or_else(|e| panic!("{method} {path} from {source}: {e}"));
        parse_reply(&raw).unwrap_or_else(|| panic!("{method} {path}: not an HTTP answer: {}", String::from_utf8_lossy(&raw)))
    }

    /// POSTs JSON, with a desk session cookie when given.
    pub fn post_json(&self, path: &str, cookie: Option<&str>, body: &serde_json::Value) -> Reply {
        let mut headers = vec![("content-type", "application/json")];
        if let Some(c) = cookie {
            headers.push(("cookie", c));
        }
        self.request("POST", path, &headers, Some(body.to_string().as_bytes()))
    }

    /// Signs an officer in (password `mat-khau-rat-dai-123`) and returns the cookie to send back.
    pub fn sign_in(&self, username: &str) -> String {
        let reply = self.post_json("/api/desk/session", None, &serde_json::json!({"username": username, "password": "mat-khau-rat-dai-123"}));
        assert_eq!(reply.status, 200, "{}", reply.text());
        reply.header("set-cookie").expect("a session cookie").split(';').next().unwrap_or_default().to_owned()
    }

    pub fn get(&self, path: &str) -> Reply {
        self.request("GET", path, &[], None)
    }

    /// Creates a desk officer through the administrator's route (password `mat-khau-rat-dai-123`).
    pub fn create_officer(&self, username: &str, display_name: &str, agency: &str, role: &str) -> Reply {
        let body = serde_json::json!({"username": username, "display_name": display_name, "agency_id": agency,
                                      "role": role, "password": "mat-khau-rat-dai-123"});
        self.request(
            "POST",
            "/api/desk/admin/officers",
            &[("content-type", "application/json"), ("authorization", &format!("Bearer {DESK_ADMIN_TOKEN}"))],
            Some(body.to_string().as_bytes()),
        )
    }

    /// A translator of `language`, made with the operator's token, with the harness's password.
    pub fn create_translator(&self, username: &str, language: &str) -> Reply {
        let body = serde_json::json!({"username": username, "display_name": "Lò Thị Hoa", "agency_id": "000.21.06.H56",
                                      "role": "translator", "language": language, "password": "mat-khau-rat-dai-123"});
        self.request(
            "POST",
            "/api/desk/admin/officers",
            &[("content-type", "application/json"), ("authorization", &format!("Bearer {DESK_ADMIN_TOKEN}"))],
            Some(body.to_string().as_bytes()),
        )
    }

    /// Every string of `language` translated as `word` (keeping each string's
    /// placeholders) and published, as a translation team's file would bring
    /// a language to full coverage. Returns the published index line.
    pub fn publish_whole_language(&self, language: &str, word: &str) -> serde_json::Value {
        let studio = self.admin("GET", &format!("/api/translations/{language}"), None);
        assert_eq!(studio.status, 200, "{}", studio.text());
        let mut file = serde_json::Map::new();
        for s in studio.json()["strings"].as_array().expect("strings") {
            let vi = s["vi"].as_str().unwrap();
            file.insert(s["key"].as_str().unwrap().to_owned(), serde_json::Value::String(format!("{word} {}", placeholders(vi)).trim().to_owned()));
        }
        let body = serde_json::json!({"format": "locale_json", "text": serde_json::Value::Object(file).to_string()});
        let imported = self.admin("POST", &format!("/api/translations/{language}/import"), Some(&body));
        assert_eq!(imported.status, 200, "{}", imported.text());
        let published = self.admin("POST", &format!("/api/translations/{language}/publish"), Some(&serde_json::json!({})));
        assert_eq!(published.status, 200, "{}", published.text());
        published.json()
    }

    /// A birth registration (1.001193) filled as a citizen would, with a photo of the birth notice.
    pub fn birth_submission(&self, key: &str) -> serde_json::Value {
        let form = self.get("/api/forms/1.001193").json();
        let photo = self.upload(&paper_photo());
        serde_json::json!({ "procedure_code": "1.001193", "idempotency_key": key,
                            "answers": valid_answers(&form, "Nguyễn Thị Mai"),
                            "attachments": { "birth_certificate": [photo] } })
    }

    /// Uploads a photo (`POST /api/uploads`) and returns its id.
    pub fn upload(&self, bytes: &[u8]) -> String {
        let reply = self.request("POST", "/api/uploads", &[("content-type", "image/jpeg")], Some(bytes));
        assert_eq!(reply.status, 201, "{}\nhost log:\n{}", reply.text(), self.log_lines().join("\n"));
        reply.json()["id"].as_str().expect("an upload id").to_owned()
    }
}

/// A complete, valid answer to every question of a form (`GET /api/forms/…`)
/// but its photos: `name` for each name question, the first choice of each
/// choice, and real places from the official list.
pub fn valid_answers(form: &serde_json::Value, name: &str) -> serde_json::Map<String, serde_json::Value> {
    let mut answers = serde_json::Map::new();
    for q in form["questions"].as_array().expect("a form") {
        let value = match q["kind"].as_str().unwrap_or_default() {
            "file" => continue,
            "name" => name,
            "date" => "2020-01-15",
            "choice" => q["choices"][0]["value"].as_str().unwrap_or_default(),
            "citizen_id" => "079203001234",
            "phone" => "0912345678",
            "address" => "Bản Na Sang, Xã Mù Cang Chải, Lào Cai",
            _ => "Trạm y tế xã",
        };
        answers.insert(q["id"].as_str().unwrap_or_default().to_owned(), value.into());
    }
    answers
}

/// A real JPEG photo of a paper (a Chromium screenshot), about 6 KB.
/// The `{name}` placeholders of `s`, space-separated: what a test translation must keep.
pub fn placeholders(s: &str) -> String {
    s.split('{').skip(1).filter_map(|p| p.split_once('}').map(|(n, _)| format!("{{{n}}}"))).collect::<Vec<_>>().join(" ")
}

pub fn paper_photo() -> Vec<u8> {
    std::fs::read(repo_root().join("tests/fixtures/birth-notice.jpg")).expect("tests/fixtures/birth-notice.jpg")
}

/// An HTTP/1.1 answer read to the end of the connection (length or chunked).
pub fn parse_reply(raw: &[u8]) -> Option<Reply> {
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n")?;
    let head = std::str::from_utf8(&raw[..split]).ok()?;
    let mut lines = head.split("\r\n");
    let status = lines.next()?.split(' ').nth(1)?.parse().ok()?;
    let headers: Vec<(String, String)> =
        lines.filter_map(|l| l.split_once(':')).map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned())).collect();
    let mut rest = &raw[split + 4..];
    let chunked = headers.iter().any(|(k, v)| k == "transfer-encoding" && v.eq_ignore_ascii_case("chunked"));
    let body = if chunked {
        let mut body = Vec::new();
        loop {
            let end = rest.windows(2).position(|w| w == b"\r\n")?;
            let size = usize::from_str_radix(std::str::from_utf8(&rest[..end]).ok()?.split(';').next()?.trim(), 16).ok()?;
            if size == 0 {
                break body;
            }
            body.extend_from_slice(rest.get(end + 2..end + 2 + size)?);
            rest = rest.get(end + 4 + size..)?;
        }
    } else {
        rest.to_vec()
    };
    Some(Reply { status, headers, body })
}

impl Drop for Portal {
    fn drop(&mut self) {
        self.kill();
    }
}

pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// What the fake gateway answers a request.
#[derive(Clone, Debug)]
pub enum GatewayReply {
    /// This status and body.
    Answer(u16, String),
    /// Takes the request and never answers (a gateway that hangs, or a host
    /// killed while it waits).
    Hang,
}

/// A request the fake gateway received: its path, headers (lower-case
/// names) and JSON body.
#[derive(Clone, Debug)]
pub struct Received {
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: serde_json::Value,
}

impl Received {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct GatewayBook {
    replies: std::collections::VecDeque<GatewayReply>,
    received: Vec<Received>,
}

/// An SMS (or mail) gateway: a real HTTP server on loopback that the
/// journey starts, records what it is sent, and answers as told (by default
/// `202 {"id": "sms-N"}`). What lies outside the portal is faked this way
/// only.
pub struct FakeGateway {
    pub port: u16,
    book: std::sync::Arc<std::sync::Mutex<GatewayBook>>,
}

impl FakeGateway {
    pub fn start() -> FakeGateway {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a loopback port");
        let port = listener.local_addr().unwrap().port();
        let book = std::sync::Arc::new(std::sync::Mutex::new(GatewayBook::default()));
        let shared = book.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().map_while(Result::ok) {
                let book = shared.clone();
                std::thread::spawn(move || serve_gateway_request(stream, &book));
            }
        });
        FakeGateway { port, book }
    }

    /// The URL to post messages to (`sms_gateway_url`).
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/v1/messages", self.port)
    }

    /// The entry for `allowed_outbound_hosts` (`sms_gateway_origin`).
    pub fn origin(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Answers the next requests so, in order; then the default again.
    pub fn then(&self, replies: impl IntoIterator<Item = GatewayReply>) {
        self.book.lock().unwrap().replies.extend(replies);
    }

    pub fn received(&self) -> Vec<Received> {
        self.book.lock().unwrap().received.clone()
    }

    /// Waits (up to 20 s) until at least `n` requests have arrived.
    pub fn wait_for(&self, n: usize) -> Vec<Received> {
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        loop {
            let got = self.received();
            if got.len() >= n || std::time::Instant::now() > deadline {
                return got;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

fn serve_gateway_request(mut stream: std::net::TcpStream, book: &std::sync::Mutex<GatewayBook>) {
    use std::io::{Read, Write};
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut data = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => data.extend_from_slice(&chunk[..n]),
        }
        if let Some(i) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
    };
    let head = String::from_utf8_lossy(&data[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let path = lines.next().unwrap_or_default().split(' ').nth(1).unwrap_or_default().to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let length: Option<usize> = headers.iter().find(|(k, _)| k == "content-length").and_then(|(_, v)| v.parse().ok());
    let chunked = headers.iter().any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"));
    // Until the length is read, or (chunked) the last, empty chunk.
    while length.is_some_and(|l| data.len() < head_end + l) || (chunked && !data.ends_with(b"0\r\n\r\n")) {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => break,
            Ok(n) => data.extend_from_slice(&chunk[..n]),
        }
    }
    let raw = if chunked { dechunk(&data[head_end..]) } else { data[head_end..].to_vec() };
    let body = serde_json::from_slice(&raw).unwrap_or(serde_json::Value::Null);
    let reply = {
        let mut book = book.lock().unwrap();
        book.received.push(Received { path, headers, body });
        let n = book.received.len();
        book.replies.pop_front().unwrap_or_else(|| GatewayReply::Answer(202, format!("{{\"id\":\"sms-{n}\"}}")))
    };
    match reply {
        GatewayReply::Hang => std::thread::sleep(Duration::from_secs(120)),
        GatewayReply::Answer(status, body) => {
            let _ = write!(
                stream,
                "HTTP/1.1 {status} Gateway\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    }
}

/// A chunked body's bytes.
fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    while let Some(line_end) = data.windows(2).position(|w| w == b"\r\n") {
        let size = usize::from_str_radix(String::from_utf8_lossy(&data[..line_end]).trim(), 16).unwrap_or(0);
        if size == 0 || data.len() < line_end + 2 + size {
            break;
        }
        out.extend_from_slice(&data[line_end + 2..line_end + 2 + size]);
        data = &data[(line_end + 4 + size).min(data.len())..];
    }
    out
}

/// A form's fields as a browser posts them (`application/x-www-form-urlencoded`).
pub fn urlencoded(fields: &[(&str, &str)]) -> Vec<u8> {
    fields
        .iter()
        .map(|(k, v)| format!("{k}={}", v.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect::<String>()))
        .collect::<Vec<_>>()
        .join("&")
        .into_bytes()
}

/// The text inside the element of a server page with this id (to its first tag).
pub fn text_of(html: &str, id: &str) -> String {
    let at = html.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no #{id} in {html}"));
    let rest = &html[at..];
    let start = rest.find('>').unwrap() + 1;
    rest[start..start + rest[start..].find('<').unwrap()].to_owned()
}

/// The value of the first `<input name=… value=…>` of a server page with this name.
pub fn input_value(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let rest = &html[html.find(&marker)? + marker.len()..];
    Some(rest[..rest.find('"')?].to_owned())
}
