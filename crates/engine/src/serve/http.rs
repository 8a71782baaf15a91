//! HTTP: answers requests from the in-memory site (rendered files, and
//! static files read from the site folder), with pretty URLs, content types,
//! the site's 404 pages and the live-reload endpoints. Only paths the build
//! produced are served: `..`, encoded traversal and symlinks leading out of
//! the site folder get a 404. Every response closes its connection (see
//! [`send`]).

use std::collections::HashMap;
use std::io::Write;
use std::sync::Arc;

use percent_encoding::percent_decode_str;
use tiny_http::{Method, Request};

use super::Shared;
use super::reload::{self, EVENTS_PATH, SCRIPT, SCRIPT_PATH, STYLE, STYLE_PATH};
use vitrine_output::{FileContent, content_type};

/// What a request path leads to.
#[derive(Debug, PartialEq, Eq)]
pub enum Lookup {
    /// The served file at this output path.
    File(String),
    /// A folder asked for without its trailing slash.
    Redirect(String),
    NotFound,
}

/// Finds the output file for a URL path (already without query string).
pub fn resolve(files: &HashMap<String, FileContent>, url_path: &str) -> Lookup {
    let Ok(decoded) = percent_decode_str(url_path).decode_utf8() else {
        return Lookup::NotFound;
    };
    let relative = decoded.trim_start_matches('/');
    let unsafe_part = |part: &str| part == ".." || part == "." || part.contains('\\') || part.contains('\0');
    if relative.split('/').any(unsafe_part) && !relative.is_empty() {
        return Lookup::NotFound;
    }
    if relative.is_empty() || relative.ends_with('/') {
        let index = format!("{relative}index.html");
        return if files.contains_key(&index) {
            Lookup::File(index)
        } else {
            Lookup::NotFound
        };
    }
    if files.contains_key(relative) {
        return Lookup::File(relative.to_string());
    }
    if files.contains_key(&format!("{relative}/index.html")) {
        return Lookup::Redirect(format!("{}/", url_path));
    }
    Lookup::NotFound
}

/// Answers one request (on its own thread: event streams stay open).
pub fn handle(shared: &Arc<Shared>, request: Request) {
    let host = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Host"))
        .map(|h| h.value.as_str().to_string());
    if !shared.address.allows(host.as_deref()) {
        let text = "vitrine serve answers only its own address, localhost and 127.0.0.1 \
                    (this request named another host)";
        send(request, 403, "403.txt", text.as_bytes(), None);
        return;
    }
    let url = request.url().to_string();
    let path = url.split(['?', '#']).next().unwrap_or("/").to_string();
    if path == EVENTS_PATH {
        // Subscribed before the build is read: a rebuild published in
        // between is in the build the page is told, or in the stream.
        let messages = shared.reload.subscribe();
        let build = shared.build();
        let error = shared.error();
        reload::stream(request.into_writer(), messages, build, error);
        return;
    }
    if !matches!(request.method(), Method::Get | Method::Head) {
        send(request, 405, "405.txt", b"method not allowed", None);
        return;
    }
    if path == SCRIPT_PATH {
        send(request, 200, "reload.js", SCRIPT.as_bytes(), None);
        return;
    }
    if path == STYLE_PATH {
        send(request, 200, "reload.css", STYLE.as_bytes(), None);
        return;
    }
    // Read before the files: the build a page names is never newer than
    // what it shows. Read while a rebuild writes, a page may show the new
    // files and name the build before: it is then reloaded once more.
    let build = shared.build();
    let rebase = shared.rebase_for(host.as_deref());
    let (status, file, body) = match rebase.within(&path) {
        Some(within) => answer(shared, within, rebase.prefix()),
        // The site's root, asked for at the server's.
        None if path == "/" => (301, format!("{}/", rebase.prefix()), None),
        None => not_found(shared, &path),
    };
    match body {
        Some(body) => {
            let body = rebase.body(&file, body);
            let body = if content_type(&file).starts_with("text/html") {
                reload::inject(&body, &reload::injection(build, shared.error().as_deref()))
            } else {
                body
            };
            send(request, status, &file, &body, None);
        }
        None => send(request, status, "redirect.txt", b"", Some(&file)),
    }
}

/// Writes a whole response, then closes the connection.
///
/// tiny_http serves each connection on one thread of its pool for as long
/// as the browser keeps it alive, and a connection accepted while no thread
/// is free waits in a queue; its pool can also miss a wake-up when several
/// connections arrive together, as Chromium's six do for a page's
/// stylesheets and images. Such a request then waited until some kept-alive
/// connection closed, which could be never: the page's `load` event never
/// came (a busy machine made it likely). Closing after every response
/// gives the thread back at once. tiny_http's own responses cannot say
/// `Connection: close`, so the response is written by hand.
fn send(request: Request, status: u16, file: &str, body: &[u8], location: Option<&str>) {
    let head_only = *request.method() == Method::Head;
    let head = response_head(status, file, body.len(), location);
    let mut out = request.into_writer();
    let written = out
        .write_all(head.as_bytes())
        .and_then(|()| if head_only { Ok(()) } else { out.write_all(body) });
    // The browser may have gone; nothing is left to do then.
    let _ = written.and_then(|()| out.flush());
}

/// Status, output path (or redirect target) and body for a URL path
/// within the site, which is served under `prefix`.
fn answer(shared: &Shared, path: &str, prefix: &str) -> (u16, String, Option<Vec<u8>>) {
    let files = shared.files.read().map(|f| resolve(&f, path));
    match files {
        Ok(Lookup::File(file)) => match read(shared, &file) {
            Some(body) => (200, file, Some(body)),
            None => not_found(shared, path),
        },
        Ok(Lookup::Redirect(to)) => (301, format!("{prefix}{to}"), None),
        _ => not_found(shared, path),
    }
}

/// The site's 404 page of the language the path is in, else the default one.
fn not_found(shared: &Shared, path: &str) -> (u16, String, Option<Vec<u8>>) {
    let first = path.trim_start_matches('/').split('/').next().unwrap_or_default();
    let candidates = [format!("{first}/404.html"), "404.html".to_string()];
    for candidate in candidates {
        if let Some(body) = read(shared, &candidate) {
            return (404, candidate, Some(body));
        }
    }
    // No 404 page (or no site yet): an HTML page, so the overlay can show.
    let page = "<!doctype html><html><head><meta charset=\"utf-8\"><title>Not found</title></head>\
                <body><h1>Not found</h1></body></html>";
    (404, "404.html".to_string(), Some(page.as_bytes().to_vec()))
}

/// The bytes of a served file. Copied files are read from the site folder
/// now, so a saved stylesheet is served at once; one that resolves outside
/// the site folder (a symlink) is not served.
fn read(shared: &Shared, file: &str) -> Option<Vec<u8>> {
    let content = shared.files.read().ok()?.get(file).cloned()?;
    match content {
        FileContent::Bytes(bytes) => Some(bytes),
        FileContent::Copy(source) => {
            let source = if source.is_absolute() {
                source
            } else {
                shared.root.join(source)
            };
            let real = source.canonicalize().ok()?;
            if !real.starts_with(&shared.root) {
                return None;
            }
            std::fs::read(real).ok()
        }
    }
}

/// The status line and headers of a response for output file `file`.
fn response_head(status: u16, file: &str, length: usize, location: Option<&str>) -> String {
    let reason = tiny_http::StatusCode(status).default_reason_phrase();
    // The type a CDN is told (deploy, `_headers`): what serve shows is what
    // readers will get. `no-store`: edits must show on the next load, never
    // from the cache.
    let mut head = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: {}\r\nContent-Length: {length}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n",
        content_type(file),
    );
    if let Some(to) = location.filter(|l| !l.contains(['\r', '\n'])) {
        head.push_str(&format!("Location: {to}\r\n"));
    }
    head.push_str("\r\n");
    head
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> HashMap<String, FileContent> {
        [
            "index.html",
            "en/index.html",
            "en/news/visit/index.html",
            "css/site.css",
            "en/404.html",
        ]
        .into_iter()
        .map(|p| (p.to_string(), FileContent::Bytes(Vec::new())))
        .collect()
    }

    #[test]
    fn pretty_urls_and_redirects() {
        let files = site();
        assert_eq!(resolve(&files, "/"), Lookup::File("index.html".into()));
        assert_eq!(
            resolve(&files, "/en/news/visit/"),
            Lookup::File("en/news/visit/index.html".into())
        );
        assert_eq!(
            resolve(&files, "/en/news/visit"),
            Lookup::Redirect("/en/news/visit/".into())
        );
        assert_eq!(
            resolve(&files, "/css/site.css"),
            Lookup::File("css/site.css".into())
        );
        assert_eq!(resolve(&files, "/%65n/"), Lookup::File("en/index.html".into()));
        assert_eq!(resolve(&files, "/en/missing/"), Lookup::NotFound);
    }

    #[test]
    fn traversal_is_not_found() {
        let files = site();
        for path in [
            "/../site.yaml",
            "/en/../index.html",
            "/%2e%2e/site.yaml",
            "/en/%2E%2E/index.html",
            "/..%2fsite.yaml",
            "/.%5c..%5csite.yaml",
            "/%ff",
        ] {
            assert_eq!(resolve(&files, path), Lookup::NotFound, "{path}");
        }
    }

    #[test]
    fn content_types_are_the_deployed_ones() {
        let kind = |file: &str| {
            let head = response_head(200, file, 0, None);
            let line = head.lines().find_map(|l| l.strip_prefix("Content-Type: "));
            line.unwrap_or_default().to_string()
        };
        assert_eq!(kind("en/index.html"), "text/html; charset=utf-8");
        assert_eq!(kind("en/atom.xml"), "application/atom+xml");
        assert_eq!(kind("sitemap.xml"), "application/xml");
        assert_eq!(kind("a/B.PNG"), "image/png");
        assert_eq!(kind("README"), "application/octet-stream");
        for file in ["en/atom.xml", "style.xsl", "data.csv", "music.ogg"] {
            assert_eq!(kind(file), content_type(file), "{file}");
        }
    }
}
