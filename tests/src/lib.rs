//! The harness the journeys share: the real local host running the real
//! component files from `spin.toml`, with a fresh SQLite state folder on disk.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::PathBuf;
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

/// A running portal. Dropping it stops the host.
pub struct Portal {
    child: Child,
    pub base: String,
    pub port: u16,
    state: tempfile::TempDir,
    /// The host's stderr (one line per request), for checks on what it logs.
    log: std::sync::Mutex<mpsc::Receiver<String>>,
}

impl Portal {
    /// Starts the host on a free port with a fresh, empty state folder.
    pub fn start() -> Portal {
        let state = tempfile::tempdir().expect("temp dir");
        Self::start_with(free_port(), state)
    }

    /// Starts the host with Spin variables set as an operator would (`SPIN_VARIABLE_…`).
    pub fn start_with_variables(variables: &[(&str, &str)]) -> Portal {
        let state = tempfile::tempdir().expect("temp dir");
        Self::launch(free_port(), state, variables)
    }

    /// Starts the host on a given port and state folder (to restart a stopped portal).
    pub fn start_with(port: u16, state: tempfile::TempDir) -> Portal {
        Self::launch(port, state, &[])
    }

    fn launch(port: u16, state: tempfile::TempDir, variables: &[(&str, &str)]) -> Portal {
        let host = target_dir().join("debug/spin-local-host");
        for needed in [
            host.clone(),
            target_dir().join("wasm32-wasip2/release/catalogue.wasm"),
            target_dir().join("wasm32-wasip2/release/static_files.wasm"),
            target_dir().join("wasm32-wasip2/release/api_docs.wasm"),
            target_dir().join("wasm32-wasip2/release/submission.wasm"),
            target_dir().join("wasm32-wasip2/release/tracking.wasm"),
            target_dir().join("wasm32-wasip2/release/desk.wasm"),
            target_dir().join("wasm32-wasip2/release/ratings.wasm"),
            repo_root().join("frontend/dist/index.html"),
        ] {
            assert!(needed.exists(), "{} is missing: run `bash scripts/build` first (scripts/test does)", needed.display());
        }
        let mut child = Command::new(&host)
            .arg("--manifest")
            .arg(repo_root().join("spin.toml"))
            .arg("--listen")
            .arg(format!("127.0.0.1:{port}"))
            .arg("--state-dir")
            .arg(state.path())
            .env("SPIN_VARIABLE_DESK_ADMIN_TOKEN", DESK_ADMIN_TOKEN)
            .envs(variables.iter().map(|(k, v)| (format!("SPIN_VARIABLE_{}", k.to_uppercase()), *v)))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start spin-local-host");
        let (ready_tx, ready_rx) = mpsc::channel();
        let stdout = child.stdout.take().expect("stdout");
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line.contains("Serving http://") {
                    let _ = ready_tx.send(());
                }
            }
        });
        let (log_tx, log) = mpsc::channel();
        let stderr = child.stderr.take().expect("stderr");
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = log_tx.send(line);
            }
        });
        if ready_rx.recv_timeout(Duration::from_secs(120)).is_err() {
            let _ = child.kill();
            let logged: Vec<String> = log.try_iter().collect();
            panic!("the host did not start serving within 120 s; it logged:\n{}", logged.join("\n"));
        }
        Portal { child, base: format!("http://127.0.0.1:{port}"), port, state, log: std::sync::Mutex::new(log) }
    }

    /// Stops the host and hands back its port and state, to start it again later.
    pub fn stop(mut self) -> (u16, tempfile::TempDir) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let state = std::mem::replace(&mut self.state, tempfile::tempdir().expect("temp dir"));
        (self.port, state)
    }

    pub fn state_dir(&self) -> &std::path::Path {
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
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(30)))
            .build()
            .into();
        let mut req = ureq::http::Request::builder().method(method).uri(self.url(path));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let resp = match body {
            Some(b) => agent.run(req.body(b.to_vec()).expect("request")),
            None => agent.run(req.body(()).expect("request")),
        }
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        let status = resp.status().as_u16();
        let headers = resp
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
            .collect();
        let body = resp.into_body().with_config().limit(64 * 1024 * 1024).read_to_vec().expect("body");
        Reply { status, headers, body }
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
pub fn paper_photo() -> Vec<u8> {
    std::fs::read(repo_root().join("tests/fixtures/birth-notice.jpg")).expect("tests/fixtures/birth-notice.jpg")
}

impl Drop for Portal {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
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
