//! `vitrine deploy` against a real S3 server: Moto's (`moto_server`, from
//! PyPI `moto[server]`, installed by `tools/test`) started on a free
//! loopback port. Each test builds a fixture, deploys it with the binary,
//! and reads the bucket back over HTTP: objects, bytes, headers. What a
//! deploy must change is worked out independently, from the difference
//! between two builds' output folders.

use std::collections::{BTreeMap, BTreeSet};
use std::net::TcpListener;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::site_test::{SiteTest, code, read_tree};
use std::path::Path;

/// A Moto S3 server on loopback, stopped when dropped.
struct Moto {
    child: Child,
    endpoint: String,
}

impl Moto {
    fn start() -> Moto {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free loopback port")
            .port();
        let child = Command::new("moto_server")
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| {
                panic!("cannot start moto_server ({e}): run `tools/test` (it installs PyPI `moto[server]`)")
            });
        let moto = Moto {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        while http("GET", &format!("{}/", moto.endpoint), b"").is_err() {
            assert!(Instant::now() < deadline, "moto_server did not answer in 30 s");
            std::thread::sleep(Duration::from_millis(100));
        }
        moto
    }

    /// A signed URL for `key` of the bucket `site` (objects are private).
    fn signed(&self, method: &str, key: &str) -> String {
        use rusty_s3::{Bucket, Credentials, S3Action, UrlStyle};
        let bucket = Bucket::new(
            self.endpoint.parse().expect("endpoint URL"),
            UrlStyle::Path,
            "site",
            "us-east-1",
        )
        .expect("bucket");
        let credentials = Credentials::new("testing", "testing-secret");
        let week = Duration::from_secs(3600);
        match method {
            "PUT" => bucket.put_object(Some(&credentials), key).sign(week),
            "LIST" => {
                let mut list = bucket.list_objects_v2(Some(&credentials));
                list.with_max_keys(1000);
                list.sign(week)
            }
            _ => bucket.get_object(Some(&credentials), key).sign(week),
        }
        .to_string()
    }

    fn create_bucket(&self, name: &str) {
        let r = http("PUT", &format!("{}/{name}", self.endpoint), b"").expect("create the bucket");
        assert_eq!(r.0, 200, "create bucket: {}", String::from_utf8_lossy(&r.2));
    }

    /// Every key of the bucket `site` with its bytes.
    fn objects(&self) -> BTreeMap<String, Vec<u8>> {
        let (_, _, body) = http("GET", &self.signed("LIST", ""), b"").expect("list the bucket");
        let text = String::from_utf8_lossy(&body).into_owned();
        assert!(!text.contains("<IsTruncated>true"), "listing truncated");
        text.split("<Key>")
            .skip(1)
            .filter_map(|s| s.split_once("</Key>"))
            .map(|(key, _)| {
                let key = key.replace("&amp;", "&");
                let (status, _, bytes) = self.get(&key);
                assert_eq!(status, 200, "GET {key}");
                (key, bytes)
            })
            .collect()
    }

    fn get(&self, key: &str) -> Answer {
        http("GET", &self.signed("GET", key), b"").expect("GET an object")
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// An HTTP answer: status, headers (lowercase names), body.
type Answer = (u16, BTreeMap<String, String>, Vec<u8>);

/// One plain HTTP request.
fn http(method: &str, url: &str, body: &[u8]) -> Result<Answer, ureq::Error> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let request = ureq::http::Request::builder()
        .method(method)
        .uri(url)
        .body(body.to_vec())?;
    let mut r = agent.run(request)?;
    let headers = r
        .headers()
        .iter()
        .map(|(n, v)| (n.as_str().to_string(), v.to_str().unwrap_or("").to_string()))
        .collect();
    let bytes = r.body_mut().with_config().limit(u64::MAX).read_to_vec()?;
    Ok((r.status().as_u16(), headers, bytes))
}

fn deploy(t: &SiteTest, moto: &Moto, extra: &[&str]) -> Output {
    let out = t.out.to_string_lossy().into_owned();
    let mut args = vec![
        "deploy",
        "--output",
        &out,
        "--url",
        "s3://site/portal",
        "--endpoint",
        &moto.endpoint,
    ];
    args.extend_from_slice(extra);
    Command::new(env!("CARGO_BIN_EXE_vitrine"))
        .args(&args)
        .current_dir(&t.root)
        .env("NO_COLOR", "1")
        .env("AWS_ACCESS_KEY_ID", "testing")
        .env("AWS_SECRET_ACCESS_KEY", "testing-secret")
        .env_remove("AWS_SESSION_TOKEN")
        .env_remove("AWS_PROFILE")
        .env("AWS_REGION", "us-east-1")
        .output()
        .expect("run vitrine deploy")
}

/// The output folder as it should be published: `_headers` and
/// `_redirects` configure Netlify-like hosts and are not uploaded.
fn published(out: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = read_tree(out);
    files.retain(|path, _| path != "_headers" && path != "_redirects");
    files
}

fn ok(run: &Output) -> String {
    let err = String::from_utf8_lossy(&run.stderr).into_owned();
    assert_eq!(code(run), 0, "deploy failed:\n{err}");
    assert!(!err.contains("testing-secret"), "the secret was printed");
    err
}

/// The site's files as the bucket holds them under the prefix.
fn deployed(moto: &Moto) -> BTreeMap<String, Vec<u8>> {
    moto.objects()
        .into_iter()
        .filter_map(|(k, v)| k.strip_prefix("portal/").map(|k| (k.to_string(), v)))
        .filter(|(k, _)| !k.starts_with(".vitrine/"))
        .collect()
}

/// The paths a dry run would upload and delete.
fn dry_plan(t: &SiteTest, moto: &Moto) -> (BTreeSet<String>, BTreeSet<String>) {
    let run = deploy(t, moto, &["--dry-run"]);
    ok(&run);
    let text = String::from_utf8_lossy(&run.stdout).into_owned();
    let pick = |verb: &str| {
        text.lines()
            .filter_map(|l| l.strip_prefix(verb))
            .map(|l| l.trim().split("  ").next().unwrap_or("").to_string())
            .collect()
    };
    (pick("upload "), pick("delete "))
}

/// What changed between two output folders: written (new or different) and gone.
fn difference(
    before: &BTreeMap<String, Vec<u8>>,
    after: &BTreeMap<String, Vec<u8>>,
) -> (BTreeSet<String>, BTreeSet<String>) {
    let written = after
        .iter()
        .filter(|(k, v)| before.get(*k) != Some(*v))
        .map(|(k, _)| k.clone())
        .collect();
    let gone = before
        .keys()
        .filter(|k| !after.contains_key(*k))
        .cloned()
        .collect();
    (written, gone)
}

fn rebuild(t: &SiteTest) -> BTreeMap<String, Vec<u8>> {
    t.try_build()
        .unwrap_or_else(|d| panic!("build failed: {}", crate::site_test::show(&d)));
    published(&t.out)
}

fn started(case: &str) -> (SiteTest, Moto) {
    let t = SiteTest::new(case).build();
    let moto = Moto::start();
    moto.create_bucket("site");
    (t, moto)
}

#[test]
fn deploys_every_file_with_its_headers_then_only_what_changed() {
    let (t, moto) = started("minimal");
    let built = published(&t.out);
    ok(&deploy(&t, &moto, &[]));
    assert_eq!(deployed(&moto), built, "the bucket does not hold the built site");

    let (_, h, _) = moto.get("portal/index.html");
    assert_eq!(h["content-type"], "text/html; charset=utf-8");
    assert_eq!(h["cache-control"], "public, max-age=300, must-revalidate");
    assert_eq!(h["content-language"], "vi");
    let (_, h, _) = moto.get("portal/en/index.html");
    assert_eq!(h["content-language"], "en");
    let (_, h, _) = moto.get("portal/atom.xml");
    assert_eq!(h["content-type"], "application/atom+xml");
    let (_, h, _) = moto.get("portal/sitemap.xml");
    assert_eq!(h["content-type"], "application/xml");

    // A second deploy uploads nothing: a marker written behind its back stays.
    http("PUT", &moto.signed("PUT", "portal/robots.txt"), b"marker").expect("PUT");
    let err = ok(&deploy(&t, &moto, &[]));
    assert!(err.contains(" 0 uploaded"), "{err}");
    assert_eq!(moto.get("portal/robots.txt").2, b"marker");
}

#[test]
fn an_edit_a_new_page_and_a_deleted_page_change_exactly_what_changed() {
    let (t, moto) = started("minimal");
    ok(&deploy(&t, &moto, &[]));
    let mut before = published(&t.out);
    type Change = Box<dyn Fn(&SiteTest)>;
    let steps: [(&str, Change); 3] = [
        (
            "edit",
            Box::new(|t: &SiteTest| {
                let text = t.read_source("content/notes/hello.md");
                std::fs::write(
                    t.root.join("content/notes/hello.md"),
                    format!("{text}\nMột câu mới.\n"),
                )
                .expect("edit");
            }),
        ),
        (
            "new page",
            Box::new(|t: &SiteTest| {
                std::fs::write(
                    t.root.join("content/notes/new.md"),
                    "---\ntitle: \"Trang mới\"\ndate: 2024-01-02\n---\nNội dung.\n",
                )
                .expect("new page");
            }),
        ),
        (
            "deleted page",
            Box::new(|t: &SiteTest| {
                std::fs::remove_file(t.root.join("content/notes/new.md")).expect("remove")
            }),
        ),
    ];
    for (step, change) in steps {
        change(&t);
        let after = rebuild(&t);
        let (written, gone) = difference(&before, &after);
        assert!(!written.is_empty(), "{step}: the fixture change changed no file");
        assert_eq!(
            dry_plan(&t, &moto),
            (written.clone(), gone.clone()),
            "{step}: plan"
        );
        let err = ok(&deploy(&t, &moto, &[]));
        assert!(
            err.contains(&format!(" {} uploaded", written.len()))
                && err.contains(&format!(" {} deleted", gone.len())),
            "{step}: {err}"
        );
        assert_eq!(
            deployed(&moto),
            after,
            "{step}: the bucket differs from the build"
        );
        if step == "deleted page" {
            assert!(gone.iter().any(|p| p.starts_with("notes/new/")), "{gone:?}");
        }
        before = after;
    }
}

#[test]
fn the_delete_cap_holds_and_a_dry_run_changes_nothing() {
    let (t, moto) = started("minimal");
    ok(&deploy(&t, &moto, &[]));
    let bucket = moto.objects();

    // A wrong output folder: most of the site is missing.
    let files = published(&t.out);
    for path in files.keys().filter(|p| p.starts_with("en/")) {
        std::fs::remove_file(t.out.join(path)).expect("remove");
    }
    let gone = files.keys().filter(|p| p.starts_with("en/")).count();
    assert!(gone > 3);
    let run = deploy(&t, &moto, &["--max-deletes", "3"]);
    let err = String::from_utf8_lossy(&run.stderr).into_owned();
    assert_eq!(code(&run), 1, "{err}");
    assert!(
        err.contains("--max-deletes") && err.contains("nothing was changed"),
        "{err}"
    );
    assert_eq!(moto.objects(), bucket, "the refused deploy changed the bucket");

    let run = deploy(&t, &moto, &["--max-deletes", "3", "--dry-run"]);
    assert_eq!(code(&run), 1, "a dry run past the cap must say so too");

    let (uploads, deletes) = dry_plan(&t, &moto);
    assert_eq!(deletes.len(), gone);
    assert!(uploads.iter().all(|p| !p.starts_with("en/")));
    assert_eq!(moto.objects(), bucket, "the dry run changed the bucket");

    let err = ok(&deploy(&t, &moto, &["--max-deletes", "3", "--force"]));
    assert!(err.contains(&format!(" {gone} deleted")), "{err}");
    assert_eq!(deployed(&moto), published(&t.out));
}

/// A loopback proxy in front of Moto that refuses (HTTP 403) every
/// upload whose path contains `refused`, as a bucket policy would, and
/// passes every other request on. One request per connection.
fn refusing_proxy(moto: &str) -> String {
    use std::io::{BufRead, BufReader, Read, Write};
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind the proxy");
    let address = format!("http://{}", listener.local_addr().expect("address"));
    let upstream = moto.trim_start_matches("http://").to_string();
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let upstream = upstream.clone();
            std::thread::spawn(move || -> std::io::Result<()> {
                let mut reader = BufReader::new(client.try_clone()?);
                let mut head = Vec::new();
                let mut length = 0usize;
                loop {
                    let mut line = String::new();
                    reader.read_line(&mut line)?;
                    if let Some((name, value)) = line.split_once(':')
                        && name.eq_ignore_ascii_case("content-length")
                    {
                        length = value.trim().parse().unwrap_or(0);
                    }
                    if line.to_ascii_lowercase().starts_with("connection:") {
                        continue;
                    }
                    if line == "\r\n" || line.is_empty() {
                        break;
                    }
                    head.push(line);
                }
                let mut body = vec![0; length];
                reader.read_exact(&mut body)?;
                let mut client = client;
                if head
                    .first()
                    .is_some_and(|l| l.starts_with("PUT") && l.contains("refused"))
                {
                    let xml = "<Error><Code>AccessDenied</Code><Message>refused by policy</Message></Error>";
                    write!(
                        client,
                        "HTTP/1.1 403 Forbidden\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{xml}",
                        xml.len()
                    )?;
                    return Ok(());
                }
                let mut server = std::net::TcpStream::connect(&upstream)?;
                server.write_all(head.concat().as_bytes())?;
                server.write_all(b"Connection: close\r\n\r\n")?;
                server.write_all(&body)?;
                let mut answer = Vec::new();
                server.read_to_end(&mut answer)?;
                client.write_all(&answer)
            });
        }
    });
    address
}

#[test]
fn a_failed_deploy_exits_1_and_deletes_nothing() {
    let (t, moto) = started("minimal");
    ok(&deploy(&t, &moto, &[]));
    // A page is removed (a deletion is planned) and a new asset is refused.
    let files = published(&t.out);
    let page = files
        .keys()
        .find(|p| p.starts_with("en/notes/"))
        .expect("an English page")
        .clone();
    std::fs::remove_file(t.out.join(&page)).expect("remove");
    std::fs::write(t.out.join("refused.css"), "a{}").expect("write");
    let bucket = moto.objects();
    let proxy = Moto {
        child: Command::new("true").spawn().expect("a placeholder process"),
        endpoint: refusing_proxy(&moto.endpoint),
    };
    let run = deploy(&t, &proxy, &[]);
    let err = String::from_utf8_lossy(&run.stderr).into_owned();
    assert_eq!(code(&run), 1, "{err}");
    assert!(
        err.contains("refused.css") && err.contains("nothing was deleted"),
        "{err}"
    );
    let after = moto.objects();
    assert!(
        after.contains_key(&format!("portal/{page}")),
        "a failed deploy deleted a page"
    );
    assert_eq!(after, bucket, "{err}");
    // Once the cause is gone, the next deploy finishes the work.
    std::fs::remove_file(t.out.join("refused.css")).expect("remove");
    ok(&deploy(&t, &moto, &[]));
    assert_eq!(deployed(&moto), published(&t.out));
}

#[test]
fn deploy_without_credentials_or_target_says_what_to_do() {
    let t = SiteTest::new("minimal").build();
    let out = t.out.to_string_lossy().into_owned();
    let run = Command::new(env!("CARGO_BIN_EXE_vitrine"))
        .args(["deploy", "--output", &out])
        .current_dir(&t.root)
        .env("AWS_ACCESS_KEY_ID", "x")
        .env("AWS_SECRET_ACCESS_KEY", "y")
        .output()
        .expect("run");
    assert_eq!(code(&run), 2);
    assert!(String::from_utf8_lossy(&run.stderr).contains("no deploy target"));
    let run = Command::new(env!("CARGO_BIN_EXE_vitrine"))
        .args([
            "deploy",
            "--output",
            &out,
            "--url",
            "s3://site/p",
            "--endpoint",
            "http://127.0.0.1:9",
        ])
        .current_dir(&t.root)
        .env_remove("AWS_ACCESS_KEY_ID")
        .env_remove("AWS_SECRET_ACCESS_KEY")
        .env("AWS_SHARED_CREDENTIALS_FILE", t.root.join("none"))
        .output()
        .expect("run");
    assert_eq!(code(&run), 2);
    assert!(String::from_utf8_lossy(&run.stderr).contains("AWS_ACCESS_KEY_ID"));
}
