//! The harness of the `serve` tests: a running `vitrine serve` on a site
//! (`SiteTest::new("serve-site")`), spoken to over plain HTTP/1.1, or through Chromium
//! by the scripts of tests/browser/.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a change may take to show before a test fails.
pub const PATIENCE: Duration = Duration::from_secs(20);

/// A running `vitrine serve`, stopped (by its pid) when dropped.
pub struct Server {
    child: Child,
    pub address: String,
    log: Arc<Mutex<String>>,
    root: PathBuf,
}

impl Server {
    pub fn start(root: &Path) -> Server {
        Server::start_with(root, &[])
    }

    pub fn start_with(root: &Path, args: &[&str]) -> Server {
        Server::start_at(root, 0, args)
    }

    /// Serves at `port` (0: any free port).
    pub fn start_at(root: &Path, port: u16, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_vitrine"))
            .args(["serve", "--port", &port.to_string(), "--root"])
            .arg(root)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start vitrine serve");
        let stderr = child.stderr.take().expect("stderr");
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                // Logged before the address is handed over: a test reads
                // the log as soon as it has the address.
                if let Ok(mut l) = sink.lock() {
                    l.push_str(&line);
                    l.push('\n');
                }
                if let (true, Some(at)) = (line.starts_with("Serving "), line.find("http://")) {
                    // The host and port: a site under a path is served under it.
                    let _ = tx.send(line[at + 7..].split('/').next().unwrap_or_default().to_string());
                }
            }
        });
        let address = rx.recv_timeout(Duration::from_secs(60)).unwrap_or_else(|_| {
            let _ = child.kill();
            panic!("vitrine serve did not start")
        });
        Server {
            child,
            address,
            log,
            root: root.to_path_buf(),
        }
    }

    /// Status and body of a GET of `path`, sent as is (no normalisation).
    pub fn get(&self, path: &str) -> (u16, String) {
        self.get_as(path, &self.address)
    }

    /// [`Server::get`] naming `host` in the `Host` header.
    pub fn get_as(&self, path: &str, host: &str) -> (u16, String) {
        let mut stream = TcpStream::connect(&self.address).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .expect("timeout");
        write!(
            stream,
            "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
        )
        .expect("send");
        let mut response = Vec::new();
        let _ = stream.read_to_end(&mut response);
        let text = String::from_utf8_lossy(&response).into_owned();
        let status = text.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        (status, text)
    }

    /// Polls `path` until `ok` holds for its status and response.
    pub fn wait_for(&self, path: &str, what: &str, ok: impl Fn(u16, &str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let (status, body) = self.get(path);
            if ok(status, &body) {
                return body;
            }
            if start.elapsed() > PATIENCE {
                panic!(
                    "{path}: {what} did not happen; last status {status}\n{body}\n--- server log ---\n{}",
                    self.log()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// What the server has printed so far, for failure messages.
    pub fn log(&self) -> String {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }

    pub fn write(&self, file: &str, text: &str) {
        let path = self.root.join(file);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, text).expect("write");
    }

    pub fn edit(&self, file: &str, from: &str, to: &str) {
        let text = std::fs::read_to_string(self.root.join(file)).expect("read");
        assert!(text.contains(from), "{file} does not contain {from}");
        self.write(file, &text.replacen(from, to, 1));
    }
}

impl Server {
    /// Waits until the server has printed nothing for a while: the work
    /// that follows a publish (lists, feeds, search) is done, so Ctrl+C
    /// finds it idle.
    pub fn wait_until_idle(&self) {
        let start = Instant::now();
        let mut seen = self.log();
        let mut since = Instant::now();
        while since.elapsed() < Duration::from_millis(1500) {
            assert!(start.elapsed() < PATIENCE, "serve did not settle:\n{seen}");
            std::thread::sleep(Duration::from_millis(50));
            let now = self.log();
            if now != seen {
                seen = now;
                since = Instant::now();
            }
        }
    }

    /// Stops the server as Ctrl+C does and waits for it to exit; returns
    /// its log.
    pub fn interrupt(mut self) -> String {
        let status = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .expect("kill -INT");
        assert!(status.success(), "kill -INT failed");
        let start = Instant::now();
        while self.child.try_wait().expect("wait").is_none() {
            assert!(start.elapsed() < PATIENCE, "serve did not stop:\n{}", self.log());
            std::thread::sleep(Duration::from_millis(20));
        }
        // The log's reader ends with the process's stderr.
        std::thread::sleep(Duration::from_millis(50));
        self.log()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Reads an event stream until `wanted` has arrived.
pub fn read_until(stream: &mut TcpStream, wanted: &str) {
    let start = Instant::now();
    let mut seen = Vec::new();
    let mut buf = [0; 4096];
    while !String::from_utf8_lossy(&seen).contains(wanted) {
        assert!(
            start.elapsed() < PATIENCE,
            "no `{wanted}` in the event stream:\n{}",
            String::from_utf8_lossy(&seen)
        );
        if let Ok(n) = stream.read(&mut buf) {
            seen.extend_from_slice(&buf[..n]);
        }
    }
}

impl Server {
    /// An open live-reload event stream, past its headers.
    pub fn events(&self) -> TcpStream {
        let mut stream = TcpStream::connect(&self.address).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_millis(200)))
            .expect("timeout");
        write!(
            stream,
            "GET /__vitrine/events HTTP/1.1\r\nHost: {}\r\n\r\n",
            self.address
        )
        .expect("send");
        read_until(&mut stream, "retry: 500");
        stream
    }

    /// The first bytes of the live-reload event stream.
    pub fn get_events(&self) -> (u16, String) {
        let mut stream = TcpStream::connect(&self.address).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_millis(500)))
            .expect("timeout");
        write!(
            stream,
            "GET /__vitrine/events HTTP/1.1\r\nHost: {}\r\n\r\n",
            self.address
        )
        .expect("send");
        let mut response = Vec::new();
        let mut buf = [0; 4096];
        while let Ok(n) = stream.read(&mut buf) {
            if n == 0 {
                break;
            }
            response.extend_from_slice(&buf[..n]);
        }
        let text = String::from_utf8_lossy(&response).into_owned();
        let status = text.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        (status, text)
    }
}

/// The folder of the browser scripts (playwright-core and Chromium).
pub fn browser_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

/// False when browser tests are skipped on purpose; panics, saying what to
/// install, when the tools are missing.
pub fn browser_tools() -> bool {
    if std::env::var_os("VITRINE_SKIP_BROWSER_TESTS").is_some_and(|v| v == "1") {
        eprintln!("browser checks skipped: VITRINE_SKIP_BROWSER_TESTS=1");
        return false;
    }
    assert!(
        browser_dir().join("node_modules/playwright-core").is_dir(),
        "run `tools/test` (it installs the browser tools), or `npm ci --prefix tests/browser`"
    );
    for (tool, package) in [("chromium", "chromium"), ("node", "nodejs")] {
        let found = Command::new(tool)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        assert!(
            found,
            "`{tool}` is missing: run `tools/test` (apt-get install {package})"
        );
    }
    true
}
